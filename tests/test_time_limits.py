"""Work that can run long stops: at its time limit (--timeout, MOVIE_TIMEOUT) or at Ctrl-C, with
one line saying which, and listings and searches keep their bounds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import (
    movie_process,
    movie_run,
)

from movie import interrupts
from movie.errors import ExitStatus

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_sql_stops_at_its_time_limit_and_names_the_option(seeded):
    started = time.monotonic()
    result = movie_run("sql", FOREVER, "--timeout", "0.5", db=seeded)
    assert result.returncode == ExitStatus.ERROR
    assert time.monotonic() - started < 60
    assert result.stderr == (
        "movie: stopped after 0.5 s, the time limit; allow longer with --timeout SECONDS "
        "(0 for no limit) or MOVIE_TIMEOUT\n"
    )
    result = movie_run("sql", FOREVER, db=seeded, MOVIE_TIMEOUT="0.3")
    assert result.returncode == ExitStatus.ERROR and "after 0.3 s" in result.stderr


def test_the_time_limit_counts_work_not_the_reader(seeded):
    """A slow reader of many quick rows is not stopped: only SQLite's time counts."""
    script = (
        f"{sys.executable} -m movie sql --timeout 0.5 "
        "'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 8) "
        "SELECT x FROM c' | while read -r line; do sleep 0.15; echo $line; done"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(seeded)},
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    assert done.stdout.split() == [str(n) for n in range(1, 9)]


@pytest.mark.parametrize(
    "args",
    [["sql", FOREVER, "--timeout", "0"], ["sql", FOREVER]],
    ids=["no-limit", "default-limit"],
)
def test_ctrl_c_interrupts_a_running_statement(seeded, args):
    process = movie_process(*args, db=seeded)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr == "movie: interrupted\n"


def test_searches_have_the_time_limit_too(movie, seeded, monkeypatch):
    monkeypatch.setattr(interrupts, "STEPS", 1)  # the seed is too small to reach the check
    for args in (["search", "love"], ["reviews", "--search", "drink"], ["quotes", "-s", "pear"]):
        result = movie(*args, "--timeout", "0.000001")
        assert result.exit_code == ExitStatus.ERROR, (args, result.stderr)
        assert "the time limit; allow longer with --timeout" in result.stderr


def test_listings_without_a_search_have_no_default_limit(movie, seeded, monkeypatch):
    monkeypatch.setattr(interrupts, "STEPS", 1)
    monkeypatch.setenv("MOVIE_TIMEOUT", "0.000001")
    assert movie("reviews", "--all").exit_code == ExitStatus.OK
    assert movie("quotes").exit_code == ExitStatus.OK
    assert movie("reviews", "--search", "drink").exit_code == ExitStatus.ERROR
    assert movie("reviews", "--timeout", "0.000001").exit_code == ExitStatus.ERROR


def test_too_many_search_terms_are_refused_before_sqlite_sees_them(movie, seeded):
    many = " ".join(["a*"] * 800)
    for args in (["search", many], ["reviews", "--all", "--search", many]):
        result = movie(*args)
        assert result.exit_code == ExitStatus.ERROR
        assert "the search has 800 terms; at most 32" in result.stderr
    # The same word typed many times is one term.
    assert movie("quotes", "--search", " ".join(["pear"] * 100)).exit_code == ExitStatus.OK
