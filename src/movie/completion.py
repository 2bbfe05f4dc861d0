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
    """Titles that start with what was typed, ignoring case and accents; a title that names
    several movies is offered once per year, as "Title (Year)"."""
    try:
        with _catalog(ctx) as conn:
            if conn is None:
                return []
            key = fold(incomplete.strip("\"'")) or ""
            rows = conn.execute(
                "SELECT title, year, count(*) OVER (PARTITION BY title_key) FROM movies "
                "WHERE title_key >= ? AND title_key < ? ORDER BY title_key, year LIMIT ?",
                (key, key + "\U0010ffff", LIMIT),
            ).fetchall()
    except (sqlite3.Error, OSError, ValueError):
        return []
    offered = [f"{t} ({y})" if n > 1 and y is not None else t for t, y, n in rows]
    return _for_shell(list(dict.fromkeys(offered)))


def _names(ctx: Any, column: str, incomplete: str) -> list[str]:
    """Actors or characters starting with what was typed: of the movie named on the line, or
    (with --all) of the whole catalog, IMDb's people by their name index."""
    from movie.choose import choose_movie
    from movie.errors import MovieError

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
