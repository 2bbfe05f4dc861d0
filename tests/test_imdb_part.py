"""title.principals and name.basics are read by a second process into a part file beside the
catalog, then copied in: the same catalog as one process would write, both cores busy, and the
part file gone whatever happens (a failed import, a second process that dies, a first one
killed)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from helpers import FIXTURES, ROOT, dump, movie_process

from movie.errors import ExitStatus
from movie.writer import imdb_part

IMDB = FIXTURES / "imdb"


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".movie-part-"))


def test_a_second_process_reads_principals_and_people_and_its_file_goes(
    movie, seeded, tmp_path, monkeypatch
):
    pids = tmp_path / "pids"
    real = imdb_part.write_part

    def recording(*args):
        pids.write_text(str(os.getpid()))
        real(*args)

    monkeypatch.setattr(imdb_part, "write_part", recording)
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert int(pids.read_text()) != os.getpid()  # written in the other process
    assert leftovers(seeded.parent) == []
    conn = sqlite3.connect(seeded)
    assert [row[1] for row in conn.execute("PRAGMA database_list")] == ["main"]
    conn.close()


def test_a_second_process_that_dies_is_one_clear_error(movie, seeded, monkeypatch):
    monkeypatch.setattr(imdb_part, "write_part", lambda *args: os._exit(3))
    before = dump(seeded)
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith("movie: ")
    assert "title.principals.tsv and " in result.stderr
    assert "name.basics.tsv could not be imported: the process reading it stopped " in (
        result.stderr
    )
    assert "(exit status 3)" in result.stderr and result.stderr.count("\n") == 1
    assert dump(seeded) == before
    assert leftovers(seeded.parent) == []


def test_a_second_process_that_cannot_write_says_why(movie, seeded, monkeypatch):
    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(imdb_part, "write_part", full)
    before = dump(seeded)
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.ERROR
    assert "the rows could not be set aside (database or disk is full)" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert dump(seeded) == before
    assert leftovers(seeded.parent) == []


def test_part_files_of_killed_imports_are_cleared_by_the_next(movie, seeded):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = seeded.parent / f".movie-part-{gone.stdout.strip()}-abc.db"
    stale.write_bytes(b"x" * 1000)
    mine = seeded.parent / f".movie-part-{os.getpid()}-abc.db"  # a live process's
    mine.write_bytes(b"x")
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert leftovers(seeded.parent) == [mine.name]


@pytest.mark.slow
def test_the_second_process_stops_and_clears_up_when_the_first_is_killed(seeded, tmp_path):
    data = tmp_path / "imdb"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_imdb.py"), str(data), "--scale", "0.01"],
        check=True, stdout=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    process = movie_process("import", "--imdb", str(data), db=seeded)
    deadline = time.monotonic() + 60
    while not leftovers(seeded.parent) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(seeded.parent), "no part file appeared"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 60
    while leftovers(seeded.parent) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftovers(seeded.parent) == []
