"""The catalog's schema: schema.sql applied, a catalog recognised, older catalogs upgraded."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from movie.errors import MovieError, NewerCatalog, NotACatalog
from movie.store.db import explain, unreadable, write_transaction
from movie.tables import (
    ALL_TABLES,
    CAST,
    CHILD_TABLES,
    CREW,
    FTS,
    IMDB_MOVIE_COLUMNS,
    MINE,
    MOVIES,
    PEOPLE,
    TABLES,
    TRIGRAMS,
)
from movie.text import pattern
from movie.vocabulary import Score

# Kept in step with the PRAGMA user_version line at the end of schema.sql.
SCHEMA_VERSION = 10


def resource(name: str) -> Path:
    """A file shipped with movie: inside the installed package, else in the source checkout."""
    package = Path(__file__).resolve().parent.parent  # src/movie, or the installed movie/
    packaged = package / name
    if os.path.exists(packaged):  # False, not an error, where the folder cannot be read
        return packaged
    return package.parent.parent / name


@functools.lru_cache(maxsize=1)
def schema_text() -> str:
    return resource("schema.sql").read_text(encoding="utf-8")


def schema_statements() -> Iterator[str]:
    """The statements of schema.sql, one at a time (triggers' inner semicolons included), each
    without the comment lines before it."""
    pending = ""
    for line in schema_text().splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""


_CREATED = pattern(
    r"^CREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\s+IF\s+NOT\s+EXISTS\s+(\w+)",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def schema_names() -> frozenset[str]:
    """The names of everything schema.sql creates (and of any object an earlier schema made,
    which an upgrade replaces): what is not among them is the user's own."""
    names = {m[1] for s in schema_statements() if (m := _CREATED.match(s))}
    return frozenset(names)


def user_objects(
    conn: sqlite3.Connection, tables: list[str] | None = None
) -> list[tuple[str, str, str]]:
    """The views, triggers and indexes a user added to the catalog (type, name, SQL), in the
    order they were made; with `tables`, only the triggers and indexes on those tables."""
    found = []
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE type IN ('view', 'trigger', 'index') AND sql IS NOT NULL ORDER BY rowid"
    ):
        if name in schema_names() or name.startswith("old_"):
            continue
        if tables is None or (kind != "view" and table in tables):
            found.append((kind, name, sql))
    return found


@contextmanager
def keeping_user_objects(
    conn: sqlite3.Connection, tables: list[str] | None = None
) -> Iterator[list[str]]:
    """The user's views and triggers set aside while the schema's tables are rebuilt or bulk
    loaded (so that none is rewritten to point at a table about to go, and none fires on every
    row), then made again from their own SQL. Those that no longer work are named in the list
    yielded (filled at the end), the rest are kept."""
    saved = user_objects(conn, tables)
    for kind, name, _ in reversed(saved):
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    lost: list[str] = []
    yield lost
    for kind, name, sql in saved:
        conn.execute("SAVEPOINT user_object")
        try:
            conn.execute(sql)
            conn.execute("RELEASE user_object")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK TO user_object")
            conn.execute("RELEASE user_object")
            lost.append(f"{kind} {name} ({exc})")


def create_schema(conn: sqlite3.Connection) -> None:
    """Run schema.sql inside the caller's transaction: creates whatever is missing."""
    try:
        for statement in schema_statements():
            conn.execute(statement)
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc):
            raise MovieError(
                f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, "
                "which movie needs for full-text search; use a Python whose sqlite3 has FTS5"
            ) from exc
        raise


_INDEX_ON = pattern(
    r"^CREATE\s+(?:UNIQUE\s+)?INDEX\s+IF\s+NOT\s+EXISTS\s+\w+\s+ON\s+(\w+)", re.IGNORECASE
)


def create_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> None:
    """Make schema.sql's indexes of these tables that are missing (no trigger, nothing else)."""
    for statement in schema_statements():
        found = _INDEX_ON.match(statement)
        if found and found[1] in tables:
            conn.execute(statement)


