"""Where the catalog lives, its schema, and connections to it."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movie import interrupts
from movie.errors import MovieError
from movie.files import describe_kind
from movie.text import lenient_text, sql_fold

# Kept in step with the PRAGMA user_version line at the end of schema.sql.
SCHEMA_VERSION = 2
ENV_VAR = "MOVIE_DB"
BUSY_TIMEOUT_ENV = "MOVIE_BUSY_TIMEOUT"
BUSY_TIMEOUT_MS = 5000

# What takes a catalog from schema N to N + 1, run before schema.sql (whose IF NOT EXISTS
# statements then add any new table, index or trigger). Each upgrade is one transaction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE movies ADD COLUMN rt_link TEXT",
        # critic_reviews' key becomes a unique index (droppable for bulk imports). Rowids are
        # kept, so the full-text index still matches; its triggers are made again by schema.sql.
        """CREATE TABLE critic_reviews_2 (
            movie TEXT NOT NULL REFERENCES movies (slug) ON DELETE CASCADE ON UPDATE CASCADE,
            position INTEGER NOT NULL, critic TEXT, publication TEXT,
            top_critic INTEGER NOT NULL DEFAULT 0 CHECK (top_critic IN (0, 1)),
            verdict TEXT CHECK (verdict IS NULL OR verdict IN ('fresh', 'rotten')),
            score TEXT, review_date TEXT, quote TEXT)""",
        "INSERT INTO critic_reviews_2 (rowid, movie, position, critic, publication, top_critic, "
        "verdict, score, review_date, quote) SELECT rowid, movie, position, critic, publication, "
        "top_critic, verdict, score, review_date, quote FROM critic_reviews",
        "DROP TABLE critic_reviews",
        "ALTER TABLE critic_reviews_2 RENAME TO critic_reviews",
        # (its old indexes went with the old table; schema.sql makes the new ones)
        # The full-text tables are made again, spelled so that Datasette finds them, and
        # refilled after schema.sql (see FTS_TABLES).
        "DROP TABLE quotes_fts",
        "DROP TABLE critic_reviews_fts",
        "DROP TABLE audience_reviews_fts",
    ),
}
FTS_TABLES = ("quotes_fts", "critic_reviews_fts", "audience_reviews_fts")

Notice = Callable[[str], None]


def resource(name: str) -> Path:
    """A file shipped with movie: inside the installed package, else in the source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / name
    if os.path.exists(packaged):  # False, not an error, where the folder cannot be read
        return packaged
    return here.parent.parent / name


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


