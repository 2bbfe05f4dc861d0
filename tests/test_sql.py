"""`movie sql`: read-only queries, and everything that would write or reach outside refused."""

from __future__ import annotations

import json

import pytest
from helpers import file_digest

from movie.errors import ExitStatus
from movie.store.schema import SCHEMA_VERSION


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


HEAVY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
    "SELECT sum(length(printf('%.*c', 99000000 - i, 'x'))) FROM n"
)  # each row one long C call: the progress handler hardly ever runs (200 s of work)


def test_a_query_of_few_costly_steps_stops_at_its_time_limit(seeded):
    from helpers import movie_process

    process = movie_process("sql", HEAVY, "--timeout", "1", db=seeded)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.ERROR, stderr
    assert stderr == (
        "movie: stopped after 1 s, the time limit; allow longer with --timeout SECONDS "
        "(0 for no limit) or MOVIE_TIMEOUT\n"
    )


def test_ctrl_c_stops_a_query_of_few_costly_steps(seeded):
    import signal
    import time

    from helpers import movie_process

    process = movie_process("sql", HEAVY, "--timeout", "0", db=seeded)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr == "movie: interrupted\n"


def test_no_value_a_query_makes_grows_past_100_mb(movie, seeded):
    blob = movie("sql", "SELECT length(randomblob(2000000000))")
    assert blob.exit_code == ExitStatus.ERROR
    assert blob.stderr == "movie: SQL error: string or blob too big\n"
    # printf gives up on a text over the limit: no value (NULL), not 300 MB.
    text = movie("sql", "SELECT length(printf('%.*c', 300000000, 'x'))")
    assert text.exit_code == ExitStatus.OK and text.stdout == "\n"


def test_named_parameters_go_in_as_values_not_sql(movie, seeded):
    result = movie(
        "sql", "SELECT title, role, character FROM credits WHERE name = :who", "-p", "who",
        "Nicolas Cage",
    )  # fmt: skip
    assert result.stdout == "Leaving Las Vegas\tactor\tBen Sanderson\n"
    both = movie("sql", "SELECT :a || :b", "-p", "a", "x'; DROP", "--param", ":b", "2")
    assert both.stdout == "x'; DROP2\n"
    missing = movie("sql", "SELECT :a")
    assert missing.exit_code == ExitStatus.ERROR
    assert missing.stderr == (
        "movie: SQL error: You did not supply a value for binding parameter :a.\n"
    )
    for args in (["-p", "a"], ["--bogus"], ["extra"]):
        wrong = movie("sql", "SELECT :a", *args)
        assert wrong.exit_code == ExitStatus.USAGE, args
        assert wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr


def test_the_credits_view_names_every_credit(movie, seeded):
    rows = movie(
        "sql", "SELECT slug, name, role, character, job, billing FROM credits "
        "WHERE role <> 'actor' ORDER BY role, billing",
    ).stdout.splitlines()  # fmt: skip
    assert rows[:2] == [
        "leaving-las-vegas-1995\tMike Figgis\twriter\t\t\t1",
        "leaving-las-vegas-1995\tJohn O'Brien\twriter\t\t\t2",
    ]
    plan = movie("sql", "EXPLAIN QUERY PLAN SELECT * FROM credits WHERE movie_id = 1").stdout
    assert "SCAN c\n" not in plan and "SCAN w\n" not in plan and "SEARCH c USING" in plan
