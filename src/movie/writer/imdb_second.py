"""What the second process of an IMDb import does: title.principals and title.crew (beside it)
read, checked and converted, into a part file of its own (see writer/imdb_part.py,
which starts it and copies the part into the catalog). Its tables:

- cast_credits and crew: the catalog's own tables (schema.sql's definitions), with title.crew's
  directors and writers on their lists and title.principals's joined to those lists; with their
  indexes too when the first process will transfer them whole (a new catalog);
- added: title.principals's directors and writers of titles title.crew lacks (the first
  process adds them to the lists the catalog has), in the file's order;
- credit_titles: the titles title.principals credits, with its rows of each; crew_titles: the
  titles title.crew has (lists or none);
- part_report: what the rows had wrong (bad ids, odd numbers, odd character lists, repeated
  credits), and the people credited, as a bitmap.
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
from movie.store.schema import create_indexes, create_tables
from movie.tables import CAST, CREW
from movie.writer.common import MISSING, SORT_CACHE_KIB, insert_sql
from movie.writer.helper import Orphaned
from movie.writer.imdb_parts import (
    CAST_COLUMNS,
    CREW_COLUMNS,
    Bits,
    crew_lists,
    wrote,
)

CREDITS = (CAST.name, CREW.name)  # the catalog's tables, as they are in the part
ADDED_PART = "added"
CREDIT_TITLES = "credit_titles"  # the titles title.principals credits, and its rows of each
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


def write_part(
    files: dict[str, ImdbFile], path: str, done: Any, parent: int, indexed: bool
) -> None:
    """Read title.principals and title.crew (those given) into a new part database at `path`:
    their rows, then the report and the people credited; with `indexed`, the credit tables'
    indexes too. `done` (a shared number) follows the bytes read, for the progress line; the
    work stops if process `parent` is gone."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    report = Report()
    conn.execute(
        "CREATE TABLE part_report (counts TEXT, examples TEXT, credited BLOB, credited_sparse TEXT)"
    )
    conn.execute("BEGIN")
    before = 0

    def read(lines: Lines) -> None:
        done.value = before + lines.done
        if os.getppid() != parent:
            raise Orphaned

    credited = Bits(0)
    if "title.principals" in files:
        credited = _write_principals(conn, files["title.principals"], report, read)
        before += files["title.principals"].size
    if "title.crew" in files:
        _write_crew(conn, files["title.crew"], report, read, credited)
        before += files["title.crew"].size
        _join_lists(conn)
    if indexed:
        conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")  # as the catalog's own builds
        create_indexes(conn, CREDITS)
    conn.execute(
        "INSERT INTO part_report VALUES (?, ?, ?, ?)",
        (
            json.dumps(report.counts),
            json.dumps(report.examples),
            bytes(credited.data),
            json.dumps(sorted(credited.sparse)),
        ),
    )
    conn.execute("COMMIT")
    conn.close()


def _write_principals(
    conn: sqlite3.Connection, file: ImdbFile, report: Report, read: Callable[[Lines], None]
) -> Bits:
    """title.principals's rows, checked, into the credit tables (a title's cast in billing
    order, its crew in its order; a repeated key's first row kept); the people credited."""
    create_tables(conn, CREDITS)
    conn.execute(
        f"CREATE TABLE {ADDED_PART} (movie_id INTEGER, role TEXT, job TEXT, person_id INTEGER)"
    )
    conn.execute(f"CREATE TABLE {CREDIT_TITLES} (movie_id INTEGER PRIMARY KEY, rows INTEGER)")
    cast_sql = insert_sql(CAST.name, CAST_COLUMNS, ignore=True)
    crew_sql = insert_sql(CREW.name, CREW_COLUMNS, ignore=True)
    added_sql = f"INSERT INTO {ADDED_PART} VALUES (?, ?, ?, ?)"
    titles_sql = (
        f"INSERT INTO {CREDIT_TITLES} VALUES (?, ?) "
        "ON CONFLICT (movie_id) DO UPDATE SET rows = rows + excluded.rows"
    )
    cast_kinds, null, longest = imdb.CAST_CATEGORIES, imdb.NULL, imdb.MAX_DIGITS
    characters, missing = imdb.characters, MISSING  # (None's stand-in, written as NULL)
    found = Bits()
    credited = found.data
    cast: list[tuple[Any, ...]] = []
    crew: list[tuple[Any, ...]] = []
    added: list[tuple[Any, ...]] = []
    titles: list[tuple[int, int]] = []
    last, rows = 0, 0  # the title of the rows before, and how many
    checked: str | None = None  # the id of the rows before, if good (a title's rows come
    number = 0  # together), and its number
    lines = Lines(file, report)
    for block in lines:
        for title, ordering, raw, category, job, role in block:
            person_digits = raw[2:]
            if title != checked:
                digits = title[2:]
                if not (
                    digits.isdigit()
                    and title.isascii()
                    and len(digits) <= longest
                    and title.startswith("tt")
                    and digits.strip("0")  # not tt0000000
                ):
                    _odd(report, title, ordering, raw)
                    continue
                checked, number = title, int(digits)
            if not (
                person_digits.isdigit()
                and ordering.isdigit()
                and raw.isascii()
                and ordering.isascii()
                and len(person_digits) <= longest
                and len(ordering) < 10
                and raw.startswith("nm")
            ):
                _odd(report, title, ordering, raw)
                continue
            person = int(person_digits)
            if not person:  # nm0000000
                _odd(report, title, ordering, raw)
                continue
            if number != last:
                if rows:
                    titles.append((last, rows))
                last, rows = number, 0
            rows += 1
            try:
                credited[person >> 3] |= 1 << (person & 7)
            except IndexError:  # past the bitmap's end: grown, or a sparse number
                found.add(person)
                credited = found.data
            if category in cast_kinds:
                # The character list as one text: imdb.characters's quick case written out
                # (nearly every list is '["A","B"]'), quicker here than in SQL or a call.
                if role[:2] == '["' and role[-2:] == '"]' and len(role) > 3 and "\\" not in role:
                    played: str | float | None = role[2:-2].replace('","', " / ")
                elif role == null:
                    played = missing
                else:
                    played = characters(role, report)
                cast.append((number, int(ordering), played, category, person))
            elif category in LISTED:
                added.append((number, category, missing if job == null else job, person))
            else:
                crew.append(
                    (number, category, int(ordering), missing if job == null else job, person)
                )
        wrote(report, CAST.name, len(cast), conn.executemany(cast_sql, cast).rowcount)
        wrote(report, CREW.name, len(crew), conn.executemany(crew_sql, crew).rowcount)
        conn.executemany(added_sql, added)
        conn.executemany(titles_sql, titles)
        cast, crew, added, titles = [], [], [], []
        read(lines)
    if rows:
        conn.execute(titles_sql, (last, rows))
    return found


