"""What the second process of an IMDb import does: title.principals, title.crew (beside it) and
name.basics read, checked and converted, into a part file of its own (see writer/imdb_part.py,
which starts it and copies the part into the catalog). Its tables:

- principals: a credit a row: kind (CAST, CREW, LISTS: a director or writer on title.crew's
  lists, or ADDED: one of title.principals's, added to those lists), the title's number, the
  ordering (the place on the list), the category, the character (cast; as one text) or the job
  (crew), and the person's number;
- crew_titles: the titles title.crew has (with lists or none);
- people: as the catalog's people table has them; known: their known-for titles as rows (from
  which the first process sums their fame);
- part_report: what the rows had wrong (bad ids, odd numbers, odd character lists), the rows of
  each kind, and the people credited and the people read, as bitmaps.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from typing import Any

from movie.records import Report
from movie.sources import imdb
from movie.sources.imdb import ImdbFile, Lines
from movie.store.schema import KNOWN_LIST, KNOWN_SHAPE, KNOWN_TITLE
from movie.text import fold
from movie.writer.imdb_parts import CAST_VALUES, PEOPLE_COLUMNS, Bits, crew_lists

CAST, CREW, ADDED, LISTS = 0, 1, 2, 3
PART_TABLE = "principals"
PEOPLE_PART = "people"
KNOWN_PART = "known"
CREW_TITLES = "crew_titles"  # the titles title.crew has (lists or none)
# Directors and writers may be in title.crew too: added to its lists, each once.
LISTED = frozenset({"director", "writer"})


def _odd(report: Report, title: str, ordering: str, person: str) -> None:
    if imdb.imdb_id(title, "tt") is None:
        report.note("bad_ids", f"title.principals: {title[:20]}")
    elif imdb.imdb_id(person, "nm") is None:
        report.note("bad_ids", f"title.principals: {person[:20]}")
    else:
        report.note("odd_numbers", f"title.principals ordering {ordering[:20]}")


class Orphaned(Exception):
    """The first process is gone (killed): the part is of no use to anyone."""


def write_part(files: dict[str, ImdbFile], path: str, done: Any, parent: int) -> None:
    """Read title.principals, title.crew and name.basics (those given) into a new part
    database at `path`: their rows, then the report, the people credited and the people read.
    `done` (a shared number) follows the bytes read, for the progress line; the work stops if
    process `parent` is gone."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    report = Report()
    conn.execute(
        "CREATE TABLE part_report (counts TEXT, examples TEXT, totals TEXT, credited BLOB, "
        "credited_sparse TEXT, found BLOB, found_sparse TEXT)"
    )
    conn.execute("BEGIN")
    before = 0

    def read(lines: Lines) -> None:
        done.value = before + lines.done
        if os.getppid() != parent:
            raise Orphaned

    credited, totals, found = Bits(0), [0, 0, 0, 0], Bits(0)
    if "title.principals" in files:
        credited, totals = _write_principals(conn, files["title.principals"], report, read)
        before += files["title.principals"].size
    if "title.crew" in files:
        totals[LISTS] = _write_crew(conn, files["title.crew"], report, read, credited)
        before += files["title.crew"].size
        _join_lists(conn, totals)
    if "name.basics" in files:
        found = _write_people(conn, files["name.basics"], report, read)
    conn.execute(
        "INSERT INTO part_report VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            json.dumps(report.counts),
            json.dumps(report.examples),
            json.dumps(totals),
            bytes(credited.data),
            json.dumps(sorted(credited.sparse)),
            bytes(found.data),
            json.dumps(sorted(found.sparse)),
        ),
    )
    conn.execute("COMMIT")
    conn.close()


