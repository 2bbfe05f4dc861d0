"""Measure `movie import --imdb` against the floor (the sqlite3 shell) and its peer
(imdb-sqlite), side by side in one run, then the commands on the imported catalog.

    python bench/imdb.py --scale 0.1          # make the files (bench/make_imdb.py), then measure
    python bench/imdb.py --data DIR           # the real files, or ones made before
    python bench/imdb.py --scale 0.002 --small   # what CI runs: the benchmark works
    python bench/imdb.py --catalog imdb.db    # the commands alone, on a catalog imported before

Each import is a whole process, timed, with its peak memory; each database is deleted once
measured (at full scale they are tens of GB). The floor is the sqlite3 shell doing the same job
at C speed: every file `.import`ed from `gzip -dc` into tables of the same shape, `\\N` turned
into NULL, then the same indexes and trigram indexes. The peer is imdb-sqlite (`pip install
imdb-sqlite`), pointed at the same files; it builds no full-text index. Prints a Markdown
table; `--json FILE` keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import MOVIE, Report, environment, fresh_seed_catalog, machine, paired  # noqa: E402

PEER = shutil.which("imdb-sqlite") or str(Path(sys.executable).parent / "imdb-sqlite")

# The floor's tables: the catalog's shape (integer ids, the same columns), filled by the shell.
FLOOR_TABLES = {
    "title.basics": "titles (tconst, type, title, original_title, is_adult INTEGER, "
    "start_year INTEGER, end_year INTEGER, runtime INTEGER, genres)",
    "title.ratings": "ratings (tconst, rating REAL, votes INTEGER)",
    "title.episode": "episodes (tconst, parent, season INTEGER, episode INTEGER)",
    "title.akas": "akas (tconst, ordering INTEGER, title, region, language, types, attributes, "
    "is_original INTEGER)",
    "name.basics": "people (nconst, name, birth_year INTEGER, death_year INTEGER, professions, "
    "known_for)",
    "title.crew": "crew (tconst, directors, writers)",
    "title.principals": "principals (tconst, ordering INTEGER, nconst, category, job, characters)",
}
FLOOR_AFTER = """
UPDATE titles SET original_title = NULLIF(original_title, '\\N'),
    start_year = NULLIF(start_year, '\\N'), end_year = NULLIF(end_year, '\\N'),
    runtime = NULLIF(runtime, '\\N'), genres = NULLIF(genres, '\\N');
UPDATE episodes SET season = NULLIF(season, '\\N'), episode = NULLIF(episode, '\\N');
UPDATE akas SET region = NULLIF(region, '\\N'), language = NULLIF(language, '\\N'),
    types = NULLIF(types, '\\N'), attributes = NULLIF(attributes, '\\N');
UPDATE people SET birth_year = NULLIF(birth_year, '\\N'), death_year = NULLIF(death_year, '\\N'),
    professions = NULLIF(professions, '\\N'), known_for = NULLIF(known_for, '\\N');
UPDATE principals SET job = NULLIF(job, '\\N'), characters = NULLIF(characters, '\\N');
CREATE INDEX titles_id ON titles (tconst);
CREATE INDEX titles_title ON titles (lower(title), start_year);
CREATE INDEX titles_votes ON ratings (votes);
CREATE INDEX ratings_id ON ratings (tconst);
CREATE INDEX episodes_series ON episodes (parent, season, episode);
CREATE INDEX akas_id ON akas (tconst, ordering);
CREATE INDEX akas_title ON akas (lower(title));
CREATE INDEX people_id ON people (nconst);
CREATE INDEX people_name ON people (lower(name));
CREATE INDEX crew_id ON crew (tconst);
CREATE INDEX principals_id ON principals (tconst, ordering);
CREATE INDEX principals_person ON principals (nconst);
CREATE VIRTUAL TABLE titles_trigrams USING fts5 (title, content='', detail=none, columnsize=0,
    tokenize='trigram');
INSERT INTO titles_trigrams (rowid, title) SELECT rowid, lower(title) FROM titles;
CREATE VIRTUAL TABLE names_trigrams USING fts5 (name, content='', detail=none, columnsize=0,
    tokenize='trigram');