def _write_crew(
    conn: sqlite3.Connection,
    file: ImdbFile,
    report: Report,
    read: Callable[[Lines], None],
    credited: Bits,
) -> None:
    """title.crew's directors and writers (complete: principals has only the top-billed), each
    list in its order and each person once on it (title.crew repeats a writer credited for two
    things), after title.principals's rows; the people credited added to `credited`."""
    conn.execute(f"CREATE TABLE {CREW_TITLES} (movie_id INTEGER)")
    sql = (
        f"INSERT OR IGNORE INTO {CREW.name} (movie_id, role, position, person_id) "
        "VALUES (?, ?, ?, ?)"
    )
    titles_sql = f"INSERT INTO {CREW_TITLES} VALUES (?)"
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
                rows.append((number, role, position, person))
        wrote(report, CREW.name, len(rows), conn.executemany(sql, rows).rowcount)
        conn.executemany(titles_sql, titles)
        rows, titles = [], []
        read(lines)


def _join_lists(conn: sqlite3.Connection) -> None:
    """title.principals's directors and writers of the titles title.crew has, joined to their
    lists here, as one statement each: a person on the list already gains the job if theirs
    had none; anyone else comes after the list's last, in the file's order, once, with the
    first job the file gives them. (Those of titles title.crew lacks stay in `added`: the
    first process adds them to what the catalog has.)"""
    crew, on_list = CREW.name, "c.movie_id = a.movie_id AND c.role = a.role"
    conn.execute(
        "CREATE TEMP TABLE joined AS SELECT movie_id, role, person_id, min(rowid) AS first, "
        f"min(CASE WHEN job IS NOT NULL THEN rowid END) AS job FROM {ADDED_PART} "
        f"WHERE movie_id IN (SELECT movie_id FROM {CREW_TITLES}) GROUP BY movie_id, role, person_id"
    )
    job = f"(SELECT j.job FROM {ADDED_PART} j WHERE j.rowid = a.job)"
    conn.execute(
        f"UPDATE {crew} AS c SET job = {job} FROM temp.joined a WHERE {on_list} "
        "AND c.person_id = a.person_id AND c.job IS NULL AND a.job IS NOT NULL"
    )
    conn.execute(
        f"INSERT INTO {crew} (movie_id, role, position, job, person_id) "
        f"SELECT a.movie_id, a.role, coalesce((SELECT max(c.position) FROM {crew} c "
        f"WHERE {on_list}), 0) + row_number() OVER (PARTITION BY a.movie_id, a.role "
        f"ORDER BY a.first), {job}, a.person_id FROM temp.joined a WHERE NOT EXISTS "
        f"(SELECT 1 FROM {crew} c WHERE {on_list} AND c.person_id = a.person_id)"
    )
    conn.execute(f"DELETE FROM {ADDED_PART} WHERE movie_id IN (SELECT movie_id FROM {CREW_TITLES})")
    conn.execute("DROP TABLE temp.joined")
