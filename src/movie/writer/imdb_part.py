"""title.principals (a hundred million rows, the largest file) and title.crew beside it read in
a second process while the first reads the titles and name.basics and builds their indexes:
both cores work. Rows are never sent between the processes: the second writes them, checked and
converted, into a database file of its own beside the catalog, in file order, and the writer's
transaction copies them into cast_credits and crew with `INSERT ... SELECT` (SQLite's C
code), choosing there which titles are kept, which credits a merged page movie has of its own,
and what an earlier import wrote. Into a catalog that had no IMDb titles, the credits go by
SQLite's transfer: the part holds the catalog's own tables and their indexes, built there while
the first process works, and they are copied whole, record by record, without a sort. The part
file is deleted whether the import lands or not; an interrupted or failed import stops the
second process, and a second process whose first is killed deletes the file itself.

What the part holds, and how it is written: writer/imdb_second.py.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from movie.records import Report
from movie.sources.imdb import ImdbFile
from movie.store.schema import create_indexes
from movie.tables import CAST, CREW
from movie.writer.helper import Helper
from movie.writer.imdb_parts import (
    CAST_COLUMNS,
    CREW_COLUMNS,
    Bits,
    Clear,
    ImdbOptions,
)
from movie.writer.imdb_second import (
    ADDED_PART,
    CREDIT_TITLES,
    CREDITS,
    CREW_TITLES,
    write_part,
)

ATTACHED = "imdb_part"  # the part's name in the catalog's connection
# The files the second process reads, in its order (title.crew only beside title.principals:
# alone, it is the first process's, which adds its lists to what the catalog has).
PART_FILES = ("title.principals", "title.crew")


def _write(path: str, done: Any, parent: int, files: dict[str, ImdbFile], indexed: bool) -> None:
    write_part(files, path, done, parent, indexed)


class Part(Helper):
    """The second process of an IMDb import and its part file (see Helper): the report and the
    people credited are in the file. With `transfer`, the part's credit tables come with their
    indexes, to be transferred whole."""

    attached = ATTACHED

    def __init__(self, files: dict[str, ImdbFile], beside: str, transfer: bool = False) -> None:
        self.files = files
        self.transfer = transfer
        named = " and ".join(str(file.path) for file in files.values())
        them = "them" if len(files) > 1 else "it"
        super().__init__(_write, (files, transfer), beside, named, them)


class FromPart:
    """The copy of the part into the catalog, inside the writer's transaction; ImdbLoad
    provides the rest."""

    conn: sqlite3.Connection
    report: Report
    kept: Bits
    credited: Bits
    found: Bits
    merged: dict[int, set[str]]
    links: list[tuple[int, int, str]]
    replacing: bool
    clear_principals: Clear
    clear_crew: Clear
    part: Part | None
    options: ImdbOptions
    _title_known: Callable[..., bool]
    _missing_people: Callable[[], None]

    def _read_part(self, path: str) -> None:
        """The part attached (as imdb_part), what its rows had wrong noted."""
        self.conn.execute(f"ATTACH DATABASE ? AS {ATTACHED}", (path,))
        counts, examples = self.conn.execute(
            f"SELECT counts, examples FROM {ATTACHED}.part_report"
        ).fetchone()
        self.report.add_notes(json.loads(counts), json.loads(examples))

    def _principals(self) -> None:
        """The part's credits of the titles kept, but for a merged page movie's own lists
        (links instead): transferred whole into a catalog that had none (`_transfer`), else
        copied row by row; then the directors and writers to add to the catalog's lists."""
        conn, part = self.conn, ATTACHED
        if self.replacing:  # the kept titles are this import's, not all the catalog's
            conn.create_function("imdb_kept", 1, self.kept.__contains__, deterministic=True)
            kept = "imdb_kept(p.movie_id)"
        else:  # every IMDb title in the catalog came with this import
            kept = "EXISTS (SELECT 1 FROM main.movies m WHERE m.id = p.movie_id)"
        credited, sparse = conn.execute(
            f"SELECT credited, credited_sparse FROM {part}.part_report"
        ).fetchone()
        # The titles left out, title by title (those title.basics lacks noted, a row each).
        dropped: list[tuple[int]] = []
        for number, rows in conn.execute(
            f"SELECT p.movie_id, p.rows FROM {part}.{CREDIT_TITLES} p WHERE NOT {kept}"
        ):
            dropped.append((number,))
            self._title_known(number, "title.principals", rows)
        lists = self.part is not None and "title.crew" in self.part.files
        crew_titles = f"FROM {part}.{CREW_TITLES} p WHERE"
        if lists:  # title.crew's lines (its lists, or none)
            for (number,) in conn.execute(f"SELECT p.movie_id {crew_titles} NOT {kept}"):
                dropped.append((number,))
                self._title_known(number, "title.crew")
        transfer = self._transferable()
        # The people the part credits on the kept titles (besides those the first process's
        # title.crew credits).
        here = Bits(0)
        if dropped and not transfer:
            for table in (*CREDITS, ADDED_PART):
                people = f"SELECT p.person_id FROM {part}.{table} p WHERE {kept}"
                for (person,) in conn.execute(people):
                    here.add(person)
        else:
            here.update(credited, json.loads(sparse))
            if dropped:
                self._drop_titles(dropped, here)
        self.credited.update(here.data, here.sparse)
        if self.replacing:  # each file's rows of its titles go first
            for clear, which in (
                (self.clear_principals, f"FROM {part}.{CREDIT_TITLES} p WHERE"),
                (self.clear_crew, crew_titles if lists else ""),
            ):
                for (number,) in conn.execute(f"SELECT p.movie_id {which} {kept}") if which else ():
                    clear.add(number)
                clear.flush()
        chosen = self._own_lists(kept, delete=transfer)
        if transfer:
            self._transfer()
        else:
            for table, columns in ((CAST.name, CAST_COLUMNS), (CREW.name, CREW_COLUMNS)):
                names = ", ".join(columns)
                self.report.wrote(
                    table,
                    conn.execute(
                        f"INSERT OR IGNORE INTO {table} ({names}) SELECT "
                        f"{', '.join('p.' + c for c in columns)} FROM {part}.{table} p "
                        f"WHERE {chosen(table)}"
                    ).rowcount,
                )
        self._add_listed(f"FROM {part}.{ADDED_PART} p WHERE {chosen(ADDED_PART)}")

    def _transferable(self) -> bool:
        """Whether the part's credit tables go in whole: the part was made for it (a catalog
        without IMDb titles, no title left out by --types or --min-votes) and the catalog's
        tables have the columns the part's have (an older catalog's may not)."""
        if self.part is None or not self.part.transfer:
            return False
        return all(
            self.conn.execute(f"PRAGMA main.table_info({table})").fetchall()
            == self.conn.execute(f"PRAGMA {ATTACHED}.table_info({table})").fetchall()
            for table in CREDITS
        )

    def _drop_titles(self, dropped: list[tuple[int]], credited: Bits) -> None:
        """The part's credits of titles left out deleted (few: titles title.basics lacks), and
        the people credited only there taken out of `credited`."""
        conn, part = self.conn, ATTACHED
        conn.execute("CREATE TEMP TABLE imdb_dropped (movie_id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TEMP TABLE imdb_uncredited (person_id INTEGER PRIMARY KEY)")
        try:
            conn.executemany("INSERT OR IGNORE INTO temp.imdb_dropped VALUES (?)", dropped)
            titles = "movie_id IN (SELECT movie_id FROM temp.imdb_dropped)"
            for table in (*CREDITS, ADDED_PART):
                conn.execute(
                    "INSERT OR IGNORE INTO temp.imdb_uncredited "
                    f"SELECT person_id FROM {part}.{table} WHERE {titles}"
                )
                conn.execute(f"DELETE FROM {part}.{table} WHERE {titles}")
            # Looked up in the credit tables' person indexes; `added` (no index) read once.
            elsewhere = " OR ".join(
                f"EXISTS (SELECT 1 FROM {part}.{table} c WHERE c.person_id = u.person_id)"
                for table in CREDITS
            )
            for (person,) in conn.execute(
                f"SELECT u.person_id FROM temp.imdb_uncredited u WHERE NOT ({elsewhere}) "
                f"AND u.person_id NOT IN (SELECT person_id FROM {part}.{ADDED_PART} "
                "WHERE person_id IS NOT NULL)"
            ):
                credited.discard(person)
        finally:
            conn.execute("DROP TABLE temp.imdb_dropped")
            conn.execute("DROP TABLE temp.imdb_uncredited")

    def _transfer(self) -> None:
        """The part's credit tables into the catalog's, whole: SQLite copies a table and its
        indexes record by record, in key order, when the target is empty and has the same
        columns, constraints and indexes. So the catalog's own credits (a page's, the seed's)
        join the part's first (theirs win a repeated key, as INSERT OR IGNORE would have it),
        the catalog's tables are emptied and given their indexes, and the part goes in."""
        conn, part = self.conn, ATTACHED
        for table in CREDITS:
            own = conn.execute(
                f"INSERT OR REPLACE INTO {part}.{table} SELECT * FROM main.{table}"
            ).rowcount
            conn.execute(f"DELETE FROM main.{table}")
            create_indexes(conn, [table])
            written = conn.execute(transfer_sql(table)).rowcount
            self.report.wrote(table, written - own)

    def _add_listed(self, rows: str) -> None:
        """Directors and writers from title.principals added to the lists the catalog has (an
        earlier import's: those of titles this import's title.crew has were joined in the
        part), as one statement each rather than row by row: a person on the list already
        gains the job if theirs had none; anyone else comes after the list's last, in the
        file's order, once, with the first job the file gives them."""
        conn = self.conn
        conn.execute(
            "CREATE TEMP TABLE imdb_added AS SELECT p.movie_id, p.role, p.person_id, "
            "min(p.rowid) AS first, min(CASE WHEN p.job IS NOT NULL THEN p.rowid END) AS job "
            f"{rows} GROUP BY p.movie_id, p.role, p.person_id"
        )
        try:
            job = f"(SELECT job FROM {ATTACHED}.{ADDED_PART} WHERE rowid = a.job)"
            conn.execute(
                f"UPDATE crew SET job = {job} FROM temp.imdb_added a "
                "WHERE crew.movie_id = a.movie_id AND crew.role = a.role "
                "AND crew.person_id = a.person_id AND crew.job IS NULL AND a.job IS NOT NULL"
            )
            added = conn.execute(
                "INSERT INTO crew (movie_id, role, position, job, person_id) "
                "SELECT a.movie_id, a.role, coalesce((SELECT max(c.position) FROM crew c "
                "WHERE c.movie_id = a.movie_id AND c.role = a.role), 0) + row_number() OVER "
                f"(PARTITION BY a.movie_id, a.role ORDER BY a.first), {job}, a.person_id "
                "FROM temp.imdb_added a WHERE NOT EXISTS (SELECT 1 FROM crew c WHERE "
                "c.movie_id = a.movie_id AND c.role = a.role AND c.person_id = a.person_id)"
            ).rowcount
            self.report.wrote("crew", added)
        finally:
            conn.execute("DROP TABLE temp.imdb_added")

    def _own_lists(self, kept: str, delete: bool) -> Callable[[str], str]:
        """A merged page movie keeps its own cast and its own crew by role: IMDb's credits in
        those become links (the IMDb person named on the page's credit), not rows. Which rows
        of a part table to copy: of kept titles, not of such a list (with `delete`, those are
        deleted from the part instead)."""
        own = [(n, kind) for n, kinds in self.merged.items() for kind in kinds]
        if not own:
            return lambda table: kept
        conn = self.conn
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS imdb_own (movie_id INTEGER, kind TEXT, "
            "PRIMARY KEY (movie_id, kind)) WITHOUT ROWID"
        )
        conn.execute("DELETE FROM temp.imdb_own")
        conn.executemany("INSERT OR IGNORE INTO temp.imdb_own VALUES (?, ?)", own)

        def kind(table: str) -> str:  # the list a row of the table is on
            return "'cast'" if table == CAST.name else "p.role"

        def listed(table: str) -> str:
            return (
                "p.movie_id IN (SELECT movie_id FROM temp.imdb_own) AND EXISTS (SELECT 1 FROM "
                f"temp.imdb_own o WHERE o.movie_id = p.movie_id AND o.kind = {kind(table)})"
            )

        for table in (*CREDITS, ADDED_PART):
            rows = f"FROM {ATTACHED}.{table} AS p WHERE {kept} AND {listed(table)}"
            self.links.extend(conn.execute(f"SELECT p.movie_id, p.person_id, {kind(table)} {rows}"))
            if delete:
                conn.execute(f"DELETE {rows}")
        if delete:
            return lambda table: kept
        return lambda table: f"{kept} AND NOT ({listed(table)})"


def transfer_sql(table: str) -> str:
    """The copy of a part's table into the catalog's that SQLite makes a transfer."""
    return f"INSERT INTO main.{table} SELECT * FROM {ATTACHED}.{table}"
