"""Measure movie against the floor (the sqlite3 shell) and its peer (sqlite-utils), side by side.

Every number is a whole process timed on this machine in this run (median of several runs), so
the ratios hold however fast or slow the machine is. Prints a Markdown table.

    python bench/run.py                 # full size: 17,712 movies, 1,130,017 reviews (~10 min)
    python bench/run.py --small         # a few thousand reviews: checks the benchmark works (CI)

Needs the `sqlite3` shell (Debian: apt-get install sqlite3) for the floor; without it those
rows say so. Run it from an environment where movie is installed (pip install -e .).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
MOVIE = [str(BIN / "movie")] if (BIN / "movie").exists() else [sys.executable, "-m", "movie"]
SQLITE_UTILS = str(BIN / "sqlite-utils")
TITLE = "Leaving Las Vegas"
RARE, COMMON = "zyzzyva", "film"

# The floor: what the sqlite3 shell does at C speed for the same job as `movie import
# --dataset`: both CSVs in, then the same indexes and the same FTS5 build as schema.sql.
FLOOR_SQL = """\
.import --csv {movies} movies_raw
.import --csv {reviews} reviews_raw
CREATE INDEX movies_title ON movies_raw (movie_title);
CREATE UNIQUE INDEX movies_link ON movies_raw (rotten_tomatoes_link);
CREATE INDEX reviews_key ON reviews_raw (rotten_tomatoes_link);
CREATE INDEX reviews_by_date ON reviews_raw (rotten_tomatoes_link, review_date DESC);
CREATE VIRTUAL TABLE reviews_fts USING fts5 (review_content, content = 'reviews_raw',
    content_rowid = 'rowid', tokenize = 'porter unicode61 remove_diacritics 2');
INSERT INTO reviews_fts (reviews_fts) VALUES ('rebuild');
"""


def environment(db: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR")}
    if db is not None:
        env["MOVIE_DB"] = str(db)
    return env


def run(cmd: list[str], env: dict[str, str], stdin: Path | None = None) -> float:
    started = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        done = subprocess.run(
            cmd, env=env, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()[-2000:]}")
    return elapsed


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def paired(
    first: tuple[list[str], dict[str, str]], second: tuple[list[str], dict[str, str]], runs: int
) -> tuple[float, float]:
    """Medians of two commands run alternately, so that drift in the machine hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(run(*first))
        b.append(run(*second))
    return median(a), median(b)


def fresh_seed_catalog(path: Path) -> Path:
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    run([*MOVIE, "movies"], environment(path))
    return path


