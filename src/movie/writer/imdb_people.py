"""name.basics in an IMDb import: read by the first process while the second reads
title.principals and title.crew (writer/imdb_part.py), straight into the catalog's people, each
person with their fame (the votes of their known-for titles, summed as they are read); the
people's indexes are then built while the second process is still reading. With --types or
--min-votes only the people credited on a kept title go in, which the credits say once they are
in: then name.basics is read into a part file of its own beside the catalog and copied in after
them (the file is deleted whether the import lands or not, like the second process's). Reading
it here, not in the second process, keeps both processes' shares of the work about equal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from movie.records import Report
from movie.sources import imdb
from movie.store.schema import refresh_fame
from movie.tables import PEOPLE
from movie.text import fold
from movie.writer.common import MISSING, insert_sql
from movie.writer.helper import detach_and_remove, part_path
from movie.writer.imdb_parts import PEOPLE_COLUMNS, Bits, ImdbOptions

PEOPLE_ATTACHED = "imdb_people"  # the people's part in the catalog's connection
PEOPLE_PART = "people"
COLUMNS = (*PEOPLE_COLUMNS, "fame")  # what a person's row is written with, in this order
# A person the catalog has already is updated, by their last row if name.basics repeats them.
UPDATE_SQL = " ON CONFLICT (id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in COLUMNS[1:]
)


class PeoplePart:
    """The people's part file: named beside the catalog, written by `FromPeople._stage_people`,
    detached and deleted by `close` in every case."""

    def __init__(self, beside: str) -> None:
        self.path = part_path(beside)

    def close(self, conn: sqlite3.Connection) -> None:
        detach_and_remove(conn, PEOPLE_ATTACHED, self.path)


class FromPeople:
    """name.basics into the catalog (or its part), inside the writer's transaction; ImdbLoad
    provides the rest."""

    conn: sqlite3.Connection
    report: Report
    options: ImdbOptions
    credited: Bits
    found: Bits
    others: bool  # whether people this import may not bring have known-for lists
    odd: list[int]  # the people in the part whose fame FAME_SQL works out
    _blocks: Callable[[str], Iterator[list[list[str]]]]

    def _stage_people(self, staged: PeoplePart | None) -> bool:
        """name.basics read, each person with their fame: the votes of their known-for titles
        as the catalog has them now (the titles are in). Into the catalog's people, or, with
        `staged` (--types or --min-votes: who is credited on a kept title is known once the
        credits are in), into the people's part (its own connection, no journal: the file is
        deleted if anything fails), attached for `_people` to copy. Whether they are in."""
        conn = self.conn
        # Whether anyone this import may not bring has a known-for list (none in a new catalog).
        self.others = bool(
            conn.execute("SELECT 1 FROM people WHERE known_for IS NOT NULL LIMIT 1").fetchone()
        )
        # The rated titles' votes, looked up in Python as each person is read (1.57 million
        # titles at IMDb's full size: a dict of 1.46 million measured 205 MiB at its largest),
        # held for as long as name.basics is read.
        votes = dict(conn.execute("SELECT id, imdb_votes FROM movies WHERE imdb_votes IS NOT NULL"))
        blocks = self._blocks("name.basics")
        if staged is None:
            sql = insert_sql(PEOPLE.name, COLUMNS, UPDATE_SQL)
            self.found, odd, written = write_people(conn, blocks, self.report, votes, sql)
            self.report.wrote(PEOPLE.name, written)
            self._odd_fame(odd)
            if self.others:  # everyone else's known-for titles may have new votes
                conn.create_function("imdb_found", 1, self.found.__contains__, deterministic=True)
                refresh_fame(conn, "AND NOT imdb_found(id)")
            return True
        part = sqlite3.connect(staged.path, isolation_level=None)
        try:
            part.execute("PRAGMA journal_mode = OFF")
            part.execute("PRAGMA synchronous = OFF")
            part.execute("BEGIN")
            part.execute(f"CREATE TABLE {PEOPLE_PART} ({', '.join(COLUMNS)})")
            sql = insert_sql(PEOPLE_PART, COLUMNS)
            self.found, self.odd, _ = write_people(part, blocks, self.report, votes, sql)
            part.execute("COMMIT")
        finally:
            part.close()
        conn.execute(f"ATTACH DATABASE ? AS {PEOPLE_ATTACHED}", (staged.path,))
        return False

    def _people(self) -> None:
        """The part's people credited on a kept title (--types or --min-votes): a person the
        catalog has already is updated. Then the fame of the people it did not bring."""
        part, where = f"{PEOPLE_ATTACHED}.{PEOPLE_PART}", "imdb_credited(p.id)"
        conn = self.conn
        conn.create_function("imdb_credited", 1, self.credited.__contains__)
        written = conn.execute(
            f"INSERT INTO {PEOPLE.name} ({', '.join(COLUMNS)}) "
            f"SELECT {', '.join('p.' + c for c in COLUMNS)} FROM {part} p WHERE {where}"
            + UPDATE_SQL
        ).rowcount
        self.report.wrote(PEOPLE.name, written)
        self._odd_fame(self.odd)
        if self.others:  # everyone else's known-for titles may have new votes
            refresh_fame(
                conn,
                f"AND id NOT IN (SELECT p.id FROM {PEOPLE_ATTACHED}.{PEOPLE_PART} p WHERE {where})",
            )

    def _odd_fame(self, odd: list[int]) -> None:
        """The fame of people whose known-for list is not a plain list of ids (rare), worked out
        by the catalog's own FAME_SQL, which says what such a list counts for."""
        if odd:
            refresh_fame(
                self.conn, "AND id IN (SELECT value FROM json_each(?))", (json.dumps(odd),)
            )


def write_people(
    conn: sqlite3.Connection,
    blocks: Iterable[list[list[str]]],
    report: Report,
    votes: dict[int, int],
    sql: str,
) -> tuple[Bits, list[int], int]:
    """name.basics's people (its rows, some thousands at a time), each with the folded name
    and their fame, written by `sql` (the people's columns, then fame); the people read, those
    whose known-for list is odd (their fame left for FAME_SQL), and the rows written."""
    number_of, null, longest, found = imdb.number, imdb.NULL, imdb.MAX_DIGITS, Bits()
    missing = MISSING  # None's stand-in, written as NULL
    get = votes.get
    read = found.data
    odd: list[int] = []
    written = 0
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
            # Fame: a list FAME_SQL reads as ids (tt0113277,tt0113627: ASCII, each 'tt' and
            # digits) summed here, any other shape left to FAME_SQL (the person is noted).
            fame: Any = missing
            listed: Any = known
            if known == null:
                listed = missing
            elif known[:2] == "tt" and known.isascii() and known[2:].replace(",tt", "").isdigit():
                try:
                    counted = [
                        v for v in map(get, map(int, known[2:].split(",tt"))) if v is not None
                    ]
                except ValueError:  # an empty id ('tt1,tt,tt2')
                    odd.append(number)
                else:
                    fame = sum(counted) if counted else missing
            else:
                odd.append(number)
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
                    listed,
                    fame,
                )
            )
        written += conn.executemany(sql, rows).rowcount
        rows = []
    return found, odd, written
