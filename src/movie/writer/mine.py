"""Your films written: an export's entries matched to the catalog's movies and stored, your own
entries (`movie rate`, `seen`, `watchlist`), and the entries no movie matched matched again
after every import.

Matching. An IMDb entry names its title by IMDb id, which is exact; a title the catalog lacks is
added from the export's own columns. A Letterboxd entry gives only a name and a year: it is
matched on the folded title (case and accents aside) among the movies' own, original and
alternate titles, then, where none is the same, on the title's letters and digits alone
(punctuation and spacing aside: "tick, tick...BOOM!" is "tick, tick... BOOM!"); with the year or
one either side (festival and release years differ); films before series, the same year before
a neighbouring one, a movie's own title before an alternate one, then the better known.
Episodes are never matched.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from movie.errors import MovieError
from movie.store.db import write_transaction
from movie.store.schema import title_doc_movie
from movie.tables import CREW, GENRES, MINE, MY_RATINGS, MY_VIEWINGS, MY_WATCHLIST, Table
from movie.text import fold

BY_ID = "id"
BY_TITLE = "title"
BY_ALTERNATE = "alternate title"
NEIGHBOUR = "neighbouring year"
ADDED = "added from the export"
# A title's words match this many titles at most before the loose match gives up on it (the
# best known come first: "Love" alone is in a million titles).
LOOSE_LIMIT = 200
_ARTICLES = frozenset("the a an le la les l der die das el los las il lo gli i".split())
SERIES = ("tvSeries", "tvMiniSeries")
# An export's directors of a title it added are credited from here on (IMDb's from 1).
STAND_IN = 1000
IMDB_LINK = re.compile(r"imdb\.com/title/tt([0-9]{1,10})")


@dataclass
class MineReport:
    """What an import of your history did: entries written per table, how they matched, the
    ones no movie matched (name and year), and the entries the newer export no longer has."""

    written: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    unmatched: list[tuple[str, int | None]] = field(default_factory=list)
    removed: int = 0
    added_titles: int = 0

    def count(self, how: str | None) -> None:
        for part in (how or "unmatched").split(", "):
            self.matched[part] = self.matched.get(part, 0) + 1


# ---------------------------------------------------------------- matching


def _loose(text: str | None) -> str:
    """A title's letters and digits only, folded: what two spellings of it share."""
    return "".join(ch for ch in fold(text or "") or "" if ch.isalnum())


@dataclass(frozen=True)
class _Candidate:
    movie_id: int
    alternate: bool
    distance: int
    film: bool
    known: int

    def rank(self) -> tuple[int, int, int, int]:
        return (not self.film, self.distance, self.alternate, -self.known)


def _candidates(
    conn: sqlite3.Connection, ids: Iterable[tuple[int, bool]], year: int | None
) -> Iterator[_Candidate]:
    """Of these (movie id, found by an alternate title), the movies with a year near enough and
    not episodes."""
    for movie_id, alternate in ids:
        row = conn.execute(
            "SELECT year, title_type, coalesce(imdb_votes, critic_count, 0) FROM movies "
            "WHERE id = ?",
            (movie_id,),
        ).fetchone()
        if row is None or row[1] == "tvEpisode":
            continue
        distance = 0 if year is None or row[0] is None else abs(row[0] - year)
        if distance > 1:
            continue
        film = row[1] not in SERIES
        yield _Candidate(movie_id, alternate, distance, film, row[2])


# The movie a folded title (its own, or an alternate one: akas.title_key) means near a year:
# films before series, the same year before a neighbouring one, its own title before an
# alternate one, then the best known; never an episode. Each part reads through its index, and
# SQLite ranks them (a common title is shared by thousands of titles).
_EXACT = """
    SELECT id, alternate,
           CASE WHEN :year IS NULL OR year IS NULL THEN 0 ELSE abs(year - :year) END AS distance,
           coalesce(kind, '') NOT IN ('tvSeries', 'tvMiniSeries') AS film, known
    FROM (
        SELECT m.id AS id, 0 AS alternate, m.year AS year, m.title_type AS kind,
               coalesce(m.imdb_votes, m.critic_count, 0) AS known
        FROM movies m WHERE m.title_key = :key AND m.year BETWEEN :first AND :last
        UNION ALL
        SELECT m.id, 0, m.year, m.title_type, coalesce(m.imdb_votes, m.critic_count, 0)
        FROM movies m WHERE m.title_key = :key AND m.year IS NULL
        UNION ALL
        SELECT m.id, 1, m.year, m.title_type, coalesce(m.imdb_votes, m.critic_count, 0)
        FROM akas a JOIN movies m ON m.id = a.movie_id
        WHERE a.title_key = :key AND a.title_key <> ''
            AND (m.year BETWEEN :first AND :last OR m.year IS NULL))
    WHERE coalesce(kind, '') <> 'tvEpisode'
    ORDER BY film DESC, distance, alternate, known DESC LIMIT 1
"""


