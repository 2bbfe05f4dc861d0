"""The writer's IMDb path: the seven dataset files into the catalog, in one transaction.

Part of the one writer (it shares writer.py's transaction, bulk and error handling); only the
shape of the load is IMDb's own. An IMDb title's movie id is its IMDb number and a person's id
theirs, so a hundred million credits are written without a lookup table: the files are read
once each, title.basics alongside title.ratings, title.episode and title.akas (all sorted by
title id, as IMDb publishes them; rows out of order are still placed, afterwards). Which titles
and people were read is kept in bitmaps (a bit per IMDb number: 5 MB for 40 million ids).

How IMDb meets what the catalog has:
- a movie from a page or the RT dataset with the same folded title (or original title) and
  year, a film or series, becomes the IMDb title: it takes the title's id, and IMDb fills what
  it lacks (FILL); its richer cast is kept, and its credits are linked to the IMDb people they
  name on that title;
- a title IMDb brought before (its slug is its IMDb id) is updated in place: importing the same
  files again changes nothing, a newer dump replaces what changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from movie.db import write_transaction
from movie.sources import imdb
from movie.sources.imdb import ImdbFile, Lines
from movie.sources.records import Report
from movie.tables import (
    AKAS,
    CAST,
    CHILD_TABLES,
    CREW,
    GENRES,
    IMDB_MOVIE_COLUMNS,
    MOVIES,
    PEOPLE,
)
from movie.text import fold
from movie.writer import bulk, import_errors

# Ids of movies from other sources, once IMDb titles are in the catalog: above every IMDb number.
OTHER_IDS = 1 << 40
# The kinds of title a typed title means first, and the ones a page's movie can be.
FILMS = frozenset({"movie", "tvMovie", "tvSeries", "tvMiniSeries"})
BATCH = 20_000
DENSE = 1 << 29  # numbers a bitmap holds as bits; larger ones go in a set
Progress = Callable[[str, int, float], None]  # (what, rows of it so far, share of all done)


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

    def __contains__(self, n: int) -> bool:
        byte = n >> 3
        if byte < len(self.data):
            return bool(self.data[byte] & (1 << (n & 7)))
        return n in self.sparse


class _Aligned:
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


class _Strays:
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


class _Clear:
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


def _movie_upsert() -> str:
    """A title in, or updated: IMDb's values win on a title IMDb brought (slug = its id); on a
    movie merged from a page they only fill what the page left empty."""
    columns = [c for c in _MOVIE_COLUMNS if c != "id"]
    updates = ", ".join(
        f"{c} = CASE WHEN movies.slug = excluded.slug THEN excluded.{c} "
        f"ELSE coalesce(movies.{c}, excluded.{c}) END"
        for c in columns
        if c != "slug"
    )
    marks = ", ".join("?" * len(_MOVIE_COLUMNS))
    return (
        f"INSERT INTO movies ({', '.join(_MOVIE_COLUMNS)}) VALUES ({marks}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )


# What IMDb gives of a movie: the core columns, then the ones schema 4 added (listed once, in
# tables.py).
_CORE_COLUMNS = ("id", "slug", "title", "year", "title_key", "runtime_minutes")
_MOVIE_COLUMNS = (*_CORE_COLUMNS, *IMDB_MOVIE_COLUMNS)
_CAST_COLUMNS = ("movie_id", "position", "character", "category", "person_id")
_CREW_COLUMNS = ("movie_id", "role", "position", "job", "person_id")
_PEOPLE_COLUMNS = ("id", "name", "name_key", "birth_year", "death_year", "professions", "known_for")
_AKA_COLUMNS = ("movie_id", *AKAS.child_columns, "title_key")
# A cast credit: the character list (a JSON array as text) becomes one text in SQL where it is
# the plain shape '["A","B"]' (nearly all are), by characters() in Python where it is not.
_CAST_SQL = (
    f"INSERT OR IGNORE INTO cast_credits ({', '.join(_CAST_COLUMNS)}) VALUES (?1, "
    "CAST(?2 AS INTEGER), CASE WHEN ?3 = '\\N' THEN NULL "
    "WHEN ?3 GLOB '[[]\"*\"]' AND instr(?3, '\\') = 0 "
    "THEN replace(substr(?3, 3, length(?3) - 4), '\",\"', ' / ') ELSE characters(?3) END, ?4, ?5)"
)
# A row of title.akas as read (its title's number first) and its folded title: SQL turns \N
# into NULL, a flag into 1/0 (quicker than Python, row by row, at 55 million rows).
NULL = imdb.NULL
_AKA_SQL = (
    f"INSERT OR IGNORE INTO akas ({', '.join(_AKA_COLUMNS)}) VALUES (?1, CAST(?2 AS INTEGER), "
    "?3, nullif(?4, '\\N'), nullif(?5, '\\N'), nullif(?6, '\\N'), nullif(?7, '\\N'), ?8 = '1', ?9)"
)


# A director or writer credit (?1 title, ?2 role, ?3 job, ?4 person) added to the title's list
# in that role unless the person is on it already; and the job given to a credit without one.
_ADD_CREW_SQL = (
    "INSERT INTO crew (movie_id, role, position, job, person_id) SELECT ?1, ?2, coalesce(("
    "SELECT max(position) FROM crew WHERE movie_id = ?1 AND role = ?2), 0) + 1, ?3, ?4 "
    "WHERE NOT EXISTS (SELECT 1 FROM crew WHERE movie_id = ?1 AND role = ?2 AND person_id = ?4)"
)
_CREW_JOB_SQL = (
    "UPDATE crew SET job = ?3 WHERE movie_id = ?1 AND role = ?2 AND person_id = ?4 "
    "AND job IS NULL AND ?3 IS NOT NULL"
)


def _insert(table: str, columns: Sequence[str], conflict: str = "") -> str:
    return (
        f"INSERT {conflict}INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )


@dataclass
class _Batches:
    """Rows waiting to be written, a list per statement, written BATCH at a time."""

    conn: sqlite3.Connection
    report: Report
    pending: dict[str, list[Sequence[Any]]] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)

    def add(self, sql: str, table: str, row: Sequence[Any]) -> None:
        rows = self.pending.setdefault(sql, [])
        self.tables[sql] = table
        rows.append(row)
        if len(rows) >= BATCH:
            self.write(sql, table, rows)
            rows.clear()

    def flush(self) -> None:
        for sql, rows in self.pending.items():
            self.write(sql, self.tables[sql], rows)
            rows.clear()

    def write(self, sql: str, table: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        written = self.conn.executemany(sql, rows).rowcount
        self.report.wrote(table, written)
        if written < len(rows):  # INSERT OR IGNORE passed over a repeated key
            counts = self.report.counts
            counts["duplicate_rows"] = counts.get("duplicate_rows", 0) + len(rows) - written
            self.report.examples.setdefault("duplicate_rows", table)


class ImdbLoad:
    """One import of the IMDb files; `run` inside the caller's transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        files: dict[str, ImdbFile],
        report: Report,
        options: ImdbOptions,
        progress: Progress | None,
    ) -> None:
        self.conn = conn
        self.files = files
        self.report = report
        self.options = options
        self.progress = progress
        self.total = sum(f.size for f in files.values()) or 1
        self.finished = 0  # bytes of the files already read
        self.open: list[Lines] = []
        self.seen = Bits()  # titles in title.basics (kept or filtered out)
        self.kept = Bits()  # titles in the catalog after this import
        self.credited = Bits()  # people credited on a kept title
        self.found = Bits()  # people in name.basics
        self.merged: dict[int, set[str]] = {}  # page movie now an IMDb title: its own lists
        self.links: list[tuple[int, int, str]] = []  # (movie, person, cast|role) to link
        self.batches = _Batches(conn, report)

    # ------------------------------------------------------------ reading

    def _blocks(self, name: str) -> Iterator[list[list[str]]]:
        """A file's rows (lists of fields), some thousands at a time; progress between."""
        lines = Lines(self.files[name], self.report)
        self.open.append(lines)
        rows = 0
        try:
            for block in lines:
                rows += len(block)
                if self.progress is not None:
                    done = self.finished + sum(f.done for f in self.open)
                    self.progress(name, rows, done / self.total)
                yield block
        finally:
            self.open.remove(lines)
            self.finished += self.files[name].size

    def _rows(self, name: str) -> Iterator[list[str]]:
        for block in self._blocks(name):
            yield from block

    def _titled(self, name: str) -> Iterator[list[Any]]:
        """A file's rows with the title's number in place of its id; bad ids counted and passed
        over."""
        longest = imdb.MAX_DIGITS
        for block in self._blocks(name):
            for fields in block:
                raw = fields[0]
                digits = raw[2:]
                # imdb.imdb_id's check, written out: this runs for every row of six files.
                if (
                    digits.isdigit()
                    and digits.isascii()
                    and len(digits) <= longest
                    and raw.startswith("tt")
                ):
                    row: list[Any] = fields
                    row[0] = int(digits)
                    if row[0]:  # not tt0000000
                        yield row
                        continue
                self.report.note("bad_ids", f"{name}: {raw[:20]}")

    def _title_known(self, number: int, name: str) -> bool:
        if number in self.kept:
            return True
        if number not in self.seen:
            self.report.note("missing_title", f"{name}: {imdb.tconst(number)}")
        return False

    # ------------------------------------------------------------ the load

    def run(self) -> None:
        self._make_room()
        self._merged_before()
        self._clearing()
        with bulk(self.conn, [MOVIES, GENRES, CREW, CAST, PEOPLE, AKAS], self.report):
            if "title.basics" in self.files:
                self._titles(self._page_movies())
            else:
                self._catalog_titles()
                self._title_details()
            if "title.crew" in self.files:
                self._crew()
            if "title.principals" in self.files:
                self._principals()
            if "name.basics" in self.files:
                self._people()
            self.batches.flush()
        self._link_page_credits()

    def _clearing(self) -> None:
        """What a later import replaces, title by title: the rows each file gives a title it
        holds (credits from IMDb name no one in text, so a page's own credits never go).
        Directors and writers come from title.crew (no job) and title.principals (with one);
        with both files a title's list is written anew from both, with one, only that file's
        credits are replaced."""
        active = self.replacing = bool(
            self.conn.execute(
                "SELECT 1 FROM movies WHERE title_type IS NOT NULL AND id < ? LIMIT 1",
                (OTHER_IDS,),
            ).fetchone()
        )
        both = "title.crew" in self.files and "title.principals" in self.files
        imdb_crew = "DELETE FROM crew WHERE movie_id = ? AND name IS NULL AND "
        self.clear_genres = _Clear(self.conn, ["DELETE FROM genres WHERE movie_id = ?"], active)
        self.clear_akas = _Clear(self.conn, ["DELETE FROM akas WHERE movie_id = ?"], active)
        written_by_crew = "role IN ('director', 'writer')" + ("" if both else " AND job IS NULL")
        self.clear_crew = _Clear(self.conn, [imdb_crew + written_by_crew], active)
        written_by_principals = "role NOT IN ('director', 'writer')" + (
            "" if both else " OR job IS NOT NULL"
        )
        self.clear_principals = _Clear(
            self.conn,
            [
                "DELETE FROM cast_credits WHERE movie_id = ? AND actor IS NULL",
                f"{imdb_crew}({written_by_principals})",
            ],
            active,
        )

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

    def _titles(self, pages: dict[tuple[str, int | None], list[int]]) -> None:
        """title.basics, with title.ratings, title.episode and title.akas read alongside; their
        rows out of title order are set aside and placed afterwards."""
        report, write = self.report, self.batches.write
        aside: dict[str, _Strays] = {}

        def aligned(name: str, rows: Iterable[Sequence[Any]], width: int) -> _Aligned | None:
            if name not in self.files:
                return None
            aside[name] = _Strays(self.conn, name, width, report)
            return _Aligned(rows, aside[name].add)

        ratings = aligned("title.ratings", self._ratings(), 3)
        episodes = aligned("title.episode", self._episodes(), 4)
        akas = aligned("title.akas", self._titled("title.akas"), 8)
        types, min_votes = self.options.types, self.options.min_votes
        movie_sql = _movie_upsert()
        genre_sql = _insert(GENRES.name, ("movie_id", "position", "genre"), "OR IGNORE ")
        number_of, year_of, key_of, tconst, null = imdb.number, imdb.year, fold, imdb.tconst, NULL
        seen, kept_titles, merged = self.seen.add, self.kept.add, self.merged
        clear_genres, clear_akas = self.clear_genres.add, self.clear_akas.add
        no_rating, no_episode = (None, None, None), (None, None, None, None)
        movies: list[tuple[Any, ...]] = []
        genre_rows: list[tuple[Any, ...]] = []
        aka_rows: list[list[Any]] = []
        kept = 0

        def write_all() -> None:
            write(movie_sql, MOVIES.name, movies)
            self.clear_genres.flush()
            write(genre_sql, GENRES.name, genre_rows)
            self.clear_akas.flush()
            write(_AKA_SQL, AKAS.name, aka_rows)

        for fields in self._titled("title.basics"):
            number, kind, primary, original, adult, start, end, runtime, genres = fields
            if number in self.seen:
                report.note("repeated_titles", f"title.basics: {tconst(number)}")
            seen(number)
            if primary in (null, "") or not primary.strip():
                report.note("nameless_titles", f"title.basics: {tconst(number)}")
                primary = original if original not in (null, "") and original.strip() else None
                primary = primary or tconst(number)
            rated = ratings.take(number) if ratings else None
            rating = rated[0] if rated else no_rating
            if (types is not None and kind not in types) or (
                min_votes and (rating[2] is None or rating[2] < min_votes)
            ):
                if episodes:
                    episodes.take(number)
                if akas:
                    akas.take(number)
                continue
            kept_titles(number)
            kept += 1
            key = key_of(primary) or ""
            year = year_of(start, report, "startYear") if start != null else None
            if pages and kind in FILMS:
                match = pages.get((key, year)) or pages.get((key_of(original) or "", year))
                if match:
                    self._merge(match.pop(0), number)
            placed = episodes.take(number) if episodes else None
            episode = placed[0] if placed else no_episode
            movies.append(
                (
                    number,
                    tconst(number),
                    primary,
                    year,
                    key,
                    number_of(runtime, report, "runtimeMinutes") if runtime != null else None,
                    kind,
                    None if original == primary else original,
                    year_of(end, report, "endYear") if end != null else None,
                    1 if adult == "1" else 0 if adult == "0" else None,
                    rating[1],
                    rating[2],
                    episode[1],
                    episode[2],
                    episode[3],
                )
            )
            if number not in merged or "genres" not in merged[number]:
                clear_genres(number)
                if genres != null:
                    for position, genre in enumerate(genres.split(","), 1):
                        genre_rows.append((number, position, genre))
            if akas:
                others = akas.take(number)
                if others:
                    clear_akas(number)
                    keys = {key}
                    for row in filter(self._aka_ordered, others):
                        aka_key = key_of(row[2]) or ""
                        row.append("" if aka_key in keys else aka_key)
                        keys.add(aka_key)
                        aka_rows.append(row)
            if len(movies) >= BATCH:
                write_all()
                movies, genre_rows, aka_rows = [], [], []
        write_all()
        report.movies = kept
        for found in (ratings, episodes, akas):
            if found:
                found.rest()
        if ratings:
            self._rate(aside["title.ratings"].drain())
        if episodes:
            self._place_episodes(aside["title.episode"].drain())
        if akas:
            self._place_akas(aside["title.akas"].drain())

    def _ratings(self) -> Iterator[tuple[int, float | None, int | None]]:
        for number, average, votes in self._titled("title.ratings"):
            try:
                rating: float | None = float(average)
            except ValueError:
                rating = None
            if rating is None or not 1.0 <= rating <= 10.0:  # nan, inf, 1e308, -3 too
                self.report.note("odd_numbers", f"averageRating {average[:20]}")
                rating = None
            yield number, rating, imdb.number(votes, self.report, "numVotes")

    def _episodes(self) -> Iterator[tuple[int, int | None, int | None, int | None]]:
        for number, parent, season, episode in self._titled("title.episode"):
            series = imdb.imdb_id(parent, "tt")
            if series is None and parent != NULL:
                self.report.note("bad_ids", f"title.episode: {parent[:20]}")
            yield (
                number,
                series,
                imdb.number(season, self.report, "seasonNumber"),
                imdb.number(episode, self.report, "episodeNumber"),
            )

    def _update(self, sql: str, name: str, rows: Iterable[Sequence[Any]]) -> None:
        """Rows of the catalog's titles as updates of their movies, a batch at a time."""
        batch: list[Sequence[Any]] = []
        for row in rows:
            if self._title_known(row[0], name):
                batch.append(row)
                if len(batch) >= BATCH:
                    self.conn.executemany(sql, batch)
                    batch = []
        self.conn.executemany(sql, batch)

    def _rate(self, rows: Iterable[Sequence[Any]]) -> None:
        sql = "UPDATE movies SET imdb_rating = ?2, imdb_votes = ?3 WHERE id = ?1"
        self._update(sql, "title.ratings", rows)

    def _place_episodes(self, rows: Iterable[Sequence[Any]]) -> None:
        sql = "UPDATE movies SET series_id = ?2, season = ?3, episode = ?4 WHERE id = ?1"
        self._update(sql, "title.episode", rows)

    def _aka_ordered(self, row: list[Any]) -> bool:
        """Whether an alternate title's ordering is a number (else it is reported, left out)."""
        ordering = row[1]
        if ordering.isdigit() and ordering.isascii() and len(ordering) < 10:
            return True
        self.report.note("odd_numbers", f"title.akas ordering {ordering[:20]}")
        return False

    def _place_akas(self, rows: Iterable[list[Any]]) -> None:
        """Other titles read apart from their title (out of order, or without title.basics):
        each row as IMDb gives it, with its folded title."""
        batch: list[list[Any]] = []
        placed = Bits(0)  # titles this pass has placed rows of
        title, keys = -1, set[str]()

        def write() -> None:
            self.clear_akas.flush()
            self.batches.write(_AKA_SQL, AKAS.name, batch)
            batch.clear()

        for row in rows:
            if not self._title_known(row[0], "title.akas") or not self._aka_ordered(row):
                continue
            if row[0] != title:
                # The keys the title has: its own, and those of its rows already placed (by
                # the aligned pass, or earlier in this one), never those about to be cleared.
                title = row[0]
                again = title in placed or title in self.clear_akas.done
                if again:
                    write()
                placed.add(title)
                self.clear_akas.add(title)
                sql = "SELECT title_key FROM movies WHERE id = ?1"
                if again:
                    sql += " UNION SELECT title_key FROM akas WHERE movie_id = ?1"
                keys = {k for (k,) in self.conn.execute(sql, (title,))}
            aka_key = fold(row[2]) or ""
            row.append("" if aka_key in keys else aka_key)
            keys.add(aka_key)
            batch.append(row)
            if len(batch) >= BATCH:
                write()
        write()

    def _catalog_titles(self) -> None:
        """Without title.basics, the titles are the IMDb titles the catalog already has."""
        for (number,) in self.conn.execute(
            "SELECT id FROM movies WHERE title_type IS NOT NULL AND id < ?", (OTHER_IDS,)
        ):
            self.seen.add(number)
            self.kept.add(number)

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

    def _title_details(self) -> None:
        """Ratings, episodes and other titles for the catalog's titles (no title.basics)."""
        if "title.ratings" in self.files:
            self._rate(self._ratings())
        if "title.episode" in self.files:
            self._place_episodes(self._episodes())
        if "title.akas" in self.files:
            self._place_akas(self._titled("title.akas"))

    # ------------------------------------------------------------ credits

    def _person(self, raw: str, name: str) -> int | None:
        number = imdb.imdb_id(raw, "nm")
        if number is None:
            self.report.note("bad_ids", f"{name}: {raw[:20]}")
            return None
        self.credited.add(number)
        return number

    def _crew(self) -> None:
        """Directors and writers, complete (principals has only the top-billed), each person
        once per role: title.crew repeats a writer credited for two things."""
        plain = not self.replacing or "title.principals" in self.files
        sql = _insert(CREW.name, _CREW_COLUMNS, "OR IGNORE ") if plain else _ADD_CREW_SQL
        kept, merged, null = self.kept, self.merged, NULL
        rows: list[tuple[Any, ...]] = []

        def write() -> None:
            self.clear_crew.flush()
            if plain:
                self.batches.write(sql, CREW.name, rows)
            else:
                self._add_crew([(n, role, None, person) for n, role, _, _, person in rows])

        for number, directors, writers in self._titled("title.crew"):
            if number not in kept and not self._title_known(number, "title.crew"):
                continue
            self.clear_crew.add(number)
            for role, people in (("director", directors), ("writer", writers)):
                if people == null:
                    continue
                position = 0
                listed = set()
                for raw in people.split(","):
                    person = self._person(raw, "title.crew")
                    if person is None or person in listed:
                        continue
                    listed.add(person)
                    if number in merged and role in merged[number]:
                        self.links.append((number, person, role))
                        continue
                    position += 1
                    rows.append((number, role, position, None, person))
            if len(rows) >= BATCH:
                write()
                rows = []
        write()

    def _add_crew(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Director and writer credits (title, role, job, person) added to what the title has:
        a person it already credits in that role gains the job if theirs had none, anyone else
        comes after the title's last credit in the role."""
        if not rows:
            return
        self.conn.executemany(_CREW_JOB_SQL, rows)
        self.report.wrote(CREW.name, self.conn.executemany(_ADD_CREW_SQL, rows).rowcount)

    def _principals(self) -> None:
        """Cast and crew credits: the largest file (a hundred million rows), so its loop is
        written out by hand, and SQL turns the character lists into text."""
        self.conn.create_function(
            "characters", 1, lambda value: imdb.characters(value, self.report)
        )
        cast_sql = _CAST_SQL
        crew_sql = _insert(CREW.name, _CREW_COLUMNS, "OR IGNORE ")
        # Directors and writers may be in title.crew too: added to its lists, each once.
        listed = {"director", "writer"}
        merged, null = self.merged, imdb.NULL
        replacing, clear, last = self.replacing, self.clear_principals, -1

        def write(sql: str, table: str, rows: list[tuple[Any, ...]]) -> None:
            clear.flush()
            self.batches.write(sql, table, rows)

        cast_kinds = imdb.CAST_CATEGORIES
        kept, kept_size = self.kept.data, len(self.kept.data)
        longest = imdb.MAX_DIGITS
        credited = self.credited.data
        cast: list[tuple[Any, ...]] = []
        crew: list[tuple[Any, ...]] = []
        added: list[tuple[Any, ...]] = []  # directors and writers
        for block in self._blocks("title.principals"):
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
                    self._odd_principal(title, ordering, raw)
                    continue
                number, person = int(digits), int(person_digits)
                if not (number and person):  # tt0000000, nm0000000
                    self._odd_principal(title, ordering, raw)
                    continue
                byte = number >> 3
                if (
                    not kept[byte] >> (number & 7) & 1
                    if byte < kept_size
                    else number not in self.kept
                ):
                    self._title_known(number, "title.principals")
                    continue
                if replacing and number != last:
                    clear.add(number)
                    last = number
                try:
                    credited[person >> 3] |= 1 << (person & 7)
                except IndexError:  # past the bitmap's end: grown, or a sparse number
                    self.credited.add(person)
                    credited = self.credited.data
                if number in merged:
                    kind = "cast" if category in cast_kinds else category
                    if kind in merged[number]:
                        self.links.append((number, person, kind))
                        continue
                if category in cast_kinds:
                    cast.append((number, ordering, role, category, person))
                    if len(cast) >= BATCH:
                        write(cast_sql, CAST.name, cast)
                        cast = []
                elif category in listed:
                    added.append((number, category, None if job == null else job, person))
                    if len(added) >= BATCH:
                        clear.flush()
                        self._add_crew(added)
                        added = []
                else:
                    crew.append(
                        (number, category, int(ordering), None if job == null else job, person)
                    )
                    if len(crew) >= BATCH:
                        write(crew_sql, CREW.name, crew)
                        crew = []
        write(cast_sql, CAST.name, cast)
        write(crew_sql, CREW.name, crew)
        clear.flush()
        self._add_crew(added)

    def _odd_principal(self, title: str, ordering: str, person: str) -> None:
        if imdb.imdb_id(title, "tt") is None:
            self.report.note("bad_ids", f"title.principals: {title[:20]}")
        elif imdb.imdb_id(person, "nm") is None:
            self.report.note("bad_ids", f"title.principals: {person[:20]}")
        else:
            self.report.note("odd_numbers", f"title.principals ordering {ordering[:20]}")

    def _people(self) -> None:
        sql = (
            _insert(PEOPLE.name, _PEOPLE_COLUMNS)
            + " ON CONFLICT (id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _PEOPLE_COLUMNS[1:])
        )
        only_credited = self.options.types is not None or self.options.min_votes > 0
        report, number_of, text = self.report, imdb.number, imdb.text
        for raw, name, born, died, professions, known in self._rows("name.basics"):
            number = imdb.imdb_id(raw, "nm")
            if number is None:
                report.note("bad_ids", f"name.basics: {raw[:20]}")
                continue
            self.found.add(number)
            if only_credited and number not in self.credited:
                continue
            self.batches.add(
                sql,
                PEOPLE.name,
                (
                    number,
                    name,
                    fold(name) or "",
                    number_of(born, report, "birthYear"),
                    number_of(died, report, "deathYear"),
                    text(professions),
                    text(known),
                ),
            )
        self._missing_people()

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


def import_imdb(
    conn: sqlite3.Connection,
    files: dict[str, ImdbFile],
    report: Report,
    options: ImdbOptions | None = None,
    progress: Progress | None = None,
) -> None:
    """Every IMDb file given, in one transaction: all of it lands, or none. Foreign keys are
    not checked row by row: every title id written was read from title.basics (or the catalog)
    in the same import."""
    import gc

    conn.execute("PRAGMA foreign_keys = OFF")  # (outside a transaction, or it is ignored)
    # Python's cycle collector would walk every live row list again and again (a third of the
    # time at 20 million rows); the load makes no cycles, so it is paused meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with import_errors("the import"), write_transaction(conn):
            ImdbLoad(conn, files, report, options or ImdbOptions(), progress).run()
    finally:
        if collecting:
            gc.enable()
        conn.execute("PRAGMA foreign_keys = ON")
