"""`movie import --dataset`: the public Rotten Tomatoes dataset's two CSV files."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3

import pytest
from helpers import (
    FIXTURES,
    dump,
    file_digest,
)

from movie import dates
from movie.errors import ExitStatus
from movie.output import Terminal

DATASET = FIXTURES / "dataset"


@pytest.fixture
def dataset_catalog(imported, catalog):
    """The fixture dataset imported into the test's catalog: the import's result."""
    return imported("--dataset", DATASET)


def test_counts_and_reports_the_awkward_rows(dataset_catalog):
    warnings = dataset_catalog.stderr.splitlines()
    assert (
        "movie: warning: 1 reviews of a movie not in the movies file (skipped), "
        "e.g. 'm/does_not_exist'" in warnings
    )
    assert any(w.startswith("movie: warning: 1 duplicate reviews (skipped)") for w in warnings)
    assert any(
        "1 dates that could not be read (kept as text), e.g. 'Feb 10 2010'" in w for w in warnings
    )
    assert any("1 scores in no known shape (kept as text), e.g. 'a solid B'" in w for w in warnings)
    assert any(
        "1 numbers that could not be read (left empty), e.g. 'about an hour'" in w for w in warnings
    )


def test_movies_with_their_fields(movie, dataset_catalog):
    card = json.loads(movie("card", "Percy Jackson", "-f", "json").stdout)
    assert card["title"] == "Percy Jackson & the Olympians: The Lightning Thief"
    assert card["year"] == 2010 and card["rating"] == "PG"
    assert card["genres"] == ["Action & Adventure", "Comedy", "Drama", "Science Fiction & Fantasy"]
    assert card["directors"] == ["Chris Columbus"]
    assert card["writers"] == ["Craig Titley", "Chris Columbus", "Rick Riordan"]
    assert card["theatrical_release"] == "2010-02-12" and card["streaming_release"] == "2015-11-25"
    assert card["runtime_minutes"] == 119 and card["studio"] == "20th Century Fox"
    assert card["critics"]["tomatometer"] == 49 and card["critics"]["reviews"] == 149
    assert card["critics"]["top_critics"] == 43
    assert card["audience"]["score"] == 53
    assert card["consensus"].startswith("Though it may seem like")
    row = movie(
        "sql",
        "SELECT rt_link, fresh_count, rotten_count, audience_count, tomatometer_status "
        "FROM movies WHERE rt_link = 'm/0814255'",
    ).stdout
    assert row == "m/0814255\t73\t76\t254421\tRotten\n"


def test_cast_from_the_actors_column_has_no_characters(movie, dataset_catalog):
    assert movie("cast", "Percy Jackson").stdout.splitlines() == [
        "Logan Lerman\t",
        "Brandon T. Jackson\t",
        "Alexandra Daddario\t",
    ]


def test_reviews_with_every_field_and_quoted_newlines(movie, dataset_catalog):
    reviews = json.loads(movie("reviews", "Percy Jackson", "-f", "json").stdout)
    assert len(reviews) == 6  # 7 rows, one a duplicate
    newest = next(r for r in reviews if r["critic"] == "Ethan Alter")
    assert newest["date"] == "2010-02-10" and newest["top_critic"] is True
    assert newest["verdict"] == "rotten" and newest["score"] is None
    assert newest["quote"].endswith("over and over again.\nIt just isn't there.")
    scored = next(r for r in reviews if r["critic"] == "Ben McEachen")
    assert scored["score"] == "3.5/5" and scored["publication"] == "Sunday Mail (Australia)"
    anonymous = next(r for r in reviews if r["publication"] == "FILMINK (Australia)")
    assert anonymous["critic"] is None
    assert movie("reviews", "Percy Jackson", "--top").stdout.count("\n") == 2
    assert "drinking in the magic" in movie("reviews", "--all", "--search", "drink").stdout


def test_a_page_movie_keeps_its_richer_data(movie, dataset_catalog):
    """Leaving Las Vegas is in the seed (from its page) and in the dataset: one movie."""
    assert (
        movie("sql", "SELECT count(*) FROM movies WHERE title = 'Leaving Las Vegas'").stdout
        == "1\n"
    )
    cast = movie("cast", "Leaving Las Vegas").stdout.splitlines()
    assert len(cast) == 36 and cast[0] == "Nicolas Cage\tBen Sanderson"
    card = json.loads(movie("card", "Leaving Las Vegas", "-f", "json").stdout)
    assert card["critics"]["on_file"] == 7  # six from the page, one from the dataset
    assert card["critics"]["tomatometer"] == 91
    assert card["dvd_release"] == "1998-02-24"  # the page's, kept
    assert card["theatrical_release"] == "1995-10-27"  # the dataset's, added
    assert movie("reviews", "Leaving Las Vegas", "-n", "1").stdout.startswith("2011-09-07")


def test_same_title_and_year_from_two_links_stay_two_movies(movie, dataset_catalog):
    slugs = movie("sql", "SELECT slug FROM movies WHERE title = 'Heat' ORDER BY slug").stdout
    assert slugs == "heat-1995\nheat-1995-heat-1995-b\n"
    assert movie("card", "Undated Film", "-f", "json").exit_code == ExitStatus.OK


def test_importing_again_changes_nothing(movie, dataset_catalog, catalog):
    before = dump(catalog)
    again = movie("import", "--dataset", str(DATASET))
    assert again.exit_code == ExitStatus.OK
    assert "9 duplicate reviews" in again.stderr  # all 8 on file, and the file's own duplicate
    assert dump(catalog) == before


def test_progress_and_summary_only_on_a_terminal(movie, catalog, monkeypatch):
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    result = movie("import", "--dataset", str(DATASET))
    assert "Imported 5 movies and 8 critic reviews from" in result.stderr


def test_bad_dataset_folders(movie, catalog, tmp_path):
    movie("movies")
    before = file_digest(catalog)
    missing = movie("import", "--dataset", str(tmp_path / "nowhere"))
    assert missing.exit_code == ExitStatus.ERROR and "is not a directory" in missing.stderr
    half = tmp_path / "half"
    half.mkdir()
    shutil.copy(DATASET / "rotten_tomatoes_movies.csv", half)
    result = movie("import", "--dataset", str(half))
    assert (
        result.exit_code == ExitStatus.ERROR
        and "rotten_tomatoes_critic_reviews.csv: no such file" in result.stderr
    )
    wrong = tmp_path / "wrong"
    shutil.copytree(DATASET, wrong)
    (wrong / "rotten_tomatoes_critic_reviews.csv").write_text("rotten_tomatoes_link,critic_name\n")
    result = movie("import", "--dataset", str(wrong))
    assert result.exit_code == ExitStatus.ERROR and "missing column(s) top_critic" in result.stderr
    assert file_digest(catalog) == before
    usage = movie("import", "--dataset", str(DATASET), "page.txt")
    assert usage.exit_code == ExitStatus.USAGE
    assert movie("import").exit_code == ExitStatus.USAGE


def test_bulk_path_gives_the_same_catalog(movie, catalog, tmp_path, monkeypatch):
    """Big files take the drop-and-rebuild path; the result must equal the row-by-row one."""
    from movie.writer import rt_dataset as writer

    movie("import", "--dataset", str(DATASET))
    slow = dump(catalog, with_fts=False)
    other = tmp_path / "bulk.db"
    monkeypatch.setattr(writer, "BULK_BYTES", 0)
    assert movie("--db", str(other), "import", "--dataset", str(DATASET)).exit_code == ExitStatus.OK
    assert dump(other, with_fts=False) == slow
    for word in ("drink", "wonder", "riveting", "splendid"):
        search = ("reviews", "--all", "--search", word)
        assert movie("--db", str(other), *search).stdout == movie(*search).stdout
    conn = sqlite3.connect(other)
    conn.execute("INSERT INTO critic_reviews_fts (critic_reviews_fts) VALUES ('integrity-check')")
    names = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'critic_reviews'")
    }
    conn.close()
    assert {"critic_reviews_key", "critic_reviews_by_date", "critic_reviews_fts_ai"} <= names


def test_a_first_import_builds_the_same_catalog_aside(movie, catalog, tmp_path):
    """Into no catalog yet, the seed and the dataset are written together, aside, without a
    write-ahead log, then renamed into place: the same rows as importing into a seeded one."""
    assert movie("movies").exit_code == ExitStatus.OK
    assert movie("import", "--dataset", str(DATASET)).exit_code == ExitStatus.OK
    fresh = tmp_path / "fresh.db"
    result = movie("--db", str(fresh), "import", "--dataset", str(DATASET))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr.startswith(f"Created the movie catalog at {fresh}")
    assert dump(fresh, with_fts=False) == dump(catalog, with_fts=False)
    conn = sqlite3.connect(fresh)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert [p.name for p in tmp_path.iterdir() if ".building-" in p.name] == []


def test_dataset_dates_in_day_month_year_form_give_years(movie, seeded, tmp_path):
    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", dataset)
    movies = dataset / "rotten_tomatoes_movies.csv"
    header = movies.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(
        rotten_tomatoes_link="m/40000_fathoms_below",
        movie_title="40,000 Fathoms Below",
        original_release_date="14/06/1956",
        streaming_release_date="2001-02-30",
    )
    with movies.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row[name] for name in header])
    result = movie("import", "--dataset", str(dataset))
    assert result.exit_code == ExitStatus.OK, result.stderr
    card = json.loads(movie("card", "40,000 Fathoms Below (1956)", "-f", "json").stdout)
    assert card["year"] == 1956
    assert card["theatrical_release"] == "1956-06-14"
    assert card["streaming_release"] == "2001-02-30"  # no such day: kept as text, and reported
    assert "e.g. '2001-02-30'" in result.stderr


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1995-12-15", ("1995-12-15", 1995)),
        ("1995-12-15 00:00:00", ("1995-12-15", 1995)),
        ("14/06/1956", ("1956-06-14", 1956)),
        ("5/6/1956", ("1956-06-05", 1956)),
        ("06/14/1956", ("1956-06-14", 1956)),
        ("14.06.1956", ("1956-06-14", 1956)),
        ("1956/06/14", ("1956-06-14", 1956)),
        ("Jun 14, 1956", ("1956-06-14", 1956)),
        ("1956", (None, 1956)),
        ("31/02/1956", (None, None)),
        ("13/13/1956", (None, None)),
        ("sometime", (None, None)),
        ("١٩٥٦-٠٦-١٤", (None, None)),
    ],
)
def test_read_date_forms(text, expected):
    assert dates.read_date(text) == expected


def test_index_builds_sort_with_a_small_page_cache_and_the_load_gets_its_own_back(seeded):
    """SQLite's sorters take as much memory as the page cache (each thread, each part of an
    ORDER BY over a compound view): index builds and full-text fills run with a small one,
    the load's inserts with a large one, whatever happens meanwhile."""
    import sqlite3

    from movie.records import Report
    from movie.tables import MOVIES
    from movie.writer.common import LOAD_CACHE_KIB, SORT_CACHE_KIB, bulk, sorting

    conn = sqlite3.connect(seeded, isolation_level=None)
    seen = []
    conn.set_trace_callback(lambda sql: seen.append(sql) if "cache_size" in sql else None)
    try:
        conn.execute("BEGIN")
        with bulk(conn, [MOVIES], Report()) as load:
            assert conn.execute("PRAGMA cache_size").fetchone() == (-LOAD_CACHE_KIB,)
            load.finish([MOVIES])
            assert conn.execute("PRAGMA cache_size").fetchone() == (-LOAD_CACHE_KIB,)
        conn.execute("ROLLBACK")
        assert f"PRAGMA cache_size = -{SORT_CACHE_KIB}" in seen
        try:
            with sorting(conn):
                assert conn.execute("PRAGMA cache_size").fetchone() == (-SORT_CACHE_KIB,)
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            pass
        assert conn.execute("PRAGMA cache_size").fetchone() == (-LOAD_CACHE_KIB,)
    finally:
        conn.close()
