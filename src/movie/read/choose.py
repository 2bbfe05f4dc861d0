"""Choosing what a command is about: the movie a typed title means, or the person a name means.

Read only: returns movies and names, raises typed errors (the command line adds its hints).
"""

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from movie.errors import (
    AmbiguousName,
    AmbiguousTitle,
    MovieError,
    NoDefaultMovie,
    NoSuchMovie,
)
from movie.read.trigrams import trigram_matches
from movie.tables import CAST, CREW, DEFAULT_MOVIE_KEY, SETTINGS
from movie.text import fold, folded, pattern
from movie.vocabulary import FILMS_AND_SERIES

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
    title_type: str | None = None
    votes: int | None = None
    found_for: str | None = None  # what was typed, when the title was found by its words

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year is not None else self.title

    @property
    def imdb_id(self) -> str | None:
        """tt0113277 for an IMDb title (whose id is its IMDb number)."""
        return f"tt{self.id:07d}" if self.title_type is not None else None

    @property
    def described(self) -> str:
        """The label with what tells namesakes apart: 'Heat (1995; movie; 712,345 votes)'."""
        parts = [str(self.year)] if self.year is not None else []
        parts += [self.title_type] if self.title_type else []
        parts += [f"{self.votes:,} votes"] if self.votes else []
        return f"{self.title} ({'; '.join(parts)})" if parts else self.title


MOVIE_COLUMNS = "id, slug, title, year, title_type, imdb_votes"
# What a typed title means first when several titles share it: a film or a series (a movie from
# a page or the RT dataset, which has no type, counts as a film).
FILM_SQL = f"(title_type IS NULL OR title_type IN ({', '.join(repr(k) for k in FILMS_AND_SERIES)}))"
BEST_KNOWN = "coalesce(imdb_votes, 0) DESC, title_key, year"
IMDB_TITLE = pattern(r"tt(\d{1,10})")
IMDB_NAME = pattern(r"nm(\d{1,10})")


def _movies_where(
    conn: sqlite3.Connection,
    where: str,
    params: Sequence[Any],
    order: str = "title_key, year",
    limit: int = 50,
) -> list[Movie]:
    sql = f"SELECT {MOVIE_COLUMNS} FROM movies WHERE {where} ORDER BY {order} LIMIT {limit}"
    return [Movie(*row) for row in conn.execute(sql, params)]


def _describe(movies: Sequence[Movie]) -> str:
    return ", ".join(m.described for m in movies[:10]) + (" ..." if len(movies) > 10 else "")


def _one(movies: list[Movie], typed: str, more: bool = False) -> Movie | None:
    if len(movies) == 1:
        return movies[0]
    if len(movies) > 1:
        raise AmbiguousTitle(
            f"{typed!r} matches {len(movies)}{'+' if more or len(movies) >= 50 else ''} "
            f"titles: {_describe(movies)}",
            movies[0].label,
            movies[0].imdb_id,
        )
    return None


def _chosen(
    conn: sqlite3.Connection, where: str, params: Sequence[Any], typed: str
) -> Movie | None:
    """The one title an exact match means: the only one, else the only film or series among
    them; several are listed best-known first."""
    found = _movies_where(conn, where, params, BEST_KNOWN, 51)
    if len(found) <= 1:
        return found[0] if found else None
    films = _movies_where(conn, f"({where}) AND {FILM_SQL}", params, BEST_KNOWN, 51)
    if len(films) == 1:
        return films[0]
    return _one(films or found[:50], typed, more=len(found) > 50)


def _by_id(conn: sqlite3.Connection, number: int, typed: str) -> Movie:
    found = _movies_where(conn, "id = ? AND title_type IS NOT NULL", [number])
    if not found:
        raise NoSuchMovie(f"no title in the catalog has the IMDb id {typed}")
    return found[0]


def _suggestions(conn: sqlite3.Connection, key: str) -> list[str]:
    """Titles close to a misspelt one, best first (films and the best-known before others)."""
    import difflib

    ids = trigram_matches(conn, "titles_trigrams", key)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT {MOVIE_COLUMNS}, title_key FROM movies WHERE id IN ({marks})", ids
    ).fetchall()
    scored = []
    for *movie, title_key in rows:
        ratio = difflib.SequenceMatcher(None, key, title_key).ratio()
        if ratio >= 0.6:
            found = Movie(*movie)
            film = found.title_type is None or found.title_type in FILMS_AND_SERIES
            scored.append((-round(ratio, 1), not film, -(found.votes or 0), found.label))
    scored.sort()
    best = [label for ratio, *_, label in scored if ratio == scored[0][0]] if scored else []
    return list(dict.fromkeys(best))[:3]  # the closest only: no distant also-rans


