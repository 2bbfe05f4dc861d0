"""Parts of the writer's IMDb path (writer/imdb.py): the bitmaps of ids read, the alignment of
files read alongside title.basics with their rows that come out of order, the clearing of what an
earlier import wrote, the batches, and the SQL the load runs."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from movie.records import Report
from movie.sources import imdb
from movie.tables import (
    AKAS,
    IMDB_MOVIE_COLUMNS,
)

# Ids of movies from other sources, once IMDb titles are in the catalog: above every IMDb number.
OTHER_IDS = 1 << 40
# The kinds of title a typed title means first, and the ones a page's movie can be.
BATCH = 20_000
DENSE = 1 << 29  # numbers a bitmap holds as bits; larger ones go in a set
Share = Callable[[str, int, float], None]  # progress: (file, rows of it so far, share of all done)


def holds_imdb_titles(conn: sqlite3.Connection) -> bool:
    """Whether an earlier import brought IMDb titles (this one may replace what they have)."""
    found = conn.execute(
        "SELECT 1 FROM movies WHERE title_type IS NOT NULL AND id < ? LIMIT 1", (OTHER_IDS,)
    ).fetchone()
    return found is not None


@dataclass(frozen=True)
class ImdbOptions:
    types: frozenset[str] | None = None  # only titles of these types
    min_votes: int = 0  # only titles with at least this many votes


class Bits:
    """A set of IMDb numbers as a bitmap: a bit each (8 MB holds the 64 million numbers IMDb
    has not reached yet), grown as needed up to DENSE numbers (64 MB); the few numbers above
    (ids have up to imdb.MAX_DIGITS digits) are kept in a set, so that no id can make the
    bitmap gigabytes long. Hot loops use `data` directly, and `in` past its end."""

    def __init__(self, numbers: int = 1 << 26) -> None:
        self.data = bytearray(numbers >> 3)
        self.sparse: set[int] = set()

    def add(self, n: int) -> None:
        byte = n >> 3
        if byte >= len(self.data):
            if n >= DENSE:
                self.sparse.add(n)
                return
            grown = min(byte + 1 + len(self.data) // 2, DENSE >> 3)
            self.data.extend(bytes(grown - len(self.data)))
        self.data[byte] |= 1 << (n & 7)

    def update(self, data: bytes | bytearray, sparse: Iterable[int]) -> None:
        """Every number of another bitmap (its data and sparse numbers) added to this one."""
        if len(data) > len(self.data):
            self.data.extend(bytes(len(data) - len(self.data)))
        both = int.from_bytes(self.data, "little") | int.from_bytes(data, "little")
        self.data[:] = both.to_bytes(len(self.data), "little")
        self.sparse.update(sparse)

    def discard(self, n: int) -> None:
        byte = n >> 3
        if byte < len(self.data):
            self.data[byte] &= ~(1 << (n & 7)) & 0xFF
        self.sparse.discard(n)

    def __contains__(self, n: int) -> bool:
        byte = n >> 3
        if byte < len(self.data):
            return bool(self.data[byte] & (1 << (n & 7)))
        return n in self.sparse


class Aligned:
    """The rows of a file sorted by title id, taken alongside title.basics (sorted too): `take`
    returns one title's rows; a row passed over (out of order, or of a title basics lacks) goes
    to `stray`, to be placed once title.basics has been read whole."""

    def __init__(
        self, rows: Iterable[Sequence[Any]], stray: Callable[[Sequence[Any]], None]
    ) -> None:
        self.rows = iter(rows)
        self.next = next(self.rows, None)
        self.stray = stray

    def take(self, title: int) -> list[Any]:
        found: list[Sequence[Any]] = []
        while self.next is not None and self.next[0] <= title:
            if self.next[0] == title:
                found.append(self.next)
            else:
                self.stray(self.next)
            self.next = next(self.rows, None)
        return found

    def rest(self) -> None:
        """The rows after the last title of title.basics: strays all."""
        while self.next is not None:
            self.stray(self.next)
            self.next = next(self.rows, None)


class Strays:
    """Rows of one file read out of title order, set aside in a temporary table (on disk, not
    in memory) until title.basics has been read whole, then read back in the order they came:
    time and memory linear in their number, however many there are."""

    def __init__(self, conn: sqlite3.Connection, name: str, width: int, report: Report) -> None:
        self.conn = conn
        self.name = name
        self.table = "temp.imdb_strays_" + name.replace(".", "_")
        self.width = width
        self.report = report
        self.rows: list[Sequence[Any]] = []
        self.made = False

    def add(self, row: Sequence[Any]) -> None:
        if not self.made and not self.rows:
            self.report.note("unsorted", f"{self.name}: {imdb.tconst(row[0])}")
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        if not self.made:
            columns = ", ".join(f"c{i}" for i in range(self.width))
            self.conn.execute(f"CREATE TEMP TABLE {self.table.split('.')[1]} ({columns})")
            self.made = True
        marks = ", ".join("?" * self.width)
        self.conn.executemany(f"INSERT INTO {self.table} VALUES ({marks})", self.rows)
        self.rows = []

    def drain(self) -> Iterator[list[Any]]:
        """Every row set aside, in the order read; the table goes afterwards."""
        self._flush()
        if not self.made:
            return
        try:
            cursor = self.conn.execute(f"SELECT * FROM {self.table} ORDER BY rowid")
            while batch := cursor.fetchmany(BATCH):
                yield from (list(row) for row in batch)
        finally:
            self.conn.execute(f"DROP TABLE {self.table}")
            self.made = False


class Clear:
    """Before the rows one file gives a title are written, the rows an earlier import wrote
    from that file for that title go: once per title and file, so that an import replaces
    IMDb's rows of the titles it reads, and of no other. A catalog IMDb never filled has
    nothing to clear, and then this does nothing."""

    def __init__(self, conn: sqlite3.Connection, statements: Sequence[str], active: bool) -> None:
        self.conn = conn
        self.statements = statements
        self.active = active
        self.done = Bits(0)
        self.pending: list[tuple[int]] = []

    def add(self, number: int) -> None:
        if self.active and number not in self.done:
            self.done.add(number)
            self.pending.append((number,))

    def flush(self) -> None:
        if self.pending:
            for statement in self.statements:
                self.conn.executemany(statement, self.pending)
            self.pending = []


def crew_lists(directors: str, writers: str, report: Report) -> Iterator[tuple[str, int, int]]:
    """A line of title.crew's directors and writers as (role, place on its list, person), each
    person once on a list (title.crew repeats a writer credited for two things); bad ids noted
    and passed over."""
    for role, people in (("director", directors), ("writer", writers)):
        if people == imdb.NULL:
            continue
        listed: set[int] = set()
        for raw in people.split(","):
            person = imdb.imdb_id(raw, "nm")
            if person is None:
                report.note("bad_ids", f"title.crew: {raw[:20]}")
            elif person not in listed:
                listed.add(person)
                yield role, len(listed), person


# The columns of a title that files other than title.basics give: an import without the file
# leaves them as the catalog has them.
FILE_COLUMNS = {
    "title.ratings": ("imdb_rating", "imdb_votes"),
    "title.episode": ("series_id", "season", "episode"),
}


def movie_upsert(files: Iterable[str]) -> str:
    """A title in, or updated: IMDb's values win on a title IMDb brought (slug = its id); on a
    movie merged from a page they only fill what the page left empty. The columns of a file
    this import lacks (`files` are the ones it has) are left as they are."""
    absent = {c for name, cs in FILE_COLUMNS.items() if name not in files for c in cs}
    updates = ", ".join(
        f"{c} = CASE WHEN movies.slug = excluded.slug THEN excluded.{c} "
        f"ELSE coalesce(movies.{c}, excluded.{c}) END"
        for c in MOVIE_COLUMNS
        if c not in ("id", "slug") and c not in absent
    )
    marks = ", ".join("?" * len(MOVIE_COLUMNS))
    return (
        f"INSERT INTO movies ({', '.join(MOVIE_COLUMNS)}) VALUES ({marks}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )


# What IMDb gives of a movie: the core columns, then the ones schema 4 added (listed once, in
# tables.py).
CORE_COLUMNS = ("id", "slug", "title", "year", "title_key", "runtime_minutes")
MOVIE_COLUMNS = (*CORE_COLUMNS, *IMDB_MOVIE_COLUMNS)
CAST_COLUMNS = ("movie_id", "position", "character", "category", "person_id")
CREW_COLUMNS = ("movie_id", "role", "position", "job", "person_id")
PEOPLE_COLUMNS = ("id", "name", "name_key", "birth_year", "death_year", "professions", "known_for")
AKA_COLUMNS = ("movie_id", *AKAS.child_columns, "title_key")
# A row of title.akas as read (its title's number first) and its folded title: SQL turns \N
# into NULL, a flag into 1/0 (quicker than Python, row by row, at 55 million rows).
NULL = imdb.NULL
AKA_SQL = (
    f"INSERT OR IGNORE INTO akas ({', '.join(AKA_COLUMNS)}) VALUES (?1, CAST(?2 AS INTEGER), "
    "?3, nullif(?4, '\\N'), nullif(?5, '\\N'), nullif(?6, '\\N'), nullif(?7, '\\N'), ?8 = '1', ?9)"
)


# A director or writer credit (?1 title, ?2 role, ?3 job, ?4 person) added to the title's list
# in that role unless the person is on it already; and the job given to a credit without one.
ADD_CREW_SQL = (
    "INSERT INTO crew (movie_id, role, position, job, person_id) SELECT ?1, ?2, coalesce(("
    "SELECT max(position) FROM crew WHERE movie_id = ?1 AND role = ?2), 0) + 1, ?3, ?4 "
    "WHERE NOT EXISTS (SELECT 1 FROM crew WHERE movie_id = ?1 AND role = ?2 AND person_id = ?4)"
)
CREW_JOB_SQL = (
    "UPDATE crew SET job = ?3 WHERE movie_id = ?1 AND role = ?2 AND person_id = ?4 "
    "AND job IS NULL AND ?3 IS NOT NULL"
)


def wrote(report: Report, table: str, rows: int, written: int) -> None:
    """`written` of `rows` rows went into `table`; the rest were repeated keys that INSERT OR
    IGNORE passed over, counted as duplicate rows."""
    report.wrote(table, written)
    if written < rows:
        counts = report.counts
        counts["duplicate_rows"] = counts.get("duplicate_rows", 0) + rows - written
        report.examples.setdefault("duplicate_rows", table)


@dataclass
class Batches:
    """Rows written a batch at a time, each batch's rows and duplicates counted."""

    conn: sqlite3.Connection
    report: Report

    def write(self, sql: str, table: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        wrote(self.report, table, len(rows), self.conn.executemany(sql, rows).rowcount)
