"""Bad input of every kind: one clear line on stderr, exit 1 (2 for usage), catalog unchanged."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from helpers import FIXTURES, dump, file_digest, seed_copy

from movie.errors import ExitStatus


def one_line_error(result, status=1):
    assert result.exit_code == status, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("movie: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_unknown_movie(movie, seeded):
    assert "no movie matches 'Casablanca'" in one_line_error(movie("card", "Casablanca"))


def test_unknown_movie_with_year(movie, seeded):
    assert "no movie from 1996 matches" in one_line_error(movie("cast", "Leaving Las Vegas (1996)"))


def test_bad_format_is_a_usage_error(movie, seeded):
    message = one_line_error(movie("cast", "--format", "xml"), status=2)
    assert "'xml' is not one of" in message and "movie cast --help" in message


def test_unknown_option_is_a_usage_error(movie, seeded):
    one_line_error(movie("cast", "--frobnicate"), status=2)
    one_line_error(movie("frobnicate"), status=2)


def test_top_with_audience_is_a_usage_error(movie, seeded):
    one_line_error(movie("reviews", "--top", "--audience"), status=2)


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "*", "NEAR(", "(pear", "^"])
def test_invalid_fts5_syntax(movie, seeded, query):
    message = one_line_error(movie("quotes", "--search", query))
    assert "not valid FTS5 syntax" in message
    one_line_error(movie("reviews", "--search", query))
    one_line_error(movie("reviews", "--audience", "--search", query))


@pytest.mark.parametrize(
    "query", ["pear!", "prickly-pear", "pear's", "it's: pear", "pear.", "'pear'", "pear -"]
)
def test_plain_words_always_work(movie, seeded, query):
    result = movie("quotes", "--search", query)
    assert result.exit_code == ExitStatus.OK, result.stderr


def test_search_with_no_words(movie, seeded):
    one_line_error(movie("quotes", "--search", "   "))


def test_db_is_a_directory(movie, tmp_path):
    assert "is a directory" in one_line_error(movie("--db", str(tmp_path), "cast"))


def test_db_is_not_sqlite(movie, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a database\n" * 100)
    before = file_digest(path)
    assert "is not a SQLite database" in one_line_error(movie("--db", str(path), "cast"))
    assert "is not a SQLite database" in one_line_error(movie("--db", str(path), "load"))
    assert file_digest(path) == before


def test_database_of_another_program_is_refused_and_untouched(movie, tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (9.5)")
    conn.commit()
    conn.close()
    before = file_digest(path)
    for args in (["cast"], ["load"], ["use", "Leaving"], ["sql", "SELECT 1"], ["card"]):
        assert "not a movie catalog" in one_line_error(movie("--db", str(path), *args))
    assert file_digest(path) == before


def test_catalog_from_a_newer_movie_is_refused(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert "newer movie" in one_line_error(movie("cast"))


def test_empty_file_is_treated_as_new(movie, tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    result = movie("--db", str(path), "cast", "-n", "1")
    assert result.exit_code == ExitStatus.OK and result.stdout.startswith("Nicolas Cage")


def test_db_option_beats_environment(movie, tmp_path, catalog):
    other = tmp_path / "elsewhere.db"
    assert movie("--db", str(other), "path").stdout == f"{other}\n"
    assert movie("path").stdout == f"{catalog}\n"
    movie("--db", str(other), "cast")
    assert other.exists() and not catalog.exists()


# ---------------------------------------------------------------- load


def load_fails(movie, catalog, directory, expected):
    before = dump(catalog)
    message = one_line_error(movie("load", str(directory)))
    assert expected in message, message
    assert dump(catalog) == before
    return message


def test_load_missing_column(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    text = (d / "cast.csv").read_text().replace(",character_truncated", "", 1)
    (d / "cast.csv").write_text(text)
    load_fails(movie, seeded, d, "missing column(s) character_truncated")


def test_load_unknown_column(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    lines = (d / "quotes.csv").read_text().splitlines()
    lines = [lines[0] + ",mood"] + [line + ",grim" for line in lines[1:]]
    (d / "quotes.csv").write_text("\n".join(lines) + "\n")
    load_fails(movie, seeded, d, "unknown column(s) mood")


def test_load_non_numeric_year(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    (d / "movies.csv").write_text((d / "movies.csv").read_text().replace(",1995,", ",MCMXCV,"))
    load_fails(movie, seeded, d, "year 'MCMXCV' is not a whole number")


def test_load_not_utf8(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    (d / "audience_reviews.csv").write_bytes(
        (d / "audience_reviews.csv").read_text().encode("cp1252", errors="replace")
    )
    load_fails(movie, seeded, d, "is not UTF-8")


def test_load_empty_csv(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    (d / "genres.csv").write_text("")
    load_fails(movie, seeded, d, "is empty")


def test_load_bad_flag_and_field_count(movie, seeded, tmp_path):
    d = seed_copy(tmp_path, "b")
    (d / "cast.csv").write_text(
        (d / "cast.csv").read_text().replace("Ben Sanderson,0", "Ben Sanderson,maybe")
    )
    load_fails(movie, seeded, d, "is not 1 or 0")
    d = seed_copy(tmp_path, "c")
    with (d / "cast.csv").open("a") as f:
        f.write("leaving-las-vegas-1995,37\n")
    load_fails(movie, seeded, d, "2 fields, the header has 7")


def test_dates_that_are_not_iso_are_kept_as_given(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    (d / "critic_reviews.csv").write_text(
        (d / "critic_reviews.csv").read_text().replace("2011-09-07", "Autumn 2011")
    )
    assert movie("load", str(d)).exit_code == ExitStatus.OK
    assert "Autumn 2011" in movie("reviews").stdout


def test_load_unknown_movie_reference(movie, seeded, tmp_path):
    d = tmp_path / "orphans"
    d.mkdir()
    shutil.copy(FIXTURES / "more-movies" / "quotes.csv", d / "quotes.csv")
    load_fails(movie, seeded, d, "is neither in movies.csv nor in the catalog")


def test_load_is_one_transaction(movie, seeded, tmp_path):
    """Good movies.csv, bad quotes.csv in a second folder: not even the good part lands."""
    good = FIXTURES / "more-movies"
    bad = seed_copy(tmp_path)
    (bad / "quotes.csv").write_text("movie,position\n")
    before = dump(seeded)
    one_line_error(movie("load", str(good), str(bad)))
    assert dump(seeded) == before
    assert movie("movies").stdout.count("\n") == 1


def test_load_missing_directory_and_folder_without_csvs(movie, seeded, tmp_path):
    load_fails(movie, seeded, tmp_path / "nowhere", "is not a directory")
    (tmp_path / "empty").mkdir()
    load_fails(movie, seeded, tmp_path / "empty", "holds none of the catalog's CSV files")


def test_loading_twice_changes_nothing(movie, seeded):
    before = dump(seeded)
    assert movie("load").exit_code == ExitStatus.OK
    assert movie("load").exit_code == ExitStatus.OK
    assert dump(seeded) == before
    more = str(FIXTURES / "more-movies")
    movie("load", more)
    once = dump(seeded)
    movie("load", more)
    assert dump(seeded) == once


def test_load_updates_in_place(movie, seeded, tmp_path):
    d = seed_copy(tmp_path)
    (d / "quotes.csv").write_text(
        (d / "quotes.csv").read_text().replace("Interesting choice of words.", "A new line.")
    )
    assert movie("load", str(d)).exit_code == ExitStatus.OK
    assert movie("quotes", "-n", "1").stdout.startswith("Ben Sanderson\tA new line.")
    assert movie("quotes", "--search", "interesting").stdout == ""  # FTS kept in step
    assert movie("quotes", "--search", "new line").stdout.count("\n") == 1
    assert movie("quotes").stdout.count("\n") == 4


def test_load_into_a_read_only_catalog(movie, seeded, unprivileged):
    """A catalog the user cannot write: load fails clearly; reading still works."""
    place = unprivileged.place
    target = place / "catalog.db"
    shutil.copy(seeded, target)
    target.chmod(0o444)
    before = file_digest(target)
    loaded = unprivileged.run("load", db=target)
    assert loaded.returncode == ExitStatus.ERROR, loaded.stderr
    assert "read-only" in loaded.stderr and "Traceback" not in loaded.stderr
    assert loaded.stderr.count("\n") == 1
    assert file_digest(target) == before
    read = unprivileged.run("cast", "-n", "1", db=target)
    assert read.returncode == ExitStatus.OK, read.stderr
    assert read.stdout == "Nicolas Cage\tBen Sanderson\n"


def test_unexpected_errors_are_one_line_unless_debugging(movie, seeded, monkeypatch):
    from movie.read import listings

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(listings, "cast_of", boom)
    message = one_line_error(movie("cast"))
    assert "internal error: RuntimeError: kaboom" in message and "MOVIE_DEBUG=1" in message
    monkeypatch.setenv("MOVIE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        movie("cast")
