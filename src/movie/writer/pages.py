"""Whole movies (a saved page, a catalog's own records): written with a policy, or merged with
the same film saved before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from movie.records import MovieRecord
from movie.store.db import write_transaction
from movie.tables import CAST, CHILD_TABLES, CREW, GENRES, MOVIES, Table
from movie.text import fold
from movie.writer.common import (
    MovieIds,
    Policy,
    child_rows,
    fill_movie,
    import_errors,
    insert_sql,
    stored_key,
    upsert_sql,
)


def write_movie(conn: sqlite3.Connection, record: MovieRecord, policy: Policy) -> int:
    """One movie with its lists, inside the caller's transaction; returns its id.

    REPLACE deletes the movie's rows first; FILL adds a list only where the movie has none;
    UPSERT updates rows with the same key and adds the others."""
    ids = MovieIds(conn)
    existing = ids.get(record.slug)
    if policy is Policy.FILL and existing is not None:
        fill_movie(conn, existing, record.movie)
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
                upsert_sql(table, columns, stored_key(table))
                if policy is Policy.UPSERT
                else insert_sql(table.name, columns)
            )
            conn.executemany(sql, child_rows(movie_id, table, rows[table.name]))
    return movie_id


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
    fill_movie(conn, movie_id, record.movie)
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
            conn.executemany(insert_sql(table.name, columns), child_rows(movie_id, table, numbered))

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
