"""Two parts of the writer's IMDb path (writer/imdb.py). PageMovies: a movie from a page or the RT
dataset with the same folded title (or original title) and year becomes the IMDb title, takes its
id, keeps its own lists, and has its credits linked to the IMDb people they name. People: the
people credited whom name.basics lacks."""

from __future__ import annotations

import sqlite3

from movie.records import Report
from movie.sources import imdb
from movie.tables import AKAS, CHILD_TABLES
from movie.writer.imdb_parts import (
    OTHER_IDS,
    Bits,
)


class PageMovies:
    """What ImdbLoad does with the movies of other sources; it provides conn, merged and links."""

    conn: sqlite3.Connection
    merged: dict[int, set[str]]
    links: list[tuple[int, int, str]]

    def _make_room(self) -> None:
        """Movies from other sources move to ids above every IMDb number (once)."""
        low = [row[0] for row in self.conn.execute(
            "SELECT id FROM movies WHERE title_type IS NULL AND id < ? ORDER BY id", (OTHER_IDS,)
        )]  # fmt: skip
        if not low:
            return
        top = self.conn.execute("SELECT max(id) FROM movies").fetchone()[0]
        start = max(OTHER_IDS, top + 1)
        for offset, old in enumerate(low):
            self._renumber(old, start + offset)

    def _renumber(self, old: int, new: int) -> None:
        for table in (*CHILD_TABLES, AKAS):
            self.conn.execute(
                f"UPDATE {table.name} SET movie_id = ? WHERE movie_id = ?", (new, old)
            )
        self.conn.execute("UPDATE movies SET id = ? WHERE id = ?", (new, old))

    def _page_movies(self) -> dict[tuple[str, int | None], list[int]]:
        """Movies from pages and the RT dataset, by folded title and year: the ones an IMDb
        title may be."""
        found: dict[tuple[str, int | None], list[int]] = {}
        for movie_id, key, year in self.conn.execute(
            "SELECT id, title_key, year FROM movies WHERE title_type IS NULL ORDER BY id"
        ):
            found.setdefault((key, year), []).append(movie_id)
        return found

    def _merge(self, page_id: int, number: int) -> None:
        """A page's movie becomes IMDb title `number`: it takes the id (a title IMDb brought
        before under that id gives way), and keeps its own lists."""
        if self.conn.execute("SELECT 1 FROM movies WHERE id = ?", (number,)).fetchone():
            for table in (*CHILD_TABLES, AKAS):
                self.conn.execute(f"DELETE FROM {table.name} WHERE movie_id = ?", (number,))
            self.conn.execute("DELETE FROM movies WHERE id = ?", (number,))
        self._renumber(page_id, number)
        lists = set()
        for name, kind in (("genres", "genres"), ("cast_credits", "cast")):
            if self.conn.execute(
                f"SELECT 1 FROM {name} WHERE movie_id = ? LIMIT 1", (number,)
            ).fetchone():
                lists.add(kind)
        for (role,) in self.conn.execute(
            "SELECT DISTINCT role FROM crew WHERE movie_id = ?", (number,)
        ):
            lists.add(role)
        self.merged[number] = lists

    def _merged_before(self) -> None:
        """Movies an earlier import merged with their IMDb title, and the lists they have of
        their own (genres, page cast, page crew by role)."""
        self.merged = {
            number: set()
            for (number,) in self.conn.execute(
                "SELECT id FROM movies WHERE title_type IS NOT NULL AND id < ? "
                "AND slug <> printf('tt%07d', id)",
                (OTHER_IDS,),
            )
        }
        for number in self.merged:
            for (kind,) in self.conn.execute(
                "SELECT 'cast' FROM cast_credits WHERE movie_id = ? AND actor IS NOT NULL "
                "UNION SELECT role FROM crew WHERE movie_id = ? AND name IS NOT NULL "
                "UNION SELECT 'genres' FROM genres WHERE movie_id = ?",
                (number, number, number),
            ):
                self.merged[number].add(kind)

    def _link_page_credits(self) -> None:
        """A merged movie's own credits (from its page) get the id of the IMDb person with the
        same name on the same title."""
        if not self.links:
            return
        self.conn.execute(
            "CREATE TEMP TABLE imdb_links (movie_id INTEGER, person_id INTEGER, kind TEXT)"
        )
        try:
            self.conn.executemany("INSERT INTO temp.imdb_links VALUES (?, ?, ?)", self.links)
            self.conn.execute(
                """UPDATE cast_credits SET person_id = (
                       SELECT l.person_id FROM temp.imdb_links l JOIN people p ON p.id = l.person_id
                       WHERE l.movie_id = cast_credits.movie_id AND l.kind = 'cast'
                         AND p.name_key = fold(CAST(cast_credits.actor AS BLOB)))
                   WHERE actor IS NOT NULL
                     AND movie_id IN (SELECT movie_id FROM temp.imdb_links WHERE kind = 'cast')"""
            )
            self.conn.execute(
                """UPDATE crew SET person_id = (
                       SELECT l.person_id FROM temp.imdb_links l JOIN people p ON p.id = l.person_id
                       WHERE l.movie_id = crew.movie_id AND l.kind = crew.role
                         AND p.name_key = fold(CAST(crew.name AS BLOB)))
                   WHERE name IS NOT NULL
                     AND movie_id IN (SELECT movie_id FROM temp.imdb_links WHERE kind <> 'cast')"""
            )
        finally:
            self.conn.execute("DROP TABLE temp.imdb_links")


class People:
    """The people credited whom name.basics lacks; ImdbLoad provides the rest."""

    report: Report
    credited: Bits
    found: Bits

    def _missing_people(self) -> None:
        """People credited on a kept title whom name.basics does not have (counted as whole
        bitmaps: 64 million bits at a time)."""
        credited = int.from_bytes(self.credited.data, "little")
        missing = credited & ~int.from_bytes(self.found.data, "little")
        sparse = sorted(n for n in self.credited.sparse if n not in self.found)
        if missing or sparse:
            first = (missing & -missing).bit_length() - 1 if missing else sparse[0]
            self.report.note("missing_person", imdb.nconst(first))
            self.report.counts["missing_person"] = missing.bit_count() + len(sparse)
