"""`movie sql`: read-only queries, and everything that would write or reach outside refused."""

from __future__ import annotations

import json

import pytest
from helpers import file_digest

from movie.errors import ExitStatus
from movie.schema import SCHEMA_VERSION


def test_select_with_every_output_format(movie, seeded):
    assert movie("sql", "SELECT count(*) AS n FROM cast_credits").stdout == "36\n"
    rows = json.loads(movie("sql", "SELECT title, year FROM movies", "-f", "json").stdout)
    assert rows == [{"title": "Leaving Las Vegas", "year": 1995}]
    assert movie("sql", "SELECT 1 AS a, NULL AS b", "-f", "csv").stdout == "a,b\n1,\n"


def test_reading_pragmas_and_fts_work(movie, seeded):
    assert "title" in movie("sql", "PRAGMA table_info(movies)").stdout
    assert movie("sql", "PRAGMA user_version").stdout == f"{SCHEMA_VERSION}\n"
    hit = movie("sql", "SELECT line FROM quotes_fts WHERE quotes_fts MATCH 'pear'")
    assert "prickly pear" in hit.stdout


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO settings (key, value) VALUES ('x', 'y')",
        "UPDATE movies SET title = 'Gone'",
        "DELETE FROM quotes",
        "DROP TABLE quotes",
        "CREATE TABLE t (x)",
        "ATTACH DATABASE '/tmp/movie-attack.db' AS other",
        "PRAGMA writable_schema = ON",
        "PRAGMA query_only = OFF",
        "PRAGMA user_version = 7",
        "PRAGMA journal_mode = DELETE",
        "SELECT load_extension('/tmp/evil')",
        "VACUUM INTO '/tmp/movie-copy.db'",
        "VACUUM",
        "SELECT 1; DELETE FROM quotes",
        "REINDEX",
        "ANALYZE",
    ],
)
def test_writes_and_escapes_are_refused(movie, seeded, statement, tmp_path):
    before = file_digest(seeded)
    result = movie("sql", statement)
    assert result.exit_code == ExitStatus.ERROR, (statement, result.stdout)
    assert result.stderr.startswith("movie: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert file_digest(seeded) == before
    assert movie("sql", "SELECT count(*) FROM quotes").stdout == "4\n"


def test_sql_syntax_error_is_one_line(movie, seeded):
    result = movie("sql", "SELEC nonsense")
    assert result.exit_code == ExitStatus.ERROR and "SQL error" in result.stderr


def test_statement_with_no_rows_prints_nothing(movie, seeded):
    result = movie("sql", "SELECT * FROM movies WHERE 0")
    assert result.exit_code == ExitStatus.OK and result.stdout == ""
