"""The RT dataset's bulk path (FILL): its movies fill in what the catalog lacks, then its critic
reviews are added (each once), with indexes built once for a large file."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from operator import itemgetter
from typing import Any

from movie.records import MovieRecord, Report
from movie.store.db import write_transaction
from movie.tables import CAST, CREW, CRITIC_REVIEWS, GENRES, MOVIES
from movie.text import slug_for
from movie.writer.common import (
    MOVIE_COLUMNS,
    at_most,
    bulk,
    child_rows,
    import_errors,
    insert_sql,
    movie_values,
)
from movie.writer.rt_words import Chosen, ReviewWords, usable

# import and rebuilt once at the end: much faster than keeping them up row by row.
BULK_BYTES = 8_000_000


def _claim_slugs(conn: sqlite3.Connection, movies: list[MovieRecord]) -> None:
    """Each dataset movie's slug: the one it already has (same link), the one of the same film
    imported from a page (same title and year, no link yet), or a new one made unique."""
    owner = dict(conn.execute("SELECT slug, rt_link FROM movies"))
    by_link = {link: slug for slug, link in owner.items() if link}
    claimed: dict[str, str] = {}
    for record in movies:
        link = record.movie["rt_link"]
        slug = claimed.get(link) or by_link.get(link)
        if slug is None:
            slug = slug_for(record.movie["title"], record.movie["year"])
            if slug in owner and owner[slug] is not None:
                tail = re.sub(r"[^a-z0-9]+", "-", link.lower()).strip("-")
                slug = f"{slug}-{tail.removeprefix('m-')}"
            owner[slug] = link
        claimed[link] = slug
        record.movie["slug"] = slug


def _movie_fill_sql() -> str:
    """Insert a dataset movie, or fill an existing one: the dataset's values where it has them."""
    kept = ("slug",)
    updates = ", ".join(
        f"{c} = coalesce(excluded.{c}, movies.{c})" for c in MOVIE_COLUMNS if c not in kept
    )
    return insert_sql(MOVIES.name, MOVIE_COLUMNS, f" ON CONFLICT (slug) DO UPDATE SET {updates}")


def _add_missing_lists(
    conn: sqlite3.Connection, movies: list[MovieRecord], ids: dict[str, int], report: Report
) -> None:
    """Genres, directors, writers and cast for movies that have none yet (a page's richer
    credits, with characters, are never replaced by the dataset's bare names)."""
    have = {
        table.name: {row[0] for row in conn.execute(f"SELECT DISTINCT movie_id FROM {table.name}")}
        for table in LISTS
    }
    batches: dict[str, list[list[Any]]] = {table.name: [] for table in LISTS}
    for record in movies:
        movie_id = ids[record.slug]
        rows = record.rows()
        for table in LISTS:
            if movie_id not in have[table.name]:
                batches[table.name] += child_rows(movie_id, table, rows[table.name])
                have[table.name].add(movie_id)
    # Sorted on the key, rows land in index order: far fewer page writes than in file order.
    for table in LISTS:
        batch = sorted(batches[table.name], key=itemgetter(0, 1, 2))
        conn.executemany(insert_sql(table.name, ["movie_id", *table.child_columns]), batch)
        report.wrote(table.name, len(batch))


LISTS = (GENRES, CREW, CAST)