def _exact(conn: sqlite3.Connection, key: str, year: int | None) -> list[_Candidate]:
    first, last = (year - 1, year + 1) if year is not None else (0, 9999)
    params = {"key": key, "first": first, "last": last, "year": year}
    return [
        _Candidate(movie_id, bool(alternate), distance, bool(film), known)
        for movie_id, alternate, distance, film, known in conn.execute(_EXACT, params)
    ]


def _words_match(name: str) -> str | None:
    folded = fold(name.replace("'", "").replace("\u2019", "")) or ""
    words = re.findall(r"[^\W_]+", folded)
    kept = [w for w in words if w not in _ARTICLES] or words
    return " ".join(f'"{w}"' for w in kept) if kept else None


def _loose_ids(conn: sqlite3.Connection, name: str) -> list[tuple[int, bool]]:
    """Movies with a title (own, original or alternate) of the same letters and digits as the
    name, found through the word index (best known first, LOOSE_LIMIT documents at most)."""
    match = _words_match(name)
    wanted = _loose(name)
    if match is None or not wanted:
        return []
    found: dict[int, bool] = {}
    docs = conn.execute(
        "SELECT rowid FROM title_words WHERE title_words MATCH ? ORDER BY rowid LIMIT ?",
        (match, LOOSE_LIMIT),
    )
    for (doc,) in docs.fetchall():
        movie_id, slot = title_doc_movie(doc), doc & 511
        if movie_id in found:
            continue
        args: tuple[int, ...] = (movie_id,)
        if slot == 0:
            sql = "SELECT title FROM movies WHERE id = ?"
        elif slot == 1:
            sql = "SELECT original_title FROM movies WHERE id = ?"
        else:
            sql = "SELECT title FROM akas WHERE movie_id = ? AND position = ?"
            args = (movie_id, slot - 1)
        row = conn.execute(sql, args).fetchone()
        if row and _loose(row[0]) == wanted:
            found[movie_id] = slot > 0
    return list(found.items())


def match_title(conn: sqlite3.Connection, name: str, year: int | None) -> tuple[int, str] | None:
    """The movie a Letterboxd entry means, and how it was matched; None if none is near enough."""
    key = fold(name) or ""
    found = _exact(conn, key, year)
    if not found:
        found = list(_candidates(conn, _loose_ids(conn, name), year))
    if not found:
        return None
    best = min(found, key=_Candidate.rank)
    how = [BY_ALTERNATE if best.alternate else BY_TITLE]
    if best.distance:
        how.append(NEIGHBOUR)
    return best.movie_id, ", ".join(how)


def _imdb_number(link: str | None) -> int | None:
    found = IMDB_LINK.search(link or "")
    return int(found[1]) if found else None


def _has_movie(conn: sqlite3.Connection, movie_id: int) -> bool:
    return conn.execute("SELECT 1 FROM movies WHERE id = ?", (movie_id,)).fetchone() is not None


def _add_title(conn: sqlite3.Connection, number: int, film: dict[str, Any]) -> None:
    """A title the catalog lacks, from what your IMDb export says of it (IMDb's files fill in
    the rest when they are imported)."""
    slug = f"tt{number:07d}"
    if conn.execute("SELECT 1 FROM movies WHERE slug = ?", (slug,)).fetchone():
        slug = f"{slug}-imdb"
    columns = ("title_type", "original_title", "imdb_rating", "imdb_votes", "runtime_minutes")
    conn.execute(
        "INSERT INTO movies (id, slug, title, title_key, year, "
        + ", ".join(columns)
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            number,
            slug,
            film["title"],
            fold(film["title"]),
            film["year"],
            *(film[c] for c in columns),
        ),
    )
    conn.executemany(
        f"INSERT INTO {GENRES.name} (movie_id, position, genre) VALUES (?, ?, ?)",
        [(number, i, genre) for i, genre in enumerate(film["genres"], 1)],
    )
    conn.executemany(
        f"INSERT INTO {CREW.name} (movie_id, role, position, name) VALUES (?, 'director', ?, ?)",
        [(number, STAND_IN + i, name) for i, name in enumerate(film["directors"], 1)],
    )


