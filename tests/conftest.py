"""Shared fixtures: every test gets its own catalog path, so no test touches a user's data.

Plain helpers (paths, child processes, dumps) are in helpers.py."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import FIXTURES, Run, Unprivileged
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from movie.cli import app
from movie.errors import ExitStatus

# One hypothesis profile for every property test: no per-example deadline (a mangled page takes
# what it takes on a slow machine), and the checks that a function-scoped fixture is reused and
# that data generation is slow are off (the tests reset what they touch themselves). Each test
# says only how many examples it wants.
settings.register_profile(
    "movie",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("movie")


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
    assert done.returncode == ExitStatus.OK, done.stderr
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
def five(movie: Callable[..., Run], catalog: Path) -> Path:
    """The test's catalog holding five movies (two named Heat) from a CSV folder."""
    result = movie("load", str(FIXTURES / "more-movies"))
    assert result.exit_code == ExitStatus.OK, result.stderr
    return catalog


@pytest.fixture
def imported(movie: Callable[..., Run]) -> Callable[..., Run]:
    """`movie import ARGS...`, which must succeed (into --db DB when given): its result."""

    def run(*args: str | Path, db: Path | None = None) -> Run:
        where = ("--db", str(db)) if db is not None else ()
        result = movie(*where, "import", *map(str, args))
        assert result.exit_code == ExitStatus.OK, result.stderr
        return result

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


@pytest.fixture
def empty_catalog(catalog: Path) -> Path:
    """A catalog with the schema and no movies (not built from the seed)."""
    from movie.store.schema import apply_schema

    conn = sqlite3.connect(catalog)
    conn.execute("PRAGMA journal_mode = WAL")
    apply_schema(conn)
    conn.close()
    return catalog
