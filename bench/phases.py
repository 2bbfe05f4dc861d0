"""Where `movie import --imdb` spends its time: the import of a folder of IMDb files into a new
catalog, in this process, with a timer around each phase of the writer.

    python bench/phases.py ~/imdb-0.1 --db /tmp/phases.db

Prints each phase as it ends (to stderr) and a Markdown table at the end. The catalog is
deleted afterwards unless --keep. The timers change nothing but add a little work per phase;
whole-process times are `bench/imdb.py`'s.
"""

from __future__ import annotations

import argparse
import functools
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import movie.store.schema as schema
import movie.writer.common as common
import movie.writer.imdb as writer
import movie.writer.imdb_part as part
import movie.writer.imdb_people as people
import movie.writer.imdb_second as second

# (owner, attribute, what the table calls it), in the order the import runs them.
PHASES: list[tuple[Any, str, str]] = [
    # The second process's (forked: it prints its own times to stderr as it goes).
    (second, "_write_principals", "second process: title.principals"),
    (second, "_write_crew", "second process: title.crew"),
    (second, "_join_lists", "second process: principals' directors and writers joined to lists"),
    (second, "create_indexes", "second process: the credits' indexes (for a transfer)"),
    (writer.ImdbLoad, "_titles", "titles, with ratings, episodes and alternate titles"),
    (writer.ImdbLoad, "_crew", "title.crew (read here when title.principals is not given)"),
    (common.Bulk, "finish", "full-text and other indexes while the second reads (titles, people)"),
    (people, "write_people", "name.basics, with people's fame, into the catalog"),
    (part.Part, "wait", "waiting for the second process"),
    (writer.ImdbLoad, "_principals", "title.principals, copied from the part"),
    (part.FromPart, "_transfer", "of which the transfer of the credits and their indexes"),
    (writer.ImdbLoad, "_people", "name.basics, copied from its part (--types, --min-votes)"),
    (writer, "refresh_fame", "people's fame (title.ratings without name.basics)"),
    (common, "rebuild_full_text", "full-text, word and trigram indexes (the titles' too, above)"),
    (schema, "rebuild_words", "of which the word indexes"),
    (common, "create_schema", "the other indexes"),
    (common, "rebuild_genre_scores", "genre_scores"),
]


STARTED = time.perf_counter()


def timed(times: dict[str, float], label: str, real: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            times[label] = times.get(label, 0.0) + spent
            at = time.perf_counter() - STARTED
            print(f"{label}: {spent:.1f} s (ended at {at:.1f} s)", file=sys.stderr, flush=True)

    return wrapper


def trace_statements(longest: float) -> None:
    """Every connection this process opens prints its statements that ran `longest` seconds or
    more (until the next one began: a trace callback sees only starts)."""
    connect, first = sqlite3.connect, os.getpid()

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        if os.getpid() != first:  # the second process's
            return conn
        last: list[Any] = [time.perf_counter(), None]

        def started(sql: str) -> None:
            now = time.perf_counter()
            if last[1] is not None and now - last[0] >= longest:
                said = " ".join(last[1].split())[:300]
                print(f"  {now - last[0]:.1f} s: {said}", file=sys.stderr, flush=True)
            last[:] = now, sql

        conn.set_trace_callback(started)
        return conn

    sqlite3.connect = traced  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a folder of IMDb dataset files")
    parser.add_argument("--db", type=Path, required=True, help="the new catalog (must not exist)")
    parser.add_argument("--keep", action="store_true", help="keep the catalog afterwards")
    parser.add_argument(
        "--statements",
        type=float,
        metavar="SECONDS",
        help="also print each statement of the first process that ran this long or longer",
    )
    args = parser.parse_args()
    if args.db.exists():
        raise SystemExit(f"{args.db} exists; give a new path")
    times: dict[str, float] = {}
    for owner, name, label in PHASES:
        setattr(owner, name, timed(times, label, getattr(owner, name)))
    if args.statements is not None:
        trace_statements(args.statements)
    os.environ["MOVIE_DB"] = str(args.db)
    from movie.__main__ import main as movie

    sys.argv = ["movie", "import", "--imdb", str(args.data)]
    started = time.perf_counter()
    try:
        movie()
    except SystemExit as exit:
        if exit.code:
            raise
    total = time.perf_counter() - started
    print("\n| phase | seconds |\n| --- | --- |")
    for label, spent in times.items():
        print(f"| {label} | {spent:.1f} |")
    print(f"| the whole import | {total:.1f} |")
    if not args.keep:
        for leftover in args.db.parent.glob(args.db.name + "*"):
            leftover.unlink()


if __name__ == "__main__":
    main()
