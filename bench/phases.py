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
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import movie.writer.common as common
import movie.writer.imdb as writer
import movie.writer.imdb_part as part

# (owner, attribute, what the table calls it), in the order the import runs them.
PHASES: list[tuple[Any, str, str]] = [
    (writer.ImdbLoad, "_titles", "titles, with ratings, episodes and alternate titles"),
    (writer.ImdbLoad, "_crew", "title.crew"),
    (part.Part, "wait", "waiting for the second process"),
    (writer.ImdbLoad, "_principals", "title.principals, copied from the part"),
    (writer.ImdbLoad, "_people", "name.basics, copied from the part"),
    (writer, "refresh_fame", "people's fame"),
    (common, "rebuild_full_text", "full-text, word and trigram indexes"),
    (common, "create_schema", "the other indexes"),
    (common, "rebuild_genre_scores", "genre_scores"),
]


def timed(times: dict[str, float], label: str, real: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            times[label] = times.get(label, 0.0) + spent
            print(f"{label}: {spent:.1f} s", file=sys.stderr, flush=True)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="a folder of IMDb dataset files")
    parser.add_argument("--db", type=Path, required=True, help="the new catalog (must not exist)")
    parser.add_argument("--keep", action="store_true", help="keep the catalog afterwards")
    args = parser.parse_args()
    if args.db.exists():
        raise SystemExit(f"{args.db} exists; give a new path")
    times: dict[str, float] = {}
    for owner, name, label in PHASES:
        setattr(owner, name, timed(times, label, getattr(owner, name)))
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
