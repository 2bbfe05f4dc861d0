"""Connections to a catalog: settings, write transactions, streamed reads, and SQLite's errors
turned into movie's typed ones."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movie import interrupts
from movie.errors import (
    CatalogBusy,
    CatalogDamaged,
    CatalogError,
    MovieError,
    NotSQLite,
    ReadOnlyCatalog,
)
from movie.text import lenient_text, sql_fold

BUSY_TIMEOUT_ENV = "MOVIE_BUSY_TIMEOUT"
BUSY_TIMEOUT_MS = 5000
MAX_BUSY_TIMEOUT_MS = 3_600_000  # an hour: longer is surely a typo, and is clamped


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def busy_timeout() -> int:
    """$MOVIE_BUSY_TIMEOUT in ms, clamped to 0 .. an hour; the default if it is not a number."""
    try:
        wanted = int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS))
    except ValueError:
        return BUSY_TIMEOUT_MS
    return min(max(0, wanted), MAX_BUSY_TIMEOUT_MS)


def configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys = ON")
    # In WAL mode NORMAL never corrupts: a power cut may only lose the last commit.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA busy_timeout = {busy_timeout()}")
    conn.create_function("fold", 1, sql_fold, deterministic=True)
    conn.set_progress_handler(interrupts.progress, interrupts.STEPS)
    # Text that is not UTF-8 (written by another tool) reads with U+FFFD, not an error. Long
    # row streams switch to the faster built-in decoding while they fetch (see stream()).
    conn.text_factory = lenient_text
    return conn


def connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise CatalogError(f"cannot open the catalog {path}: {exc}", path) from exc
    try:
        return configure(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise unreadable(exc, path) from exc


def unreadable(exc: sqlite3.DatabaseError, path: Path) -> MovieError:
    if "not a database" in str(exc):
        return NotSQLite(f"{path} is not a SQLite database ({exc})", path)
    return explain(exc, path) or CatalogError(f"cannot open the catalog {path}: {exc}", path)


def memory_catalog_connection() -> sqlite3.Connection:
    return configure(sqlite3.connect(":memory:", isolation_level=None))


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction that takes the write lock up front (waiting for another writer up
    to the busy timeout), commits on success and rolls back on any error or interrupt."""
    interrupts.unshield()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        # From here the write is as good as on disk: a Ctrl-C now is held back, so that the
        # exit status says what the catalog holds.
        with interrupts.shielded():
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def stream(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """A query's column names and its rows, fetched one at a time as they are written out.

    Rows are decoded the fast way; if a text value is not UTF-8, the query runs again, reading
    text leniently (U+FFFD for bad bytes), and goes on after the rows already given. A time
    limit counts only the fetching."""
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description] if cursor.description else []

    def rows() -> Iterator[tuple[Any, ...]]:
        current, given, lenient = cursor, 0, False

        def timed(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
            return iter(lambda: interrupts.on_the_clock(cursor.fetchone), None)

        while True:
            conn.text_factory = lenient_text if lenient else str
            try:
                fetched = timed(current) if interrupts.limited() else current
                for row in fetched:
                    given += 1
                    yield row
                return
            except (sqlite3.OperationalError, UnicodeDecodeError) as exc:
                if lenient or "decode" not in str(exc):
                    raise
                lenient = True
                conn.text_factory = lenient_text
                current = conn.execute(sql, params)
                for _ in range(given):
                    current.fetchone()
            finally:
                conn.text_factory = lenient_text

    return columns, rows()


def explain(exc: sqlite3.Error, path: Path) -> MovieError | None:
    """The user-facing meaning of an SQLite error about the catalog file, where there is one."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return CatalogBusy(
            f"the catalog {path} is busy: another movie is writing to it; try again when it is "
            f"done (waited {busy_timeout() / 1000:g} s; set {BUSY_TIMEOUT_ENV} in ms to wait "
            "longer)",
            path,
        )
    if "readonly" in message or "read-only" in message:
        return ReadOnlyCatalog(
            f"the catalog {path} is read-only for you; nothing was changed", path
        )
    if "disk is full" in message or "disk I/O error" in message:
        return CatalogError(
            f"could not write the catalog {path} ({message}); nothing was changed: free some "
            "disk space (or fix the disk) and try again",
            path,
        )
    if "malformed" in message or "not a database" in message:
        return CatalogDamaged(f"the catalog {path} is damaged ({message})", path)
    return None