def _write_principals(
    conn: sqlite3.Connection, file: ImdbFile, report: Report, read: Callable[[Lines], None]
) -> tuple[Bits, list[int]]:
    """title.principals's rows, checked, in file order; the people credited, and the rows of
    each kind."""
    conn.create_function("characters", 1, lambda value: imdb.characters(value, report))
    conn.execute(
        f"CREATE TABLE {PART_TABLE} (kind INTEGER, movie_id INTEGER, position INTEGER, "
        "role TEXT, text TEXT, person_id INTEGER)"
    )
    # The character list becomes one text in SQL (characters() in Python for an odd one).
    cast_sql = (
        f"INSERT INTO {PART_TABLE} (kind, movie_id, position, text, role, person_id) "
        f"VALUES ({CAST}, {CAST_VALUES})"
    )
    crew_sql = f"INSERT INTO {PART_TABLE} VALUES (?, ?, ?, ?, ?, ?)"
    cast_kinds, null, longest = imdb.CAST_CATEGORIES, imdb.NULL, imdb.MAX_DIGITS
    found = Bits()
    credited = found.data
    cast: list[tuple[Any, ...]] = []
    crew: list[tuple[Any, ...]] = []
    totals = [0, 0, 0, 0]
    lines = Lines(file, report)
    for block in lines:
        for title, ordering, raw, category, job, role in block:
            digits, person_digits = title[2:], raw[2:]
            if not (
                digits.isdigit()
                and person_digits.isdigit()
                and ordering.isdigit()
                and title.isascii()
                and raw.isascii()
                and ordering.isascii()
                and len(digits) <= longest
                and len(person_digits) <= longest
                and len(ordering) < 10
                and title.startswith("tt")
                and raw.startswith("nm")
            ):
                _odd(report, title, ordering, raw)
                continue
            number, person = int(digits), int(person_digits)
            if not (number and person):  # tt0000000, nm0000000
                _odd(report, title, ordering, raw)
                continue
            try:
                credited[person >> 3] |= 1 << (person & 7)
            except IndexError:  # past the bitmap's end: grown, or a sparse number
                found.add(person)
                credited = found.data
            if category in cast_kinds:
                cast.append((number, ordering, role, category, person))
            elif category in LISTED:
                crew.append((ADDED, number, None, category, None if job == null else job, person))
            else:
                crew.append(
                    (CREW, number, int(ordering), category, None if job == null else job, person)
                )
        conn.executemany(cast_sql, cast)
        conn.executemany(crew_sql, crew)
        totals[CAST] += len(cast)
        for row in crew:
            totals[row[0]] += 1
        cast, crew = [], []
        read(lines)
    return found, totals


def _write_crew(
    conn: sqlite3.Connection,
    file: ImdbFile,
    report: Report,
    read: Callable[[Lines], None],
    credited: Bits,
) -> int:
    """title.crew's directors and writers (complete: principals has only the top-billed), each
    list in its order and each person once on it (title.crew repeats a writer credited for two
    things); the people credited added to `credited`; the rows written."""
    conn.execute(f"CREATE TABLE {CREW_TITLES} (movie_id INTEGER)")
    sql = f"INSERT INTO {PART_TABLE} VALUES ({LISTS}, ?, ?, ?, NULL, ?)"
    titles_sql = f"INSERT INTO {CREW_TITLES} VALUES (?)"
    written = 0
    rows: list[tuple[Any, ...]] = []
    titles: list[tuple[int]] = []
    lines = Lines(file, report)
    for block in lines:
        for raw, directors, writers in block:
            number = imdb.imdb_id(raw, "tt")
            if number is None:
                report.note("bad_ids", f"title.crew: {raw[:20]}")
                continue
            titles.append((number,))
            for role, position, person in crew_lists(directors, writers, report):
                credited.add(person)
                rows.append((number, position, role, person))
        conn.executemany(sql, rows)
        conn.executemany(titles_sql, titles)
        written += len(rows)
        rows, titles = [], []
        read(lines)
    return written


