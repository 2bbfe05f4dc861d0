"""The one writer: every source's rows and records reach the catalog through here.

How a source's data meets what the catalog already has is a parameter, as in sqlite-utils'
insert_all(replace=, upsert=):
- UPSERT: rows are matched on their natural keys and updated or added (CSV folders);
- REPLACE: the source holds the whole movie, so its lists replace the catalog's (a saved page);
- FILL: the source fills in what the catalog lacks: its values win where it has them, and a
  list (genres, crew, cast) is added only to a movie that has none, so that a page's richer cast
  is never replaced by bare names (the RT dataset, and later IMDb).
Bulk loads drop a table's indexes and full-text triggers once and rebuild them once.
Inside the catalog rows refer to their movie by id; sources speak of slugs, mapped here.
"""

from __future__ import annotations

import enum
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movie.db import write_transaction
from movie.errors import MovieError, ReadOnlyCatalog
from movie.schema import (
    create_schema,
    drop_indexes_and_triggers,
    keeping_user_objects,
    rebuild_full_text,
    rebuild_genre_scores,
)
from movie.sources.records import MovieRecord, Report
from movie.tables import (
    CAST,
    CHILD_TABLES,
    CREW,
    CRITIC_REVIEWS,
    DEFAULT_MOVIE_KEY,
    GENRES,
    MOVIES,
    SETTINGS,
    Table,
)
from movie.text import fold, slug_for


class Policy(enum.Enum):
    UPSERT = "upsert"
    REPLACE = "replace"
    FILL = "fill"


def insert_sql(table: str, columns: Sequence[str], tail: str = "", ignore: bool = False) -> str:
    """INSERT of a row of these columns, every value a parameter: `tail` adds an ON CONFLICT
    clause, `ignore` makes it INSERT OR IGNORE. The one insert builder of every write path."""
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return (
        f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}){tail}"
    )


def _upsert_sql(table: Table, columns: Sequence[str], key: Sequence[str]) -> str:
    """Insert, or update the row with the same key. A column a later schema added keeps what
    the catalog has when the source leaves it empty (a CSV written before it existed)."""

    def value(column: str) -> str:
        if column in table.optional:
            return f"coalesce(excluded.{column}, {table.name}.{column})"
        return f"excluded.{column}"

    updates = [c for c in columns if c not in key]
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = {value(c)}" for c in updates)
        if updates
        else "DO NOTHING"
    )
    return insert_sql(table.name, columns, f" ON CONFLICT ({', '.join(key)}) {action}")


def _stored_key(table: Table) -> tuple[str, ...]:
    return tuple("movie_id" if c == "movie" else c for c in table.key)


def _movie_values(movie: dict[str, Any]) -> list[Any]:
    """The movies row in stored columns but id: public columns, then title_key."""
    return [*(movie[c] for c in MOVIES.columns), fold(movie["title"])]


_MOVIE_COLUMNS = [c for c in MOVIES.stored if c != "id"]


class MovieIds:
    """Movie ids by slug: looked up once per movie, remembered for the rest of the load."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[str, int] = {}

    def get(self, slug: str) -> int | None:
        found = self.known.get(slug)
        if found is None:
            row = self.conn.execute("SELECT id FROM movies WHERE slug = ?", (slug,)).fetchone()
            if row is not None:
                found = self.known[slug] = row[0]
        return found

    def upsert(self, movie: dict[str, Any]) -> int:
        """Add or update one movie row (public columns); its id."""
        row = self.conn.execute(
            _upsert_sql(MOVIES, _MOVIE_COLUMNS, ("slug",)) + " RETURNING id",
            _movie_values(movie),
        ).fetchone()
        self.known[movie["slug"]] = row[0]
        return int(row[0])


# SQLite's words for a schema object that cannot run: a user's trigger calling a function this
# program does not have, a view over a table that is gone.
BROKEN_SCHEMA = ("no such function", "no such table", "no such column", "error in view",
                 "error in trigger", "malformed database schema")  # fmt: skip


@contextmanager
def import_errors(action: str) -> Iterator[None]:
    """SQLite's refusals while writing, as one-line errors; nothing was written."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise MovieError(
            f"{action} broke a rule of the catalog ({exc}); nothing was written"
        ) from exc
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise ReadOnlyCatalog("the catalog is read-only; nothing was written", Path()) from exc
        if any(words in str(exc) for words in BROKEN_SCHEMA):
            raise MovieError(
                f"{action} failed: something added to the catalog's schema does not work "
                f"({exc}); nothing was written"
            ) from exc
        raise