def peak_rss_mib(cmd: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one command, measured by a helper that runs only it."""
    helper = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", helper, *cmd], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip()) / 1024


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


class Report:
    def __init__(self, small: bool = False) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.failures: list[str] = []
        self.small = small  # at small scale the targets (set for the full size) do not apply

    def add(self, what: str, measured: str, target: str, ok: bool | None) -> None:
        if self.small and ok is not None:
            ok = None
        mark = "n/a" if ok is None else ("met" if ok else "MISSED")
        if ok is False:
            self.failures.append(what)
        self.rows.append((what, measured, target, mark))
        print(f"  {what}: {measured} (target {target}) {mark}", file=sys.stderr, flush=True)

    def markdown(self) -> str:
        lines = ["| measure | measured | target | |", "| --- | --- | --- | --- |"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(lines)


def bench_import(report: Report, data: Path, work: Path, runs: int, peer_runs: int) -> Path:
    movies_csv = data / "rotten_tomatoes_movies.csv"
    reviews_csv = data / "rotten_tomatoes_critic_reviews.csv"
    script = work / "floor.sql"
    script.write_text(FLOOR_SQL.format(movies=movies_csv, reviews=reviews_csv))
    full = work / "full.db"
    first, existing, floor = [], [], []
    # The three run in turn, so that drift in the machine hits each alike.
    for _ in range(runs):
        for leftover in work.glob("full.db*"):
            leftover.unlink()
        first.append(run([*MOVIE, "import", "--dataset", str(data)], environment(full)))
        fresh_seed_catalog(full)
        existing.append(run([*MOVIE, "import", "--dataset", str(data)], environment(full)))
        if shutil.which("sqlite3"):
            target = work / "floor.db"
            target.unlink(missing_ok=True)
            floor.append(run(["sqlite3", str(target)], environment(), stdin=script))
    movie_s, existing_s = median(first), median(existing)
    report.add("import into a new catalog, movie", f"{movie_s:.1f} s", "", None)
    if floor:
        floor_s = median(floor)
        report.add(
            "import into a new catalog vs floor (sqlite3 .import + same indexes + FTS5)",
            f"{movie_s:.1f} s / {floor_s:.1f} s = {movie_s / floor_s:.2f}x",
            "<= 1.5x",
            movie_s / floor_s <= 1.5,
        )
        report.add(
            "import into the seeded catalog (kept readable: WAL) vs floor",
            f"{existing_s:.1f} s / {floor_s:.1f} s = {existing_s / floor_s:.2f}x",
            "(reported)",
            None,
        )
    else:
        report.add("import vs floor", "sqlite3 shell not installed", "<= 1.5x", None)
    peer = []
    for _ in range(peer_runs):
        target = work / "peer.db"
        target.unlink(missing_ok=True)
        peer.append(
            run(
                [SQLITE_UTILS, "insert", str(target), "movies", str(movies_csv), "--csv"],
                environment(),
            )
            + run(
                [SQLITE_UTILS, "insert", str(target), "reviews", str(reviews_csv), "--csv"],
                environment(),
            )
        )
    peer_s = median(peer)
    report.add(
        "import vs peer (sqlite-utils insert --csv, no indexes, no FTS)",
        f"{movie_s:.1f} s / {peer_s:.1f} s = {movie_s / peer_s:.2f}x",
        "<= 0.3x",
        movie_s / peer_s <= 0.3,
    )
    csv_bytes = movies_csv.stat().st_size + reviews_csv.stat().st_size
    db_bytes = full.stat().st_size
    report.add(
        "catalog size vs CSV input",
        f"{db_bytes / 1e6:.0f} MB / {csv_bytes / 1e6:.0f} MB = {db_bytes / csv_bytes:.2f}x",
        "(reported)",
        None,
    )
    return full


def bench_latency(report: Report, full: Path, seed: Path, runs: int) -> None:
    commands = [
        ["cast", TITLE],
        ["reviews", TITLE],
        ["reviews", TITLE, "--top"],
        ["quotes", TITLE],
        ["card", TITLE],
    ]
    for args in commands:
        on_seed, on_full = paired(
            ([*MOVIE, *args], environment(seed)), ([*MOVIE, *args], environment(full)), runs
        )
        report.add(
            f"`movie {' '.join(args[:1] + args[2:])}` full vs seed",
            f"{on_full * 1000:.0f} ms / {on_seed * 1000:.0f} ms = {on_full / on_seed:.2f}x",
            "<= 1.1x",
            on_full / on_seed <= 1.1,
        )
    rare = ["reviews", "--all", "--search", RARE]
    on_seed, on_full = paired(
        ([*MOVIE, *rare], environment(seed)), ([*MOVIE, *rare], environment(full)), runs
    )
    report.add(
        f"`reviews --all --search {RARE}` (rare word) full minus seed",
        f"{(on_full - on_seed) * 1000:+.0f} ms",
        "< 100 ms",
        on_full - on_seed < 0.1,
    )
    common = ["reviews", "--all", "--search", COMMON, "-n", "20"]
    on_full = median([run([*MOVIE, *common], environment(full)) for _ in range(max(3, runs // 3))])
    report.add(
        f"`reviews --all --search {COMMON} -n 20` (common word) on full",
        f"{on_full * 1000:.0f} ms",
        "< 1 s",
        on_full < 1.0,
    )
    rss = peak_rss_mib([*MOVIE, "reviews", "--all", "-f", "csv"], environment(full))
    report.add(
        "peak memory, `reviews --all -f csv > /dev/null` on full",
        f"{rss:.0f} MiB",
        "<= 64 MiB",
        rss <= 64,
    )
    listing = median([run([*MOVIE, "movies"], environment(full)) for _ in range(max(3, runs // 3))])
    report.add(
        "`movie movies` on full (every movie, piped)",
        f"{listing * 1000:.0f} ms",
        "(reported)",
        None,
    )


def bench_startup(report: Report, seed: Path, full: Path, runs: int) -> None:
    movie_cast, typer_only = paired(
        ([*MOVIE, "cast"], environment(seed)),
        ([sys.executable, "-c", "import typer"], environment()),
        runs,
    )
    report.add(
        "start-up: `movie cast` (seed, piped) vs `python -c 'import typer'`",
        f"{movie_cast * 1000:.0f} ms / {typer_only * 1000:.0f} ms = {movie_cast / typer_only:.2f}x",
        "<= 1.2x",
        movie_cast / typer_only <= 1.2,
    )
    rows = median(
        [run([SQLITE_UTILS, "rows", str(seed), "cast_credits"], environment()) for _ in range(runs)]
    )
    report.add(
        "start-up: `movie cast` vs `sqlite-utils rows` of the same table",
        f"{movie_cast * 1000:.0f} ms / {rows * 1000:.0f} ms = {movie_cast / rows:.2f}x",
        "<= 0.6x",
        movie_cast / rows <= 0.6,
    )
    complete_env = {
        "_MOVIE_COMPLETE": "complete_bash",
        "COMP_WORDS": "movie cast Lea",
        "COMP_CWORD": "2",
    }
    completion, cast_on_seed = paired(
        ([*MOVIE], {**environment(full), **complete_env}),
        ([*MOVIE, "cast"], environment(seed)),
        runs,
    )
    report.add(
        "completion answer (`movie cast Lea<TAB>`) on full vs start-up of `movie cast` on seed",
        f"{completion * 1000:.0f} ms / {cast_on_seed * 1000:.0f} ms = "
        f"{completion / cast_on_seed:.2f}x",
        "<= 1.2x",
        completion / cast_on_seed <= 1.2,
    )


def bench_page(report: Report, work: Path, seed: Path, runs: int) -> None:
    """A saved HTML page of a real page's size, imported whole (start-up included)."""
    page = work / "page.html"
    subprocess.run([sys.executable, str(HERE / "make_page.py"), str(page)], check=True)
    catalog = work / "page.db"
    shutil.copyfile(seed, catalog)
    took = median([run([*MOVIE, "import", str(page)], environment(catalog)) for _ in range(runs)])
    size = page.stat().st_size / 1024
    report.add(
        f"import a saved HTML page ({size:.0f} KB, 2021-2023 layout), whole process",
        f"{took * 1000:.0f} ms",
        "< 1000 ms",
        took < 1.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a few thousand reviews (CI)")
    parser.add_argument("--data", type=Path, help="an existing dataset folder to use")
    parser.add_argument("--runs", type=int, help="runs per measure (median is reported)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    runs = args.runs or (3 if args.small else 5)
    with tempfile.TemporaryDirectory(prefix="movie-bench-") as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            data = work / "dataset"
            size = ["--movies", "300", "--reviews", "5000"] if args.small else []
            subprocess.run(
                [sys.executable, str(HERE / "make_dataset.py"), str(data), *size],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        seed = fresh_seed_catalog(work / "seed.db")
        run([*MOVIE, "cast"], environment(seed))  # first run writes the bytecode caches
        report = Report(small=args.small)
        print(f"machine: {machine()}", file=sys.stderr)
        full = bench_import(report, data, work, runs=min(runs, 3), peer_runs=min(runs, 3))
        bench_latency(report, full, seed, runs=max(runs, 7) if args.small else 21)
        bench_startup(report, seed, full, runs=max(runs, 7) if args.small else 21)
        bench_page(report, work, seed, runs=max(runs, 7))
    print(f"Machine: {machine()}\n")
    print(report.markdown())
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": report.rows}, indent=2))
    if report.failures and not args.small:
        print(
            f"\n{len(report.failures)} target(s) missed: {', '.join(report.failures)}",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