def _busy_timeout() -> int:
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys = ON")
    # In WAL mode NORMAL never corrupts: a power cut may only lose the last commit.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA busy_timeout = {_busy_timeout()}")
    conn.create_function("fold", 1, sql_fold, deterministic=True)
    conn.set_progress_handler(interrupts.progress, interrupts.STEPS)
    # Text that is not UTF-8 (written by another tool) reads with U+FFFD, not an error. Long
    # row streams switch to the faster built-in decoding while they fetch (see stream()).
    conn.text_factory = lenient_text
    return conn


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise MovieError(f"cannot open the catalog {path}: {exc}") from exc
    try:
        return _configure(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _unreadable(exc, path) from exc


def _unreadable(exc: sqlite3.DatabaseError, path: Path) -> MovieError:
    if "not a database" in str(exc):
        return MovieError(
            f"{path} is not a SQLite database ({exc}); point --db or {ENV_VAR} at a movie "
            "catalog or at a new file (if it was your catalog and is damaged, "
            "`movie load --rebuild` moves it aside and rebuilds it)"
        )
    return explain(exc, path) or MovieError(f"cannot open the catalog {path}: {exc}")


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


@functools.lru_cache(maxsize=1)
def schema_text() -> str:
    return resource("schema.sql").read_text(encoding="utf-8")


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


def schema_statements() -> Iterator[str]:
    """The statements of schema.sql, one at a time (triggers' inner semicolons included), each
    without the comment lines before it."""
    pending = ""
    for line in schema_text().splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


def create_schema(conn: sqlite3.Connection) -> None:
    """Run schema.sql inside the caller's transaction: creates whatever is missing."""
    try:
        for statement in schema_statements():
            conn.execute(statement)
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise MovieError(
                f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, "
                "which movie needs for full-text search; use a Python whose sqlite3 has FTS5"
            ) from exc
        raise


def apply_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and trigger of schema.sql in one transaction."""
    with write_transaction(conn):
        create_schema(conn)


def upgrade(conn: sqlite3.Connection, version: int) -> None:
    """Bring a catalog from an older schema to this one, every row kept, all or nothing."""
    with write_transaction(conn):
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
        create_schema(conn)
        for table in FTS_TABLES:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")


def scratch_catalog() -> sqlite3.Connection:
    """An empty catalog in memory: where `import --dry-run` writes, so nothing real changes."""
    conn = _configure(sqlite3.connect(":memory:", isolation_level=None))
    apply_schema(conn)
    return conn


def explain(exc: sqlite3.Error, path: Path) -> MovieError | None:
    """The user-facing meaning of an SQLite error about the catalog file, where there is one."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return MovieError(
            f"the catalog {path} is busy: another movie is writing to it; try again when it is "
            f"done (waited {_busy_timeout() / 1000:g} s; set {BUSY_TIMEOUT_ENV} in ms to wait "
            "longer)"
        )
    if "readonly" in message or "read-only" in message:
        return ReadOnlyCatalog(
            f"the catalog {path} is read-only for you; nothing was changed (make it and its "
            f"folder writable, or use another file with --db or {ENV_VAR})"
        )
    if "disk is full" in message or "disk I/O error" in message:
        return MovieError(
            f"could not write the catalog {path} ({message}); nothing was changed: free some "
            "disk space (or fix the disk) and try again"
        )
    if "malformed" in message or "not a database" in message:
        return damaged(path, message)
    return None


def damaged(path: Path, detail: str) -> MovieError:
    return MovieError(
        f"the catalog {path} is damaged ({detail}); `movie load --rebuild` moves it aside "
        "and rebuilds it from the bundled seed"
    )


@functools.lru_cache(maxsize=1)
def table_columns() -> dict[str, frozenset[str]]:
    """Each table of schema.sql (not the full-text ones) and its columns, read from SQLite."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in schema_statements():
            if statement.startswith("CREATE TABLE"):
                conn.execute(statement)
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            name: frozenset(row[1] for row in conn.execute(f"PRAGMA table_info({name})"))
            for name in names
        }
    finally:
        conn.close()


_ADDED_COLUMN = re.compile(r"^ALTER TABLE (\w+) ADD COLUMN (\w+)")


def _expected_columns(version: int) -> dict[str, frozenset[str]]:
    """The tables and columns a catalog of this schema version has: today's, less the columns
    that the upgrades from that version add."""
    expected = dict(table_columns())
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            added = _ADDED_COLUMN.match(statement)
            if added:
                expected[added[1]] = expected[added[1]] - {added[2]}
    return expected


def check_catalog(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse anything that is not a movie catalog this version understands, before touching it:
    a movie catalog is told by its version, its tables and their columns.

    Returns the catalog's schema version (older ones are upgraded by the caller)."""
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table'"
        ):
            found.setdefault(table, set()).add(column)
    except sqlite3.DatabaseError as exc:
        raise _unreadable(exc, path) from exc
    if version > SCHEMA_VERSION:
        raise MovieError(
            f"{path} was written by a newer movie (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade movie to use it (the file was left untouched)"
        )
    if version < 1 or not all(
        columns <= found.get(table, set()) for table, columns in _expected_columns(version).items()
    ):
        raise MovieError(
            f"{path} is a SQLite database but not a movie catalog; refusing to touch it "
            f"(point --db or {ENV_VAR} at a movie catalog, or at a new file to create one)"
        )
    return version