# ---------------------------------------------------------------- rows (CSV folders)


def upsert_rows(
    conn: sqlite3.Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    report: Report,
    ids: MovieIds,
    where: str,
) -> None:
    """Upsert one table's rows (public columns) inside the caller's transaction; `where` names
    their file for messages."""
    if table.is_movies:
        for row in rows:
            ids.upsert(row)
            report.wrote(table.name)
            report.movies += 1
        return
    columns = ["movie_id", *table.child_columns]
    sql = _upsert_sql(table, columns, _stored_key(table))

    def stored() -> Iterator[list[Any]]:
        for row in rows:
            movie_id = ids.get(row["movie"])
            if movie_id is None:
                raise MovieError(
                    f"{where}: movie {row['movie']!r} is neither in movies.csv nor in the catalog"
                )
            report.wrote(table.name)
            yield [movie_id, *(row[c] for c in table.child_columns)]

    conn.executemany(sql, stored())


def load_tables(
    conn: sqlite3.Connection, batches: Iterable[tuple[Table, Path, Iterable[dict[str, Any]]]]
) -> Report:
    """Upsert every (table, file, rows) batch in one transaction: all of it lands, or none."""
    report = Report()
    ids = MovieIds(conn)
    with import_errors("the load"), write_transaction(conn):
        for table, path, rows in batches:
            upsert_rows(conn, table, rows, report, ids, str(path))
    return report


# ---------------------------------------------------------------- whole movies (pages)


def _child_rows(movie_id: int, table: Table, rows: list[dict[str, Any]]) -> list[list[Any]]:
    columns = table.child_columns
    return [[movie_id, *(row.get(c) for c in columns)] for row in rows]


def write_movie(conn: sqlite3.Connection, record: MovieRecord, policy: Policy) -> int:
    """One movie with its lists, inside the caller's transaction; returns its id.

    REPLACE deletes the movie's rows first; FILL adds a list only where the movie has none;
    UPSERT updates rows with the same key and adds the others."""
    ids = MovieIds(conn)
    existing = ids.get(record.slug)
    if policy is Policy.FILL and existing is not None:
        _fill_movie(conn, existing, record.movie)
        movie_id = existing
    else:
        movie_id = ids.upsert(record.movie)
    rows = record.rows()
    for table in CHILD_TABLES:
        if policy is Policy.REPLACE:
            conn.execute(f"DELETE FROM {table.name} WHERE movie_id = ?", (movie_id,))
        elif (
            policy is Policy.FILL
            and conn.execute(
                f"SELECT 1 FROM {table.name} WHERE movie_id = ? LIMIT 1", (movie_id,)
            ).fetchone()
        ):
            continue
        if rows[table.name]:
            columns = ["movie_id", *table.child_columns]
            sql = (
                _upsert_sql(table, columns, _stored_key(table))
                if policy is Policy.UPSERT
                else insert_sql(table.name, columns)
            )
            conn.executemany(sql, _child_rows(movie_id, table, rows[table.name]))
    return movie_id


def _fill_movie(conn: sqlite3.Connection, movie_id: int, movie: dict[str, Any]) -> None:
    """The source's values where it has them; the catalog's where it has none."""
    given = [c for c in MOVIES.columns if c != "slug" and movie[c] is not None]
    if given:
        conn.execute(
            f"UPDATE movies SET {', '.join(f'{c} = ?' for c in given)}, title_key = "
            "fold(title) WHERE id = ?",
            [*(movie[c] for c in given), movie_id],
        )