INSERT INTO names_trigrams (rowid, name) SELECT rowid, lower(name) FROM people;
"""


def floor_script(data: Path) -> str:
    lines = [".mode ascii", '.separator "\\t" "\\n"', "PRAGMA journal_mode = OFF;"]
    for name, table in FLOOR_TABLES.items():
        path = next(p for p in (data / f"{name}.tsv.gz", data / f"{name}.tsv") if p.exists())
        source = f"|gzip -dc '{path}'" if path.name.endswith(".gz") else str(path)
        lines += [f"CREATE TABLE {table};", f'.import --skip 1 "{source}" {table.split()[0]}']
    return "\n".join(lines) + FLOOR_AFTER


def timed(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one whole process."""
    helper = (
        "import resource, subprocess, sys, time\n"
        "started = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,\n"
        "    input=sys.stdin.buffer.read() or None)\n"
        "elapsed = time.perf_counter() - started\n"
        "if done.returncode:\n"
        "    sys.stderr.buffer.write(done.stderr[-3000:]); sys.exit(done.returncode)\n"
        "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", helper, *cmd],
        env=env,
        input=(stdin or "").encode(),
        capture_output=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr.decode()}")
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss) / 1024


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def remove(path: Path) -> None:
    for leftover in path.parent.glob(path.name + "*"):
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def _for_peer(found: Path, target: Path) -> None:
    """imdb-sqlite fails on a byte-order mark (make_imdb.py puts one on title.ratings, as a
    re-saved file has; IMDb's downloads have none): it gets a copy without."""
    import gzip

    with gzip.open(found, "rb") as source:
        start = source.read(3)
    if start != b"\xef\xbb\xbf":
        os.symlink(found, target)
        return
    with gzip.open(found, "rb") as source, gzip.open(target, "wb", compresslevel=1) as out:
        source.read(3)
        shutil.copyfileobj(source, out, 1 << 20)


def bench_import(
    report: Report, data: Path, work: Path, keep: Path, skip: frozenset[str] = frozenset()
) -> None:
    movie_s, movie_rss = timed([*MOVIE, "import", "--imdb", str(data)], environment(keep))
    movie_size = size_of(keep)
    report.add("import of all seven files into a new catalog, movie", f"{movie_s:.1f} s", "", None)
    report.add(
        "peak memory of the import", f"{movie_rss:.0f} MiB", "<= 1024 MiB", movie_rss <= 1024
    )
    if "floor" in skip:
        report.add("import vs floor", "not run (--skip floor)", "<= 1.5x", None)
    elif shutil.which("sqlite3") and shutil.which("gzip"):
        target = work / "floor.db"
        floor_s, _ = timed(["sqlite3", str(target)], environment(), stdin=floor_script(data))
        remove(target)
        report.add(
            "import vs floor (sqlite3 .import from gzip -dc, NULLs, same indexes and trigrams)",
            f"{movie_s:.1f} s / {floor_s:.1f} s = {movie_s / floor_s:.2f}x",
            "<= 1.5x",
            movie_s / floor_s <= 1.5,
        )
    else:
        report.add("import vs floor", "sqlite3 shell or gzip not installed", "<= 1.5x", None)
    if "peer" in skip:
        report.add("import vs peer", "not run (--skip peer)", "< 1x", None)
        report.add("catalog size", f"{movie_size / 2**30:.2f} GiB", "(reported)", None)
    elif Path(PEER).exists():
        target = work / "peer.db"
        cache = work / "peer-files"
        cache.mkdir()
        for name in FLOOR_TABLES:  # imdb-sqlite reads NAME.tsv.gz from its cache folder
            found = data / f"{name}.tsv.gz"
            if found.exists():
                _for_peer(found, cache / found.name)
        peer_s, _ = timed([PEER, "--db", str(target), "--cache-dir", str(cache)], environment())
        peer_size = size_of(target)
        remove(target)
        report.add(
            "import vs peer (imdb-sqlite, its indexes, no full-text index)",
            f"{movie_s:.1f} s / {peer_s:.1f} s = {movie_s / peer_s:.2f}x",
            "< 1x",
            movie_s < peer_s,
        )
        report.add(
            "catalog size vs peer's database (ours with trigram indexes)",
            f"{movie_size / 2**30:.2f} GiB / {peer_size / 2**30:.2f} GiB = "
            f"{movie_size / peer_size:.2f}x",
            "<= 1x",
            movie_size <= peer_size,
        )
    else:
        report.add("import vs peer", "imdb-sqlite not installed", "< 1x", None)
        report.add("catalog size", f"{movie_size / 2**30:.2f} GiB", "(reported)", None)


