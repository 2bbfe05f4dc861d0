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


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One catalog built from the bundled seed by movie itself, copied by each test that wants
    one (building it takes a tenth of a second; a copy, a millisecond)."""
    import shutil

    path = tmp_path_factory.mktemp("template") / "catalog.db"
    done = subprocess.run(
        [sys.executable, "-m", "movie", "movies"],
        capture_output=True,
        env={**os.environ, "MOVIE_DB": str(path)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not Path(f"{path}-wal").exists()
    copy = path.with_name("pristine.db")
    shutil.copyfile(path, copy)
    return copy


@pytest.fixture
def seeded(catalog: Path, seeded_template: Path) -> Path:
    """The test's catalog, holding the bundled seed (as after a new user's first command)."""
    import shutil

    shutil.copyfile(seeded_template, catalog)
    return catalog


def movie_process(*args: str, db: Path, **env: str) -> subprocess.Popen[str]:
    """`python -m movie ARGS` as a child process on catalog db, for signals and pipes."""
    return subprocess.Popen(
        [sys.executable, "-m", "movie", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "MOVIE_DB": str(db), **env},
    )


def movie_run(
    *args: str, db: Path, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`python -m movie ARGS` run to its end on catalog db."""
    return subprocess.run(
        [sys.executable, "-m", "movie", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "MOVIE_DB": str(db), **env},
        timeout=300,
    )


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


def dump(path: Path, with_fts: bool = True) -> str:
    """Every row of a catalog as SQL text: equal dumps, equal data."""
    conn = sqlite3.connect(path)
    try:
        lines = conn.iterdump()
        if not with_fts:  # full-text segments differ by how the index was built, not in content
            lines = (line for line in lines if "_fts_" not in line)
        return "\n".join(lines)
    finally:
        conn.close()


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# Root writes to any file, so as root the CLI drops to an unprivileged user first (after
# importing everything it needs, since the interpreter may live where that user cannot read).
AS_USER = """
import importlib, os, pkgutil, sys
import movie, movie.__main__, movie.schema, sqlite_utils, tabulate, csv, json, difflib, io, typer
import typer._click
movie.schema.schema_text()  # the checkout may be readable by root alone
for package in (movie, typer, typer._click, sqlite_utils):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:
            pass
if os.geteuid() == 0:
    import pwd
    user = pwd.getpwnam("nobody")
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
sys.argv = ["movie", *sys.argv[1:]]
from movie.__main__ import main
main()
"""


@dataclass
class Unprivileged:
    """Runs movie as a user who cannot write what root made read-only, in a shared folder."""

    place: Path

    def run(self, *args: str, db: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "MOVIE_DB": str(db), "HOME": str(self.place)}
        return subprocess.run(
            [sys.executable, "-c", AS_USER, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.place,
            timeout=120,
        )


@pytest.fixture
def unprivileged():
    import shutil
    import tempfile

    if os.geteuid() == 0:
        pwd = pytest.importorskip("pwd")
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("no unprivileged user to run as")
    place = Path(tempfile.mkdtemp(prefix="movie-unprivileged-"))
    place.chmod(0o755)
    try:
        yield Unprivileged(place)
    finally:
        shutil.rmtree(place, ignore_errors=True)