def import_record(conn: sqlite3.Connection, record: MovieRecord) -> str:
    """A saved page: one movie, in one transaction. A film the catalog has already (the same
    film saved again) is merged with it, so that a later save never loses what it does not
    show; returns what the merge did ("" for a new film)."""
    with import_errors(record.label), write_transaction(conn):
        existing = MovieIds(conn).get(record.slug)
        link = record.movie["rt_link"]
        if existing is None and link:  # the same address is the same film, renamed since
            found = conn.execute("SELECT id FROM movies WHERE rt_link = ?", (link,)).fetchone()
            existing = found[0] if found else None
        if existing is None:
            movie_id = write_movie(conn, record, Policy.REPLACE)
            _add_akas(conn, movie_id, record.akas)
            return ""
        return _merge_saved_page(conn, existing, record)


# A page's movie values, by what a summary calls them.
_VALUE_GROUPS = {
    "scores": ("tomatometer", "tomatometer_status", "audience_score", "audience_status"),
    "counts": ("critic_count", "top_critic_count", "fresh_count", "rotten_count", "audience_count"),
    "consensus": ("consensus",),
    "synopsis": ("synopsis", "synopsis_by"),
    "rating": ("rating", "rating_reason"),
    "dates": ("theatrical_release", "dvd_release", "streaming_release"),
    "details": ("studio", "runtime_minutes", "rt_link", "title", "year"),
}
# The lists two saves merge, each row known by what makes it the same entry.
SAME_ENTRY: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
    "critic_reviews": lambda r: (fold(r["critic"] or r["publication"] or ""), fold(r["quote"])),
    "audience_reviews": lambda r: (fold(r["reviewer"] or ""), fold(r["text"])),
    "quotes": lambda r: (fold(r["line"]),),
}
_LIST_NAMES = {
    "critic_reviews": "reviews",
    "audience_reviews": "audience reviews",
    "quotes": "quotes",
}


