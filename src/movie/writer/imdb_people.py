"""name.basics in an IMDb import: read by the first process while the second reads
title.principals and title.crew (writer/imdb_part.py), into a part file of its own beside the
catalog (the people, and their known-for titles as rows), then copied into the catalog's people
with each person's fame summed in the copy. Reading it here, not in the second process, keeps
both processes' shares of the work about equal; the file is deleted whether the import lands or
not, like the second process's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from movie.records import Report
from movie.sources import imdb
from movie.store.schema import KNOWN_LIST, KNOWN_SHAPE, KNOWN_TITLE, refresh_fame
from movie.tables import PEOPLE
from movie.text import fold
from movie.writer.common import MISSING
from movie.writer.helper import detach_and_remove, part_path
from movie.writer.imdb_parts import PEOPLE_COLUMNS, Bits, ImdbOptions

PEOPLE_ATTACHED = "imdb_people"  # the people's part in the catalog's connection
PEOPLE_PART = "people"
KNOWN_PART = "known"


class PeoplePart:
    """The people's part file: named beside the catalog, written by `FromPeople._stage_people`,
    detached and deleted by `close` in every case."""

    def __init__(self, beside: str) -> None:
        self.path = part_path(beside)

    def close(self, conn: sqlite3.Connection) -> None:
        detach_and_remove(conn, PEOPLE_ATTACHED, self.path)


class FromPeople:
    """name.basics into its part, then into the catalog, inside the writer's transaction;
    ImdbLoad provides the rest."""

    conn: sqlite3.Connection
    report: Report
    options: ImdbOptions
    credited: Bits
    found: Bits
    _blocks: Callable[[str], Iterator[list[list[str]]]]
    _missing_people: Callable[[], None]

    def _stage_people(self, staged: PeoplePart) -> None:
        """name.basics read into the people's part (its own connection, no journal: the file
        is deleted if anything fails), then attached for the copy."""
        part = sqlite3.connect(staged.path, isolation_level=None)
        try:
            part.execute("PRAGMA journal_mode = OFF")
            part.execute("PRAGMA synchronous = OFF")
            part.execute("BEGIN")
            self.found = write_people(part, self._blocks("name.basics"), self.report)
            part.execute("COMMIT")
        finally:
            part.close()
        self.conn.execute(f"ATTACH DATABASE ? AS {PEOPLE_ATTACHED}", (staged.path,))

    def _people(self) -> None:
        """name.basics from its part: every person, or with --types or --min-votes only those
        credited on a title kept; a person the catalog has already is updated; each with their
        fame. Then the people credited whom it lacks, and the fame of the people it did not
        bring."""
        part, where = f"{PEOPLE_ATTACHED}.{PEOPLE_PART}", "true"
        if self.options.types is not None or self.options.min_votes > 0:
            self.conn.create_function("imdb_credited", 1, self.credited.__contains__)
            where = "imdb_credited(p.id)"
        columns = (*PEOPLE_COLUMNS, "fame")
        conn = self.conn
        # Whether anyone the copy may not bring has a known-for list (none in a new catalog).
        others = conn.execute("SELECT 1 FROM people WHERE known_for IS NOT NULL LIMIT 1").fetchone()
        # Fame: the votes of the person's known-for titles as the catalog has them now (the
        # titles are in), summed from the part's rows of their list: looked up in a copy of
        # the rated titles' votes (small and at hand, where the movies' rows are wide), a sum
        # per person who has any, joined to the copy in key order.
        conn.execute("CREATE TEMP TABLE imdb_votes (id INTEGER PRIMARY KEY, votes) WITHOUT ROWID")
        conn.execute("CREATE TEMP TABLE imdb_fame (row INTEGER PRIMARY KEY, fame) WITHOUT ROWID")
        try:
            conn.execute(
                "INSERT INTO temp.imdb_votes SELECT id, imdb_votes FROM main.movies "
                "WHERE imdb_votes IS NOT NULL"
            )
            conn.execute(
                "INSERT INTO temp.imdb_fame SELECT k.row, sum(v.votes) "
                f"FROM {PEOPLE_ATTACHED}.{KNOWN_PART} k JOIN temp.imdb_votes v ON v.id = k.title "
                "GROUP BY k.row"
            )
            written = conn.execute(
                f"INSERT INTO {PEOPLE.name} ({', '.join(columns)}) "
                f"SELECT {', '.join('p.' + c for c in PEOPLE_COLUMNS)}, f.fame "
                f"FROM {part} p LEFT JOIN temp.imdb_fame f ON f.row = p.rowid "
                f"WHERE {where} ON CONFLICT (id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
            ).rowcount
        finally:
            conn.execute("DROP TABLE temp.imdb_votes")
            conn.execute("DROP TABLE temp.imdb_fame")
        self.report.wrote(PEOPLE.name, written)
        self._missing_people()
        if others:  # everyone else's known-for titles may have new votes
            refresh_fame(
                conn,
                f"AND id NOT IN (SELECT p.id FROM {PEOPLE_ATTACHED}.{PEOPLE_PART} p WHERE {where})",
            )


def write_people(
    conn: sqlite3.Connection, blocks: Iterable[list[list[str]]], report: Report
) -> Bits:
    """name.basics's people (its rows, some thousands at a time), each with the folded name,
    into a part's `people`; their known-for titles into its `known`; the people read."""
    conn.execute(f"CREATE TABLE {PEOPLE_PART} ({', '.join(PEOPLE_COLUMNS)})")
    sql = f"INSERT INTO {PEOPLE_PART} VALUES ({', '.join('?' * len(PEOPLE_COLUMNS))})"
    number_of, null, longest, found = imdb.number, imdb.NULL, imdb.MAX_DIGITS, Bits()
    missing = MISSING  # None's stand-in, written as NULL
    read = found.data
    rows: list[tuple[Any, ...]] = []
    # imdb.imdb_id's, imdb.number's and fold's checks written out (a row of 15 million each):
    # the odd value goes to the function itself, which notes it.
    for block in blocks:
        for raw, name, born, died, professions, known in block:
            digits = raw[2:]
            if not (
                digits.isdigit()
                and digits.isascii()
                and len(digits) <= longest
                and raw.startswith("nm")
                and digits.strip("0")
            ):
                report.note("bad_ids", f"name.basics: {raw[:20]}")
                continue
            number = int(digits)
            try:
                read[number >> 3] |= 1 << (number & 7)
            except IndexError:  # past the bitmap's end: grown, or a sparse number
                found.add(number)
                read = found.data
            rows.append(
                (
                    number,
                    name,
                    name.lower() if name.isascii() else fold(name),
                    missing
                    if born == null
                    else int(born)
                    if born.isdigit() and born.isascii() and len(born) < 19
                    else number_of(born, report, "birthYear"),
                    missing
                    if died == null
                    else int(died)
                    if died.isdigit() and died.isascii() and len(died) < 19
                    else number_of(died, report, "deathYear"),
                    missing if professions == null else professions,
                    missing if known == null else known,
                )
            )
        conn.executemany(sql, rows)
        rows = []
    _write_known(conn)
    return found


def _write_known(conn: sqlite3.Connection) -> None:
    """Each person's known-for titles, one row each (by the person's row in the part: a person
    name.basics repeats has the list of their last row), read as the catalog's FAME_SQL reads
    them: the copy sums their votes in C, from rows the JSON walk over every list made while
    the second process was still reading."""
    conn.execute(
        f"CREATE TABLE {KNOWN_PART} (row INTEGER, slot INTEGER, title INTEGER, "
        "PRIMARY KEY (row, slot)) WITHOUT ROWID"
    )
    conn.execute(
        f"INSERT INTO {KNOWN_PART} SELECT p.rowid, j.key, {KNOWN_TITLE} FROM {PEOPLE_PART} p, "
        f"{KNOWN_LIST.format(people='p')} j WHERE {KNOWN_SHAPE.format(people='p')}"
    )
