"""Shared fixtures: every test gets its own catalog path, so no test touches a user's data."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from movie.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_report_header() -> list[str]:
    import sqlite_utils
    import typer

    return [
        f"sqlite {sqlite3.sqlite_version}, typer {typer.__version__}, "
        f"sqlite-utils {sqlite_utils.__version__ if hasattr(sqlite_utils, '__version__') else '?'}"
    ]


@pytest.fixture(autouse=True)
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The catalog every command in this test uses (created on first use, as for a new user)."""
    path = tmp_path / "catalog.db"
    monkeypatch.setenv("MOVIE_DB", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("MOVIE_DEBUG", raising=False)
    return path


@dataclass
class Run:
    stdout: str
    stderr: str
    exit_code: int


@pytest.fixture
def movie() -> Callable[..., Run]:
    """Run the CLI in-process, like a shell session: movie("cast", "--limit", "2")."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        result = runner.invoke(app, list(args), input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.stdout, result.stderr, result.exit_code)

    return run


@pytest.fixture
def shell() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run a real shell pipeline where `movie` is python -m movie, for pipes and exit codes."""
    bindir = Path(sys.executable).parent

    def run(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {
            **os.environ,
            "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
            **(env or {}),
        }
        return subprocess.run(
            [
                "bash",
                "-c",
                f'set -o pipefail; movie() {{ {sys.executable} -m movie "$@"; }}; {command}',
            ],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=60,
        )

    return run


def seed_copy(tmp_path: Path, name: str = "csvs") -> Path:
    """A writable copy of the seed CSVs, to break on purpose."""
    import shutil

    target = tmp_path / name
    shutil.copytree(SEED, target)
    return target


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
