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
Progress = Callable[[str, int, float], None]  # (what, rows of it so far, share of all done)


@dataclass(frozen=True)
class ImdbOptions:
    types: frozenset[str] | None = None  # only titles of these types
    min_votes: int = 0  # only titles with at least this many votes


class Bits:
    """A set of IMDb numbers as a bitmap: a bit each (8 MB holds the 64 million numbers IMDb
    has not reached yet), grown as needed. Hot loops use `data` directly."""

    def __init__(self, numbers: int = 1 << 26) -> None:
        self.data = bytearray(numbers >> 3)

    def add(self, n: int) -> None:
        byte = n >> 3
        if byte >= len(self.data):
            self.data.extend(bytes(byte + 1 - len(self.data) + len(self.data) // 2))
        self.data[byte] |= 1 << (n & 7)

    def __contains__(self, n: int) -> bool:
        byte = n >> 3
        return byte < len(self.data) and bool(self.data[byte] & (1 << (n & 7)))


class _Aligned:
    """The rows of a file sorted by title id, taken alongside title.basics (sorted too): `take`
    returns one title's rows; rows passed over (a title basics lacks, or out of order) are kept
    for afterwards."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = iter(rows)
        self.next = next(self.rows, None)
        self.strays: list[Sequence[Any]] = []

    def take(self, title: int) -> list[Any]:
        found: list[Sequence[Any]] = []
        while self.next is not None and self.next[0] <= title:
            (found if self.next[0] == title else self.strays).append(self.next)
            self.next = next(self.rows, None)
        return found

    def rest(self) -> Iterator[Any]:
        yield from self.strays
        self.strays = []
        if self.next is not None:
            yield self.next
            yield from self.rows


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
        for block in self._blocks(name):
            for fields in block:
                raw = fields[0]
                digits = raw[2:]
                if digits.isdigit() and raw.startswith("tt"):
                    row: list[Any] = fields
                    row[0] = int(digits)
                    yield row
                else:
                    self.report.note("bad_ids", f"{name}: {fields[0][:20]}")

    def _title_known(self, number: int, name: str) -> bool:
        if number in self.kept:
            return True
        if number not in self.seen:
            self.report.note("missing_title", f"{name}: {imdb.tconst(number)}")
        return False

    # ------------------------------------------------------------ the load

    def run(self) -> None:
        self._clear_replaced()
        self._make_room()
        self._merged_before()
        with bulk(self.conn, [MOVIES, GENRES, CREW, CAST, PEOPLE, AKAS]):
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

    def _clear_replaced(self) -> None:
        """Before a later import: IMDb's lists of the titles it brought go, to be written anew
        (credits from IMDb name no one in text; a title IMDb brought has its id as slug)."""
        has_imdb = self.conn.execute(
            "SELECT 1 FROM movies WHERE title_type IS NOT NULL LIMIT 1"
        ).fetchone()
        if not has_imdb:
            return
        titles = "SELECT id FROM movies WHERE title_type IS NOT NULL"
        if self.options.types is not None:
            kinds = ", ".join(f"'{kind}'" for kind in sorted(self.options.types))
            titles += f" AND title_type IN ({kinds})"
        owned = titles + " AND slug = printf('tt%07d', id)"  # the genres of a merged movie may
        statements = []  # be its page's
        if "title.basics" in self.files:
            statements.append(f"DELETE FROM genres WHERE movie_id IN ({owned})")
        if "title.akas" in self.files:
            statements.append(f"DELETE FROM akas WHERE movie_id IN ({titles})")
        roles = []
        if "title.crew" in self.files:
            roles.append("role IN ('director', 'writer')")
        if "title.principals" in self.files:
            statements.append(
                f"DELETE FROM cast_credits WHERE actor IS NULL AND movie_id IN ({titles})"
            )
            if "title.crew" not in self.files:
                roles.append("1")
            else:
                roles.append("role NOT IN ('director', 'writer')")
        if roles:
            statements.append(
                f"DELETE FROM crew WHERE name IS NULL AND ({' OR '.join(roles)}) "
                f"AND movie_id IN ({titles})"
            )
        for statement in statements:
            self.conn.execute(statement)

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
        """title.basics, with title.ratings, title.episode and title.akas read alongside."""
        report, write = self.report, self.batches.write
        ratings = _Aligned(self._ratings()) if "title.ratings" in self.files else None
        episodes = _Aligned(self._episodes()) if "title.episode" in self.files else None
        akas = _Aligned(self._titled("title.akas")) if "title.akas" in self.files else None
        types, min_votes = self.options.types, self.options.min_votes
        movie_sql = _movie_upsert()
        genre_sql = _insert(GENRES.name, ("movie_id", "position", "genre"), "OR IGNORE ")
        number_of, year_of, key_of, tconst, null = imdb.number, imdb.year, fold, imdb.tconst, NULL
        seen, kept_titles, merged = self.seen.add, self.kept.add, self.merged
        no_rating, no_episode = (None, None, None), (None, None, None, None)
        movies: list[tuple[Any, ...]] = []
        genre_rows: list[tuple[Any, ...]] = []
        aka_rows: list[list[Any]] = []
        kept = 0
        for fields in self._titled("title.basics"):
            number, kind, primary, original, adult, start, end, runtime, genres = fields
            seen(number)
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
            if genres != null and (number not in merged or "genres" not in merged[number]):
                for position, genre in enumerate(genres.split(","), 1):
                    genre_rows.append((number, position, genre))
            if akas:
                others = akas.take(number)
                if others:
                    self._akas(key, others, aka_rows)
            if len(movies) >= BATCH:
                write(movie_sql, MOVIES.name, movies)
                write(genre_sql, GENRES.name, genre_rows)
                write(_AKA_SQL, AKAS.name, aka_rows)
                movies, genre_rows, aka_rows = [], [], []
        write(movie_sql, MOVIES.name, movies)
        write(genre_sql, GENRES.name, genre_rows)
        write(_AKA_SQL, AKAS.name, aka_rows)
        report.movies = kept
        self._strays(ratings, episodes, akas)

    def _ratings(self) -> Iterator[tuple[int, float | None, int | None]]:
        for number, average, votes in self._titled("title.ratings"):
            try:
                rating: float | None = float(average)
            except ValueError:
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

    def _akas(self, key: str, rows: list[Any], out: list[list[Any]]) -> None:
        """A title's other titles, where they differ from its own (once each): rows as read
        (the title's number first), with their folded title added; SQL does the rest."""
        keys = {key}
        for row in rows:
            aka_key = fold(row[2]) or ""
            if aka_key not in keys:
                keys.add(aka_key)
                row.append(aka_key)
                out.append(row)

    def _strays(
        self, ratings: _Aligned | None, episodes: _Aligned | None, akas: _Aligned | None
    ) -> None:
        """Rows read out of order, or of titles title.basics does not have."""
        if ratings:
            self._rate(ratings.rest())
        if episodes:
            self._place_episodes(episodes.rest())
        if akas:
            rows: list[list[Any]] = []
            for row in akas.rest():
                if self._title_known(row[0], "title.akas"):
                    known = {key for (key,) in self.conn.execute(
                        "SELECT title_key FROM movies WHERE id = ?1 "
                        "UNION SELECT title_key FROM akas WHERE movie_id = ?1", (row[0],)
                    )} | {r[-1] for r in rows if r[0] == row[0]}  # fmt: skip
                    if fold(row[2]) not in known:
                        row.append(fold(row[2]) or "")
                        rows.append(row)
            self.batches.write(_AKA_SQL, AKAS.name, rows)

    def _rate(self, rows: Iterable[tuple[Any, ...]]) -> None:
        sql = "UPDATE movies SET imdb_rating = ?, imdb_votes = ? WHERE id = ?"
        for number, rating, votes in rows:
            if self._title_known(number, "title.ratings"):
                self.conn.execute(sql, (rating, votes, number))

    def _place_episodes(self, rows: Iterable[tuple[Any, ...]]) -> None:
        sql = "UPDATE movies SET series_id = ?, season = ?, episode = ? WHERE id = ?"
        for number, series, season, episode in rows:
            if self._title_known(number, "title.episode"):
                self.conn.execute(sql, (series, season, episode, number))

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
            self._strays(None, None, _Aligned(self._titled("title.akas")))

    # ------------------------------------------------------------ credits

    def _person(self, raw: str, name: str) -> int | None:
        digits = raw[2:]
        if not (digits.isdigit() and raw.startswith("nm")):
            self.report.note("bad_ids", f"{name}: {raw[:20]}")
            return None
        number = int(digits)
        self.credited.add(number)
        return number

    def _crew(self) -> None:
        """Directors and writers, complete (principals has only the top-billed)."""
        sql = _insert(CREW.name, _CREW_COLUMNS, "OR IGNORE ")
        kept, merged, null, write = self.kept, self.merged, NULL, self.batches.write
        rows: list[tuple[Any, ...]] = []
        for number, directors, writers in self._titled("title.crew"):
            if number not in kept and not self._title_known(number, "title.crew"):
                continue
            for role, people in (("director", directors), ("writer", writers)):
                if people == null:
                    continue
                position = 0
                for raw in people.split(","):
                    person = self._person(raw, "title.crew")
                    if person is None:
                        continue
                    if number in merged and role in merged[number]:
                        self.links.append((number, person, role))
                        continue
                    position += 1
                    rows.append((number, role, position, None, person))
            if len(rows) >= BATCH:
                write(sql, CREW.name, rows)
                rows = []
        write(sql, CREW.name, rows)

    def _principals(self) -> None:
        """Cast and crew credits: the largest file (a hundred million rows), so its loop is
        written out by hand, and SQL turns the character lists into text."""
        self.conn.create_function(
            "characters", 1, lambda value: imdb.characters(value, self.report)
        )
        cast_sql = _CAST_SQL
        crew_sql = _insert(CREW.name, _CREW_COLUMNS, "OR IGNORE ")
        # title.crew lists every director and writer; principals only the top-billed.
        skip = {"director", "writer"} if "title.crew" in self.files else set()
        merged, null, write = self.merged, imdb.NULL, self.batches.write
        cast_kinds = imdb.CAST_CATEGORIES
        kept, kept_size = self.kept.data, len(self.kept.data)
        credited = self.credited.data
        cast: list[tuple[Any, ...]] = []
        crew: list[tuple[Any, ...]] = []
        for block in self._blocks("title.principals"):
            for title, ordering, raw, category, job, role in block:
                digits, person_digits = title[2:], raw[2:]
                if not (
                    digits.isdigit()
                    and person_digits.isdigit()
                    and ordering.isdigit()
                    and title.startswith("tt")
                    and raw.startswith("nm")
                ):
                    self._odd_principal(title, ordering, raw)
                    continue
                number, person = int(digits), int(person_digits)
                byte = number >> 3
                if byte >= kept_size or not kept[byte] >> (number & 7) & 1:
                    self._title_known(number, "title.principals")
                    continue
                try:
                    credited[person >> 3] |= 1 << (person & 7)
                except IndexError:
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
                elif category not in skip:
                    crew.append(
                        (number, category, int(ordering), None if job == null else job, person)
                    )
                    if len(crew) >= BATCH:
                        write(crew_sql, CREW.name, crew)
                        crew = []
        write(cast_sql, CAST.name, cast)
        write(crew_sql, CREW.name, crew)

    def _odd_principal(self, title: str, ordering: str, person: str) -> None:
        if imdb.imdb_id(title, "tt") is None:
            self.report.note("bad_ids", f"title.principals: {title[:20]}")
        elif imdb.imdb_id(person, "nm") is None:
            self.report.note("bad_ids", f"title.principals: {person[:20]}")
        else:
            self.report.note("odd_numbers", f"ordering {ordering[:20]}")

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
        if missing:
            first = (missing & -missing).bit_length() - 1
            self.report.note("missing_person", imdb.nconst(first))
            self.report.counts["missing_person"] = missing.bit_count()

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
