"""Hostile input: injection strings, huge values and random command lines."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from helpers import (
    FIXTURES,
    SEED_PAGE,
    file_digest,
    seed_copy,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from movie import dates
from movie.errors import ExitStatus
from movie.sources import text_page as pages

INJECTIONS = [
    "'; DROP TABLE movies; --",
    '" OR 1=1 --',
    "') OR ('1'='1",
    "Leaving Las Vegas'; DELETE FROM quotes; --",
    "1; ATTACH DATABASE '/tmp/x.db' AS x; --",
    "%",
    "_",
    "\\",
    "%' UNION SELECT sql, sql FROM sqlite_master --",
    "pear) OR rowid > 0 --",
    "NEAR(pear",
    "quotes_fts MATCH '*'",
    "Robert'); DROP TABLE cast_credits;--",
    "\x1b[31mred\x1b[0m",
    "\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48",
    "🎬",
]


@pytest.fixture
def built(movie, catalog):
    assert movie("load", str(FIXTURES / "more-movies")).exit_code == ExitStatus.OK
    assert movie("use", "Leaving Las Vegas").exit_code == ExitStatus.OK
    return catalog


def invocations(text: str) -> list[list[str]]:
    return [
        ["cast", text],
        ["cast", "--actor", text],
        ["cast", "--all", "--character", text],
        ["reviews", text],
        ["reviews", "--search", text],
        ["reviews", "--all", "--audience", "--search", text],
        ["quotes", "--search", text],
        ["quotes", "--all", "--character", text],
        ["card", text],
        ["card", f"{text} (1995)"],
        ["use", text],
        ["export", "--all", text],
    ]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_through_every_option(movie, built, tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    before = file_digest(built)
    for args in invocations(text):
        if args[0] == "export":
            args = ["export", str(tmp_path / "out"), "--all"]
        result = movie(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr
        if result.exit_code:
            assert result.stderr.startswith("movie: ") and result.stderr.count("\n") == 1
    assert movie("movies").stdout.count("\n") == 5
    assert movie("cast", "--all").stdout.count("\n") == 44
    assert movie("use").stdout == "Leaving Las Vegas (1995)\n"
    assert file_digest(built) == before or movie("quotes", "--all").stdout.count("\n") == 7


def test_filters_match_literally(movie, built):
    assert movie("cast", "--all", "--actor", "%").stdout == ""
    assert movie("cast", "--all", "--actor", "_").stdout == ""
    assert movie("cast", "--all", "--character", "No. ").stdout.count("\n") == 8


def test_a_megabyte_search_is_refused_cleanly(movie, built):
    huge = "pear " * 200_000
    result = movie("quotes", "--search", huge)
    assert result.exit_code == ExitStatus.ERROR
    assert "too long" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("option", [["card"], ["cast", "--actor"], ["quotes", "--character"]])
def test_megabyte_titles_and_filters_are_refused_cleanly(movie, built, option):
    result = movie(*option, "x" * 1_000_000)
    assert result.exit_code == ExitStatus.ERROR
    assert "too long" in result.stderr and result.stderr.count("\n") == 1


def test_long_but_reasonable_search_works(movie, built):
    result = movie("quotes", "--all", "--search", " ".join(["pear"] * 100))
    assert result.exit_code == ExitStatus.OK and "prickly pear" in result.stdout


def test_huge_csv_field_is_refused_cleanly(movie, built, tmp_path):
    d = seed_copy(tmp_path)
    text = "\n".join(f"line {n}" for n in range(100_000))
    with (d / "quotes.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write(f'leaving-las-vegas-1995,5,Ben Sanderson,"{text}",Someone,1 year ago\n')
    before = file_digest(built)
    result = movie("load", str(d))
    assert result.exit_code == ExitStatus.ERROR
    assert "field larger than field limit" in result.stderr and result.stderr.count("\n") == 1
    assert file_digest(built) == before


COMMANDS = [
    "cast",
    "reviews",
    "quotes",
    "card",
    "movies",
    "use",
    "load",
    "sql",
    "path",
    "import",
    "export",
    "nonsense",
]
OPTIONS = [
    "--all",
    "-a",
    "--year",
    "-y",
    "--actor",
    "--character",
    "--format",
    "-f",
    "--header",
    "--no-header",
    "--limit",
    "-n",
    "--top",
    "--audience",
    "--search",
    "-s",
    "--sort",
    "--dry-run",
    "--rebuild",
    "--help",
    "--version",
    "-h",
    "--db",
]
VALUES = [
    "table",
    "tsv",
    "csv",
    "json",
    "jsonl",
    "markdown",
    "xml",
    "0",
    "-1",
    "1995",
    "99999",
    "leaving",
    "Heat",
    "heat (1995)",
    "pear",
    '"pear',
    "AND",
    "*",
    "",
    " ",
    "-",
    "--",
    "SELECT 1",
    "DROP TABLE movies",
    "title",
    "year",
    "reviews",
]


@settings(max_examples=300)
@given(
    command=st.sampled_from(COMMANDS),
    rest=st.lists(
        st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.text(max_size=20)),
        max_size=6,
    ),
)
@pytest.mark.slow
def test_random_command_lines_end_in_0_1_or_2_without_a_traceback(
    movie, built, tmp_path_factory, monkeypatch, command, rest
):
    place = tmp_path_factory.mktemp("fuzz")
    monkeypatch.chdir(place)
    args = [command, *rest]
    if "--db" in args:  # never point the fuzzer at a real file outside its folder
        i = args.index("--db")
        args[i + 1 : i + 2] = [str(place / "fuzz.db")]
    if command == "load" and "--rebuild" in args:
        args.remove("--rebuild")
    result = movie(*args)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, args


PATHOLOGICAL = [
    " " * 200_000,
    "x" + " " * 200_000 + "y",
    "~" * 200_000,
    "~ " * 100_000,
    "(" * 200_000,
    " (" * 100_000,
    "1" * 200_000,
    "1 " * 100_000,
    "a:" * 100_000,
    "All Critics (" + "9" * 200_000,
    "– Submitted by " + " (" * 100_000,
    "– Submitted by " + "(a) " * 50_000,
    "Jan 1, " * 30_000,
    "R (" + "(" * 200_000,
    "Rating: " + "R " * 100_000,
]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    from movie.read import choose, listings
    from movie.sources import rt_dataset

    found = []
    for module in (pages, dates, rt_dataset, listings, choose):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__}.{name}", value))
    return found


@pytest.mark.parametrize("name,pattern", _patterns(), ids=[n for n, _ in _patterns()])
def test_every_parser_pattern_is_linear_on_pathological_lines(name, pattern):
    """Each line is 200,000 characters: a quadratic pattern would take minutes here, where a
    linear one takes milliseconds. A child process with a deadline keeps a regression from
    hanging the suite."""
    code = (
        "import json, re, sys\n"
        f"pattern = re.compile({pattern.pattern!r}, {int(pattern.flags)})\n"
        "for line in json.load(sys.stdin):\n"
        "    pattern.match(line); pattern.search(line)\n"
    )
    try:
        subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(PATHOLOGICAL),
            text=True,
            check=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} is not linear: {pattern.pattern!r}")


def test_a_synopsis_of_many_spaces_parses_quickly_and_right(tmp_path):
    text = SEED_PAGE.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(text) if line.startswith("Movie Info")) + 2
    text[at] = "x" + " " * 100_000 + "y ~ Someone"
    page = pages.parse_page("\n".join(text).encode(), "page.txt")
    assert page.movie["synopsis"] == "x" + " " * 100_000 + "y"
    assert page.movie["synopsis_by"] == "Someone"
