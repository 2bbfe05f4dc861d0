"""title.principals and title.crew are read by a second process into a part file beside the
catalog, name.basics by the first into one of its own, then copied in: the same catalog as one
process would write, both cores busy, and the part files gone whatever happens (a failed import,
a second process that dies, a first one killed)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from helpers import FIXTURES, ROOT, dump, leftover_parts, movie_process, part_writer_pid
from hypothesis import given
from hypothesis import strategies as st

from movie.errors import ExitStatus
from movie.writer import imdb_part

IMDB = FIXTURES / "imdb"


def fails_cleanly(movie, seeded, folder, words):
    """An import of `folder` that fails: one line saying `words`, the catalog as it was, no
    part file left."""
    before = dump(seeded)
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith("movie: ") and words in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert dump(seeded) == before
    assert leftover_parts(seeded.parent) == []
    return result.stderr


def test_a_second_process_reads_principals_and_crew_and_the_part_files_go(
    movie, seeded, tmp_path, monkeypatch
):
    pids = tmp_path / "pids"
    part_writer_pid(monkeypatch, imdb_part, "write_part", pids)
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert int(pids.read_text()) != os.getpid()  # written in the other process
    assert leftover_parts(seeded.parent) == []
    conn = sqlite3.connect(seeded)
    assert [row[1] for row in conn.execute("PRAGMA database_list")] == ["main"]
    conn.close()


def test_a_second_process_that_dies_is_one_clear_error(movie, seeded, monkeypatch):
    monkeypatch.setattr(imdb_part, "write_part", lambda *args: os._exit(3))
    said = fails_cleanly(movie, seeded, IMDB, "(exit status 3)")
    assert "title.principals.tsv and " in said
    assert "title.crew.tsv could not be imported: the process reading them stopped " in said


def test_a_second_process_that_cannot_write_says_why(movie, seeded, monkeypatch):
    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(imdb_part, "write_part", full)
    fails_cleanly(movie, seeded, IMDB, "the rows could not be set aside (database or disk is full)")


def test_a_name_basics_cut_short_leaves_no_part_and_no_change(movie, seeded, tmp_path):
    """name.basics is read into a part file by the first process, while the second reads: a
    file cut short is one clear error, the catalog as it was, both part files gone."""
    import gzip
    import shutil

    cut = tmp_path / "cut"
    shutil.copytree(IMDB, cut)
    data = gzip.compress((IMDB / "name.basics.tsv").read_bytes())
    (cut / "name.basics.tsv").unlink()
    (cut / "name.basics.tsv.gz").write_bytes(data[: len(data) // 2])
    fails_cleanly(movie, seeded, cut, "name.basics.tsv.gz could not be read to the end")


def test_part_files_of_killed_imports_are_cleared_by_the_next(movie, seeded):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = seeded.parent / f".movie-part-{gone.stdout.strip()}-abc.db"
    stale.write_bytes(b"x" * 1000)
    mine = seeded.parent / f".movie-part-{os.getpid()}-abc.db"  # a live process's
    mine.write_bytes(b"x")
    result = movie("import", "--imdb", str(IMDB))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert leftover_parts(seeded.parent) == [mine.name]


@pytest.mark.slow
def test_the_second_process_stops_and_clears_up_when_the_first_is_killed(seeded, tmp_path):
    data = tmp_path / "imdb"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_imdb.py"), str(data), "--scale", "0.01"],
        check=True, stdout=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    process = movie_process("import", "--imdb", str(data), db=seeded)
    deadline = time.monotonic() + 60
    while not leftover_parts(seeded.parent) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftover_parts(seeded.parent), "no part file appeared"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 60
    while leftover_parts(seeded.parent) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftover_parts(seeded.parent) == []


def small_generated(folder):
    """IMDb files made by bench/make_imdb.py at a small scale, with their quirks."""
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_imdb.py"), str(folder), "--scale", "0.0003"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


def fame_as_the_catalog_works_it_out(db):
    """Each person's fame, and the same recomputed by the catalog's own FAME_SQL on a copy."""
    from movie.store.schema import refresh_fame

    conn = sqlite3.connect(db)
    try:
        stored = dict(conn.execute("SELECT id, fame FROM people"))
        conn.execute("BEGIN")
        refresh_fame(conn)
        again = dict(conn.execute("SELECT id, fame FROM people"))
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return stored, again


def test_fame_summed_in_the_copy_is_the_catalogs_own(movie, seeded, tmp_path):
    """The fame the copy sums from the part's known-for rows is what FAME_SQL makes of the
    same lists: odd lists count for nothing, a title listed twice counts twice, unrated and
    unknown titles for nothing, and a person name.basics repeats has their last row's list;
    a later import of the ratings alone, or of name.basics alone, leaves fame right too."""
    from helpers import write_imdb

    basics = [
        f"tt000000{n}\tmovie\tFilm {n}\tFilm {n}\t0\t1990\t\\N\t90\tDrama" for n in range(1, 6)
    ]
    people = [
        "nm0000001\tAnn One\t1950\t\\N\tactress\ttt0000001,tt0000002",
        "nm0000002\tBob Two\t\\N\t\\N\tactor\ttt0000003,tt0000003,tt0000009",
        "nm0000003\tCy Three\t\\N\t\\N\tactor\ttt0000001,x,tt0000002",  # odd: counts nothing
        "nm0000004\tDee Four\t\\N\t\\N\tactor\ttt0000001",
        "nm0000004\tDee Four\t\\N\t\\N\tactor\ttt0000004,tt0000005",  # repeated: this list
        "nm0000005\tEd Five\t\\N\t\\N\tactor\t\\N",
        "nm0000006\tFay Six\t\\N\t\\N\tactor\ttt0000005",  # unrated
        "nm0000007\tGus Seven\t\\N\t\\N\tactor\ttt12tt3,tt,tt0000001",
    ]
    ratings = [f"tt000000{n}\t7.0\t{n * 100}" for n in range(1, 5)]
    principals = ['tt0000001\t1\tnm0000001\tactress\t\\N\t["Ann"]']

    def files(folder: str):  # the four files as the lists stand
        return write_imdb(
            tmp_path / folder,
            title_basics=basics,
            title_ratings=ratings,
            name_basics=people,
            title_principals=principals,
        )

    first = files("first")
    assert movie("import", "--imdb", str(first)).exit_code == ExitStatus.OK
    stored, again = fame_as_the_catalog_works_it_out(seeded)
    assert stored == again
    assert stored[1] == 300 and stored[2] == 600 and stored[3] is None and stored[4] == 400
    assert stored[6] is None
    # New votes alone; then a new list for one person, alone.
    votes = write_imdb(tmp_path / "votes", title_ratings=["tt0000001\t8.0\t5000"])
    assert movie("import", "--imdb", str(votes)).exit_code == ExitStatus.OK
    stored, again = fame_as_the_catalog_works_it_out(seeded)
    assert stored == again and stored[1] == 5200
    lists = write_imdb(
        tmp_path / "lists", name_basics=["nm0000002\tBob Two\t\\N\t\\N\tactor\ttt0000001"]
    )
    assert movie("import", "--imdb", str(lists)).exit_code == ExitStatus.OK
    stored, again = fame_as_the_catalog_works_it_out(seeded)
    assert stored == again and stored[2] == 5000 and stored[1] == 5200
    # With --min-votes the people go through a part (only those credited on a kept title).
    principals += [
        'tt0000002\t1\tnm0000003\tactor\t\\N\t["Cy"]',
        'tt0000004\t1\tnm0000007\tactor\t\\N\t["Gus"]',
        'tt0000003\t1\tnm0000004\tactor\t\\N\t["Dee"]',
    ]
    people[7] = "nm0000007\tGus Seven\t\\N\t\\N\tactor\ttt0000004,tt0000004"
    filtered = files("filtered")
    db = tmp_path / "filtered.db"
    result = movie("--db", str(db), "import", "--imdb", str(filtered), "--min-votes", "200")
    assert result.exit_code == ExitStatus.OK, result.stderr
    stored, again = fame_as_the_catalog_works_it_out(db)
    assert stored == again
    assert {n: stored.get(n) for n in range(1, 8)} == {
        1: None,  # credited on tt1 only (100 votes): left out
        2: None,
        3: None,  # odd list
        4: 400,  # the last of their two rows
        5: None,
        6: None,
        7: 800,  # tt4 twice
    }
    assert sorted(n for n in stored if n < 10) == [3, 4, 7]


# Pieces of known-for lists: ids (rated, unrated, unknown, zero-padded, too long), and the
# shapes FAME_SQL counts for nothing or reads its own way.
KNOWN_PIECES = st.sampled_from(
    [
        *("tt1", "tt0000002", "tt3", "tt4", "tt5", "tt9", "tt00000000000000000000001", "tt"),
        *("", "x", "tt1t", "ttt1", "tt\u0663", "tt 1", "tt+1", "tt1_0", "nm1", "tt-1", "\\N"),
    ]
)


@given(
    st.lists(
        st.one_of(
            st.lists(KNOWN_PIECES, min_size=1, max_size=4).map(",".join),
            st.text(alphabet="t0123,n\\N ", max_size=12),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_fame_summed_as_people_are_read_is_fame_sqls(lists):
    """write_people sums a plain list's votes itself and leaves any other list to FAME_SQL:
    for any list, the fame is what FAME_SQL makes of it (the catalog's definition)."""
    import json

    from movie.records import Report
    from movie.store.schema import refresh_fame
    from movie.writer.imdb_people import write_people

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE movies (id INTEGER PRIMARY KEY, imdb_votes INTEGER)")
    votes = {1: 100, 3: 0, 4: 7, 5: 1 << 40}
    conn.executemany("INSERT INTO movies VALUES (?, ?)", [*votes.items(), (2, None)])
    conn.execute(
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name, name_key, birth_year, death_year, "
        "professions, known_for, fame)"
    )
    rows = [[f"nm{n:07d}", "P", "\\N", "\\N", "\\N", known] for n, known in enumerate(lists, 1)]
    sql = "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    _, odd, written = write_people(conn, [rows], Report(), votes, sql)
    assert written == len(lists)
    refresh_fame(conn, "AND id IN (SELECT value FROM json_each(?))", (json.dumps(odd),))
    summed = conn.execute("SELECT id, known_for, fame FROM people").fetchall()
    refresh_fame(conn)
    assert conn.execute("SELECT id, known_for, fame FROM people").fetchall() == summed


def test_title_crew_read_by_either_process_makes_the_same_catalog(
    movie, seeded_template, tmp_path, monkeypatch
):
    """title.crew beside title.principals is read by the second process and copied in; read
    by the first (as when it comes alone), the catalog is the same, row for row: generated
    files with their quirks into the seed catalog (a page movie merged), then the fixture
    files over them (titles replaced, directors and writers joined from both files), then a
    third import with --types (titles left out)."""
    import shutil

    import movie.writer.imdb as writer

    generated = small_generated(tmp_path / "generated")
    # The fixture files again with every list emptied, and a title title.basics lacks.
    emptied = tmp_path / "emptied"
    shutil.copytree(IMDB, emptied)
    crew = (IMDB / "title.crew.tsv").read_text(encoding="utf-8").splitlines()
    (emptied / "title.crew.tsv").write_text(
        "\n".join([crew[0], *(f"{line.split()[0]}\t\\N\t\\N" for line in crew[1:])])
        + "\ntt7777777\tnm0000520\t\\N\n",
        encoding="utf-8",
    )
    dumps = []
    for part_files in (imdb_part.PART_FILES, ("title.principals",)):
        catalog = tmp_path / f"{len(part_files)}.db"
        shutil.copyfile(seeded_template, catalog)
        monkeypatch.setenv("MOVIE_DB", str(catalog))
        monkeypatch.setattr(writer, "PART_FILES", part_files)
        said = []
        for args in (
            [str(generated)],
            [str(IMDB)],
            [str(generated), "--types", "movie,tvSeries"],
            [str(emptied)],
        ):
            result = movie("import", "--imdb", *args)
            assert result.exit_code == ExitStatus.OK, result.stderr
            said.append(result.stderr)
        dumps.append((dump(catalog, with_fts=False), said))
        conn = sqlite3.connect(catalog)
        directed = conn.execute(
            "SELECT count(*) FROM crew WHERE movie_id = 113277 AND role = 'director'"
        ).fetchone()
        conn.close()
        assert directed == (1,)  # title.principals's director only: title.crew's list is gone
    assert dumps[0][0] == dumps[1][0]
    for one, other in zip(dumps[0][1], dumps[1][1], strict=True):
        assert one == other
    assert "director" in dumps[0][0] and "not in title.basics" in dumps[0][1][-1]


def test_credits_transferred_whole_are_the_credits_copied_row_by_row(
    movie, seeded_template, tmp_path, monkeypatch
):
    """Into a catalog without IMDb titles the part's credit tables go in whole (SQLite's
    transfer); copied row by row instead, the catalog and the report are the same: generated
    files with their quirks (a merged page movie's own lists, repeated keys, people name.basics
    lacks) and credits of a title title.basics lacks, whose people count only if credited
    elsewhere too."""
    import gzip
    import shutil

    generated = small_generated(tmp_path / "generated")
    with gzip.open(generated / "title.principals.tsv.gz", "ab") as more:  # a second member
        more.write(
            b'tt9999990\t1\tnm9999990\tactor\t\\N\t["Only Here"]\n'
            b'tt9999990\t2\tnm0000115\tactor\t\\N\t["Also Elsewhere"]\n'
            b"tt9999990\t3\tnm9999991\tdirector\t\\N\t\\N\n"
        )
    transferred = []
    real = imdb_part.FromPart._transfer

    def recording(self):
        transferred.append(True)
        real(self)

    dumps = []
    for whole in (True, False):
        catalog = tmp_path / f"{whole}.db"
        shutil.copyfile(seeded_template, catalog)
        monkeypatch.setenv("MOVIE_DB", str(catalog))
        monkeypatch.setattr(imdb_part.FromPart, "_transfer", recording)
        if not whole:
            monkeypatch.setattr(imdb_part.FromPart, "_transferable", lambda self: False)
        transferred.clear()
        result = movie("import", "--imdb", str(generated))
        assert result.exit_code == ExitStatus.OK, result.stderr
        assert transferred == ([True] if whole else [])
        dumps.append((dump(catalog, with_fts=False), result.stderr))
    assert dumps[0][0] == dumps[1][0]  # the same rows, and the same people counted as credited
    assert dumps[0][1] == dumps[1][1]
    stored, said = dumps[0]
    assert "nm9999990" not in stored and "Only Here" not in stored
    assert "3 rows of titles that are not in title.basics (skipped), e.g. 'title.principals: " \
        "tt9999990'" in said  # fmt: skip


def test_the_credit_tables_of_a_part_can_be_transferred(seeded):
    """SQLite transfers a table whole (no row decoded, no index sorted) only when the target
    is empty and its columns, constraints and indexes are the source's: the catalog's credit
    tables and a part's, both from schema.sql, are such a pair."""
    from movie.store.schema import create_indexes, create_tables
    from movie.writer.imdb_second import CREDITS

    conn = sqlite3.connect(seeded, cached_statements=0)  # each EXPLAIN compiled anew
    try:
        conn.execute(f"ATTACH DATABASE ':memory:' AS {imdb_part.ATTACHED}")
        part = sqlite3.connect(":memory:")  # the part's statements, in the part's database
        for table in CREDITS:
            statements = []
            part.set_trace_callback(statements.append)
            create_tables(part, [table])
            create_indexes(part, [table])
            for statement in statements:
                conn.execute(
                    statement.replace("IF NOT EXISTS ", f"IF NOT EXISTS {imdb_part.ATTACHED}.", 1)
                )
            program = [row[1] for row in conn.execute("EXPLAIN " + imdb_part.transfer_sql(table))]
            assert "RowData" in program  # a record copied whole: the transfer
            conn.execute(f"DROP INDEX {imdb_part.ATTACHED}.{table}_person")
            program = [row[1] for row in conn.execute("EXPLAIN " + imdb_part.transfer_sql(table))]
            assert "RowData" not in program  # an index missing: row by row
    finally:
        conn.close()
