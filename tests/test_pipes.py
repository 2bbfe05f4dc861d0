"""Real processes and pipes: what a shell user sees, exit codes included."""

from __future__ import annotations

import json

import movie as movie_package
from movie.errors import ExitStatus

BIG = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
    "SELECT i, 'row ' || i FROM n"
)


def test_cast_head_exits_quietly(shell):
    done = shell("movie cast | head -1")
    assert done.returncode == ExitStatus.OK, done.stderr
    assert done.stdout == "Nicolas Cage\tBen Sanderson\n"
    assert "Traceback" not in done.stderr


def test_closed_pipe_on_a_long_output_is_quiet(shell):
    done = shell(f'movie cast >/dev/null 2>&1; movie sql "{BIG}" | head -1')
    assert done.returncode == ExitStatus.OK, done.stderr
    assert done.stdout == "1\trow 1\n"
    assert done.stderr == ""
    for fmt in ("csv", "json", "jsonl", "markdown"):
        done = shell(f'movie sql "{BIG}" -f {fmt} | head -2')
        assert done.returncode == ExitStatus.OK and done.stderr == "", (fmt, done.stderr)


def test_cut_and_sort(shell):
    done = shell("movie cast | cut -f1 | sort | head -3")
    assert done.stdout.splitlines() == ["Al C. Henderson", "Albert Henderson", "Anne Lange"]


def test_json_pipes_into_a_json_reader(shell):
    done = shell(
        "movie quotes -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'"
    )
    assert done.stdout == "4\n", done.stderr


def test_piped_output_has_no_colour_or_header(shell):
    done = shell("movie quotes --search pear | cat")
    assert "\x1b" not in done.stdout
    assert not done.stdout.startswith("character")


def test_first_use_message_goes_to_stderr(shell, tmp_path):
    done = shell("movie card", env={"MOVIE_DB": str(tmp_path / "fresh.db")})
    assert done.returncode == ExitStatus.OK
    assert "Created the movie catalog" in done.stderr
    assert "Created" not in done.stdout
    assert done.stdout.startswith("title\tLeaving Las Vegas\n")


def test_exit_codes(shell):
    assert shell("movie card 'No Such Film'").returncode == ExitStatus.ERROR
    assert shell("movie cast --format xml").returncode == ExitStatus.USAGE
    assert shell("movie").returncode == ExitStatus.USAGE
    assert shell("movie --help").returncode == ExitStatus.OK


def test_version_and_python_m(shell):
    done = shell("movie --version")
    assert done.stdout == f"movie {movie_package.__version__}\n"


def test_card_json_with_jq_like_reading(shell):
    done = shell("movie card -f json")
    assert json.loads(done.stdout)["critics"]["reviews"] == 48
