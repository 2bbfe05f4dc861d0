"""`movie load` and `movie export`: CSV folders in and out, every value checked, the same bytes
back after a round trip."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3

import pytest
from helpers import FIXTURES, dump, movie_run, rows_in, seed_copy
from hypothesis import given, settings
from hypothesis import strategies as st

from movie.errors import ExitStatus


def test_csv_files_that_are_devices_or_fifos_are_refused(movie, seeded, tmp_path):
    before = dump(seeded)
    zero = seed_copy(tmp_path, "zero")
    (zero / "movies.csv").unlink()
    (zero / "movies.csv").symlink_to("/dev/zero")
    result = movie("load", str(zero))
    assert result.exit_code == ExitStatus.ERROR
    assert "movies.csv is a device, not a movies.csv file" in result.stderr
    fifo = seed_copy(tmp_path, "fifo")
    (fifo / "cast.csv").unlink()
    os.mkfifo(fifo / "cast.csv")
    result = movie_run("load", str(fifo), db=seeded)  # a FIFO opened for reading would block
    assert result.returncode == ExitStatus.ERROR
    assert "cast.csv is a named pipe (FIFO)" in result.stderr
    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", dataset)
    (dataset / "rotten_tomatoes_critic_reviews.csv").unlink()
    os.mkfifo(dataset / "rotten_tomatoes_critic_reviews.csv")
    result = movie_run("import", "--dataset", str(dataset), db=seeded)
    assert result.returncode == ExitStatus.ERROR
    assert "named pipe (FIFO)" in result.stderr
    assert dump(seeded) == before


@pytest.mark.parametrize(
    "year,why", [("9" * 23, "not a whole number"), ("١٩٩٥", "not a whole number")]
)
def test_load_refuses_unreadable_years_with_file_and_line(movie, seeded, tmp_path, year, why):
    folder = seed_copy(tmp_path)
    rows = list(csv.reader((folder / "movies.csv").open(encoding="utf-8", newline="")))
    rows[1][rows[0].index("year")] = year
    with (folder / "movies.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = movie("load", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert f"movies.csv, line 2: year {year!r} is {why}" in result.stderr


def test_load_refuses_a_repeated_header_column(movie, seeded, tmp_path):
    folder = seed_copy(tmp_path)
    text = (folder / "genres.csv").read_text(encoding="utf-8").split("\n")
    text[0] += ",genre"
    text[1:] = [line + ",x" if line else line for line in text[1:]]
    (folder / "genres.csv").write_text("\n".join(text), encoding="utf-8")
    result = movie("load", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert "genres.csv, line 1: column(s) genre appear more than once" in result.stderr


AWKWARD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
).map(lambda s: s.strip() or "x")


@settings(max_examples=12)
@given(
    texts=st.lists(
        st.one_of(
            AWKWARD_TEXT, st.sampled_from(["a\rb", "\r", "=1+2", "+x", "-y", "@z", "\x1b[2J"])
        ),
        min_size=3,
        max_size=3,
    )
)
def test_export_load_export_gives_the_same_bytes_for_any_text(movie, tmp_path_factory, texts):
    work = tmp_path_factory.mktemp("roundtrip")
    db = work / "a.db"
    assert movie("--db", str(db), "movies").exit_code == ExitStatus.OK
    conn = sqlite3.connect(db)
    conn.execute("UPDATE movies SET synopsis = ?, studio = ?", texts[:2])
    conn.execute("UPDATE quotes SET line = ? WHERE position = 1", texts[2:])
    conn.commit()
    conn.close()
    assert movie("--db", str(db), "export", str(work / "one")).exit_code == ExitStatus.OK
    other = work / "b.db"
    loaded = movie("--db", str(other), "load", str(work / "one"))
    assert loaded.exit_code == ExitStatus.OK, loaded.stderr
    assert movie("--db", str(other), "export", str(work / "two")).exit_code == ExitStatus.OK
    for name in sorted(p.name for p in (work / "one").iterdir()):
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name


def test_csv_values_are_checked_against_their_type_and_range(movie, seeded, tmp_path):
    from movie.tables import MOVIES

    columns = list(MOVIES.columns)
    before = dump(seeded)
    for column, value, said in (
        ("imdb_rating", "abc", "imdb_rating 'abc' is not a number"),
        ("imdb_rating", "nan", "imdb_rating 'nan' is not a number"),
        ("imdb_rating", "11", "imdb_rating 11 is out of range (1 to 10)"),
        ("tomatometer", "-50", "tomatometer -50 is out of range (0 to 100)"),
        ("tomatometer", "99999", "tomatometer 99999 is out of range (0 to 100)"),
        ("audience_count", "-1", "audience_count -1 is out of range"),
        ("year", "1200", "year 1200 is out of range (1870 to 2200)"),
    ):
        folder = tmp_path / f"{column}-{value}"
        folder.mkdir()
        row = dict.fromkeys(columns, "")
        row.update(slug="odd-film-1999", title="Odd Film", year="1999")
        row[column] = value
        (folder / "movies.csv").write_text(
            ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"
        )
        result = movie("load", str(folder))
        assert result.exit_code == ExitStatus.ERROR, (column, value)
        assert f"movies.csv, line 2: {said}" in result.stderr, result.stderr
        assert dump(seeded) == before
    good = tmp_path / "good"
    good.mkdir()
    row = dict.fromkeys(columns, "")
    row.update(slug="fine-1999", title="Fine", year="1999", imdb_rating="7.5", tomatometer="100")
    (good / "movies.csv").write_text(
        ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"
    )
    assert movie("load", str(good)).exit_code == ExitStatus.OK
    assert rows_in(seeded, "SELECT typeof(imdb_rating) FROM movies WHERE slug = 'fine-1999'") == [
        ("real",)
    ]