def _join_lists(conn: sqlite3.Connection, totals: list[int]) -> None:
    """title.principals's directors and writers of the titles title.crew has, joined to their
    lists here, as one statement each: a person on the list already gains the job if theirs
    had none; anyone else comes after the list's last, in the file's order, once, with the
    first job the file gives them. (Those of titles title.crew lacks stay ADDED: the first
    process adds them to what the catalog has.)"""
    table, lists = PART_TABLE, f"c.kind = {LISTS} AND c.movie_id = a.movie_id AND c.role = a.role"
    conn.execute(f"CREATE INDEX part_lists ON {table} (movie_id, role, person_id, position) "
                 f"WHERE kind = {LISTS}")  # fmt: skip
    conn.execute(
        "CREATE TEMP TABLE added AS SELECT movie_id, role, person_id, min(rowid) AS first, "
        f"min(CASE WHEN text IS NOT NULL THEN rowid END) AS job FROM {table} WHERE kind = {ADDED} "
        f"AND movie_id IN (SELECT movie_id FROM {CREW_TITLES}) GROUP BY movie_id, role, person_id"
    )
    job = f"(SELECT text FROM {table} j WHERE j.rowid = a.job)"
    conn.execute(
        f"UPDATE {table} AS c SET text = {job} FROM temp.added a WHERE {lists} "
        "AND c.person_id = a.person_id AND c.text IS NULL AND a.job IS NOT NULL"
    )
    totals[LISTS] += conn.execute(
        f"INSERT INTO {table} (kind, movie_id, position, role, text, person_id) "
        f"SELECT {LISTS}, a.movie_id, coalesce((SELECT max(c.position) FROM {table} c "
        f"WHERE {lists}), 0) + row_number() OVER (PARTITION BY a.movie_id, a.role "
        f"ORDER BY a.first), a.role, {job}, a.person_id FROM temp.added a WHERE NOT EXISTS "
        f"(SELECT 1 FROM {table} c WHERE {lists} AND c.person_id = a.person_id)"
    ).rowcount
    totals[ADDED] -= conn.execute(
        f"DELETE FROM {table} WHERE kind = {ADDED} "
        f"AND movie_id IN (SELECT movie_id FROM {CREW_TITLES})"
    ).rowcount
    conn.execute("DROP TABLE temp.added")
    # Gone before the copy, which would otherwise read the lists through it (out of key order,
    # a lookup of the row for each): 7.8 s for 4 million rows at scale 0.1.
    conn.execute("DROP INDEX part_lists")


def _write_people(
    conn: sqlite3.Connection, file: ImdbFile, report: Report, read: Callable[[Lines], None]
) -> Bits:
    """name.basics's people, each with the folded name; the people read."""
    conn.execute(f"CREATE TABLE {PEOPLE_PART} ({', '.join(PEOPLE_COLUMNS)})")
    sql = f"INSERT INTO {PEOPLE_PART} VALUES ({', '.join('?' * len(PEOPLE_COLUMNS))})"
    number_of, text, found = imdb.number, imdb.text, Bits()
    rows: list[tuple[Any, ...]] = []
    lines = Lines(file, report)
    for block in lines:
        for raw, name, born, died, professions, known in block:
            number = imdb.imdb_id(raw, "nm")
            if number is None:
                report.note("bad_ids", f"name.basics: {raw[:20]}")
                continue
            found.add(number)
            rows.append(
                (
                    number,
                    name,
                    fold(name) or "",
                    number_of(born, report, "birthYear"),
                    number_of(died, report, "deathYear"),
                    text(professions),
                    text(known),
                )
            )
        conn.executemany(sql, rows)
        rows = []
        read(lines)
    _write_known(conn)
    return found


def _write_known(conn: sqlite3.Connection) -> None:
    """Each person's known-for titles, one row each (by the person's row in the part: a person
    name.basics repeats has the list of their last row), read as the catalog's FAME_SQL reads
    them: the first process sums their votes as it copies the people, in C, and the JSON
    walk over every list is done here, meanwhile."""
    conn.execute(
        f"CREATE TABLE {KNOWN_PART} (row INTEGER, slot INTEGER, title INTEGER, "
        "PRIMARY KEY (row, slot)) WITHOUT ROWID"
    )
    conn.execute(
        f"INSERT INTO {KNOWN_PART} SELECT p.rowid, j.key, {KNOWN_TITLE} FROM {PEOPLE_PART} p, "
        f"{KNOWN_LIST.format(people='p')} j WHERE {KNOWN_SHAPE.format(people='p')}"
    )
