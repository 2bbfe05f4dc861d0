"""The catalog file: where it is, what is refused as one, links and devices, rebuilds set aside,
and Datasette opening it the way movie does."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from helpers import FIXTURES, dump, file_digest, rows_in

from movie.errors import ExitStatus


def test_path_prints_the_catalog_location(movie, catalog):
    assert movie("path").stdout == f"{catalog}\n"


def test_the_catalog_opens_the_way_datasette_opens_it(movie, five):
    import sqlite_utils

    conn = sqlite3.connect(f"file:{five}?mode=ro", uri=True)
    db = sqlite_utils.Database(conn)
    for table in ("quotes", "critic_reviews", "audience_reviews"):
        assert db[table].detect_fts() == f"{table}_fts"
    rows = conn.execute(
        "select line from quotes where rowid in "
        "(select rowid from quotes_fts where quotes_fts match :search) order by rowid",
        {"search": "pear"},
    ).fetchall()
    assert rows == [("I'm like a prickly pear... I'm a prickly pear!",)]
    conn.close()


def test_an_upgraded_catalog_is_found_by_datasette_too(movie, tmp_path):
    import sqlite_utils

    old = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "catalog-v1.db", old)
    assert movie("--db", str(old), "movies").exit_code == ExitStatus.OK
    db = sqlite_utils.Database(sqlite3.connect(old))
    assert db["quotes"].detect_fts() == "quotes_fts"
    assert movie("--db", str(old), "quotes", "--all", "--search", "pear").stdout.count("\n") == 1


def test_a_fifo_as_the_catalog_is_refused_and_left_alone(movie, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path / "link-to-fifo"):
        if path != fifo:
            path.symlink_to(fifo)
        result = movie("--db", str(path), "cast")
        assert result.exit_code == ExitStatus.ERROR
        assert "named pipe (FIFO), not a catalog file" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert fifo.is_fifo()


def test_a_device_as_the_catalog_is_refused(movie, tmp_path):
    before = os.stat("/dev/null")
    result = movie("--db", "/dev/null", "cast")
    assert result.exit_code == ExitStatus.ERROR
    assert "/dev/null is a device, not a catalog file" in result.stderr
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.parametrize("target_exists", [False, True], ids=["dangling", "to-an-empty-file"])
def test_a_symlinked_catalog_is_built_at_its_target_and_stays_a_link(
    movie, tmp_path, target_exists
):
    target = tmp_path / "real.db"
    if target_exists:
        target.touch()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    result = movie("--db", str(link), "cast", "--limit", "1")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout == "Nicolas Cage\tBen Sanderson\n"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.stat().st_size > 0


def test_rebuild_moves_a_symlinks_target_aside_and_keeps_the_link(movie, tmp_path):
    target = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert movie("--db", str(link), "movies").exit_code == ExitStatus.OK
    assert movie("--db", str(link), "load", "--rebuild").exit_code == ExitStatus.OK
    assert link.is_symlink()
    assert list(tmp_path.glob("real.db.broken-*"))


def test_export_never_writes_through_a_planted_symlink(movie, seeded, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for spec_file in ("movies.csv", "cast.csv", "quotes.csv"):
        (out / f".{spec_file}.part").symlink_to(victim)
    assert movie("export", str(out)).exit_code == ExitStatus.OK
    assert victim.read_text() == "precious\n"
    assert (out / "movies.csv").read_text(encoding="utf-8").startswith("slug,title")
    assert not [p for p in out.iterdir() if p.name.endswith(".part") and not p.is_symlink()]


@pytest.mark.parametrize("version", [1, 2])
def test_another_programs_database_is_not_taken_for_a_catalog(movie, tmp_path, version):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE movies (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO movies (name) VALUES ('mine')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = file_digest(other)
    for args in (["cast"], ["movies"], ["load"], ["sql", "SELECT 1"]):
        result = movie("--db", str(other), *args)
        assert result.exit_code == ExitStatus.ERROR
        assert "is a SQLite database but not a movie catalog" in result.stderr
    assert file_digest(other) == before


def test_fts3_tokenizer_is_refused(movie, seeded):
    result = movie("sql", "SELECT hex(fts3_tokenizer('porter'))")
    assert result.exit_code == ExitStatus.ERROR
    assert "not authorized to use function: fts3_tokenizer" in result.stderr


def test_rebuilds_in_the_same_second_keep_every_catalog_set_aside(movie, seeded, monkeypatch):
    import time

    monkeypatch.setattr(time, "strftime", lambda *a: "20261201-120000")  # one second, frozen
    sizes = []
    for round in range(3):
        conn = sqlite3.connect(seeded)
        conn.execute("INSERT INTO settings (key, value) VALUES (?, 'x')", (f"round {round}",))
        conn.commit()
        conn.close()
        sizes.append(dump(seeded))
        assert movie("load", "--rebuild").exit_code == ExitStatus.OK
    aside = sorted(
        p.name for p in seeded.parent.iterdir() if ".broken-" in p.name and p.name[-4] != "-"
    )  # the catalogs; each one's -wal and -shm went with it
    assert aside == [
        "catalog.db.broken-20261201-120000",
        "catalog.db.broken-20261201-120000-2",
        "catalog.db.broken-20261201-120000-3",
    ]
    kept = [dump(seeded.parent / name) for name in aside]
    assert kept == sizes  # each one as it was, none overwritten


def test_rebuild_waits_for_a_writer_and_never_moves_a_catalog_from_under_it(seeded):
    from helpers import movie_run

    writer = sqlite3.connect(seeded, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO settings (key, value) VALUES ('half', 'way')")
    try:
        result = movie_run("load", "--rebuild", db=seeded, MOVIE_BUSY_TIMEOUT="300")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.returncode == ExitStatus.ERROR
    assert "is busy: another movie is writing to it" in result.stderr
    assert not any(".broken-" in p.name for p in seeded.parent.iterdir())
    assert rows_in(seeded, "SELECT value FROM settings WHERE key = 'half'") == [("way",)]
