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
