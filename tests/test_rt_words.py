"""A large RT dataset import indexes its reviews' words (`reviews --search`) in a second process
while the first writes the reviews, and copies the index in: the same catalog and the same
answers as one process gives, the index sound against the reviews it indexes, and the part file
gone whatever happens (the second process failing, its part not matching, the import failing)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys

import pytest
from helpers import FIXTURES, dump, leftover_parts, part_writer_pid

from movie.errors import ExitStatus
from movie.sources.rt_dataset import REVIEWS_FILE
from movie.writer import rt_dataset, rt_words

DATASET = FIXTURES / "dataset"
WORDS = ("drink", "wonder", "riveting", "splendid", "thurman", "fantasy", "vegas")


@pytest.fixture(autouse=True)
def bulk(monkeypatch):
    """Every import here takes the bulk path (the fixture files are small)."""
    monkeypatch.setattr(rt_dataset, "BULK_BYTES", 0)


def sound(db):
    """The reviews' index holds exactly what the reviews say (FTS5's check against its content
    table), and nothing is attached any more."""
    conn = sqlite3.connect(db)
    try:
        check = "INSERT INTO critic_reviews_fts (critic_reviews_fts, rank) VALUES (?, 1)"
        conn.execute(check, ("integrity-check",))
        for index in ("title_words", "titles_trigrams"):
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('integrity-check')")
        assert [row[1] for row in conn.execute("PRAGMA database_list")] == ["main"]
        return conn.execute("SELECT count(*) FROM critic_reviews_fts_docsize").fetchone()[0]
    finally:
        conn.close()


def answers(movie, db):
    """What the searches of reviews and titles answer."""
    where = ("--db", str(db))
    said = [movie(*where, "reviews", "--all", "--search", word).stdout for word in WORDS]
    said += [movie(*where, "find", words).stdout for words in ("percy", "lightning", "leaving")]
    assert any(said[: len(WORDS)]) and any(said[len(WORDS) :])
    return said


def one_process(movie, tmp_path, monkeypatch, seeded_from=None):
    """The same import with no second process: the catalog it makes."""
    other = tmp_path / "one.db"
    if seeded_from is not None:
        shutil.copyfile(seeded_from, other)
    with monkeypatch.context() as m:
        m.setattr(rt_words, "usable", lambda conn: False)
        result = movie("--db", str(other), "import", "--dataset", str(DATASET))
    assert result.exit_code == ExitStatus.OK, result.stderr
    return other, result


def test_a_second_process_indexes_the_words_and_the_catalog_is_the_same(
    movie, catalog, tmp_path, monkeypatch
):
    pids = tmp_path / "pids"
    part_writer_pid(monkeypatch, rt_words, "_write", pids)
    result = movie("import", "--dataset", str(DATASET))  # into no catalog: built aside
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert int(pids.read_text()) != os.getpid()  # written in the other process
    assert leftover_parts(catalog.parent) == []
    other, alone = one_process(movie, tmp_path, monkeypatch)
    assert dump(catalog, with_fts=False) == dump(other, with_fts=False)
    assert result.stderr == alone.stderr.replace(str(other), str(catalog))
    assert sound(catalog) == sound(other) > 10
    assert answers(movie, catalog) == answers(movie, other)


def test_into_a_catalog_with_reviews_the_second_process_indexes_those_too(
    movie, seeded, tmp_path, monkeypatch
):
    """The seed's reviews were indexed before; the part indexes them again with the new ones,
    in the live catalog's write-ahead log."""
    before = seeded.with_name("before.db")
    shutil.copyfile(seeded, before)
    seed_reviews = sqlite3.connect(before).execute("SELECT count(*) FROM critic_reviews")
    assert seed_reviews.fetchone()[0] > 0
    assert movie("import", "--dataset", str(DATASET)).exit_code == ExitStatus.OK
    other, _ = one_process(movie, tmp_path, monkeypatch, seeded_from=before)
    assert dump(seeded, with_fts=False) == dump(other, with_fts=False)
    assert sound(seeded) == sound(other)
    assert answers(movie, seeded) == answers(movie, other)
    assert leftover_parts(seeded.parent) == []


