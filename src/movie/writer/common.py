"""What every write path shares: the policies, the SQL builders, movie ids by slug, SQLite's
refusals as one-line errors, and bulk loads.

The one writer is this package: every source's rows and records reach the catalog through it.

How a source's data meets what the catalog already has is a parameter, as in sqlite-utils'
insert_all(replace=, upsert=):
- UPSERT: rows are matched on their natural keys and updated or added (CSV folders);
- REPLACE: the source holds the whole movie, so its lists replace the catalog's (a saved page);
- FILL: the source fills in what the catalog lacks: its values win where it has them, and a
  list (genres, crew, cast) is added only to a movie that has none, so that a page's richer cast
  is never replaced by bare names (the RT dataset, and later IMDb).
Bulk loads drop a table's indexes and full-text triggers once and rebuild them once.
Inside the catalog rows refer to their movie by id; sources speak of slugs, mapped here.
"""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movie.errors import MovieError, ReadOnlyCatalog
from movie.records import Report
from movie.store.schema import (
    create_indexes,
    create_schema,
    drop_indexes_and_triggers,
    keeping_user_objects,
    rebuild_full_text,
    rebuild_genre_scores,
)
from movie.tables import (
    DEFAULT_MOVIE_KEY,
    MOVIES,
    SETTINGS,
    Table,
)
from movie.text import fold

# What a bulk load's row holds for a missing value, in place of None: SQLite stores a NaN bound to
# a statement as NULL (sqlite3_bind_double), and the sqlite3 module binds a float as it is, where
# it offers None to its adapters first (Python 3.11 here: a million rows of ten NULLs inserted in
# 6.2 s as None, 0.9 s as NaN; an IMDb import binds some tens of millions of missing values). A
# test holds SQLite to it.
MISSING = float("nan")


class Policy(enum.Enum):
    UPSERT = "upsert"
    REPLACE = "replace"
    FILL = "fill"


def insert_sql(table: str, columns: Sequence[str], tail: str = "", ignore: bool = False) -> str:
    """INSERT of a row of these columns, every value a parameter: `tail` adds an ON CONFLICT
    clause, `ignore` makes it INSERT OR IGNORE. The one insert builder of every write path."""
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return (
        f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}){tail}"
    )


def upsert_sql(table: Table, columns: Sequence[str], key: Sequence[str]) -> str:
    """Insert, or update the row with the same key. A column a later schema added keeps what
    the catalog has when the source leaves it empty (a CSV written before it existed)."""

    def value(column: str) -> str:
        if column in table.optional:
            return f"coalesce(excluded.{column}, {table.name}.{column})"
        return f"excluded.{column}"

    updates = [c for c in columns if c not in key]
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = {value(c)}" for c in updates)
        if updates
        else "DO NOTHING"
    )
    return insert_sql(table.name, columns, f" ON CONFLICT ({', '.join(key)}) {action}")


def stored_key(table: Table) -> tuple[str, ...]:
    return tuple("movie_id" if c == "movie" else c for c in table.key)


def movie_values(movie: dict[str, Any]) -> list[Any]:
    """The movies row in stored columns but id: public columns, then title_key."""
    return [*(movie[c] for c in MOVIES.columns), fold(movie["title"])]


MOVIE_COLUMNS = [c for c in MOVIES.stored if c != "id"]


class MovieIds:
    """Movie ids by slug: looked up once per movie, remembered for the rest of the load."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[str, int] = {}

    def get(self, slug: str) -> int | None:
        found = self.known.get(slug)
        if found is None:
            row = self.conn.execute("SELECT id FROM movies WHERE slug = ?", (slug,)).fetchone()
            if row is not None:
                found = self.known[slug] = row[0]
        return found

    def upsert(self, movie: dict[str, Any]) -> int:
        """Add or update one movie row (public columns); its id."""
        row = self.conn.execute(
            upsert_sql(MOVIES, MOVIE_COLUMNS, ("slug",)) + " RETURNING id",
            movie_values(movie),
        ).fetchone()
        self.known[movie["slug"]] = row[0]
        return int(row[0])


# SQLite's words for a schema object that cannot run: a user's trigger calling a function this
# program does not have, a view over a table that is gone.
BROKEN_SCHEMA = ("no such function", "no such table", "no such column", "error in view",
                 "error in trigger", "malformed database schema")  # fmt: skip


@contextmanager
def import_errors(action: str) -> Iterator[None]:
    """SQLite's refusals while writing, as one-line errors; nothing was written."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise MovieError(
            f"{action} broke a rule of the catalog ({exc}); nothing was written"
        ) from exc
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise ReadOnlyCatalog("the catalog is read-only; nothing was written", Path()) from exc
        if any(words in str(exc) for words in BROKEN_SCHEMA):
            raise MovieError(
                f"{action} failed: something added to the catalog's schema does not work "
                f"({exc}); nothing was written"
            ) from exc
        raise