def find_movie(conn: sqlite3.Connection, title: str, year: int | None = None) -> Movie:
    """The movie a typed title means: an IMDb id (tt0113277), the exact title (or an alternate
    one), its slug, "Title (Year)", then a unique prefix; else suggestions."""
    typed = bounded(title, "the title", MAX_NAME)
    if match := IMDB_TITLE.fullmatch(typed.strip()):
        return _by_id(conn, int(match.group(1)), typed.strip())
    if year is None and (split := split_year(title)):
        title, year = split
    key = fold(title.strip()) or ""
    year_sql, year_params = ("AND year = ?", [year]) if year is not None else ("", [])
    exact = _chosen(conn, f"title_key = ? {year_sql}", [key, *year_params], typed)
    if exact:
        return exact
    by_slug = _movies_where(conn, "slug = ?", [typed.strip()])
    if by_slug:
        return by_slug[0]
    other_title = _chosen(
        conn,
        f"id IN (SELECT movie_id FROM akas WHERE title_key = ? AND title_key <> '') {year_sql}",
        [key, *year_params],
        typed,
    )
    if other_title:
        return other_title
    prefix: list[Movie] = []
    if key:
        prefix = _movies_where(
            conn,
            f"title_key >= ? AND title_key < ? {year_sql}",
            [key, key + "\U0010ffff", *year_params],
        )
    by_words = _by_words(conn, title, year, typed, prefix[0] if len(prefix) == 1 else None)
    if by_words:
        return by_words
    _one(prefix, typed)  # several titles start with it: they are listed
    suggestions = _suggestions(conn, key)
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    where = f" from {year}" if year is not None else ""
    raise NoSuchMovie(f"no movie{where} matches {typed!r}{hint}")


# A title found by its words is taken when it is the only one, or has this many times the
# votes of the next (at least this many): otherwise the best candidates are listed.
CLEAR_WIN = 10


def clear_winner(scores: Sequence[int | None]) -> bool:
    """Whether the first of these (the best known) clearly wins over the rest."""
    if len(scores) == 1:
        return True
    first, second = scores[0] or 0, scores[1] or 0
    return first >= CLEAR_WIN and first >= CLEAR_WIN * second


def _by_words(
    conn: sqlite3.Connection, title: str, year: int | None, typed: str, prefix: Movie | None
) -> Movie | None:
    """The title whose words contain the typed ones (any order, articles and punctuation
    aside), when one clearly wins; else the candidates are listed (AmbiguousTitle). The only
    title starting with the typed text is taken as it is when the words find no other."""
    from movie.read.find import find, words_of

    try:
        words_of(title)
    except MovieError:
        return prefix
    found = list(find(conn, title, people=False, year=year, limit=11, similar_too=False))
    if prefix is not None and (not found or [f.id for f in found] == [prefix.id]):
        return prefix
    if not found:
        return None
    if clear_winner([f.votes for f in found]):
        best = found[0]
        row = _movies_where(conn, "id = ?", [best.id])
        return row[0]._replace(found_for=typed) if row else None
    listed = ", ".join(f"{f.name} ({'; '.join(_traits(f))})" for f in found[:10])
    more = "+" if len(found) > 10 else ""
    raise AmbiguousTitle(
        f"{typed!r} matches {min(len(found), 10)}{more} titles by its words: {listed}",
        f"{found[0].name} ({found[0].year})" if found[0].year else found[0].name,
        found[0].ref if found[0].type else None,
    )


def _traits(found: Any) -> list[str]:
    traits = [found.year] if found.year else []
    traits += [found.type] if found.type else []
    traits += [f"{found.votes:,} votes"] if found.votes else []
    traits += [found.ref] if found.ref else []
    return traits


def default_movie(conn: sqlite3.Connection) -> Movie:
    """The movie set with `movie use`, else the only movie of the catalog."""
    row = conn.execute(
        f"SELECT m.id, m.slug, m.title, m.year, m.title_type, m.imdb_votes FROM {SETTINGS} s "
        "JOIN movies m ON m.slug = s.value "
        "WHERE s.key = ?",
        (DEFAULT_MOVIE_KEY,),
    ).fetchone()
    if row:
        return Movie(*row)
    only = conn.execute(f"SELECT {MOVIE_COLUMNS} FROM movies LIMIT 2").fetchall()
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


class Person(NamedTuple):
    """A person: by IMDb id (from name.basics, or credited by id only), or by the name page
    credits give in text (id None)."""

    id: int | None
    name: str
    found_for: str | None = None  # what was typed, when the name was found by its words

    @property
    def imdb_id(self) -> str | None:
        return f"nm{self.id:07d}" if self.id is not None else None


def _named(conn: sqlite3.Connection, where: str, value: str) -> list[str]:
    """Names page credits give in text (IMDb's credits name people by id)."""
    sql = (
        f"SELECT actor FROM {CAST.name} WHERE actor IS NOT NULL AND {where.format(col='actor')} "
        f"UNION SELECT name FROM {CREW.name} WHERE name IS NOT NULL AND "
        f"{where.format(col='name')} ORDER BY 1 LIMIT 50"
    )
    return [row[0] for row in conn.execute(sql, (value, value))]


def _credits_of(conn: sqlite3.Connection, person: int) -> int:
    return int(
        conn.execute(
            "SELECT (SELECT count(*) FROM cast_credits WHERE person_id = :p) "
            "+ (SELECT count(*) FROM crew WHERE person_id = :p)",
            {"p": person},
        ).fetchone()[0]
    )


