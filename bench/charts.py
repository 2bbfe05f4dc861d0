"""Measure `movie chart` on a catalog of IMDb's size: 12 million titles, offline.

The catalog is made here, deterministically, straight into SQLite (titles with IMDb's mix of
types and years, 13% rated, two genres each on average, 18,000 with Rotten Tomatoes scores,
and one person credited in 300 films), then each chart is timed as a whole process that
builds it and draws it at 80 columns, against the start-up of `movie cast` on the seed.

    python bench/charts.py                    # 12 million titles: about 10 minutes, 4 GB
    python bench/charts.py --titles 20000     # quick (CI's --small)
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import MOVIE, environment, machine  # noqa: E402

GENRES = (
    "Drama Comedy Documentary Action Romance Thriller Crime Horror Adventure Family Animation "
    "Mystery Fantasy Sci-Fi Music Biography History Western War Sport Musical News Reality-TV "
    "Talk-Show Game-Show Short Adult Film-Noir"
).split()
# IMDb's mix of title types, in percent (the rest are episodes).
TYPES = (("movie", 6), ("short", 9), ("tvSeries", 2), ("video", 3), ("tvMovie", 2))

DRAW = """
import sys
from pathlib import Path
from movie.output import plots
from movie.read import charts
from movie.catalog import open_catalog
conn = open_catalog(Path(sys.argv[1]), print, False)
chart = eval(sys.argv[2], {"charts": charts, "conn": conn})
text = plots.draw(chart, 80, 20, False, True)
assert text.count("\\n") > 3
"""


def build(path: Path, titles: int) -> None:
    """The seed catalog (made by movie), then the titles, written with its indexes dropped."""
    subprocess.run([*MOVIE, "movies"], env=environment(path), check=True, capture_output=True)
    from movie.store.schema import create_schema, drop_indexes_and_triggers, rebuild_genre_scores

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.create_function("fold", 1, lambda s: s.lower() if isinstance(s, str) else s)
    conn.execute("BEGIN")
    drop_indexes_and_triggers(conn, ["movies", "genres", "cast_credits"])
    case = " ".join(
        f"WHEN n % 100 < {sum(p for _, p in TYPES[: i + 1])} THEN '{kind}'"
        for i, (kind, _) in enumerate(TYPES)
    )
    conn.execute(
        f"""
        WITH RECURSIVE n(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM n WHERE n < {titles})
        INSERT INTO movies (id, slug, title, title_key, year, title_type, imdb_rating,
                            imdb_votes, tomatometer, audience_score)
        SELECT 1000000 + n, 'b' || n, 'Title ' || n, 'title ' || n,
               CASE WHEN n % 50 = 0 THEN NULL ELSE 2026 - (n * 7919 % 16127) % 135 END,
               CASE {case} ELSE 'tvEpisode' END,
               CASE WHEN n % 100 < 13 THEN 1 + (n * 104729 % 90) / 10.0 END,
               CASE WHEN n % 100 < 13 THEN 5 + n * 31 % 100000 END,
               CASE WHEN n % 650 = 0 THEN n * 37 % 101 END,
               CASE WHEN n % 650 = 0 THEN n * 53 % 101 END
        FROM n"""
    )
    genre_case = " ".join(f"WHEN {i} THEN '{g}'" for i, g in enumerate(GENRES))
    for position, factor in ((1, 13), (2, 29)):
        conn.execute(
            f"""INSERT INTO genres (movie_id, position, genre)
                SELECT id, {position}, CASE (id * {factor} + {position}) % {len(GENRES)}
                    {genre_case} END
                FROM movies WHERE id > 1000000 AND ({position} = 1 OR id % 4 <> 0)"""
        )
    conn.execute(
        "INSERT OR IGNORE INTO people (id, name, name_key) VALUES (1, 'Bench Person', "
        "'bench person')"
    )
    conn.execute(
        """INSERT INTO cast_credits (movie_id, position, actor, person_id)
           SELECT id, 99, NULL, 1 FROM movies WHERE id > 1000000 AND title_type = 'movie'
           ORDER BY id LIMIT 300"""
    )
    create_schema(conn)
    started = time.perf_counter()
    rebuild_genre_scores(conn)  # as a bulk import does at its end
    print(f"genre_scores rebuilt in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def timed(args: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=12_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, help="where the catalog goes (default: temp)")
    parser.add_argument(
        "--keep", type=Path, help="build the catalog here, or reuse it if it is there; kept"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="movie-charts-", dir=args.work) as tmp:
        path = args.keep or Path(tmp) / "big.db"
        started = time.perf_counter()
        if not path.exists():
            build(path, args.titles)
        print(
            f"machine: {machine()}\nbuilt {args.titles:,} titles in "
            f"{time.perf_counter() - started:.0f} s, {path.stat().st_size / 2**30:.2f} GiB",
            file=sys.stderr,
        )
        env = environment(path)
        seed = Path(tmp) / "seed.db"
        subprocess.run([*MOVIE, "movies"], env=environment(seed), check=True, capture_output=True)
        startup = timed([*MOVIE, "cast"], environment(seed), args.runs)
        rows = [("start-up: `movie cast` on the seed", f"{startup * 1000:.0f} ms", "", "")]
        for label, expression, target in [
            ("catalog --by year", "charts.catalog(conn, 'year')", 2.0),
            ("catalog --by decade", "charts.catalog(conn, 'decade')", 2.0),
            ("catalog --by year --type movie", "charts.catalog(conn, 'year', ['movie'])", 2.0),
            ("catalog --by rating", "charts.catalog(conn, 'rating', [], 'imdb')", 2.0),
            ("catalog --by genre", "charts.catalog(conn, 'genre', [], 'imdb')", 2.0),
            (
                "catalog --by genre --type movie",
                "charts.catalog(conn, 'genre', ['movie'], 'imdb')",
                2.0,
            ),
            ("agreement", "charts.agreement(conn)", 2.0),
            ("career (300 films)", "charts.career(conn, 'Bench Person')", startup + 0.15),
        ]:
            took = timed([sys.executable, "-c", DRAW, str(path), expression], env, args.runs)
            verdict = "met" if took < target else "MISSED"
            rows.append(
                (
                    f"`movie chart {label}`, built and drawn",
                    f"{took * 1000:.0f} ms",
                    f"< {target * 1000:.0f} ms",
                    verdict,
                )
            )
    print(f"Machine: {machine()}; {args.titles:,} titles\n")
    print("| measure | measured | target | |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    os.environ.pop("NO_COLOR", None)
    main()