def child_rows(movie_id: int, table: Table, rows: list[dict[str, Any]]) -> list[list[Any]]:
    columns = table.child_columns
    return [[movie_id, *map(row.get, columns)] for row in rows]


def fill_movie(conn: sqlite3.Connection, movie_id: int, movie: dict[str, Any]) -> None:
    """The source's values where it has them; the catalog's where it has none."""
    given = [c for c in MOVIES.columns if c != "slug" and movie[c] is not None]
    if given:
        conn.execute(
            f"UPDATE movies SET {', '.join(f'{c} = ?' for c in given)}, title_key = "
            "fold(title) WHERE id = ?",
            [*(movie[c] for c in given), movie_id],
        )


def set_default_movie(conn: sqlite3.Connection, slug: str) -> None:
    conn.execute(
        f"INSERT INTO {SETTINGS} (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (DEFAULT_MOVIE_KEY, slug),
    )


# ---------------------------------------------------------------- bulk loads


def at_most(conn: sqlite3.Connection, table: str, rows: int) -> bool:
    """Whether `table` holds at most this many rows (counted no further)."""
    found = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT ?)", (rows + 1,))
    return int(found.fetchone()[0]) <= rows


class Bulk:
    """A bulk load's tables (see `bulk`); `finish` builds some of them before the rest."""

    def __init__(self, conn: sqlite3.Connection, tables: Sequence[Table]) -> None:
        self.conn = conn
        self.pending = [table.name for table in tables]

    def finish(self, tables: Sequence[Table]) -> None:
        """These tables are written: their full-text and other indexes are built now (their
        triggers come with the rest's), while the load goes on with the other tables. Nothing
        may write them afterwards."""
        names = [table.name for table in tables if table.name in self.pending]
        with sorting(self.conn):
            rebuild_full_text(self.conn, tuple(names))
            create_indexes(self.conn, names)
        self.pending = [name for name in self.pending if name not in names]

    def build_indexes(self, tables: Sequence[Table]) -> None:
        """These tables are written: their indexes are built now (not their full-text ones)."""
        with sorting(self.conn):
            create_indexes(self.conn, [table.name for table in tables])

    def full_text_done(self, tables: Sequence[Table]) -> None:
        """These tables' full-text indexes are in (copied whole): not to be built again."""
        names = {table.name for table in tables}
        self.pending = [name for name in self.pending if name not in names]


# The page cache while indexes are built and full-text indexes filled: SQLite's sorters hold up
# to this much each (a thread each, and an ORDER BY over a compound view sorts each part apart),
# so the 128 MiB of the load made 1.6 GB more at IMDb's full size while the titles' word index
# was filled in document order. Sorting 12 million rows: 786 MiB and 17.6 s with 128 MiB, 125
# MiB and 10.4 s with 16 MiB (two threads each): smaller sorts faster too.
SORT_CACHE_KIB = 16384
LOAD_CACHE_KIB = 131072


@contextmanager
def sorting(conn: sqlite3.Connection) -> Iterator[None]:
    """A small page cache for index builds and full-text fills; the load's back after."""
    conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")


@contextmanager
def bulk(conn: sqlite3.Connection, tables: Sequence[Table], report: Report) -> Iterator[Bulk]:
    """Inside the caller's transaction: the tables' indexes and full-text triggers dropped for
    the load, then built once, and their full-text indexes rebuilt once. The user's own
    triggers and indexes on them are set aside meanwhile and made again after (one that no
    longer works is reported)."""
    names = [table.name for table in tables]
    # A larger page cache for the load's inserts; two sorter threads for the builds after.
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    conn.execute("PRAGMA threads = 2")
    with keeping_user_objects(conn, names) as lost:
        drop_indexes_and_triggers(conn, names)
        load = Bulk(conn, tables)
        yield load
        with sorting(conn):
            rebuild_full_text(conn, tuple(load.pending))
            create_schema(conn)  # the indexes and triggers dropped above
            if {"movies", "genres"} & set(names):  # its triggers were off for the load
                rebuild_genre_scores(conn)
    for what in lost:
        report.note("lost_objects", what)


# ---------------------------------------------------------------- the RT dataset (FILL, bulk)
