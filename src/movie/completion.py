"""Shell-completion answers (titles, actors, characters): read-only, quick, and silent on error.

Completion runs the program at every TAB, without the app callback, so these read --db from
the root context's parameters (or MOVIE_DB) themselves, and never create, upgrade or lock the
catalog: a missing or unreadable catalog simply offers nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from movie.catalog import catalog_path
from movie.text import fold, folded, sql_fold

LIMIT = 50


@contextmanager
def _catalog(ctx: Any) -> Iterator[sqlite3.Connection | None]:
    path = catalog_path(ctx.find_root().params.get("db"))
    if not path.is_file():
        yield None
        return
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.create_function("fold", 1, sql_fold, deterministic=True)
        yield conn
    finally:
        conn.close()


def _for_shell(values: list[str]) -> list[str]:
    """Bash inserts a completion as it is: escape its spaces, unless the word was quoted."""
    if not os.environ.get("_MOVIE_COMPLETE", "").endswith("bash"):
        return values
    words = os.environ.get("COMP_WORDS", "")
    if words.rstrip().endswith(tuple("\"'")) or words.split(" ")[-1][:1] in ("'", '"'):
        return values
    return [value.replace(" ", "\\ ") for value in values]


def titles(ctx: Any, param: Any, incomplete: str) -> list[str]:
    """Titles that start with what was typed, ignoring case and accents, each once; a title that
    a few movies share is offered once per year, as "Title (Year)" (among 12 million IMDb
    titles, "Heart" names thousands: it is offered as it is)."""
    try:
        with _catalog(ctx) as conn:
            if conn is None:
                return []
            key = fold(incomplete.strip("\"'")) or ""
            offered: list[str] = []
            for title_key, title, count in _distinct_titles(conn, key):
                if 1 < count <= SHARED:
                    offered += [
                        f"{t} ({y})" if y is not None else t
                        for t, y in conn.execute(
                            "SELECT title, year FROM movies WHERE title_key = ? ORDER BY year",
                            (title_key,),
                        )
                    ]
                else:
                    offered.append(title)
    except (sqlite3.Error, OSError, ValueError):
        return []
    return _for_shell(list(dict.fromkeys(offered))[:LIMIT])


SHARED = 10  # a title shared by more movies than this is offered without years


def _distinct_titles(conn: sqlite3.Connection, key: str) -> Iterator[tuple[str, str, int]]:
    """(title_key, a title, how many share it, up to SHARED + 1) for the first LIMIT distinct
    titles from `key` on: one index seek each, however many titles share a key (a GROUP BY
    would read all 95,000 "Heart"s to get past them)."""
    end = key + "\U0010ffff"
    after = None
    for _ in range(LIMIT):
        # One lower bound only: given two, SQLite seeks by one and filters by the other, which
        # reads through every title the search has passed.
        lower, start = ("title_key >= ?", key) if after is None else ("title_key > ?", after)
        row = conn.execute(
            f"SELECT title_key, title FROM movies WHERE {lower} AND title_key < ? "
            "ORDER BY title_key LIMIT 1",
            (start, end),
        ).fetchone()
        if row is None:
            return
        after = row[0]
        count = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM movies WHERE title_key = ? LIMIT ?)",
            (after, SHARED + 1),
        ).fetchone()[0]
        yield after, row[1], count


def _names(ctx: Any, column: str, incomplete: str) -> list[str]:
    """Actors or characters starting with what was typed: of the movie named on the line, or
    (with --all) of the whole catalog, IMDb's people by their name index."""
    from movie.errors import MovieError
    from movie.read.choose import choose_movie

    params = ctx.params
    named = "coalesce(c.actor, p.name)" if column == "actor" else "c.character"
    try:
        with _catalog(ctx) as conn:
            if conn is None:
                return []
            key = fold(incomplete.strip("\"'")) or ""
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern = escaped + "%"
            if params.get("everything"):
                return _for_shell(_everyone(conn, column, key, pattern))
            # While completing, Click leaves an optional positional in ctx.args.
            title = params.get("title") or (ctx.args[0] if ctx.args else None)
            try:
                movie = choose_movie(conn, title, params.get("year"))
            except MovieError:
                return []
            rows = conn.execute(
                f"SELECT DISTINCT {named} FROM cast_credits c "
                "LEFT JOIN people p ON p.id = c.person_id "
                f"WHERE c.movie_id = ? AND {named} IS NOT NULL "
                f"AND {folded(named)} LIKE ? ESCAPE '\\' ORDER BY 1 LIMIT {LIMIT}",
                (movie.id, pattern),
            ).fetchall()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return _for_shell([row[0] for row in rows])


def _everyone(conn: sqlite3.Connection, column: str, key: str, pattern: str) -> list[str]:
    """Names across the catalog: page credits' (few: a partial index holds them) and IMDb
    people's, read in order from the name index."""
    if column == "character":
        rows = conn.execute(
            "SELECT DISTINCT character FROM cast_credits WHERE actor IS NOT NULL "
            f"AND character IS NOT NULL AND {folded('character')} LIKE ? ESCAPE '\\' "
            f"ORDER BY 1 LIMIT {LIMIT}",
            (pattern,),
        ).fetchall()
        return [row[0] for row in rows]
    names = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT actor FROM cast_credits WHERE actor IS NOT NULL "
            f"AND {folded('actor')} LIKE ? ESCAPE '\\' ORDER BY 1 LIMIT {LIMIT}",
            (pattern,),
        )
    ]
    names += [
        row[0]
        for row in conn.execute(
            "SELECT name FROM people WHERE name_key >= ? AND name_key < ? "
            f"ORDER BY name_key LIMIT {LIMIT}",
            (key, key + "\U0010ffff"),
        )
    ]
    return sorted(dict.fromkeys(names), key=lambda name: fold(name) or "")[:LIMIT]


def actors(ctx: Any, param: Any, incomplete: str) -> list[str]:
    return _names(ctx, "actor", incomplete)


def characters(ctx: Any, param: Any, incomplete: str) -> list[str]:
    return _names(ctx, "character", incomplete)
