"""The writer's IMDb path: the seven dataset files into the catalog, in one transaction.

Part of the one writer (it shares writer/common.py's transaction, bulk and error handling); only the
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
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from movie.records import Report
from movie.sources import imdb
from movie.sources.imdb import ImdbFile, Lines
from movie.store.db import write_transaction
from movie.store.schema import refresh_fame
from movie.tables import (
    AKAS,
    CAST,
    CREW,
    GENRES,
    MOVIES,
    PEOPLE,
)
from movie.text import fold
from movie.vocabulary import FILMS_AND_SERIES
from movie.writer.common import MISSING, bulk, import_errors, insert_sql
from movie.writer.imdb_merge import PageMovies, People
from movie.writer.imdb_part import PART_FILES, FromPart, Part
from movie.writer.imdb_parts import (
    ADD_CREW_SQL,
    AKA_SQL,
    BATCH,
    CREW_COLUMNS,
    CREW_JOB_SQL,
    NULL,
    OTHER_IDS,
    Aligned,
    Batches,
    Bits,
    Clear,
    ImdbOptions,
    Share,
    Strays,
    crew_lists,
    holds_imdb_titles,
    movie_upsert,
)
from movie.writer.imdb_people import FromPeople, PeoplePart

Number = int | float | None  # a number read, or MISSING (a NaN), or None (an odd value noted)


class ImdbLoad(PageMovies, People, FromPart, FromPeople):
    """One import of the IMDb files; `run` inside the caller's transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        files: dict[str, ImdbFile],
        report: Report,
        options: ImdbOptions,
        progress: Share | None,
        part: Part | None = None,
        people: PeoplePart | None = None,
    ) -> None:
        self.conn = conn
        self.files = files
        self.part = part  # title.principals and title.crew, read by a second process
        self.people = people  # name.basics's part file (--types or --min-votes)
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
        self.batches = Batches(conn, report)

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
                    done = self.finished + sum(f.done for f in self.open) + self._part_read()
                    self.progress(name, rows, done / self.total)
                yield block
        finally:
            self.open.remove(lines)
            self.finished += self.files[name].size

    def _part_read(self) -> int:
        """Bytes of its files the second process has read, until the part is copied in."""
        return self.part.read() if self.part is not None and self.part.running else 0

    def _waiting(self, read: int) -> None:
        if self.progress is not None:
            done = self.finished + read
            self.progress(" and ".join(self.part.files) if self.part else "", 0, done / self.total)

    def _rows(self, name: str) -> Iterator[list[str]]:
        for block in self._blocks(name):
            yield from block

    def _titled(self, name: str) -> Iterator[list[Any]]:
        """A file's rows with the title's number in place of its id; bad ids counted and passed
        over."""
        longest = imdb.MAX_DIGITS
        last: str | None = None  # the id of the row before, if good
        number = 0  # and its number
        for block in self._blocks(name):
            for fields in block:
                raw = fields[0]
                row: list[Any] = fields
                if raw == last:  # a title's rows come together: checked once
                    row[0] = number
                    yield row
                    continue
                digits = raw[2:]
                # imdb.imdb_id's check, written out: this runs for every row of six files.
                if (
                    digits.isdigit()
                    and digits.isascii()
                    and len(digits) <= longest
                    and raw.startswith("tt")
                ):
                    row[0] = int(digits)
                    if row[0]:  # not tt0000000
                        last, number = raw, row[0]
                        yield row
                        continue
                self.report.note("bad_ids", f"{name}: {raw[:20]}")

    def _title_known(self, number: int, name: str, rows: int = 1) -> bool:
        """Whether the title is kept; if title.basics lacks it, its `rows` rows of file `name`
        are noted."""
        if number in self.kept:
            return True
        if number not in self.seen:
            self.report.note("missing_title", f"{name}: {imdb.tconst(number)}")
            self.report.counts["missing_title"] += rows - 1
        return False

    # ------------------------------------------------------------ the load

    def run(self) -> None:
        self._make_room()
        self._merged_before()
        self._clearing()
        with bulk(self.conn, [MOVIES, GENRES, CREW, CAST, PEOPLE, AKAS], self.report) as load:
            if "title.basics" in self.files:
                self._titles(self._page_movies())
            else:
                self._catalog_titles()
                self._title_details()
            if "title.crew" in self.files and not (self.part and "title.crew" in self.part.files):
                self._crew()
            if self.part is not None:
                # The titles are in: their indexes are built while the second process reads.
                load.finish([MOVIES, AKAS, GENRES])
            # name.basics while the second process reads too: into the catalog, their indexes
            # built meanwhile too, or (--types, --min-votes) into a part, copied once the
            # credits say who is credited.
            in_catalog = "name.basics" in self.files and self._stage_people(self.people)
            if in_catalog and self.part is not None:
                load.finish([PEOPLE])
            if self.part is not None:
                self._read_part(self.part.wait(self._waiting))
                self.finished += sum(self.files[name].size for name in self.part.files)
                if "title.principals" in self.files:
                    self._principals()
            if self.people is not None:
                self._people()
            if "name.basics" in self.files:
                self._missing_people()
            if "title.ratings" in self.files and "name.basics" not in self.files:
                refresh_fame(self.conn)  # the votes of each person's known-for titles
        self._link_page_credits()

    def _clearing(self) -> None:
        """What a later import replaces, title by title: the rows each file gives a title it
        holds (credits from IMDb name no one in text, so a page's own credits never go).
        Directors and writers come from title.crew (no job) and title.principals (with one);
        with both files a title's list is written anew from both, with one, only that file's
        credits are replaced."""
        active = self.replacing = holds_imdb_titles(self.conn)
        both = "title.crew" in self.files and "title.principals" in self.files
        imdb_crew = "DELETE FROM crew WHERE movie_id = ? AND name IS NULL AND "
        self.clear_genres = Clear(self.conn, ["DELETE FROM genres WHERE movie_id = ?"], active)
        self.clear_akas = Clear(self.conn, ["DELETE FROM akas WHERE movie_id = ?"], active)
        written_by_crew = "role IN ('director', 'writer')" + ("" if both else " AND job IS NULL")
        self.clear_crew = Clear(self.conn, [imdb_crew + written_by_crew], active)
        written_by_principals = "role NOT IN ('director', 'writer')" + (
            "" if both else " OR job IS NOT NULL"
        )
        self.clear_principals = Clear(
            self.conn,
            [
                "DELETE FROM cast_credits WHERE movie_id = ? AND actor IS NULL",
                f"{imdb_crew}({written_by_principals})",
            ],
            active,
        )

    def _titles(self, pages: dict[tuple[str, int | None], list[int]]) -> None:
        """title.basics, with title.ratings, title.episode and title.akas read alongside; their
        rows out of title order are set aside and placed afterwards."""
        report, write = self.report, self.batches.write
        aside: dict[str, Strays] = {}

        def aligned(name: str, rows: Iterable[Sequence[Any]], width: int) -> Aligned | None:
            if name not in self.files:
                return None
            aside[name] = Strays(self.conn, name, width, report)
            return Aligned(rows, aside[name].add)

        ratings = aligned("title.ratings", self._ratings(), 3)
        episodes = aligned("title.episode", self._episodes(), 4)
        akas = aligned("title.akas", self._titled("title.akas"), 8)
        types, min_votes = self.options.types, self.options.min_votes
        movie_sql = movie_upsert(self.files)
        genre_sql = insert_sql(GENRES.name, ("movie_id", "position", "genre"), ignore=True)
        number_of, year_of, key_of, tconst, null = imdb.number, imdb.year, fold, imdb.tconst, NULL
        seen, kept_titles, merged = self.seen.add, self.kept.add, self.merged
        clear_genres, clear_akas = self.clear_genres.add, self.clear_akas.add
        missing = MISSING  # None's stand-in in the rows written
        no_rating, no_episode = (None, missing, missing), (None, missing, missing, missing)
        movies: list[tuple[Any, ...]] = []
        genre_rows: list[tuple[Any, ...]] = []
        aka_rows: list[list[Any]] = []
        kept = 0

        def write_all() -> None:
            write(movie_sql, MOVIES.name, movies)
            self.clear_genres.flush()
            write(genre_sql, GENRES.name, genre_rows)
            self.clear_akas.flush()
            write(AKA_SQL, AKAS.name, aka_rows)

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
                # (votes missing: MISSING, a NaN, never >=; or None, for an odd number)
                min_votes and not (rating[2] is not None and rating[2] >= min_votes)
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
            if pages and kind in FILMS_AND_SERIES:
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
                    missing if year is None else year,
                    key,
                    number_of(runtime, report, "runtimeMinutes") if runtime != null else missing,
                    kind,
                    missing if original in (primary, null) else original,
                    year_of(end, report, "endYear") if end != null else missing,
                    1 if adult == "1" else 0 if adult == "0" else missing,
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

    def _episodes(self) -> Iterator[tuple[int, int | None, Number, Number]]:
        """title.episode's rows; a number it leaves out (\\N) is MISSING, written as NULL."""
        report, number_of, null, missing = self.report, imdb.number, NULL, MISSING
        for number, parent, season, episode in self._titled("title.episode"):
            series = imdb.imdb_id(parent, "tt")
            if series is None and parent != null:
                report.note("bad_ids", f"title.episode: {parent[:20]}")
            yield (
                number,
                series,
                missing if season == null else number_of(season, report, "seasonNumber"),
                missing if episode == null else number_of(episode, report, "episodeNumber"),
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
            self.batches.write(AKA_SQL, AKAS.name, batch)
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

    def _title_details(self) -> None:
        """Ratings, episodes and other titles for the catalog's titles (no title.basics)."""
        if "title.ratings" in self.files:
            self._rate(self._ratings())
        if "title.episode" in self.files:
            self._place_episodes(self._episodes())
        if "title.akas" in self.files:
            self._place_akas(self._titled("title.akas"))

    # ------------------------------------------------------------ credits

    def _crew(self) -> None:
        """Directors and writers, complete (principals has only the top-billed), each person
        once per role: title.crew repeats a writer credited for two things."""
        plain = not self.replacing or "title.principals" in self.files
        sql = insert_sql(CREW.name, CREW_COLUMNS, ignore=True) if plain else ADD_CREW_SQL
        kept, merged = self.kept, self.merged
        rows: list[tuple[Any, ...]] = []

        def write() -> None:
            self.clear_crew.flush()
            if plain:
                self.batches.write(sql, CREW.name, rows)
            else:
                self._add_crew([(n, role, MISSING, person) for n, role, _, _, person in rows])

        for number, directors, writers in self._titled("title.crew"):
            if number not in kept and not self._title_known(number, "title.crew"):
                continue
            self.clear_crew.add(number)
            own = merged.get(number, ())
            for role, position, person in crew_lists(directors, writers, self.report):
                self.credited.add(person)
                if role in own:  # a merged page movie's own list: the person is linked
                    self.links.append((number, person, role))
                else:
                    rows.append((number, role, position, MISSING, person))
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
        self.conn.executemany(CREW_JOB_SQL, rows)
        self.report.wrote(CREW.name, self.conn.executemany(ADD_CREW_SQL, rows).rowcount)


def import_imdb(
    conn: sqlite3.Connection,
    files: dict[str, ImdbFile],
    report: Report,
    options: ImdbOptions | None = None,
    progress: Share | None = None,
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
    part, people = None, None
    options = options or ImdbOptions()
    main = conn.execute("PRAGMA database_list").fetchone()[2]  # part files go beside it
    second = {name: files[name] for name in PART_FILES if name in files}
    if "title.principals" not in second:
        second.pop("title.crew", None)
    if second:  # read by a second process
        # Credits transferred whole: every title is kept, and none had credits from IMDb.
        transfer = options == ImdbOptions() and not holds_imdb_titles(conn)
        part = Part(second, main, transfer)
    if "name.basics" in files and (options.types is not None or options.min_votes > 0):
        people = PeoplePart(main)  # only the people credited on a kept title: copied after
    try:
        with import_errors("the import"), write_transaction(conn):
            if part is not None:
                part.start()
            ImdbLoad(conn, files, report, options, progress, part, people).run()
    finally:
        if collecting:
            gc.enable()
        if part is not None:
            part.close(conn)
        if people is not None:
            people.close(conn)
        conn.execute("PRAGMA foreign_keys = ON")
