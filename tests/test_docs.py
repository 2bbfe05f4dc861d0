"""The README and --help keep up with the commands."""

from __future__ import annotations

import re

import pytest
import typer.main
from helpers import ROOT

from movie.cli import app
from movie.errors import ExitStatus

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_there_are_commands():
    assert {"cast", "reviews", "quotes", "card", "movies", "use", "load", "sql", "path"} <= set(
        COMMANDS
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name):
    assert re.search(rf"`movie {name}\b", README), f"`movie {name}` is not in README.md"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_examples(movie, name):
    result = movie(name, "--help")
    assert result.exit_code == ExitStatus.OK
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:")[1].split("\n\n")[0]
    assert examples.count("movie ") >= 1


CHARTS = sorted(typer.main.get_command(app).commands["chart"].commands)  # type: ignore[attr-defined]


def test_there_are_charts():
    assert CHARTS == ["agreement", "career", "catalog", "me", "reviews"]


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_in_the_readme_with_examples_in_its_help(movie, name):
    assert re.search(rf"`(movie chart )?{name}\b", README), f"chart {name} is not in README.md"
    result = movie("chart", name, "--help")
    assert result.exit_code == ExitStatus.OK
    assert f"movie chart {name}" in result.stdout.split("Examples:")[1]


def test_app_help_and_version(movie):
    assert "Examples:" in movie("--help").stdout
    assert movie("--version").stdout.startswith("movie ")


def test_readme_names_the_setup_and_test_commands():
    assert "pip install . && movie card" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -e '.[test]'" in ci or 'pip install -e ".[test]"' in ci
    assert re.search(r"^\s*(python -m )?pytest\b", ci, re.M) or "-m pytest" in ci


def test_reference_manual_is_up_to_date():
    from movie.reference import render

    manual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert manual == render(), "docs/cli.md is stale: python -m movie.reference > docs/cli.md"


def test_every_command_help_ends_with_examples(movie):
    import typer.main

    from movie.cli import app

    for name in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        text = movie(name, "--help").stdout.rstrip().splitlines()
        at = text.index("  Examples:")
        assert at > 0 and all(line.startswith("    ") for line in text[at + 1 :]), name
        assert 1 <= len(text) - at - 1 <= 4, name
        assert text.index("Options:") < at, name
