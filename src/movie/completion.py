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
    from movie.choose import choose_movie
    from movie.errors import MovieError

    params = ctx.params
    try:
        with _catalog(ctx) as conn:
            if conn is None:
                return []
            where = folded("c.{col}") + " LIKE ? ESCAPE '\\'"
            args: list[Any] = []
            pattern = (fold(incomplete.strip("\"'")) or "").replace("\\", "\\\\")
            args.append(pattern.replace("%", "\\%").replace("_", "\\_") + "%")
            if not params.get("everything"):
                # While completing, Click leaves an optional positional in ctx.args.
                title = params.get("title") or (ctx.args[0] if ctx.args else None)
                try:
                    movie = choose_movie(conn, title, params.get("year"))
                except MovieError:
                    return []
                where += " AND c.movie_id = ?"
                args.append(movie.id)
            rows = conn.execute(
                f"SELECT DISTINCT c.{column} FROM cast_credits c "
                f"WHERE c.{column} IS NOT NULL AND {where.format(col=column)} "
                f"ORDER BY 1 LIMIT {LIMIT}",
                args,
            ).fetchall()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return _for_shell([row[0] for row in rows])


def actors(ctx: Any, param: Any, incomplete: str) -> list[str]:
    return _names(ctx, "actor", incomplete)


def characters(ctx: Any, param: Any, incomplete: str) -> list[str]:
    return _names(ctx, "character", incomplete)
