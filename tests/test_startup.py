"""Start-up stays lean: the common commands import nothing heavy (timings live in bench/run.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from movie.errors import ExitStatus

PROBE = """
import atexit, sys
heavy = (  # none is imported by Typer
    "sqlite_utils", "tabulate", "rich", "pydantic", "csv", "json", "html.parser",
    "movie.sources.html_page", "plotille", "movie.output.plots", "movie.read.charts",
)
atexit.register(lambda: print(",".join(m for m in heavy if m in sys.modules), file=sys.stderr))
sys.argv = ["movie", *sys.argv[1:]]
from movie.__main__ import main
main()
"""


def loaded_modules(*args: str, db) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(db)},
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    lines = done.stderr.splitlines()
    return set(filter(None, (lines[-1] if lines else "").split(",")))


@pytest.mark.parametrize(
    "args", [["cast"], ["reviews", "--top"], ["quotes", "--search", "pear"], ["path"], ["use"]]
)
def test_piped_commands_import_nothing_heavy(seeded, args):
    assert loaded_modules(*args, db=seeded) == set()


def test_formats_load_only_what_they_need(seeded):
    assert loaded_modules("cast", "-f", "json", db=seeded) == {"json"}
    table = loaded_modules("cast", "-f", "table", db=seeded)
    assert "tabulate" in table and "sqlite_utils" not in table
    assert "sqlite_utils" not in loaded_modules("card", "-f", "table", db=seeded)


def test_completion_imports_nothing_heavy(seeded):
    env = {
        **os.environ,
        "MOVIE_DB": str(seeded),
        "_MOVIE_COMPLETE": "complete_bash",
        "COMP_WORDS": "movie cast lea",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stdout.strip() == "Leaving\\ Las\\ Vegas"
    assert done.stderr.strip() == ""


BUILT = """
import sys
import typer
from movie.cli import app, keep_only_the_command_in
keep_only_the_command_in(sys.argv[1:])
group = typer.main.get_command(app)
chart = group.commands.get("chart")
print(",".join(sorted(group.commands)), len(chart.commands) if chart else 0)
"""


def built_by(*args: str, **env: str) -> tuple[set[str], int]:
    """The commands Typer builds for a run given `args`, and how many of the chart group's."""
    done = subprocess.run(
        [sys.executable, "-c", BUILT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    names, charts = done.stdout.split()
    return set(names.split(",")), int(charts)


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["cast"], {"cast"}),  # one command, and none of the chart group's
        (["--db", "x.db", "card"], {"card"}),
        (["chart", "career", "Nicolas Cage"], {"chart"}),  # the group, with every chart
    ],
)
def test_a_run_builds_only_the_command_it_runs(args, names):
    """Typer builds a command per function it is given (reading each one's signature and
    annotations): a run gives it only the one it runs."""
    built, charts = built_by(*args)
    assert built == names
    assert (charts > 0) == (names == {"chart"})


def test_help_and_unknown_words_build_every_command():
    every, charts = built_by("--help")
    assert {"cast", "card", "chart", "person", "import"} <= every and charts > 1
    for args in (["castt"], []):
        assert built_by(*args) == (every, charts)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"COMP_WORDS": "movie cast lea", "COMP_CWORD": "2"}, {"cast"}),
        ({"COMP_WORDS": "movie --db x.db card he", "COMP_CWORD": "4"}, {"card"}),
        ({"COMP_WORDS": "movie chart car", "COMP_CWORD": "2"}, {"chart"}),
        ({"COMP_WORDS": "movie ca", "COMP_CWORD": "1"}, None),  # the command's own name
        ({"_TYPER_COMPLETE_ARGS": "movie person nic"}, {"person"}),  # zsh, fish
        ({"_TYPER_COMPLETE_ARGS": "movie cast "}, {"cast"}),
        ({"_TYPER_COMPLETE_ARGS": "movie cas"}, None),
    ],
)
def test_completion_builds_only_the_command_being_completed(env, names):
    every, _ = built_by("--help")
    shell = "complete_bash" if "COMP_WORDS" in env else "complete_zsh"
    built, _ = built_by(_MOVIE_COMPLETE=shell, **env)
    assert built == (names or every)


COMMAND_MODULES = {"reading", "finding", "writing", "mine", "other", "charts"}
IMPORTED = """
import atexit, gc, sys
def report():
    modules = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("movie.cli."))
    print(",".join(modules), gc.isenabled(), gc.get_freeze_count() > 10_000, file=sys.stderr)
atexit.register(report)
sys.argv = ["movie", *sys.argv[1:]]
from movie.__main__ import main
main()
"""


@pytest.mark.parametrize(
    ("args", "module"),
    [(["cast"], "reading"), (["path"], "other"), (["movies", "-n", "1"], "finding"),
     (["chart", "--help"], "charts"), (["--db", "x.db", "me", "--help"], "mine")],
)  # fmt: skip
def test_a_run_imports_only_its_commands_module_and_runs_it_with_start_up_frozen(
    seeded, tmp_path, args, module
):
    """Only the module declaring the command is imported (with `common` and `app`); the
    cycle collector, paused for start-up, is on again while the command runs, with what
    start-up made (tens of thousands of objects) frozen out of its way."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(seeded)},
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    modules, enabled, frozen = done.stderr.splitlines()[-1].split()
    assert set(modules.split(",")) & COMMAND_MODULES == {module}
    if "--help" not in args:  # help is printed while parsing, before any command runs
        assert (enabled, frozen) == ("True", "True")


def test_help_imports_every_command_module(seeded):
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(seeded)},
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    modules = set(done.stderr.splitlines()[-1].split()[0].split(","))
    assert modules >= COMMAND_MODULES
