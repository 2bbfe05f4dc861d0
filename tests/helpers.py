"""Helpers the tests share: paths, running movie as a child process, reading catalogs back.

(Fixtures live in conftest.py; these are plain functions and constants, imported by name.)
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_PAGE = FIXTURES / "leaving-las-vegas.rt.txt"  # the seed movie's saved page


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


def seed_copy(tmp_path: Path, name: str = "csvs") -> Path:
    """A writable copy of the seed CSVs, to break on purpose."""
    import shutil

    target = tmp_path / name
    shutil.copytree(SEED, target)
    return target


def everything(conn: sqlite3.Connection) -> Iterator[str]:
    """Each schema object's SQL and each row of each stored table (a full-text index's shadow
    tables among them), as lines. Not Connection.iterdump, which reads virtual tables as if
    they were stored: the contentless word and trigram indexes without row sizes (schema 10)
    cannot be read whole, only searched, and their rows are in their shadow tables."""
    objects = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    for kind, name, sql in objects:
        yield f"{kind} {name}: {sql}"
        if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL TABLE"):
            for row in conn.execute(f'SELECT * FROM "{name}"'):
                yield f"{name}: {row!r}"


def dump(path: Path, with_fts: bool = True) -> str:
    """Every row and schema object of a catalog as SQL text, statements sorted (the order of
    sqlite_master depends on which indexes a load dropped and made again): equal dumps, equal
    data."""
    conn = sqlite3.connect(path)
    try:
        lines = everything(conn)
        if not with_fts:  # full-text segments differ by how the index was built, not in content
            lines = (
                line
                for line in lines
                if "_fts_" not in line and "_trigrams_" not in line and "_words" not in line
            )
        return "\n".join(sorted(lines))
    finally:
        conn.close()


def file_digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# Root writes to any file, so as root the CLI drops to an unprivileged user first (after
# importing everything it needs, since the interpreter may live where that user cannot read).
AS_USER = """
import importlib, os, pkgutil, sys
import movie, movie.__main__, movie.store.schema, sqlite_utils, tabulate
import csv, json, difflib, io, typer
import typer._click
movie.store.schema.schema_text()  # the checkout may be readable by root alone
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


def ctrl_c_changes_nothing(args: list[str], db: Path) -> None:
    """Ctrl-C a second into `movie ARGS` on db: exit 130, one line, the catalog as it was (the
    test is skipped if the command finished first)."""
    import signal
    import time

    import pytest

    from movie.errors import ExitStatus

    before = dump(db)
    process = movie_process(*args, db=db)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    if process.returncode == ExitStatus.OK:
        pytest.skip("the import finished before the interrupt arrived")
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr.endswith("movie: interrupted\n")
    assert "Traceback" not in stderr
    assert dump(db) == before


def import_whole_or_not_at_all(parse: Any, data: bytes, name: str) -> None:
    """Parse a (mangled) page and import it into the seed: it lands whole, every list in full
    and every index sound, or it is refused in one line with the catalog as it was."""
    from movie.catalog import load_folders, scratch_catalog
    from movie.errors import MovieError
    from movie.writer.pages import import_record

    conn = scratch_catalog()
    load_folders(conn, [SEED])
    before = list(everything(conn))
    try:
        page = parse(data, name)
        import_record(conn, page)
    except MovieError as exc:
        assert "\n" not in exc.message
        assert list(everything(conn)) == before
        return
    movie_id = conn.execute("SELECT id FROM movies WHERE slug = ?", (page.slug,)).fetchone()[0]
    from movie.writer.pages import SAME_ENTRY

    for table, rows in page.rows().items():
        # The seed's own film saved again merges: every list holds the page's rows at least
        # (each once) and what the seed had that the page lacks.
        same = SAME_ENTRY.get(table)
        shown = len({same(row) for row in rows}) if same else len(rows)
        count = conn.execute(f"SELECT count(*) FROM {table} WHERE movie_id = ?", (movie_id,))
        assert count.fetchone()[0] >= shown, table
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for fts in ("quotes_fts", "critic_reviews_fts", "audience_reviews_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")


def cli_import_is_clean(result: Run) -> None:
    """`movie import` of a mangled page: done, or refused in one line; never a traceback."""
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stderr
    assert all(
        line.startswith(("movie: ", "Created the movie catalog"))
        for line in result.stderr.splitlines()
    )


def lines_run(work: Any) -> int:
    """How many lines of movie's own Python `work()` runs: the work done, counted without a
    clock (a loop's every turn counts), for tests that hold a path to linear work."""
    import movie

    package = str(Path(movie.__file__).parent)
    lines = [0]

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            lines[0] += 1
        return local

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(package) else None

    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(None)
    return lines[0]


def rows_in(db: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """The rows a query gives in a catalog, read with a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def rows_of(sql: str) -> list[tuple[Any, ...]]:
    """The rows a query gives in the test's catalog ($MOVIE_DB)."""
    return rows_in(os.environ["MOVIE_DB"], sql)


def small_page(title: str = "A Film (1999)", data: str = "", url: str = "m/a_film") -> bytes:
    """A small saved page of the 2024 layout (an HTML save), with schema.org data as given."""
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title} - Rotten Tomatoes</title>"
        f'<link rel="canonical" href="https://www.rottentomatoes.com/{url}">'
        f'<script type="application/ld+json">{data}</script></head><body>'
        '<media-scorecard><rt-text slot="criticsScore">50%</rt-text></media-scorecard>'
        "</body></html>"
    ).encode()


def write_imdb(folder: Path, **files: list[str]) -> Path:
    """IMDb files (title_basics=[rows]) with their real headers, in a folder."""
    from movie.sources.imdb import HEADERS

    folder.mkdir(exist_ok=True)
    for name, rows in files.items():
        name = name.replace("_", ".")
        header = "\t".join(HEADERS[name].split())
        (folder / f"{name}.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def part_writer_pid(monkeypatch: Any, module: Any, name: str, where: Path) -> None:
    """`module.name` (what a second process runs) made to write the pid of the process it runs
    in to `where` first: which process wrote the part."""
    real = getattr(module, name)

    def recording(*args: Any) -> None:
        where.write_text(str(os.getpid()))
        real(*args)

    monkeypatch.setattr(module, name, recording)


def leftover_parts(folder: Path) -> list[str]:
    """Part files left in `folder` (there should be none once an import is over)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".movie-part-"))