def _merge_saved_page(conn: sqlite3.Connection, movie_id: int, record: MovieRecord) -> str:
    """The same film saved again: the values the newer page shows replace the older ones;
    reviews, audience reviews and quotes are kept from both (each once); the cast keeps the
    longer billing; genres and each crew role come from the newer page where it has them.
    Credits IMDb brought (no name, a person id) are never touched."""
    updated: list[str] = []
    kept: list[str] = []
    old = conn.execute(
        f"SELECT {', '.join(MOVIES.columns)} FROM movies WHERE id = ?", (movie_id,)
    ).fetchone()
    before = dict(zip(MOVIES.columns, old, strict=True))
    changed = {
        c for c in MOVIES.columns if record.movie[c] is not None and record.movie[c] != before[c]
    }
    updated += [group for group, columns in _VALUE_GROUPS.items() if changed & set(columns)]
    _fill_movie(conn, movie_id, record.movie)
    for value, goes_with in (("synopsis", "synopsis_by"), ("rating", "rating_reason")):
        if record.movie[value] is not None:  # a value and its qualifier come from one page
            conn.execute(
                f"UPDATE movies SET {goes_with} = ? WHERE id = ?",
                (record.movie[goes_with], movie_id),
            )
    rows = record.rows()

    def stored(table: Table, where: str = "") -> list[dict[str, Any]]:
        columns = table.child_columns
        found = conn.execute(
            f"SELECT {', '.join(columns)} FROM {table.name} WHERE movie_id = ? {where} "
            f"ORDER BY {', '.join(c for c in table.key if c != 'movie')}",
            (movie_id,),
        )
        return [dict(zip(columns, row, strict=True)) for row in found]

    def rewrite(table: Table, entries: list[dict[str, Any]], where: str = "") -> None:
        conn.execute(f"DELETE FROM {table.name} WHERE movie_id = ? {where}", (movie_id,))
        # Crew IMDb brought stays, so a page's credits of a role come after its.
        placed: dict[Any, int] = dict(
            conn.execute(
                "SELECT role, max(position) FROM crew WHERE movie_id = ? GROUP BY role",
                (movie_id,),
            ).fetchall()
            if table is CREW
            else []
        )
        numbered = []
        for entry in entries:
            group = entry.get("role")
            placed[group] = placed.get(group, 0) + 1
            numbered.append({**entry, "position": placed[group]})
        if numbered:
            columns = ["movie_id", *table.child_columns]
            conn.executemany(
                insert_sql(table.name, columns), _child_rows(movie_id, table, numbered)
            )

    by_name = {table.name: table for table in CHILD_TABLES}
    for name, same in SAME_ENTRY.items():
        table = by_name[name]
        older, newer = stored(table), rows[name]
        known = {same(r) for r in older}
        shown = {same(r) for r in newer}
        merged = list(newer) + [r for r in older if same(r) not in shown]
        added = sum(1 for r in newer if same(r) not in known)
        only_older = len(merged) - len(newer)
        if added and older:
            updated.append(f"{added} new {_counted(added, _LIST_NAMES[name])}")
        if only_older:
            kept.append(f"{only_older} {_counted(only_older, _LIST_NAMES[name])}")
        rewrite(table, _unique(merged, same))
    older_cast = stored(CAST)
    if len(rows["cast_credits"]) >= len(older_cast):
        credits = [(c["actor"], c["character"]) for c in rows["cast_credits"]]
        if credits and credits != [(c["actor"], c["character"]) for c in older_cast]:
            updated.append("cast")
        rewrite(CAST, rows["cast_credits"])
    elif rows["cast_credits"]:
        kept.append(f"{len(older_cast) - len(rows['cast_credits'])} more cast")
    if rows["genres"]:
        rewrite(GENRES, rows["genres"])
    page_crew = "AND name IS NOT NULL"  # a page's credits; IMDb's stay as they are
    older_crew = stored(CREW, page_crew)
    roles = {r["role"] for r in rows["crew"]}
    merged_crew = list(rows["crew"]) + [r for r in older_crew if r["role"] not in roles]
    if older_crew and {(r["role"], r["name"]) for r in older_crew} != {
        (r["role"], r["name"]) for r in merged_crew
    }:
        updated.append("crew")
    kept_roles = sorted({r["role"] for r in older_crew if r["role"] not in roles})
    if kept_roles and rows["crew"]:
        kept.append(f"{len(kept_roles)} crew {_counted(len(kept_roles), 'roles')}")
    if older_crew or merged_crew:
        rewrite(CREW, merged_crew, page_crew)
    _add_akas(conn, movie_id, record.akas)
    said = []
    if updated:
        said.append("updated: " + ", ".join(updated))
    if kept:
        said.append("kept: " + ", ".join(kept) + " from the earlier save")
    return "; ".join(said) or "nothing new"


def _counted(count: int, plural: str) -> str:
    return plural if count != 1 else plural.removesuffix("s")


def _unique(entries: list[dict[str, Any]], same: Callable[[dict[str, Any]], Any]) -> list[Any]:
    seen: set[Any] = set()
    unique = []
    for entry in entries:
        if same(entry) not in seen:
            seen.add(same(entry))
            unique.append(entry)
    return unique


def _add_akas(conn: sqlite3.Connection, movie_id: int, titles: Sequence[str]) -> None:
    """Other titles a page gives the film, added to those it has (once each)."""
    for title in titles:
        key = fold(title) or ""
        if conn.execute(
            "SELECT 1 FROM akas WHERE movie_id = ? AND title_key = ?", (movie_id, key)
        ).fetchone():
            continue
        conn.execute(
            "INSERT INTO akas (movie_id, position, title, title_key) SELECT ?1, "
            "coalesce((SELECT max(position) FROM akas WHERE movie_id = ?1), 0) + 1, ?2, ?3",
            (movie_id, title, key),
        )