def _target(path: Path) -> Path:
    """Where the catalog file really is: a symlink is followed, and stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _is_new(path: Path) -> bool:
    """Whether the catalog is still to be built: nothing there (or a link to nothing yet), or an
    empty regular file. Anything but a regular file is refused and left as it is."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # opening it will say what is wrong
    if not stat.S_ISREG(found.st_mode):
        raise MovieError(
            f"{path} is {describe_kind(found.st_mode)}, not a catalog file; refusing to touch it "
            f"(give a file path with --db or {ENV_VAR})"
        )
    return found.st_size == 0


def build_catalog(path: Path, notice: Notice) -> None:
    """Create a catalog from the bundled seed, all or nothing: built aside, then renamed (at a
    symlink's target, so that the link stays a link)."""
    from movie import loading

    shown, path = path, _target(path)
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
    except sqlite3.Error as exc:
        raise explain(exc, shown) or MovieError(
            f"cannot create the catalog {shown}: {exc}"
        ) from exc
    except OSError as exc:
        raise MovieError(f"cannot create the catalog {shown}: {exc}") from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    notice(f"Created the movie catalog at {shown} from the bundled seed.")


def rebuild_catalog(path: Path, notice: Notice) -> None:
    """Move whatever is at path aside (nothing is deleted) and build a new catalog there."""
    _is_new(path)  # refuses a FIFO, a device or a directory before moving anything
    path = _target(path)
    if path.exists():
        aside = path.with_name(f"{path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            for suffix in ("-wal", "-shm", ""):
                old = Path(f"{path}{suffix}")
                if old.exists():
                    os.replace(old, Path(f"{aside}{suffix}"))
        except OSError as exc:
            raise MovieError(f"cannot move {path} aside: {exc.strerror}") from exc
        notice(f"Moved the old catalog aside to {aside}.")
    build_catalog(path, notice)


class ReadOnlyCatalog(MovieError):
    """The catalog file (or its folder, which WAL mode writes to) cannot be written."""


def _checked(path: Path, mode: str, notice: Notice) -> sqlite3.Connection:
    conn = _connect(path, mode)
    try:
        version = check_catalog(conn, path)
        if version < SCHEMA_VERSION:
            if "rw" not in mode:
                raise ReadOnlyCatalog(
                    f"the catalog {path} was written by an older movie and needs an upgrade, "
                    "but it is read-only for you; make it writable and run movie once"
                )
            upgrade(conn, version)
            notice(f"Upgraded the catalog {path} from schema {version} to {SCHEMA_VERSION}.")
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) or exc from exc
    except MovieError:
        conn.close()
        raise
    return conn


def open_catalog(path: Path, notice: Notice, write: bool = False) -> sqlite3.Connection:
    """A connection to the catalog, building it from the seed on first use.

    A reader gets one snapshot for the whole command: a load committing meanwhile is seen
    entirely or not at all. A catalog the user may not write is still readable: it is then
    opened immutable, since SQLite cannot set up WAL's shared memory beside a file it may not
    write.
    """
    if _is_new(path):
        build_catalog(path, notice)
    try:
        conn = _checked(path, "rw", notice)
    except ReadOnlyCatalog:
        if write:
            raise
        conn = _checked(path, "ro&immutable=1", notice)
    if not write:
        conn.execute("BEGIN")
    interrupts.unshield()  # after building or upgrading: Ctrl-C stops the command's own work
    return conn


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


def _sql_authorizer(
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


def open_readonly(path: Path, notice: Notice) -> sqlite3.Connection:
    """A connection for user-written SQL: read-only file, query_only, and an authorizer."""
    open_catalog(path, notice).close()  # creates or upgrades it first, where needed
    try:
        conn = _checked(path, "ro", notice)
    except ReadOnlyCatalog:
        conn = _checked(path, "ro&immutable=1", notice)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_sql_authorizer)
    return conn