def _subjects(full: Path) -> tuple[str, str, str, str]:
    """What to ask about: the titles and person make_imdb.py plants at their real ids (Heat,
    Nicolas Cage, The Simpsons), or, in files too small to hold them, the best-known ones."""
    import sqlite3

    conn = sqlite3.connect(full)
    try:

        def one(sql: str) -> str:
            row = conn.execute(sql).fetchone()
            return str(row[0]) if row else ""

        heat = one("SELECT id FROM movies WHERE id = 113277") or one(
            "SELECT id FROM movies WHERE title_type = 'movie' ORDER BY imdb_votes DESC LIMIT 1"
        )
        label = one(f"SELECT title || ' (' || year || ')' FROM movies WHERE id = {heat}")
        person = one("SELECT name FROM people WHERE id = 115") or one(
            "SELECT printf('nm%07d', person_id) FROM cast_credits WHERE person_id IS NOT NULL "
            "GROUP BY person_id ORDER BY count(*) DESC LIMIT 1"
        )
        series = one("SELECT id FROM movies WHERE id = 96697") or one(
            "SELECT series_id FROM movies WHERE series_id IS NOT NULL GROUP BY series_id "
            "ORDER BY count(*) DESC LIMIT 1"
        )
    finally:
        conn.close()
    return f"tt{int(heat):07d}", label, person, f"tt{int(series):07d}"


def bench_commands(report: Report, full: Path, seed: Path, runs: int) -> None:
    heat, label, person, series = _subjects(full)
    commands = [
        (["cast", heat], ["cast", "Leaving Las Vegas (1995)"]),
        (["card", label], ["card", "Leaving Las Vegas (1995)"]),
        (["person", person], ["person", "Nicolas Cage"]),
        (["episodes", series], ["cast"]),
    ]
    for on_full_args, on_seed_args in commands:
        on_seed, on_full = paired(
            ([*MOVIE, *on_seed_args], environment(seed)),
            ([*MOVIE, *on_full_args], environment(full)),
            runs,
        )
        report.add(
            f"`movie {' '.join(on_full_args)}` at scale vs `movie {' '.join(on_seed_args)}` "
            "on the seed",
            f"{on_full * 1000:.0f} ms / {on_seed * 1000:.0f} ms = {on_full / on_seed:.2f}x",
            "<= 1.1x",
            on_full / on_seed <= 1.1,
        )
    startup = _median_of([*MOVIE, "cast"], environment(seed), runs)
    typo = _median_of([*MOVIE, "card", "Leavng Las Vegas"], environment(full), runs, check=False)
    report.add(
        "a misspelt title's suggestion at scale, minus start-up",
        f"{(typo - startup) * 1000:+.0f} ms",
        "<= 300 ms",
        typo - startup <= 0.3,
    )
    # `movie find`: the generated titles are made of 30 common words, so each is in about one
    # title in twelve (a million at full scale); a misspelling falls back on the trigrams.
    for words in (["love"], ["dead", "city"], ["nicolas", "cage"], ["leavng", "las", "vegas"]):
        found = _median_of([*MOVIE, "find", *words], environment(full), runs)
        report.add(
            f"`movie find {' '.join(words)}` at scale, minus start-up",
            f"{(found - startup) * 1000:+.0f} ms",
            "<= 300 ms",
            found - startup <= 0.3,
        )
    complete_env = {
        "_MOVIE_COMPLETE": "complete_bash",
        "COMP_WORDS": "movie cast Hea",
        "COMP_CWORD": "2",
    }
    # Alternated with start-up's own runs (`movie cast` on the seed), as the pairs above: a
    # ratio of medians taken minutes apart moved with the machine by a tenth.
    startup, completion = paired(
        ([*MOVIE, "cast"], environment(seed)), (MOVIE, {**environment(full), **complete_env}), runs
    )
    report.add(
        "tab completion of a title prefix (`movie cast Hea<TAB>`) at scale vs start-up",
        f"{completion * 1000:.0f} ms / {startup * 1000:.0f} ms = {completion / startup:.2f}x",
        "<= 1.2x",
        completion / startup <= 1.2,
    )
    bench_yours(report, full, runs)
    top = ["movies", "--type", "movie", "--sort", "votes", "-n", "20"]
    filtered = ["movies", "--genre", "Drama", "--year", "1990..1999", "--min-votes", "1000"]
    filtered += ["--sort", "rating", "-n", "20"]
    for args in (top, filtered):
        listing = _median_of([*MOVIE, *args], environment(full), runs)
        report.add(
            f"`movie {' '.join(args)}` at scale", f"{listing * 1000:.0f} ms", "< 1 s", listing < 1.0
        )