_TABLE = pattern(r"^CREATE\s+(?:VIRTUAL\s+)?TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)


def create_tables(conn: sqlite3.Connection, tables: Sequence[str]) -> None:
    """Make schema.sql's tables of these names (only the tables; a full-text index is one):
    in another database, a copy of the catalog's that SQLite can transfer into it whole."""
    for statement in schema_statements():
        found = _TABLE.match(statement)
        if found and found[1] in tables:
            conn.execute(statement)


def apply_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and trigger of schema.sql in one transaction."""
    with write_transaction(conn):
        create_schema(conn)


# FTS5 gathers this much of an index in memory before writing a segment (its default is 1 MB):
# fewer, larger segments to merge make a million-review build 30% quicker (7.5 s -> 5.2 s).
FTS_HASH_BYTES = 16 * 1024 * 1024


# The word and trigram indexes of titles and names: contentless, so rebuilt from their tables,
# and since this release without row sizes (columnsize=0; nothing ranks by them), which builds
# them in two thirds of the time. A catalog made before keeps its own until they are rebuilt.
LEAN_INDEXES = ("titles_trigrams", "names_trigrams", "title_words", "people_words")


def _made_lean(conn: sqlite3.Connection, index: str) -> None:
    """Before a full rebuild: a word or trigram index made with row sizes (before this release)
    is made again as schema.sql has it now, empty."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (index,)).fetchone()
    if index in LEAN_INDEXES and found is not None and "columnsize=0" not in found[0]:
        conn.execute(f"DROP TABLE {index}")
        for statement in schema_statements():
            made = _CREATED.match(statement)
            if made and made[1] == index:
                conn.execute(statement)


def rebuild_full_text(conn: sqlite3.Connection, tables: tuple[str, ...] | None = None) -> None:
    """Build the full-text and trigram indexes of these tables (all by default) afresh."""
    for index, table, _ in FTS:
        if tables is None or table in tables:
            conn.execute(
                f"INSERT INTO {index} ({index}, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,)
            )
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('rebuild')")
    rebuild_words(conn, tables)
    for index, table, key, column in TRIGRAMS:
        if tables is None or table in tables:
            _made_lean(conn, index)
            # Contentless: emptied, then fed every row (there is no content to 'rebuild' from).
            conn.execute(
                f"INSERT INTO {index} ({index}, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,)
            )
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
            conn.execute(
                f"INSERT INTO {index} (rowid, {column}) SELECT {key}, {column} FROM {table}"
            )


# The word indexes of `movie find` (contentless): (index, the view of its documents, the tables
# they come from).
WORDS = (
    ("title_words", "title_docs", ("movies", "akas")),
    ("people_words", "people_docs", ("people",)),
)

# A person's fame: the IMDb votes of their known-for titles ('tt0113277,tt0113627'; a list of
# any other shape counts for nothing). Run by the writer once the titles are in.
# The list as rows (json_each), the shape a list must have to count, and each row's title:
KNOWN_LIST = """json_each('["' || replace({people}.known_for, ',', '","') || '"]')"""
KNOWN_SHAPE = "{people}.known_for GLOB 'tt[0-9]*' AND {people}.known_for NOT GLOB '*[^t0-9,]*'"
KNOWN_TITLE = "CAST(substr(j.value, 3) AS INTEGER)"
FAME_SQL = f"""UPDATE people SET fame = (
    SELECT sum(m.imdb_votes) FROM {KNOWN_LIST.format(people="people")} j
    JOIN movies m ON m.id = {KNOWN_TITLE})
    WHERE {KNOWN_SHAPE.format(people="people")} {{where}}"""


def refresh_fame(conn: sqlite3.Connection, where: str = "", params: tuple[Any, ...] = ()) -> None:
    """Work out the fame of every person (or of those `where` picks: "AND id IN (...)")."""
    conn.execute(FAME_SQL.format(where=where), params)


def title_doc_movie(doc: int) -> int:
    """The movie a document of title_words belongs to (title_docs says how its rowid is made)."""
    number = (doc >> 9) & 0x7FFFFFFF
    return number if number < 1 << 30 else number - (1 << 30) + (1 << 40)


def rebuild_words(conn: sqlite3.Connection, tables: tuple[str, ...] | None = None) -> None:
    """Fill `movie find`'s word indexes of these tables (all by default) afresh from their
    views."""
    for index, docs, sources in WORDS:
        if tables is None or set(sources) & set(tables):
            _made_lean(conn, index)
            conn.execute(
                f"INSERT INTO {index} ({index}, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,)
            )
            conn.execute(f"INSERT INTO {index} ({index}) VALUES ('delete-all')")
            # In the documents' order: FTS5 writes out what it gathered whenever a rowid comes
            # lower than the one before, and these rowids rank by fame or votes, not by id (in
            # id order: 5.8 s instead of 1.8 s for the people, 9.0 s instead of 4.1 s for the
            # titles at scale 0.1).
            conn.execute(
                f"INSERT INTO {index} (rowid, words) SELECT doc, words FROM {docs} ORDER BY doc"
            )


# Each score as genre_scores counts it: its whole-number value, which titles have one, and the
# partial index that lists them (IMDb's by type and rating: it holds every column needed).
GENRE_SCORES = (
    (
        Score.imdb.value,
        "CAST(round(m.imdb_rating * 10) AS INTEGER)",
        "m.imdb_votes IS NOT NULL AND m.imdb_rating IS NOT NULL",
        "movies_type_rating",
    ),
    (Score.tomatometer.value, "m.tomatometer", "m.tomatometer IS NOT NULL", "movies_tomatometer"),
    (Score.audience.value, "m.audience_score", "m.audience_score IS NOT NULL", "movies_audience"),
)


def genre_scores_now(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """genre_scores as its triggers should have left it, worked out from movies and genres
    (13 s for IMDb's 1.6 million rated titles)."""
    for score, value, rated, index in GENRE_SCORES:
        yield from conn.execute(
            f"""SELECT g.genre, coalesce(m.title_type, ''), '{score}', count(*), sum({value})
                FROM movies m INDEXED BY {index} CROSS JOIN genres g ON g.movie_id = m.id
                WHERE {rated} GROUP BY 1, 2"""
        )


def rebuild_genre_scores(conn: sqlite3.Connection) -> None:
    """genre_scores afresh (after a bulk load, which drops the triggers that keep it)."""
    conn.execute("DELETE FROM genre_scores")
    conn.executemany(
        "INSERT INTO genre_scores (genre, title_type, score, titles, total) VALUES (?, ?, ?, ?, ?)",
        list(genre_scores_now(conn)),
    )


def drop_indexes_and_triggers(conn: sqlite3.Connection, tables: list[str]) -> None:
    """Drop the tables' own indexes and triggers (create_schema makes them again)."""
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') "
        f"AND sql IS NOT NULL AND tbl_name IN ({', '.join('?' * len(tables))})",
        tables,
    ).fetchall():
        conn.execute(f"DROP {kind} {name}")


# ---------------------------------------------------------------- recognising a catalog


def _expected_columns(version: int) -> dict[str, frozenset[str]]:
    """What a catalog of this schema version has at least: today's tables and columns (also
    for schema 4); for
    schema 3 the same without IMDb's; for the slug-keyed schemas 1 and 2, each movie's slug,
    title and key and each row's movie."""
    if version >= 4:  # 5 and 6 changed only indexes, 7 added people's fame, 8 your films
        # tables.py's lists, which a test holds to schema.sql (cheaper than asking SQLite).
        found = {table.name: frozenset(table.stored) for table in ALL_TABLES}
        if version < 7:
            found[PEOPLE.name] -= {"fame"}
        if version < 8:  # your films came with schema 8
            for table in MINE:
                del found[table.name]
        return found
    if version == 3:  # today's data tables without what schema 4 added
        return {table.name: frozenset(table.stored) - table.optional for table in TABLES}
    legacy = {MOVIES.name: frozenset({"slug", "title", "year", "title_key"})}
    legacy.update({table.name: frozenset({"movie", "position"}) for table in CHILD_TABLES})
    return legacy


def check_catalog(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse anything that is not a movie catalog this version understands, before touching it:
    a movie catalog is told by its version, its tables and their columns.

    Returns the catalog's schema version (older ones are upgraded by the caller)."""
    try:
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table'"
        ):
            found.setdefault(table, set()).add(column)
    except sqlite3.DatabaseError as exc:
        raise unreadable(exc, path) from exc
    if version > SCHEMA_VERSION:
        raise NewerCatalog(
            f"{path} was written by a newer movie (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade movie to use it (the file was left untouched)",
            path,
        )
    if version < 1 or not all(
        columns <= found.get(table, set()) for table, columns in _expected_columns(version).items()
    ):
        raise NotACatalog(
            f"{path} is a SQLite database but not a movie catalog; refusing to touch it", path
        )
    return version


# ---------------------------------------------------------------- upgrades


def _to_schema_2(conn: sqlite3.Connection) -> None:
    """Schema 1 -> 2: movies.rt_link; critic_reviews' key becomes a unique index (droppable for
    bulk imports). Rowids are kept, so the full-text index still matches."""
    for statement in (
        "ALTER TABLE movies ADD COLUMN rt_link TEXT",
        """CREATE TABLE critic_reviews_2 (
            movie TEXT NOT NULL, position INTEGER NOT NULL, critic TEXT, publication TEXT,
            top_critic INTEGER NOT NULL DEFAULT 0, verdict TEXT, score TEXT, review_date TEXT,
            quote TEXT)""",
        "INSERT INTO critic_reviews_2 (rowid, movie, position, critic, publication, top_critic, "
        "verdict, score, review_date, quote) SELECT rowid, movie, position, critic, publication, "
        "top_critic, verdict, score, review_date, quote FROM critic_reviews",
        "DROP TABLE critic_reviews",
        "ALTER TABLE critic_reviews_2 RENAME TO critic_reviews",
    ):
        conn.execute(statement)


def _to_schema_3(conn: sqlite3.Connection) -> None:
    """Schema 2 -> 3: rows refer to their movie by an integer id instead of its slug. Every
    table is copied into its new shape, keeping rowids (a movie's id is its old rowid)."""
    drop_indexes_and_triggers(conn, [table.name for table in TABLES])
    for index, _, _ in FTS:
        conn.execute(f"DROP TABLE IF EXISTS {index}")
    for table in TABLES:
        conn.execute(f"ALTER TABLE {table.name} RENAME TO old_{table.name}")
    create_schema(conn)
    for index, _, _ in FTS:  # refilled once at the end, not row by row
        for suffix in ("ai", "ad", "au"):
            conn.execute(f"DROP TRIGGER {index}_{suffix}")
    movie_columns = ", ".join(_columns_of(conn, "old_movies"))
    conn.execute(
        f"INSERT INTO movies (id, {movie_columns}) SELECT rowid, {movie_columns} FROM old_movies"
    )
    indexed = {table for _, table, _ in FTS}  # their rowids are what the full-text index holds
    for table in CHILD_TABLES:
        kept = [c for c in _columns_of(conn, f"old_{table.name}") if c != "movie"]
        columns = ", ".join(kept)
        selected = ", ".join(f"c.{name}" for name in kept)
        rowid, old_rowid = ("rowid, ", "c.rowid, ") if table.name in indexed else ("", "")
        conn.execute(
            f"INSERT INTO {table.name} ({rowid}movie_id, {columns}) "
            f"SELECT {old_rowid}m.rowid, {selected} FROM old_{table.name} c "
            "JOIN old_movies m ON m.slug = c.movie"
        )
    for table in reversed(TABLES):
        conn.execute(f"DROP TABLE old_{table.name}")


def _columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _to_schema_4(conn: sqlite3.Connection) -> None:
    """Schema 3 -> 4: IMDb's columns on movies; credits may name their person by id instead
    of by name (cast and crew are copied into their new shape, WITHOUT ROWID); people, akas and
    the trigram indexes are new (create_schema makes them). A step from schema 2 already made
    today's tables, so each part is done only where needed."""
    have = set(_columns_of(conn, "movies"))
    for column in IMDB_MOVIE_COLUMNS:
        if column not in have:
            kind = "TEXT" if column in ("title_type", "original_title") else "INTEGER"
            kind = "REAL" if column == "imdb_rating" else kind
            conn.execute(f"ALTER TABLE movies ADD COLUMN {column} {kind}")
    rebuilt = [t.name for t in (CREW, CAST) if "person_id" not in _columns_of(conn, t.name)]
    drop_indexes_and_triggers(conn, rebuilt)
    for table in rebuilt:
        conn.execute(f"ALTER TABLE {table} RENAME TO old_{table}")
    create_schema(conn)
    for table in rebuilt:  # now WITHOUT ROWID: stored in the order of their key
        kept = ", ".join(_columns_of(conn, f"old_{table}"))
        conn.execute(f"INSERT INTO {table} ({kept}) SELECT {kept} FROM old_{table}")
        conn.execute(f"DROP TABLE old_{table}")


def _to_schema_5(conn: sqlite3.Connection) -> None:
    """Schema 4 -> 5: for `movie chart`, three indexes and genre_scores with its triggers
    (create_schema makes them), then genre_scores filled. No table changes: the full-text
    indexes stay as they are."""
    create_schema(conn)
    rebuild_genre_scores(conn)


def _to_schema_6(conn: sqlite3.Connection) -> None:
    """Schema 5 -> 6: every row of title.akas is kept from now on, so the lookup index of
    other titles holds only the rows with a key of their own (create_schema makes it anew).
    The rows an earlier import kept all have one."""
    conn.execute("DROP INDEX IF EXISTS akas_title_key")
    create_schema(conn)


def _to_schema_7(conn: sqlite3.Connection) -> None:
    """Schema 6 -> 7: `movie find`. People gain their fame; the word indexes of titles and
    names, their views and triggers are made (create_schema), then filled."""
    # An earlier step's create_schema may have made the word indexes' triggers already, over
    # empty indexes: none may fire before the indexes are filled.
    for (trigger,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
        "AND (name GLOB 'title_words_*' OR name GLOB 'people_words_*')"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {trigger}")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(people)")}
    if "fame" not in columns:  # (an upgrade from before schema 4 made people as they are now)
        conn.execute("ALTER TABLE people ADD COLUMN fame INTEGER")
    refresh_fame(conn)  # before the triggers that would index each person as it changes
    create_schema(conn)
    rebuild_words(conn)