def _namesake(conn: sqlite3.Connection, row: Sequence[Any]) -> str:
    """'John Smith (nm0000001; 1930-2001; Heat (1995), Ran (1985))': what tells them apart."""
    person, name, born, died, known = row
    years = f"{born or '?'}-{died or ''}" if born or died else ""
    numbers = [int(t[2:]) for t in (known or "").split(",") if t[2:].isdigit()][:3]
    titles = [
        f"{title} ({year})" if year else title
        for title, year in conn.execute(
            f"SELECT title, year FROM movies WHERE id IN ({', '.join('?' * len(numbers))})",
            numbers,
        )
    ]
    parts = [f"nm{person:07d}", years, ", ".join(titles)]
    return f"{name} ({'; '.join(p for p in parts if p)})"


def _people_named(conn: sqlite3.Connection, typed: str, key: str) -> Person | None:
    """The one IMDb person with this name; namesakes are listed, best-known first."""
    rows = conn.execute(
        "SELECT id, name, birth_year, death_year, known_for FROM people WHERE name_key = ? "
        "LIMIT 51",
        (key,),
    ).fetchall()
    if len(rows) == 1:
        return Person(rows[0][0], rows[0][1])
    if not rows:
        return None
    rows.sort(key=lambda row: -_credits_of(conn, row[0]))
    shown = ", ".join(_namesake(conn, row) for row in rows[:10])
    more = " ..." if len(rows) > 10 else ""
    raise AmbiguousName(
        f"{len(rows)}{'+' if len(rows) > 50 else ''} people are named {typed!r}: {shown}{more}",
        f"nm{rows[0][0]:07d}",
    )


# A credit's person: the name a page gave, else the IMDb person's name, else their IMDb id (a
# partial extract of name.basics may lack them).
PERSON_SQL = "coalesce({t}.{name}, p.name, printf('nm%07d', {t}.person_id))"
PEOPLE_JOIN = "LEFT JOIN people p ON p.id = {t}.person_id"
MAX_GRAMS = 12  # trigrams of a typed part of a name that the index is asked for


def _by_person_id(conn: sqlite3.Connection, number: int, typed: str) -> Person:
    row = conn.execute("SELECT id, name FROM people WHERE id = ?", (number,)).fetchone()
    if row:
        return Person(*row)
    if _credits_of(conn, number):  # credited, but name.basics did not have them
        return Person(number, typed)
    raise MovieError(f"no person in the catalog has the IMDb id {typed}")


def find_person(conn: sqlite3.Connection, typed: str) -> Person:
    """The one person a typed name means: an IMDb id (nm0000115), the exact name (ignoring case
    and accents), else the only person whose name contains it."""
    text = bounded(typed.strip(), "the name", MAX_NAME)
    if match := IMDB_NAME.fullmatch(text):
        return _by_person_id(conn, int(match.group(1)), text)
    key = fold(text) or ""
    found = _people_named(conn, typed, key)
    if found:
        return found
    exact = _named(conn, folded("{col}") + " = ?", key)
    if len(exact) == 1:
        return Person(None, exact[0])
    if exact:
        shown = ", ".join(exact[:10]) + (" ..." if len(exact) > 10 else "")
        raise MovieError(f"{typed!r} matches {len(exact)} people: {shown}; give more of the name")
    return _person_by_words(conn, typed, key)


def _person_by_words(conn: sqlite3.Connection, typed: str, key: str) -> Person:
    """The person whose name holds every typed word (any order): the only one, or the one
    whose work is far better known than the next's; else the candidates are listed."""
    from movie.read.find import find

    found = list(find(conn, typed, titles=False, limit=11, similar_too=False))
    if not found:
        raise MovieError(f"no person matches {typed!r}{_name_hint(conn, key)}")
    best = found[0]
    if clear_winner([f.votes for f in found]):
        return Person(best.id, best.name, found_for=typed if fold(best.name) != key else None)
    shown = ", ".join(
        f"{f.name} ({'; '.join(_traits(f))})" if _traits(f) else f.name for f in found[:10]
    )
    more = "+" if len(found) > 10 else ""
    message = f"{typed!r} matches {min(len(found), 10)}{more} people: {shown}"
    if found[0].ref:
        raise AmbiguousName(message, found[0].ref)
    raise MovieError(f"{message}; give more of the name")


def _name_hint(conn: sqlite3.Connection, key: str) -> str:
    import difflib

    names = {
        fold(row[0]) or "": row[0]
        for row in conn.execute(
            "SELECT actor FROM cast_credits WHERE actor IS NOT NULL "
            "UNION SELECT name FROM crew WHERE name IS NOT NULL LIMIT 100000"
        )
    }
    ids = trigram_matches(conn, "names_trigrams", key, limit=100)
    if ids:
        marks = ", ".join("?" * len(ids))
        for (name,) in conn.execute(f"SELECT name FROM people WHERE id IN ({marks})", ids):
            names.setdefault(fold(name) or "", name)
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(names[c] for c in close)}?" if close else ""