def import_dataset(
    conn: sqlite3.Connection,
    movies: Iterable[MovieRecord],
    reviews: Callable[[], Iterable[tuple[Any, ...]]],
    report: Report,
    bulk_load: bool,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Movies (FILL) and their critic reviews, in one transaction. Reviews come as (link,
    critic, publication, top_critic, verdict, score, date, quote); one already on file (same
    movie, critic, publication, date and text) is counted as a duplicate, so importing the same
    files again changes nothing.

    A bulk load checks no foreign keys row by row: every movie id it writes was just read from
    the movies table in the same transaction. Its reviews' word index is built by a second
    process meanwhile where it can be (writer/rt_words.py)."""
    if bulk_load:
        conn.execute("PRAGMA foreign_keys = OFF")  # (outside a transaction, or it is ignored)
    helpers: list[ReviewWords] = []
    try:
        _import_dataset(conn, movies, reviews, report, bulk_load, progress, helpers)
    finally:
        for helper in helpers:
            helper.close(conn)
        conn.execute("PRAGMA foreign_keys = ON")


def _import_dataset(
    conn: sqlite3.Connection,
    movies: Iterable[MovieRecord],
    reviews: Callable[[], Iterable[tuple[Any, ...]]],
    report: Report,
    bulk_load: bool,
    progress: Callable[[int], None] | None,
    helpers: list[ReviewWords],
) -> None:
    with import_errors("the import"), write_transaction(conn), ExitStack() as lists:
        records = list(movies)
        if bulk_load:  # the movies too where there are few: their indexes built once after
            few = at_most(conn, MOVIES.name, len(records))
            lists.enter_context(bulk(conn, [MOVIES, *LISTS] if few else LISTS, report))
        _claim_slugs(conn, records)
        rows = [movie_values(record.movie) for record in records]
        conn.executemany(_movie_fill_sql(), rows)
        del rows
        ids = dict(conn.execute("SELECT slug, id FROM movies"))
        by_link = {record.movie["rt_link"]: ids[record.slug] for record in records}
        report.movies = len(by_link)
        positions: dict[int, int] = dict(
            conn.execute("SELECT movie_id, max(position) FROM critic_reviews GROUP BY movie_id")
        )
        seen = {
            hash(row)
            for row in conn.execute(
                "SELECT movie_id, critic, publication, review_date, quote FROM critic_reviews"
            )
        }
        last = conn.execute("SELECT coalesce(max(rowid), 0) FROM critic_reviews").fetchone()[0]
        chosen = chosen_reviews(reviews, by_link, positions, seen, last)
        if bulk_load and usable(conn):  # started now: it has what the choosing needs
            helpers.append(ReviewWords(conn, chosen))
            helpers[0].start()
        _add_missing_lists(conn, records, ids, report)
        del records
        lists.close()  # the lists' (and movies') indexes built
        columns = ["rowid", "movie_id", *CRITIC_REVIEWS.child_columns]
        insert = insert_sql(CRITIC_REVIEWS.name, columns)
        if bulk_load:
            with bulk(conn, [CRITIC_REVIEWS], report) as load:
                conn.executemany(insert, chosen(report, progress))
                if helpers:  # the indexes built while the second process indexes the words
                    load.build_indexes([CRITIC_REVIEWS])
                    if helpers[0].copy(conn):
                        load.full_text_done([CRITIC_REVIEWS])
        else:
            conn.executemany(insert, chosen(report, progress))
        if progress is not None:
            progress(report.rows.get(CRITIC_REVIEWS.name, 0))


def chosen_reviews(
    reviews: Callable[[], Iterable[tuple[Any, ...]]],
    by_link: dict[str, int],
    positions: dict[int, int],
    seen: set[int],
    last: int,
) -> Chosen:
    """The reviews to write, as either process chooses them: of a movie the import has, not
    on file already (same movie, critic, publication, date and text) nor earlier in the file,
    numbered after the movie's last and given the rowids after `last`. `positions` and `seen`
    are the choosing's own from then on."""

    def choose(report: Report, progress: Callable[[int], None] | None) -> Iterator[tuple[Any, ...]]:
        count = 0
        get_id = by_link.get
        get_position = positions.get
        remember = seen.add
        for review in reviews():
            movie_id = get_id(review[0])
            if movie_id is None:
                report.note("missing_movie", review[0])
                continue
            key = hash((movie_id, *review[1:3], *review[6:]))
            if key in seen:
                report.note("duplicates", " ".join(filter(None, review[:2] + review[6:7])))
                continue
            remember(key)
            position = get_position(movie_id, 0) + 1
            positions[movie_id] = position
            count += 1
            if count % 25_000 == 0 and progress is not None:
                progress(count)
            yield (last + count, movie_id, position, *review[1:])
        report.wrote(CRITIC_REVIEWS.name, count)

    return choose
