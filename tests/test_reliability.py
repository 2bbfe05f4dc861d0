"""The catalog survives crashes, concurrent use, old versions, damage and full disks."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import (
    AS_USER,
    FIXTURES,
    ROOT,
    SEED,
    ctrl_c_changes_nothing,
    dump,
    file_digest,
    movie_process,
    movie_run,
    rows_in,
)

from movie import interrupts
from movie.errors import ExitStatus
from movie.store.db import write_transaction
from movie.store.schema import SCHEMA_VERSION, genre_scores_now
from movie.tables import CRITIC_REVIEWS, MOVIES, TABLES

V1_FIXTURE = FIXTURES / "catalog-v1.db"
V2_FIXTURE = FIXTURES / "catalog-v2.db"  # seed, more-movies and the test dataset, slug keys
V3_FIXTURE = FIXTURES / "catalog-v3.db"  # the same, integer keys, before IMDb's columns
V4_FIXTURE = FIXTURES / "catalog-v4.db"  # the same and the small IMDb files, before chart indexes
TABLE_NAMES = [spec.name for spec in TABLES]


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_NAMES}
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def big_csv_dir(directory: Path, reviews: int, slug: str = "big-test-2001") -> Path:
    """A folder with one more movie and many critic reviews: a load that takes a while."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "movies.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MOVIES.columns)
        row = dict.fromkeys(MOVIES.columns, "")
        row.update(slug=slug, title="Big Test", year="2001")
        writer.writerow([row[c] for c in MOVIES.columns])
    spec = CRITIC_REVIEWS
    rng = random.Random(7)
    words = ["drunk", "las", "vegas", "love", "hooker", "bleak", "searing", "film"]
    with (directory / "critic_reviews.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(spec.columns)
        for n in range(1, reviews + 1):
            quote = " ".join(rng.choice(words) for _ in range(rng.randint(8, 40)))
            writer.writerow(
                [
                    slug,
                    n,
                    f"Critic {n % 500}",
                    f"Paper {n % 90}",
                    n % 5 == 0,
                    "fresh" if n % 3 else "rotten",
                    "3/4",
                    "2001-05-01",
                    quote,
                ]
            )
    return directory


# ---------------------------------------------------------------- schema versions


def test_catalog_from_schema_1_is_upgraded_in_place_without_losing_a_row(movie, tmp_path):
    old = tmp_path / "v1.db"
    shutil.copy(V1_FIXTURE, old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    before = counts(old)
    assert before["movies"] == 5
    result = movie("--db", str(old), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert f"from schema 1 to {SCHEMA_VERSION}" in result.stderr
    assert counts(old) == before
    assert integrity(old) == "ok"
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {row[1] for row in conn.execute("PRAGMA table_info(movies)")}
    assert "rt_link" in columns
    conn.close()
    # Everything still works on the upgraded file, the default movie included.
    assert movie("--db", str(old), "use").stdout == "Heat (1995)\n"
    assert (
        movie("--db", str(old), "quotes", "--all", "--search", "dreamers").stdout.count("\n") == 1
    )
    assert movie("--db", str(old), "movies").stderr == ""  # upgraded once


def test_catalog_from_schema_2_gets_integer_keys_without_losing_a_row(movie, tmp_path):
    """Schema 3 keys rows by movie id; a schema-2 catalog (slug keys) is rebuilt in place, every
    row kept, each on the same movie as before."""
    old = tmp_path / "v2.db"
    shutil.copy(V2_FIXTURE, old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    slugs = {
        table: conn.execute(f"SELECT movie, count(*) FROM {table} GROUP BY movie").fetchall()
        for table in TABLE_NAMES[1:]
    }
    conn.close()
    before = counts(old)
    assert before["movies"] == 8 and before["critic_reviews"] == 17
    result = movie("--db", str(old), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert f"from schema 2 to {SCHEMA_VERSION}" in result.stderr
    assert counts(old) == before
    assert integrity(old) == "ok"
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in TABLE_NAMES[1:]:
        after = conn.execute(
            f"SELECT m.slug, count(*) FROM {table} t JOIN movies m ON m.id = t.movie_id "
            "GROUP BY m.slug"
        ).fetchall()
        assert after == slugs[table], table
    for index in ("quotes_fts", "critic_reviews_fts", "audience_reviews_fts"):
        conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
    conn.close()
    assert movie("--db", str(old), "use").stdout == "Leaving Las Vegas (1995)\n"
    assert movie("--db", str(old), "quotes", "--all", "--search", "pear").stdout.count("\n") == 1
    assert movie("--db", str(old), "movies").stderr == ""  # upgraded once


def test_catalog_from_schema_3_gains_imdb_columns_without_losing_a_row(movie, tmp_path):
    """Schema 4 adds IMDb's columns and lets credits name a person by id: a schema-3 catalog is
    upgraded in place, every row kept as it was, and its titles become findable by trigram."""
    old = tmp_path / "v3.db"
    shutil.copy(V3_FIXTURE, old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    cast_before = conn.execute("SELECT * FROM cast_credits ORDER BY 1, 2").fetchall()
    crew_before = conn.execute("SELECT * FROM crew ORDER BY 1, 2, 3").fetchall()
    conn.close()
    before = counts(old)
    result = movie("--db", str(old), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert f"from schema 3 to {SCHEMA_VERSION}" in result.stderr
    assert counts(old) == before
    assert integrity(old) == "ok"
    conn = sqlite3.connect(old)
    cast_after = conn.execute(
        "SELECT movie_id, position, actor, character, character_truncated "
        "FROM cast_credits ORDER BY 1, 2"
    ).fetchall()
    assert cast_after == cast_before
    crew_after = conn.execute(
        "SELECT movie_id, role, position, name FROM crew ORDER BY 1, 2, 3"
    ).fetchall()
    assert crew_after == crew_before
    indexed = conn.execute(
        "SELECT count(*) FROM titles_trigrams WHERE titles_trigrams MATCH 'eav'"
    ).fetchone()[0]
    assert indexed == 1  # Leaving Las Vegas
    conn.close()
    assert movie("--db", str(old), "cast", "Face/Off").stdout.startswith("John Travolta")
    assert movie("--db", str(old), "movies").stderr == ""  # upgraded once


def test_catalog_from_schema_4_gains_what_charts_read_and_nothing_else(movie, tmp_path):
    """Schema 5 adds indexes and genre_scores (filled by the upgrade), schema 7 people's fame
    and the word indexes of `movie find`: every other row stays as it was."""
    old = tmp_path / "v4.db"
    shutil.copy(V4_FIXTURE, old)
    before = dump(old)
    result = movie("--db", str(old), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert f"from schema 4 to {SCHEMA_VERSION}" in result.stderr
    conn = sqlite3.connect(old)
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"movies_type_year", "movies_tomatometer"} <= indexes
    kept = sorted(conn.execute("SELECT * FROM genre_scores"))
    assert kept and kept == sorted(genre_scores_now(conn))
    conn.close()

    def rows(dumped: str) -> list[str]:
        return [
            line
            for line in dumped.splitlines()
            if line.startswith("INSERT")
            and "genre_scores" not in line
            and "_words" not in line
            and not line.startswith('INSERT INTO "people"')
        ]

    assert rows(dump(old)) == rows(before)
    people = "SELECT id, name, name_key, birth_year, death_year, professions, known_for FROM people"
    assert rows_in(old, people) == rows_in(V4_FIXTURE, people)
    assert rows_in(old, "SELECT count(*) FROM people WHERE fame IS NOT NULL") != [(0,)]
    assert integrity(old) == "ok"


def test_old_catalog_read_only_is_not_upgraded_but_explained(movie, tmp_path, unprivileged):
    target = unprivileged.place / "v1.db"
    shutil.copy(V1_FIXTURE, target)
    target.chmod(0o444)
    before = file_digest(target)
    result = unprivileged.run("movies", db=target)
    assert result.returncode == ExitStatus.ERROR
    assert "needs an upgrade" in result.stderr and result.stderr.count("\n") == 1
    assert file_digest(target) == before


def test_catalog_from_a_newer_movie_is_refused_untouched(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = file_digest(seeded)
    for args in (
        ["cast"],
        ["load"],
        ["sql", "SELECT 1"],
        ["import", str(FIXTURES / "leaving-las-vegas.rt.txt")],
    ):
        result = movie(*args)
        assert result.exit_code == ExitStatus.ERROR
        assert "newer movie" in result.stderr and "upgrade movie" in result.stderr
    assert file_digest(seeded) == before


# ---------------------------------------------------------------- damage


def damaged(seeded: Path, how: str) -> Path:
    data = bytearray(seeded.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "pages overwritten":
        rng = random.Random(3)
        for i in range(4096, len(data), 61):
            data[i] = rng.randrange(256)
    else:  # header overwritten
        data[:100] = bytes(range(100))
    seeded.write_bytes(bytes(data))
    return seeded


@pytest.mark.parametrize("how", ["truncated", "pages overwritten", "header overwritten"])
def test_damaged_catalog_is_named_and_rebuilt_on_request(movie, tmp_path, how):
    path = tmp_path / "damaged.db"
    assert (
        movie("--db", str(path), "load", str(FIXTURES / "more-movies")).exit_code == ExitStatus.OK
    )
    damaged(path, how)
    broken_bytes = path.read_bytes()
    failures = [
        movie("--db", str(path), *args)
        for args in (
            ["cast", "--all"],
            ["reviews", "--all"],
            ["quotes", "--all", "--search", "pear"],
            ["movies"],
        )
    ]
    assert any(f.exit_code == ExitStatus.ERROR for f in failures)
    for failure in failures:
        if failure.exit_code:
            assert str(path) in failure.stderr
            assert "movie load --rebuild" in failure.stderr
            assert failure.stderr.count("\n") == 1 and "Traceback" not in failure.stderr
    rebuilt = movie("--db", str(path), "load", "--rebuild")
    assert rebuilt.exit_code == ExitStatus.OK, rebuilt.stderr
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("damaged.db.broken-")]
    assert len(aside) == 1 and aside[0].read_bytes() == broken_bytes
    assert "Moved the old catalog aside" in rebuilt.stderr
    assert movie("--db", str(path), "cast", "-n", "1").stdout == "Nicolas Cage\tBen Sanderson\n"


def test_rebuild_then_load_folders(movie, seeded):
    result = movie("load", "--rebuild", str(FIXTURES / "more-movies"))
    assert result.exit_code == ExitStatus.OK
    assert movie("movies").stdout.count("\n") == 5


# ---------------------------------------------------------------- concurrency


@pytest.mark.slow
def test_reader_during_a_load_sees_all_old_or_all_new(seeded, tmp_path):
    big = big_csv_dir(tmp_path / "big", reviews=30000)
    old_state = json.loads(movie_run("movies", "-f", "json", db=seeded).stdout)
    loader = movie_process("load", str(big), db=seeded)
    seen = []
    while loader.poll() is None:
        read = movie_run("movies", "-f", "json", db=seeded)
        assert read.returncode == ExitStatus.OK, read.stderr
        assert "locked" not in read.stderr
        seen.append(json.loads(read.stdout))
    assert loader.wait() == 0, loader.stderr.read() if loader.stderr else ""
    new_state = json.loads(movie_run("movies", "-f", "json", db=seeded).stdout)
    assert [m["reviews"] for m in new_state if m["slug"] == "big-test-2001"] == [30000]
    assert seen, "the load finished before any read"
    for state in seen:
        assert state in (old_state, new_state)


def test_second_writer_waits_then_says_the_catalog_is_busy(seeded, tmp_path):
    holder = sqlite3.connect(seeded, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = movie_run("load", db=seeded, MOVIE_BUSY_TIMEOUT="400")
        waited = time.monotonic() - started
        assert result.returncode == ExitStatus.ERROR
        assert "is busy" in result.stderr and result.stderr.count("\n") == 1
        assert waited >= 0.4
        assert (
            movie_run("cast", "-n", "1", db=seeded).returncode == ExitStatus.OK
        )  # readers never wait
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_second_writer_gets_its_turn_when_the_first_finishes(seeded):
    holder = sqlite3.connect(seeded, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    releaser.start()
    try:
        result = movie_run("load", str(FIXTURES / "more-movies"), db=seeded)
        assert result.returncode == ExitStatus.OK, result.stderr
    finally:
        releaser.join()
        holder.close()
    assert counts(seeded)["movies"] == 5


# ---------------------------------------------------------------- killed, interrupted, full


def killed_copies(
    pristine: Path, args: list[str], tries: int, window: tuple[float, float], seed: int
) -> Iterator[Path]:
    """Copies of a catalog, each after a movie command on it was SIGKILLed at a random moment
    and found sound by PRAGMA integrity_check."""
    rng = random.Random(seed)
    for attempt in range(tries):
        victim = pristine.with_name(f"victim-{attempt}.db")
        shutil.copy(pristine, victim)
        process = movie_process(*args, db=victim)
        time.sleep(rng.uniform(*window))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert integrity(victim) == "ok"
        yield victim


@pytest.mark.slow
def test_load_killed_at_random_moments_leaves_old_or_new_never_a_mix(seeded, tmp_path):
    big = big_csv_dir(tmp_path / "big", reviews=20000)
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    before = dump(pristine)
    finished = tmp_path / "finished.db"
    shutil.copy(pristine, finished)
    started = time.monotonic()
    assert movie_run("load", str(big), db=finished).returncode == ExitStatus.OK
    duration = time.monotonic() - started
    after = dump(finished)
    outcomes = {"old": 0, "new": 0}
    for victim in killed_copies(pristine, ["load", str(big)], 20, (0.05, duration), seed=11):
        state = dump(victim)
        assert state in (before, after), f"{victim.name} was left with a mix"
        outcomes["old" if state == before else "new"] += 1
        for leftover in victim.parent.glob(f"{victim.name}*"):
            leftover.unlink()
    assert outcomes["old"] > 0


@pytest.mark.slow
def test_import_killed_at_random_moments(seeded, tmp_path):
    page = (FIXTURES / "leaving-las-vegas.rt.txt").read_text(encoding="utf-8")
    quotes = "".join(
        f"Ben Sanderson: Line number {n} of a long page.\n– Submitted by Fan {n} (1 year ago)\n"
        for n in range(20000)
    )
    big_page = tmp_path / "big-page.txt"
    big_page.write_text(
        page.replace("Leaving Las Vegas Quotes\n\n", "Leaving Las Vegas Quotes\n\n" + quotes)
    )
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    before = dump(pristine)
    for victim in killed_copies(pristine, ["import", str(big_page)], 8, (0.05, 1.0), seed=5):
        state_counts = counts(victim)
        assert state_counts["quotes"] in (4, 20004), state_counts
        if state_counts["quotes"] == 4:
            assert dump(victim) == before


@pytest.mark.slow
def test_ctrl_c_during_a_long_load_exits_130_and_changes_nothing(seeded, tmp_path):
    big = big_csv_dir(tmp_path / "big", reviews=40000)
    before = dump(seeded)
    process = movie_process("load", str(big), db=seeded)
    time.sleep(0.8)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    if process.returncode == ExitStatus.OK:
        pytest.skip("the load finished before the interrupt arrived")
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr == "movie: interrupted\n"
    assert dump(seeded) == before


def _limited_file_size(limit: int):
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_while_loading_is_a_clear_error_and_changes_nothing(seeded, tmp_path):
    big = big_csv_dir(tmp_path / "big", reviews=20000)
    before = dump(seeded)
    limit = seeded.stat().st_size + 64 * 1024
    result = subprocess.run(
        [sys.executable, "-m", "movie", "load", str(big)],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(seeded)},
        preexec_fn=_limited_file_size(limit),
        timeout=300,
    )
    assert result.returncode == ExitStatus.ERROR, result.stderr
    assert "nothing was changed" in result.stderr and result.stderr.count("\n") == 1
    assert integrity(seeded) == "ok"
    assert dump(seeded) == before


def test_read_only_folder_while_writing(seeded, unprivileged):
    target = unprivileged.place / "catalog.db"
    shutil.copy(seeded, target)
    target.chmod(0o666)  # the file is writable; its folder is not (WAL needs the folder)
    before = dump(target)
    result = unprivileged.run("load", str(FIXTURES / "more-movies"), db=target)
    assert result.returncode == ExitStatus.ERROR, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "read-only" in result.stderr or "cannot open" in result.stderr
    assert dump(target) == before


@pytest.fixture(scope="module")
def medium_dataset(tmp_path_factory):
    """150,000 reviews (32 MB): big enough for the bulk path and to take a few seconds."""
    data = tmp_path_factory.mktemp("dataset")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_dataset.py"), str(data),
         "--movies", "2000", "--reviews", "150000"],
        check=True, stdout=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    return data


@pytest.mark.slow
def test_dataset_import_killed_at_random_moments(seeded, tmp_path, medium_dataset):
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    before = dump(pristine)
    args = ["import", "--dataset", str(medium_dataset)]
    for victim in killed_copies(pristine, args, 6, (0.3, 4.0), seed=17):
        reviews = counts(victim)["critic_reviews"]
        assert reviews in (6, 150006), reviews
        if reviews == 6:
            assert dump(victim) == before
        conn = sqlite3.connect(victim)  # the indexes and triggers dropped for the bulk are back
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert {"critic_reviews_key", "critic_reviews_by_date", "critic_reviews_fts_ai"} <= names


@pytest.mark.slow
def test_first_import_killed_leaves_no_catalog_or_the_whole_one(tmp_path, medium_dataset):
    """A dataset imported into no catalog yet is built aside and renamed: a kill leaves no
    catalog at all or the finished one, and the next run clears the killed build's files."""
    rng = random.Random(23)
    for attempt in range(5):
        folder = tmp_path / f"try-{attempt}"
        folder.mkdir()
        target = folder / "new.db"
        process = movie_process("import", "--dataset", str(medium_dataset), db=target)
        time.sleep(rng.uniform(0.3, 5.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if target.exists():
            assert integrity(target) == "ok"
            assert counts(target)["critic_reviews"] == 150006
        assert movie_run("movies", db=target).returncode == ExitStatus.OK
        assert [p.name for p in folder.iterdir() if ".building-" in p.name] == []


@pytest.mark.slow
def test_ctrl_c_during_a_dataset_import_exits_130_and_changes_nothing(seeded, medium_dataset):
    ctrl_c_changes_nothing(["import", "--dataset", str(medium_dataset)], seeded)
    assert integrity(seeded) == "ok"


class CommitWithCtrlC:
    """A connection whose COMMIT is hit by a Ctrl-C the moment it starts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs at the next bytecode: during the commit
        return self.conn.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction


def test_ctrl_c_during_commit_is_held_back_and_the_write_reported(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    with interrupts.handling_ctrl_c():
        with write_transaction(CommitWithCtrlC(conn)):  # type: ignore[arg-type]
            conn.execute("INSERT INTO t VALUES (1)")
        # No KeyboardInterrupt: the write is on disk, and the command goes on to report it.
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
        # Work that starts after it is stopped by the held-back Ctrl-C.
        with pytest.raises(KeyboardInterrupt):
            interrupts.unshield()
    conn.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a folder nobody can read")
def test_the_unprivileged_child_runs_from_a_checkout_only_root_can_read(tmp_path, unprivileged):
    private = tmp_path / "private"
    shutil.copytree(ROOT / "src", private / "src")
    shutil.copy(ROOT / "schema.sql", private / "schema.sql")
    shutil.copytree(SEED, private / "seed")
    private.chmod(0o700)
    db = unprivileged.place / "catalog.db"
    built = subprocess.run(
        [sys.executable, "-m", "movie", "movies"],
        env={**os.environ, "MOVIE_DB": str(db), "PYTHONPATH": str(private / "src")},
        capture_output=True,
        timeout=60,
    )
    assert built.returncode == ExitStatus.OK, built.stderr
    db.chmod(0o444)
    env = {**os.environ, "MOVIE_DB": str(db), "HOME": str(unprivileged.place)}
    env["PYTHONPATH"] = str(private / "src")
    done = subprocess.run(
        [sys.executable, "-c", AS_USER, "load"],
        capture_output=True,
        text=True,
        env=env,
        cwd=unprivileged.place,
        timeout=120,
    )
    assert done.returncode == ExitStatus.ERROR, done.stderr
    assert "read-only" in done.stderr and "internal error" not in done.stderr
