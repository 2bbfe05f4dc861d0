"""User SQL (`movie sql`): what it may not do, and running it. Never prints."""

from __future__ import annotations

import sqlite3

from movie.errors import MovieError
from movie.results import Result
from movie.store.db import stream

# Authorizer action codes that `movie sql` refuses even on a read-only connection.
_REFUSED_ACTIONS = {
    sqlite3.SQLITE_ATTACH: "ATTACH",
    sqlite3.SQLITE_DETACH: "DETACH",
}


# load_extension runs code; fts3_tokenizer hands out (and takes) raw memory addresses.
_REFUSED_FUNCTIONS = {"load_extension", "writefile", "fts3_tokenizer"}

# PRAGMAs whose argument names what to read, not a value to set.
_READING_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
}


def authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action in _REFUSED_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1 not in _READING_PRAGMAS:
        # Any other PRAGMA with an argument sets something (query_only = OFF, for one).
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and arg2 in _REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def run_sql(conn: sqlite3.Connection, sql: str, params: dict[str, str] | None = None) -> Result:
    """A user's read-only query, with its named parameters (:name, given as text); every
    refusal becomes a MovieError that says why."""
    try:
        columns, rows = stream(conn, sql, params or {})
    except sqlite3.ProgrammingError as exc:
        if "one statement" in str(exc):
            raise MovieError(
                "movie sql runs one statement at a time; drop what follows ';'"
            ) from exc
        raise MovieError(f"SQL error: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        message = str(exc)
        if "interrupted" in message:
            raise
        if any(word in message for word in ("authoriz", "readonly", "read-only", "query_only")):
            raise MovieError(
                f"movie sql is read-only: it cannot write, ATTACH, change settings with PRAGMA "
                f"or load extensions ({message})"
            ) from exc
        raise MovieError(f"SQL error: {message}") from exc
    return Result(columns, rows)