def _retire_stand_ins(conn: sqlite3.Connection) -> None:
    """The directors an export named for a title it added stand in until IMDb's own credits
    come (from STAND_IN on, so that IMDb's never collide with them): then they go."""
    for (movie_id,) in conn.execute(
        "SELECT DISTINCT movie_id FROM my_ratings WHERE source = 'imdb' AND movie_id IS NOT NULL "
        "UNION SELECT movie_id FROM my_watchlist WHERE source = 'imdb' AND movie_id IS NOT NULL"
    ).fetchall():
        conn.execute(
            "DELETE FROM crew WHERE movie_id = ? AND role = 'director' AND position > ? "
            "AND person_id IS NULL AND EXISTS (SELECT 1 FROM crew c WHERE c.movie_id = ? "
            "AND c.role = 'director' AND c.position <= ?)",
            (movie_id, STAND_IN, movie_id, STAND_IN),
        )


# ---------------------------------------------------------------- writing


def _columns(table: Table) -> list[str]:
    return [c for c in table.stored if c not in ("movie_id", "matched_by")]


def _upsert_sql(table: Table) -> str:
    columns = [*_columns(table), "movie_id", "matched_by"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "key")
    return (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (key) DO UPDATE SET {updates}"
    )


def write_entry(
    conn: sqlite3.Connection,
    table: Table,
    values: dict[str, Any],
    movie_id: int | None,
    how: str | None,
) -> None:
    """One entry (its public columns but the movie) upserted on its key, inside the caller's
    transaction."""
    conn.execute(_upsert_sql(table), [*(values.get(c) for c in _columns(table)), movie_id, how])


def import_export(conn: sqlite3.Connection, export: Any) -> MineReport:
    """An export's entries (sources.exports.Export) matched and written in one transaction: all
    of it, or none. Entries the export says in full (your ratings, your watchlist) that it no
    longer has are removed."""
    report = MineReport()
    matched: dict[tuple[str, int | None], tuple[int, str] | None] = {}
    with write_transaction(conn):
        for entry in export.entries:
            values = entry.values
            if entry.imdb_id is not None:
                if _has_movie(conn, entry.imdb_id):
                    found: tuple[int, str] | None = (entry.imdb_id, BY_ID)
                else:
                    _add_title(conn, entry.imdb_id, entry.film)
                    report.added_titles += 1
                    found = (entry.imdb_id, ADDED)
            else:
                wanted = (values["name"], values["year"])
                if wanted not in matched:
                    matched[wanted] = match_title(conn, *wanted)
                found = matched[wanted]
            movie_id, how = found if found else (None, None)
            write_entry(conn, entry.table, values, movie_id, how)
            report.written[entry.table.name] = report.written.get(entry.table.name, 0) + 1
            report.count(how)
            if found is None and (values["name"], values["year"]) not in report.unmatched:
                report.unmatched.append((values["name"], values["year"]))
        for table_name, source in sorted(export.complete):
            table, _, part = table_name.partition(":")
            keys = [e.values["key"] for e in export.entries if e.table.name == table]
            only = f"AND key GLOB '{source}:{part}:*'" if part else ""
            report.removed += conn.execute(
                f"DELETE FROM {table} WHERE source = ? {only} "
                "AND key NOT IN (SELECT value FROM json_each(?))",
                (source, json.dumps(keys)),
            ).rowcount
    return report


def rematch(conn: sqlite3.Connection) -> int:
    """Match again the entries no movie matched (and those whose movie an import replaced), in
    the caller's transaction; how many now match. Directors an export stood in for IMDb's go
    once IMDb's are in."""
    _retire_stand_ins(conn)
    now = 0
    for table in MINE:
        conn.execute(
            f"UPDATE {table.name} SET movie_id = NULL, matched_by = NULL "
            "WHERE movie_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM movies m "
            f"WHERE m.id = {table.name}.movie_id)"
        )
        pending = conn.execute(
            f"SELECT key, name, year, link FROM {table.name} WHERE movie_id IS NULL"
        ).fetchall()
        for key, name, year, link in pending:
            number = _imdb_number(link)
            if number is not None:
                found = (number, BY_ID) if _has_movie(conn, number) else None
            else:
                found = match_title(conn, name, year)
            if found:
                conn.execute(
                    f"UPDATE {table.name} SET movie_id = ?, matched_by = ? WHERE key = ?",
                    (*found, key),
                )
                now += 1
    return now


def rematch_all(conn: sqlite3.Connection) -> int:
    """rematch() in a transaction of its own; nothing is written when nothing is pending."""
    stand_ins = any(
        conn.execute(
            f"SELECT 1 FROM {t} x JOIN crew c ON c.movie_id = x.movie_id AND c.role = 'director' "
            "AND c.position > ? WHERE x.source = 'imdb' LIMIT 1",
            (STAND_IN,),
        ).fetchone()
        for t in ("my_ratings", "my_watchlist")
    )
    if not stand_ins and not any(
        conn.execute(f"SELECT 1 FROM {t.name} WHERE movie_id IS NULL LIMIT 1").fetchone()
        or conn.execute(
            f"SELECT 1 FROM {t.name} x WHERE x.movie_id IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM movies m WHERE m.id = x.movie_id) LIMIT 1"
        ).fetchone()
        for t in MINE
    ):
        return 0
    with write_transaction(conn):
        return rematch(conn)