@pytest.mark.parametrize("how", ["dies", "cannot write", "another count"])
def test_without_a_good_part_the_first_process_builds_the_index(
    movie, catalog, tmp_path, monkeypatch, how
):
    """A second process that dies, that cannot write its part, or whose part does not hold the
    reviews the catalog does: the import lands all the same, its index built by the first."""
    real = rt_words._write

    def failing(path, *args):
        if how == "dies":
            os._exit(3)
        if how == "cannot write":
            raise sqlite3.OperationalError("database or disk is full")
        real(path, *args)
        conn = sqlite3.connect(path)
        conn.execute("UPDATE part_report SET rows = rows - 1")
        conn.commit()
        conn.close()

    monkeypatch.setattr(rt_words, "_write", failing)
    copied = []
    real_copy = rt_words.ReviewWords.copy
    monkeypatch.setattr(
        rt_words.ReviewWords, "copy", lambda self, conn: copied.append(real_copy(self, conn))
    )
    result = movie("import", "--dataset", str(DATASET))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert copied == [False]  # the part was not copied
    assert leftover_parts(catalog.parent) == []
    other, _ = one_process(movie, tmp_path, monkeypatch)
    assert dump(catalog, with_fts=False) == dump(other, with_fts=False)
    assert sound(catalog) == sound(other)
    assert answers(movie, catalog) == answers(movie, other)


def test_a_failed_import_leaves_the_catalog_and_no_part_file(movie, seeded, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(DATASET, broken)
    with open(broken / REVIEWS_FILE, "ab") as reviews:
        reviews.write(b'm/0814255,Someone,False,Paper,Fresh,,2010-02-06,"never closed\n')
    before = dump(seeded)
    result = movie("import", "--dataset", str(broken))
    assert result.exit_code == ExitStatus.ERROR
    assert "not valid CSV" in result.stderr and "Traceback" not in result.stderr
    assert dump(seeded) == before
    assert leftover_parts(seeded.parent) == []


def test_a_catalog_with_many_reviews_indexes_them_in_one_process(seeded, monkeypatch):
    conn = sqlite3.connect(seeded)
    try:
        on_file = conn.execute("SELECT count(*) FROM critic_reviews").fetchone()[0]
        monkeypatch.setattr(rt_words, "MOST_ON_FILE", on_file)
        assert rt_words.usable(conn) == (sys.platform == "linux")
        monkeypatch.setattr(rt_words, "MOST_ON_FILE", on_file - 1)
        assert not rt_words.usable(conn)
    finally:
        conn.close()


def test_movies_loaded_in_bulk_give_the_same_catalog(movie, catalog, tmp_path, monkeypatch):
    """Into a catalog with fewer movies than the file, the movies go in without their indexes
    and word indexes, built once after; into one with more, row by row: the same catalog."""
    assert movie("import", "--dataset", str(DATASET)).exit_code == ExitStatus.OK
    other = tmp_path / "rows.db"
    with monkeypatch.context() as m:
        m.setattr(rt_dataset, "at_most", lambda conn, table, rows: False)
        done = movie("--db", str(other), "import", "--dataset", str(DATASET))
    assert done.exit_code == ExitStatus.OK, done.stderr
    assert dump(catalog, with_fts=False) == dump(other, with_fts=False)
    assert sound(catalog) == sound(other)
    assert answers(movie, catalog) == answers(movie, other)
    conn = sqlite3.connect(catalog)
    try:
        movies = conn.execute("SELECT count(*) FROM movies").fetchone()[0]
        assert rt_dataset.at_most(conn, "movies", movies)
        assert not rt_dataset.at_most(conn, "movies", movies - 1)
    finally:
        conn.close()
