"""Choosing what a command is about: the movie a typed title means, or the person a name means.

Read only: returns movies and names, raises typed errors (the command line adds its hints).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from movie.errors import AmbiguousTitle, MovieError, NoDefaultMovie, NoSuchMovie
from movie.tables import CAST, CREW, DEFAULT_MOVIE_KEY, SETTINGS
from movie.text import fold, folded

# Past these lengths an input is a mistake (or an attack), and matching it would be slow.
MAX_NAME = 500
MAX_SEARCH = 10_000


def bounded(text: str, what: str, limit: int) -> str:
    if len(text) > limit:
        raise MovieError(f"{what} is too long ({len(text):,} characters; at most {limit:,})")
    return text


def split_year(typed: str) -> tuple[str, int] | None:
    """'Heat (1995)' -> ('Heat', 1995); None when the text does not end in a (YYYY)."""
    text = typed.strip()
    digits = text[-5:-1]
    shaped = len(text) >= 6 and text.endswith(")") and text[-6] == "("
    if shaped and digits.isascii() and digits.isdigit():
        return text[:-6].rstrip(), int(digits)
    return None


class Movie(NamedTuple):
    id: int
    slug: str
    title: str
    year: int | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year is not None else self.title


def _movies_where(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[Movie]:
    sql = (
        f"SELECT id, slug, title, year FROM movies WHERE {where} ORDER BY title_key, year LIMIT 50"
    )
    return [Movie(*row) for row in conn.execute(sql, params)]


def _describe(movies: Sequence[Movie]) -> str:
    return ", ".join(m.label for m in movies[:10]) + (" ..." if len(movies) > 10 else "")


def _one(movies: list[Movie], typed: str) -> Movie | None:
    if len(movies) == 1:
        return movies[0]
    if len(movies) > 1:
        raise AmbiguousTitle(
            f"{typed!r} matches {len(movies)}{'+' if len(movies) >= 50 else ''} movies: "
            f"{_describe(movies)}",
            movies[0].label,
        )
    return None


def _suggestions(conn: sqlite3.Connection, key: str) -> list[str]:
    import difflib

    labels: dict[str, list[str]] = {}
    for title, year, title_key in conn.execute("SELECT title, year, title_key FROM movies"):
        labels.setdefault(title_key, []).append(f"{title} ({year})" if year else title)
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.6)
    return [label for title_key in close for label in labels[title_key]]


def find_movie(conn: sqlite3.Connection, title: str, year: int | None = None) -> Movie:
    """The movie a typed title means: exact title, slug, "Title (Year)", then a unique prefix."""
    typed = bounded(title, "the title", MAX_NAME)
    if year is None and (split := split_year(title)):
        title, year = split
    key = fold(title.strip()) or ""
    year_sql, year_params = ("AND year = ?", [year]) if year is not None else ("", [])
    exact = _one(_movies_where(conn, f"title_key = ? {year_sql}", [key, *year_params]), typed)
    if exact:
        return exact
    by_slug = _movies_where(conn, "slug = ?", [typed.strip()])
    if by_slug:
        return by_slug[0]
    if key:
        prefix = _movies_where(
            conn,
            f"title_key >= ? AND title_key < ? {year_sql}",
            [key, key + "\U0010ffff", *year_params],
        )
        found = _one(prefix, typed)
        if found:
            return found
    suggestions = _suggestions(conn, key)
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    where = f" from {year}" if year is not None else ""
    raise NoSuchMovie(f"no movie{where} matches {typed!r}{hint}")


def default_movie(conn: sqlite3.Connection) -> Movie:
    """The movie set with `movie use`, else the only movie of the catalog."""
    row = conn.execute(
        f"SELECT m.id, m.slug, m.title, m.year FROM {SETTINGS} s JOIN movies m ON m.slug = s.value "
        "WHERE s.key = ?",
        (DEFAULT_MOVIE_KEY,),
    ).fetchone()
    if row:
        return Movie(*row)
    only = conn.execute("SELECT id, slug, title, year FROM movies LIMIT 2").fetchall()
    if len(only) == 1:
        return Movie(*only[0])
    if not only:
        raise NoDefaultMovie("the catalog holds no movies", empty=True)
    raise NoDefaultMovie("the catalog holds several movies", empty=False)


def choose_movie(conn: sqlite3.Connection, title: str | None, year: int | None) -> Movie:
    if title is None:
        return default_movie(conn)
    return find_movie(conn, title, year)


# ---------------------------------------------------------------- choosing a person


def contains(text: str) -> str:
    """A LIKE pattern for a case- and accent-insensitive substring (matched against fold())."""
    folded = fold(bounded(text, "the name to match", MAX_NAME)) or ""
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _people(conn: sqlite3.Connection, where: str, value: str) -> list[str]:
    sql = (
        f"SELECT actor FROM {CAST.name} WHERE {where.format(col='actor')} "
        f"UNION SELECT name FROM {CREW.name} WHERE {where.format(col='name')} ORDER BY 1 LIMIT 50"
    )
    return [row[0] for row in conn.execute(sql, (value, value))]


def find_person(conn: sqlite3.Connection, typed: str) -> str:
    """The one person a typed name means: the exact name (ignoring case and accents), else the
    only person whose name contains it."""
    key = fold(bounded(typed.strip(), "the name", MAX_NAME)) or ""
    exact = _people(conn, folded("{col}") + " = ?", key)
    if len(exact) == 1:
        return exact[0]
    like = folded("{col}") + " LIKE ? ESCAPE '\\'"
    found = exact or _people(conn, like, contains(typed.strip()))
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
        raise MovieError(f"{typed!r} matches {len(found)} people: {shown}; give more of the name")
    import difflib

    names = {
        fold(row[0]) or "": row[0]
        for row in conn.execute("SELECT actor FROM cast_credits UNION SELECT name FROM crew")
    }
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(names[c] for c in close)}?" if close else ""
    raise MovieError(f"no person matches {typed!r}{hint}")
