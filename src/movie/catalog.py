"""The catalog as a whole: where it lives, opening it (building it from the seed on first use,
upgrading an older one), rebuilding a damaged one, and loading CSV folders into it.

Above both the schema layer and the writer: nothing below imports this module.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from movie import interrupts
from movie.errors import (
    CatalogDamaged,
    CatalogError,
    MovieError,
    NeedsUpgrade,
    ReadOnlyCatalog,
    UnsuitablePath,
)
from movie.files import describe_kind
from movie.store.db import connect, explain, memory_catalog_connection
from movie.store.schema import SCHEMA_VERSION, apply_schema, check_catalog, resource, upgrade

if TYPE_CHECKING:  # not at start-up: only loads need it
    from movie.records import Report

ENV_VAR = "MOVIE_DB"
Notice = Callable[[str], None]


def catalog_path(option: str | None = None) -> Path:
    """--db, else $MOVIE_DB, else movie.db in the user data directory."""
    if option:
        return Path(option).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from typer import get_app_dir

    return Path(get_app_dir("movie")) / "movie.db"


def export_folder(conn: sqlite3.Connection, folder: Path, movie: Any) -> dict[str, int]:
    """One movie (or every one, for None) written out as the CSV files `load` reads: rows per
    file."""
    from movie.read import listings
    from movie.sources.csv_folder import write_folder

    return write_folder(folder, lambda table: listings.table_rows(conn, table, movie))


def load_folders(conn: sqlite3.Connection, directories: Sequence[Path]) -> Report:
    """Upsert every CSV file of each folder, all in one transaction: all of it lands, or none."""
    from movie.sources import csv_folder
    from movie.writer.rows import load_tables

    found = [csv_folder.check_folder(directory) for directory in directories]
    return load_tables(
        conn,
        (
            (table, path, csv_folder.read_csv(table, path))
            for tables in found
            for table, path in tables
        ),
    )


def _target(path: Path) -> Path:
    """Where the catalog file really is: a symlink is followed, and stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_new(path: Path) -> bool:
    """Whether the catalog is still to be built: nothing there (or a link to nothing yet), or an
    empty regular file. Anything but a regular file is refused and left as it is."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # opening it will say what is wrong
    if not stat.S_ISREG(found.st_mode):
        raise UnsuitablePath(
            f"{path} is {describe_kind(found.st_mode)}, not a catalog file; refusing to touch it",
            path,
        )
    return found.st_size == 0


def _remove_dead_builds(path: Path) -> None:
    """Files left by a build that was killed (kill -9 leaves no chance to clean up)."""
    for leftover in path.parent.glob(f".{path.name}.building-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if not pid.isdigit():
            continue  # a -wal or -shm file goes with its build's own file
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{leftover}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass  # alive, or someone else's


def build_catalog(
    path: Path, notice: Notice, then: Callable[[sqlite3.Connection], None] | None = None
) -> None:
    """Create a catalog from the bundled seed, all or nothing: built aside, then renamed (at a
    symlink's target, so that the link stays a link).

    `then` fills it further before the rename (a first import): no one else can see the file
    yet, so it is written without a write-ahead log, each page once, and switched to WAL at the
    end."""
    shown, path = path, _target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatalogError(f"cannot create the folder for the catalog {path}: {exc}", path) from exc
    _remove_dead_builds(path)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    try:
        conn = connect(tmp, "rwc")
        try:
            if then is None:
                conn.execute("PRAGMA journal_mode = WAL")
            else:
                # A rollback journal in memory (ROLLBACK still works), no syncs: if anything
                # fails the file is deleted, so only the finished file has to be durable.
                conn.execute("PRAGMA journal_mode = MEMORY")
                conn.execute("PRAGMA synchronous = OFF")
            apply_schema(conn)
            load_folders(conn, [resource("seed")])
            if then is not None:
                then(conn)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")  # one sync of the finished file
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(tmp, path)
    except sqlite3.Error as exc:
        raise explain(exc, shown) or CatalogError(
            f"cannot create the catalog {shown}: {exc}", shown
        ) from exc
    except OSError as exc:
        raise CatalogError(f"cannot create the catalog {shown}: {exc}", shown) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    notice(f"Created the movie catalog at {shown} from the bundled seed.")


def rebuild_catalog(path: Path, notice: Notice) -> None:
    """Move whatever is at path aside (nothing is deleted) and build a new catalog there.

    The move waits for the catalog's write lock, so that no writer loses a transaction half
    way, and the name it moves to is new (counted up, claimed before the move), so that two
    rebuilds in the same second never overwrite each other's."""
    is_new(path)  # refuses a FIFO, a device or a directory before moving anything
    path = _target(path)
    if path.exists():
        with _write_lock(path):
            aside = _claim_aside_name(path)
            try:
                for suffix in ("-wal", "-shm", ""):
                    old = Path(f"{path}{suffix}")
                    if old.exists():
                        os.replace(old, Path(f"{aside}{suffix}"))
            except OSError as exc:
                raise CatalogError(f"cannot move {path} aside: {exc.strerror}", path) from exc
        notice(f"Moved the old catalog aside to {aside}.")
        entries = _your_entries(aside, notice)
        if entries:
            from movie.writer.mine import carry_entries

            build_catalog(path, notice, then=lambda conn: carry_entries(conn, entries))
            count = sum(len(rows) for rows in entries.values())
            notice(f"Kept your films: {count:,} entries from the old catalog.")
            return
    build_catalog(path, notice)


def _your_entries(aside: Path, notice: Notice) -> dict[str, list[dict[str, Any]]]:
    """Your entries in the catalog moved aside (schema 8 on), to carry into the new one; what
    cannot be read is said, and the rebuild goes on (the old file stays where it is)."""
    from movie.store.db import connect
    from movie.tables import MINE

    found: dict[str, list[dict[str, Any]]] = {}
    sidecars = [Path(f"{aside}{suffix}") for suffix in ("-wal", "-shm")]
    there = [side.exists() for side in sidecars]
    try:
        old = connect(aside, "ro")
        try:
            have = {row[0] for row in old.execute("SELECT name FROM sqlite_master")}
            for table in MINE:
                if table.name in have:
                    cursor = old.execute(f"SELECT * FROM {table.name}")
                    names = [d[0] for d in cursor.description]
                    found[table.name] = [dict(zip(names, row, strict=True)) for row in cursor]
        finally:
            old.close()
    except (sqlite3.Error, MovieError) as exc:
        notice(f"Your films could not be read from the old catalog ({exc}); it keeps them.")
        return {}
    finally:  # the file aside is left as it was moved: no -wal or -shm of reading it
        for side, was_there in zip(sidecars, there, strict=True):
            if not was_there:
                side.unlink(missing_ok=True)
    return {name: rows for name, rows in found.items() if rows}


@contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """The catalog's write lock, held while it is moved: waits for a writer to finish (up to
    the busy timeout, then CatalogBusy). A file SQLite cannot lock (damaged, not a database:
    why one rebuilds) is moved without."""
    try:
        conn = connect(path, "rw")
    except MovieError:
        yield
        return
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            busy = explain(exc, path) if "locked" in str(exc) or "busy" in str(exc) else None
            if busy is not None:
                raise busy from exc
            yield  # not a database SQLite can lock
            return
        try:
            yield
        finally:
            conn.rollback()
    finally:
        conn.close()


def _claim_aside_name(path: Path) -> Path:
    """NAME.broken-<time>, or NAME.broken-<time>-2, -3, ...: the first free name, claimed by
    creating it (O_EXCL), so that a rebuild running at the same moment picks another."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for count in range(1, 10_000):
        aside = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{count}" if count > 1 else ""))
        if any(Path(f"{aside}{suffix}").exists() for suffix in ("-wal", "-shm")):
            continue
        try:
            os.close(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        except OSError as exc:
            raise CatalogError(f"cannot move {path} aside: {exc.strerror}", path) from exc
        return aside
    raise CatalogError(f"cannot move {path} aside: no free name beside it", path)


UPGRADE_SECONDS = 3600.0


def upgrade_seconds() -> float:
    """How long an upgrade may work: $MOVIE_TIMEOUT, as for any work, else an hour (schema 7's
    word indexes took 68 s for IMDb at a tenth of its size, so about 11 minutes at full size;
    a catalog carrying a trigger that never ends must not hang every command for ever)."""
    try:
        seconds = float(os.environ.get("MOVIE_TIMEOUT", UPGRADE_SECONDS))
    except ValueError:
        return UPGRADE_SECONDS
    return seconds if 0 <= seconds <= 86_400 else UPGRADE_SECONDS


def _checked(path: Path, mode: str, notice: Notice) -> sqlite3.Connection:
    conn = connect(path, mode)
    try:
        version = check_catalog(conn, path)
        if version < SCHEMA_VERSION:
            if "rw" not in mode:
                raise NeedsUpgrade(
                    f"the catalog {path} was written by an older movie and needs an upgrade, "
                    "but it is read-only for you",
                    path,
                )
            notice(f"Upgrading the catalog {path} from schema {version} to {SCHEMA_VERSION} ...")
            with interrupts.time_limit(upgrade_seconds()):
                lost = upgrade(conn, version, path)
            notice(f"Upgraded the catalog {path} from schema {version} to {SCHEMA_VERSION}.")
            for what in lost:
                notice(f"movie: warning: the upgrade could not keep your {what}; left out")
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) or exc from exc
    except MovieError:
        conn.close()
        raise
    except UnicodeDecodeError as exc:
        conn.close()
        raise CatalogDamaged(f"the catalog {path} is damaged ({exc})", path) from exc
    return conn


def open_catalog(path: Path, notice: Notice, write: bool = False) -> sqlite3.Connection:
    """A connection to the catalog, building it from the seed on first use.

    A reader gets one snapshot for the whole command: a load committing meanwhile is seen
    entirely or not at all. A catalog the user may not write is still readable: it is then
    opened immutable, since SQLite cannot set up WAL's shared memory beside a file it may not
    write.
    """
    if is_new(path):
        build_catalog(path, notice)
    try:
        conn = _checked(path, "rw", notice)
    except ReadOnlyCatalog as exc:
        if write or isinstance(exc, NeedsUpgrade):
            raise
        conn = _checked(path, "ro&immutable=1", notice)
    if not write:
        conn.execute("BEGIN")
    interrupts.unshield()  # after building or upgrading: Ctrl-C stops the command's own work
    return conn


USER_SQL_MAX_VALUE = 100_000_000  # bytes in one text or blob a user's query may make


def open_for_user_sql(path: Path, notice: Notice, authorizer: Any) -> sqlite3.Connection:
    """A connection for user-written SQL: read-only file, query_only, and the authorizer."""
    open_catalog(path, notice).close()  # creates or upgrades it first, where needed
    try:
        conn = _checked(path, "ro", notice)
    except ReadOnlyCatalog:
        conn = _checked(path, "ro&immutable=1", notice)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(authorizer)
    setlimit = getattr(conn, "setlimit", None)  # Python 3.11 on
    if setlimit is not None:  # no value over 100 MB (randomblob(2e9), printf of a billion)
        setlimit(getattr(sqlite3, "SQLITE_LIMIT_LENGTH", 0), USER_SQL_MAX_VALUE)
    return conn


def scratch_catalog() -> sqlite3.Connection:
    """An empty catalog in memory: where `import --dry-run` writes, so nothing real changes."""
    conn = memory_catalog_connection()
    apply_schema(conn)
    return conn