def _to_schema_8(conn: sqlite3.Connection) -> None:
    """Schema 7 -> 8: your films' tables (create_schema makes them, empty)."""
    create_schema(conn)


def _to_schema_9(conn: sqlite3.Connection) -> None:
    """Schema 8 -> 9: the rated titles' indexes hold the year too (create_schema makes them
    anew: 1.6 million rows at IMDb's size, seconds)."""
    conn.execute("DROP INDEX IF EXISTS movies_votes")
    conn.execute("DROP INDEX IF EXISTS movies_rating")
    create_schema(conn)


def _to_schema_10(conn: sqlite3.Connection) -> None:
    """Schema 9 -> 10: title_docs reads its id ranges as filters (+m.id): read through the
    view made before, the word index's rebuild went through a MULTI-INDEX OR whose set of
    rowids held every title's id (1 GB at IMDb's full size). The view is made anew
    (create_schema); its triggers read it by name and stay as they are."""
    conn.execute("DROP VIEW IF EXISTS title_docs")
    create_schema(conn)


UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _to_schema_2,
    2: _to_schema_3,
    3: _to_schema_4,
    4: _to_schema_5,
    5: _to_schema_6,
    6: _to_schema_7,
    7: _to_schema_8,
    8: _to_schema_9,
    9: _to_schema_10,
}
# The last schema whose upgrade rebuilds tables, and so the full-text indexes over them.
REBUILT_UP_TO = 4


def upgrade(conn: sqlite3.Connection, version: int, path: Path) -> list[str]:
    """Bring a catalog from an older schema to this one, every row kept, all or nothing. The
    user's own views and triggers are kept (made again from their SQL); returns those that no
    longer work, which are left out."""
    # Tables are rebuilt under other names; SQLite's foreign keys must be off meanwhile (they
    # cannot change inside a transaction), and are checked before the commit.
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with write_transaction(conn):
            with keeping_user_objects(conn) as lost:
                for step in range(version, SCHEMA_VERSION):
                    UPGRADES[step](conn)
                create_schema(conn)
                if version < REBUILT_UP_TO:
                    rebuild_full_text(conn)
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise MovieError(
                    f"the catalog {path} has rows whose movie is missing ({broken[0]}); "
                    "it was left as it was"
                )
    except sqlite3.Error as exc:
        if "interrupted" in str(exc):
            raise  # Ctrl-C or the time limit: said as for any other work
        raise explain(exc, path) or MovieError(
            f"the catalog {path} cannot be upgraded from schema {version} to {SCHEMA_VERSION} "
            f"({exc}); it was left as it was"
        ) from exc
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return lost