def set_default_movie(conn: sqlite3.Connection, slug: str) -> None:
    conn.execute(
        f"INSERT INTO {SETTINGS} (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (DEFAULT_MOVIE_KEY, slug),
    )


# ---------------------------------------------------------------- bulk loads


@contextmanager
def bulk(conn: sqlite3.Connection, tables: Sequence[Table], report: Report) -> Iterator[None]:
    """Inside the caller's transaction: the tables' indexes and full-text triggers dropped for
    the load, then built once, and their full-text indexes rebuilt once. The user's own
    triggers and indexes on them are set aside meanwhile and made again after (one that no
    longer works is reported)."""
    names = [table.name for table in tables]
    # More page cache and sorter threads make the index and full-text builds faster.
    conn.execute("PRAGMA cache_size = -131072")
    conn.execute("PRAGMA threads = 2")
    with keeping_user_objects(conn, names) as lost:
        drop_indexes_and_triggers(conn, names)
        yield
        rebuild_full_text(conn, tuple(names))
        create_schema(conn)  # the indexes and triggers dropped above
        if {"movies", "genres"} & set(names):  # its triggers were off for the load
            rebuild_genre_scores(conn)
    for what in lost:
        report.note("lost_objects", what)


# ---------------------------------------------------------------- the RT dataset (FILL, bulk)

# Above this size of review file, the review table's indexes and triggers are dropped for the
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
        f"{c} = coalesce(excluded.{c}, movies.{c})" for c in _MOVIE_COLUMNS if c not in kept
    )
    return insert_sql(MOVIES.name, _MOVIE_COLUMNS, f" ON CONFLICT (slug) DO UPDATE SET {updates}")


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
                batches[table.name] += _child_rows(movie_id, table, rows[table.name])
                have[table.name].add(movie_id)
    # Sorted on the key, rows land in index order: far fewer page writes than in file order.
    for table in LISTS:
        batch = sorted(batches[table.name], key=lambda row: row[:3])
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
    the movies table in the same transaction."""
    if bulk_load:
        conn.execute("PRAGMA foreign_keys = OFF")  # (outside a transaction, or it is ignored)
    try:
        _import_dataset(conn, movies, reviews, report, bulk_load, progress)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _import_dataset(
    conn: sqlite3.Connection,
    movies: Iterable[MovieRecord],
    reviews: Callable[[], Iterable[tuple[Any, ...]]],
    report: Report,
    bulk_load: bool,
    progress: Callable[[int], None] | None,
) -> None:
    with import_errors("the import"), write_transaction(conn):
        records = list(movies)
        _claim_slugs(conn, records)
        rows = [_movie_values(record.movie) for record in records]
        conn.executemany(_movie_fill_sql(), rows)
        del rows
        ids = dict(conn.execute("SELECT slug, id FROM movies"))
        by_link = {record.movie["rt_link"]: ids[record.slug] for record in records}
        report.movies = len(by_link)
        if bulk_load:
            with bulk(conn, LISTS, report):
                _add_missing_lists(conn, records, ids, report)
        else:
            _add_missing_lists(conn, records, ids, report)
        del records
        positions: dict[int, int] = dict(
            conn.execute("SELECT movie_id, max(position) FROM critic_reviews GROUP BY movie_id")
        )
        seen = {
            hash(row)
            for row in conn.execute(
                "SELECT movie_id, critic, publication, review_date, quote FROM critic_reviews"
            )
        }

        def fresh_reviews() -> Iterator[tuple[Any, ...]]:
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
                yield (movie_id, position, *review[1:])
            report.wrote(CRITIC_REVIEWS.name, count)

        columns = ["movie_id", *CRITIC_REVIEWS.child_columns]
        insert = insert_sql(CRITIC_REVIEWS.name, columns)
        if bulk_load:
            with bulk(conn, [CRITIC_REVIEWS], report):
                conn.executemany(insert, fresh_reviews())
        else:
            conn.executemany(insert, fresh_reviews())
        if progress is not None:
            progress(report.rows.get(CRITIC_REVIEWS.name, 0))
