"""Where the catalog lives, its schema, and connections to it."""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Callable
from pathlib import Path

from movie.errors import MovieError

# Kept in step with the PRAGMA user_version line at the end of schema.sql.
SCHEMA_VERSION = 1
ENV_VAR = "MOVIE_DB"
BUSY_TIMEOUT_MS = 5000

Notice = Callable[[str], None]


def resource(name: str) -> Path:
    """A file shipped with movie: inside the installed package, else in the source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / name
    if packaged.exists():
        return packaged
    return here.parent.parent / name


def fold(text: str | None) -> str | None:
    """Text as lookups compare it: case-folded and without accents ("Magalhães" -> "magalhaes")."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def catalog_path(option: str | None = None) -> Path:
    """--db, else $MOVIE_DB, else movie.db in the user data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from typer import get_app_dir

    return Path(get_app_dir("movie")) / "movie.db"


def _uri(path: Path, mode: str) -> str:
    return f"{path.resolve().as_uri()}?mode={mode}"


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.create_function("fold", 1, fold, deterministic=True)
    return conn


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise MovieError(f"cannot open the catalog {path}: {exc}") from exc
    return _configure(conn)


def apply_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and trigger of schema.sql in one transaction."""
    script = resource("schema.sql").read_text(encoding="utf-8")
    try:
        conn.executescript(f"BEGIN;\n{script}\nCOMMIT;")
    except sqlite3.OperationalError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if "fts5" in str(exc):
            raise MovieError(
                f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, "
                "which movie needs for full-text search; use a Python whose sqlite3 has FTS5"
            ) from exc
        raise


def scratch_catalog() -> sqlite3.Connection:
    """An empty catalog in memory: where `import --dry-run` writes, so nothing real changes."""
    conn = _configure(sqlite3.connect(":memory:", isolation_level=None))
    apply_schema(conn)
    return conn


def check_catalog(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse anything that is not a movie catalog this version understands, before touching it."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):
            raise ReadOnlyCatalog(
                f"the catalog {path} is read-only for you; make it writable, or use another "
                f"file with --db or {ENV_VAR}"
            ) from exc
        raise MovieError(
            f"{path} is not a SQLite database ({exc}); point --db or {ENV_VAR} at a movie "
            "catalog, or at a new file to create one"
        ) from exc
    if "movies" not in tables or version == 0:
        raise MovieError(
            f"{path} is a SQLite database but not a movie catalog; refusing to touch it "
            f"(point --db or {ENV_VAR} at a movie catalog, or at a new file to create one)"
        )
    if version > SCHEMA_VERSION:
        raise MovieError(
            f"{path} was written by a newer movie (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade movie to use it"
        )


def _is_new(path: Path) -> bool:
    if path.is_dir():
        raise MovieError(
            f"{path} is a directory, not a catalog file; give a file path with --db or {ENV_VAR}"
        )
    return not path.exists() or path.stat().st_size == 0


def build_catalog(path: Path, notice: Notice) -> None:
    """Create a catalog from the bundled seed, all or nothing: built aside, then renamed."""
    from movie import loading

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MovieError(f"cannot create the folder for the catalog {path}: {exc}") from exc
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    try:
        conn = _connect(tmp, "rwc")
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            apply_schema(conn)
            loading.load_directories(conn, [resource("seed")])
        finally:
            conn.close()
        os.replace(tmp, path)
    except OSError as exc:
        raise MovieError(f"cannot create the catalog {path}: {exc}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    notice(f"Created the movie catalog at {path} from the bundled seed.")


class ReadOnlyCatalog(MovieError):
    """The catalog file (or its folder, which WAL mode writes to) cannot be written."""


def _checked(path: Path, mode: str) -> sqlite3.Connection:
    conn = _connect(path, mode)
    try:
        check_catalog(conn, path)
    except MovieError:
        conn.close()
        raise
    return conn


def open_catalog(path: Path, notice: Notice, write: bool = False) -> sqlite3.Connection:
    """A connection to the catalog, building it from the seed on first use.

    A catalog the user may not write is still readable: it is then opened immutable, since
    SQLite cannot set up WAL's shared memory beside a file it may not write.
    """
    if _is_new(path):
        build_catalog(path, notice)
    try:
        return _checked(path, "rw")
    except ReadOnlyCatalog:
        if write:
            raise
    return _checked(path, "ro&immutable=1")


# Authorizer action codes that `movie sql` refuses even on a read-only connection.
_REFUSED_ACTIONS = {
    sqlite3.SQLITE_ATTACH: "ATTACH",
    sqlite3.SQLITE_DETACH: "DETACH",
}


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


def _sql_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action in _REFUSED_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1 not in _READING_PRAGMAS:
        # Any other PRAGMA with an argument sets something (query_only = OFF, for one).
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and arg2 in {"load_extension", "writefile"}:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def open_readonly(path: Path, notice: Notice) -> sqlite3.Connection:
    """A connection for user-written SQL: read-only file, query_only, and an authorizer."""
    if _is_new(path):
        build_catalog(path, notice)
    try:
        conn = _checked(path, "ro")
    except ReadOnlyCatalog:
        conn = _checked(path, "ro&immutable=1")
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_sql_authorizer)
    return conn