HISTORY = 2000  # rated films in the history `movie me` and `movie next` are timed with


def bench_yours(report: Report, full: Path, runs: int) -> None:
    """`movie me` and `movie next` with a history of 2,000 rated films (the best-voted films,
    rated 1 to 10 in turn), written into the catalog for the measure and taken out after."""
    import sqlite3

    conn = sqlite3.connect(full)
    try:
        with conn:
            films = conn.execute(
                "SELECT id, title, year FROM movies INDEXED BY movies_type_votes "
                "WHERE title_type = 'movie' AND imdb_votes IS NOT NULL "
                "ORDER BY imdb_votes DESC LIMIT ?",
                (HISTORY,),
            ).fetchall()
            conn.executemany(
                "INSERT INTO my_ratings (key, source, movie_id, matched_by, name, year, rating, "
                "scale, rated_on) VALUES (?, 'bench', ?, 'id', ?, ?, ?, 10, '2024-01-01')",
                [(f"bench:{i}", i, t, y, 1 + (n * 7) % 10) for n, (i, t, y) in enumerate(films)],
            )
        for args, target in ((["me"], 1.0), (["next"], 2.0)):
            took = _median_of([*MOVIE, *args], environment(full), runs)
            report.add(
                f"`movie {' '.join(args)}` at scale with {len(films):,} rated films",
                f"{took * 1000:.0f} ms",
                f"< {target:g} s",
                took < target,
            )
    finally:
        with conn:
            conn.execute("DELETE FROM my_ratings WHERE source = 'bench'")
        conn.close()


def _median_of(cmd: list[str], env: dict[str, str], runs: int, check: bool = True) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append(time.perf_counter() - started)
        if check and done.returncode:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()[-2000:]}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="files made at this scale")
    parser.add_argument("--data", type=Path, help="a folder of IMDb files to use instead")
    parser.add_argument("--small", action="store_true", help="targets do not apply (CI)")
    parser.add_argument("--runs", type=int, default=11, help="runs per command measure")
    parser.add_argument("--work", type=Path, help="where databases go (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--skip", default="", help="floor and/or peer (comma list): leave those imports out"
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        help="measure the commands on this catalog, imported before (no import is run)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the imported catalog here (for --catalog runs later) instead of deleting it",
    )
    args = parser.parse_args()
    if args.catalog is not None:
        with tempfile.TemporaryDirectory(prefix="movie-imdb-") as tmp:
            report = Report(small=args.small)
            seed = fresh_seed_catalog(Path(tmp) / "seed.db")
            bench_commands(report, args.catalog, seed, args.runs)
        print(f"Machine: {machine()}; the catalog {args.catalog}\n")
        print(report.markdown())
        return
    with tempfile.TemporaryDirectory(prefix="movie-imdb-", dir=args.work) as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            data = work / "files"
            subprocess.run(
                [sys.executable, str(HERE / "make_imdb.py"), str(data), "--scale", str(args.scale)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        report = Report(small=args.small)
        print(f"machine: {machine()}", file=sys.stderr)
        seed = fresh_seed_catalog(work / "seed.db")
        full = work / "imdb.db"
        bench_import(report, data, work, full, frozenset(args.skip.split(",")) - {""})
        bench_commands(report, full, seed, args.runs)
        if args.keep is not None:  # with its write-ahead log, if any
            for part in full.parent.glob(full.name + "*"):
                shutil.move(part, args.keep.with_name(args.keep.name + part.name[len(full.name) :]))
        remove(full)
    scale = "the files in " + str(args.data) if args.data else f"scale {args.scale:g}"
    print(f"Machine: {machine()}; {scale}\n")
    print(report.markdown())
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": report.rows}, indent=2))


if __name__ == "__main__":
    main()