# ---------------------------------------------------------------- your own entries

MINE_SOURCE = "movie"


def _film(conn: sqlite3.Connection, movie_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT title, year, slug FROM movies WHERE id = ?", (movie_id,)).fetchone()
    if row is None:
        raise MovieError(f"no movie with id {movie_id}")
    return {"source": MINE_SOURCE, "name": row[0], "year": row[1], "link": None, "slug": row[2]}


def rate(
    conn: sqlite3.Connection, movie_id: int, rating: float, scale: int, on: str | None
) -> None:
    """Your rating of a movie (10-point), replacing the one you gave here before."""
    film = _film(conn, movie_id)
    values = {**film, "key": f"{MINE_SOURCE}:{film['slug']}"}
    values.update(rating=rating, scale=scale, rated_on=on)
    with write_transaction(conn):
        write_entry(conn, MY_RATINGS, values, movie_id, BY_ID)


def seen(
    conn: sqlite3.Connection,
    movie_id: int,
    on: str | None,
    tags: str | None,
    rating: float | None,
    scale: int | None,
    today: str,
) -> bool:
    """A viewing of a movie; whether it is a rewatch (you had seen it before)."""
    film = _film(conn, movie_id)
    counted = "SELECT count(*) FROM my_viewings WHERE movie_id = ?"
    before = int(conn.execute(counted, (movie_id,)).fetchone()[0])
    values = {**film, "key": f"{MINE_SOURCE}:{film['slug']}:{on or 'undated'}:{before + 1}"}
    values.update(watched_on=on, rewatch=int(before > 0), tags=tags, rating=rating, scale=scale)
    values["logged_on"] = today
    with write_transaction(conn):
        write_entry(conn, MY_VIEWINGS, values, movie_id, BY_ID)
        if rating is not None and scale is not None:
            key = f"{MINE_SOURCE}:{film['slug']}"
            rated = {**film, "key": key, "rating": rating, "scale": scale, "rated_on": on}
            write_entry(conn, MY_RATINGS, rated, movie_id, BY_ID)
    return before > 0


def add_to_watchlist(conn: sqlite3.Connection, movie_id: int, today: str) -> bool:
    """The movie on your watchlist; False if it already was."""
    if conn.execute("SELECT 1 FROM my_watchlist WHERE movie_id = ?", (movie_id,)).fetchone():
        return False
    film = _film(conn, movie_id)
    values = {**film, "key": f"{MINE_SOURCE}:{film['slug']}", "added_on": today}
    with write_transaction(conn):
        write_entry(conn, MY_WATCHLIST, values, movie_id, BY_ID)
    return True


def remove_from_watchlist(conn: sqlite3.Connection, movie_id: int) -> int:
    """The movie off your watchlist (every source's entry for it); how many entries went."""
    with write_transaction(conn):
        return conn.execute("DELETE FROM my_watchlist WHERE movie_id = ?", (movie_id,)).rowcount


_STARS = re.compile(r"^\s*([0-9](?:\.[05])?)\s*(?:/\s*5|★|\*)\s*$")
_TENTHS = re.compile(r"^\s*([0-9]{1,2}(?:\.[0-9])?)\s*(?:/\s*10)?\s*$")


def parse_rating(text: str) -> tuple[float, int]:
    """A rating as typed: 8 or 8/10 (IMDb's 10 points), 4/5, 3.5★ or 3.5* (stars, 0.5 to 5 in
    half stars); as (10-point rating, the scale it came in). MovieError for anything else."""
    if found := _STARS.match(text):
        value = float(found[1])
        if 0.5 <= value <= 5:
            return value * 2, 5
    elif (found := _TENTHS.match(text)) and 1 <= float(found[1]) <= 10:
        return float(found[1]), 10
    raise MovieError(
        f"{text!r} is not a rating: give 1 to 10 (8, 7.5, 8/10) or stars out of 5 (4/5, 3.5★)"
    )


def carry_entries(conn: sqlite3.Connection, entries: dict[str, list[dict[str, Any]]]) -> None:
    """Your entries from an older catalog (rows of each table as {column: value}) into this
    one, in one transaction: each matched afresh (movie ids are this catalog's)."""
    by_name = {table.name: table for table in MINE}
    with write_transaction(conn):
        for name, rows in entries.items():
            table = by_name[name]
            for row in rows:
                write_entry(conn, table, row, None, None)
        rematch(conn)
