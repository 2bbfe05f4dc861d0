"""Your films read back: your diary, your ratings, your watchlist, and what the card shows of a
movie you saw. An entry a movie matched shows the catalog's title and year; one no movie matched
shows its own name and year, and no slug."""

from __future__ import annotations

import sqlite3
from typing import Any

from movie.read import listings
from movie.results import NO_LIMIT, Result

# The films you saw: a viewing or a rating says so (IMDb's exports have no viewings).
SEEN_SQL = (
    "SELECT movie_id FROM my_viewings WHERE movie_id IS NOT NULL "
    "UNION SELECT movie_id FROM my_ratings WHERE movie_id IS NOT NULL"
)
# `movie movies --seen` and the like: the movies they keep, by id.
MINE_FILTERS = {
    "seen": f"m.id IN ({SEEN_SQL})",
    "unseen": f"m.id NOT IN ({SEEN_SQL})",
    "rated": "m.id IN (SELECT movie_id FROM my_ratings WHERE movie_id IS NOT NULL)",
    "watchlist": "m.id IN (SELECT movie_id FROM my_watchlist WHERE movie_id IS NOT NULL)",
}
# Your rating of each film: the latest you gave (on any site, or here), one row per film (per
# entry for a film no movie matched).
LATEST_RATINGS = """
    SELECT * FROM (
        SELECT r.*, row_number() OVER (
            PARTITION BY coalesce(r.movie_id, r.key)
            ORDER BY r.rated_on IS NULL, r.rated_on DESC, r.source = 'movie' DESC) AS nth
        FROM my_ratings r)
    WHERE nth = 1
"""
# The columns every listing of entries ends with: where the title is in the catalog (slug)
# and, in JSON, its ids and where the entry came from.
_FILM = """coalesce(m.title, e.name) AS title, coalesce(m.year, e.year) AS year"""
_TAIL = f"""m.slug AS slug, {listings.TITLE_ID} AS id, m.title_type AS type, e.source AS source,
    e.link AS link, e.matched_by AS matched_by"""
JSON_ONLY = frozenset({"id", "type", "link", "matched_by"})

DIARY_SORTS = {"date": "e.watched_on IS NULL, e.watched_on {d}, e.key", "title": "title {d}"}
RATING_SORTS = {
    "rating": "e.rating {d}, e.rated_on DESC",
    "date": "e.rated_on IS NULL, e.rated_on {d}",
    "title": "title {d}, year",
    "year": "year IS NULL, year {d}",
    "imdb": "m.imdb_rating IS NULL, m.imdb_rating {d}",
    "difference": "difference IS NULL, difference {d}",
}
WATCHLIST_SORTS = {
    "added": "e.added_on IS NULL, e.added_on {d}",
    "votes": "m.imdb_votes IS NULL, m.imdb_votes {d}",
    "rating": "m.imdb_rating IS NULL, m.imdb_rating {d}, m.imdb_votes DESC",
    "year": "year IS NULL, year {d}",
    "runtime": "m.runtime_minutes IS NULL, m.runtime_minutes {d}",
    "title": "title {d}, year",
}
# Which way each sort goes without --asc/--desc: names A to Z, the rest highest (newest) first.
ASCENDING = frozenset({"title"})


def _direction(sort: str, descending: bool | None) -> str:
    if descending is None:
        return "ASC" if sort in ASCENDING else "DESC"
    return "DESC" if descending else "ASC"


def diary(
    conn: sqlite3.Connection,
    year: int | None = None,
    tag: str | None = None,
    sort: str = "date",
    descending: bool | None = None,
    limit: int = NO_LIMIT,
) -> Result:
    """Your viewings: when, what, your rating that day (10-point), rewatch, tags."""
    where = ["1 = 1"]
    params: dict[str, Any] = {"limit": limit}
    if year is not None:
        where.append("e.watched_on >= :from AND e.watched_on < :to")
        params.update({"from": f"{year:04d}-01-01", "to": f"{year + 1:04d}-01-01"})
    if tag is not None:
        where.append("(',' || replace(lower(e.tags), ', ', ',') || ',') LIKE :tag ESCAPE '\\'")
        escaped = tag.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["tag"] = f"%,{escaped},%"
    sql = f"""
        SELECT e.watched_on AS watched, {_FILM}, e.rating AS rating, e.rewatch AS rewatch,
               e.tags AS tags, {_TAIL}
        FROM my_viewings e LEFT JOIN movies m ON m.id = e.movie_id
        WHERE {" AND ".join(where)}
        ORDER BY {DIARY_SORTS[sort].format(d=_direction(sort, descending))} LIMIT :limit"""
    return _result(conn, sql, params, flags=frozenset({"rewatch"}))


def ratings(
    conn: sqlite3.Connection,
    sort: str = "rating",
    descending: bool | None = None,
    limit: int = NO_LIMIT,
) -> Result:
    """Your ratings, a row per film (the latest you gave): yours, IMDb's, and the difference."""
    sql = f"""
        SELECT e.rated_on AS rated, {_FILM}, e.rating AS rating, m.imdb_rating AS imdb,
               round(e.rating - m.imdb_rating, 1) AS difference, m.tomatometer AS tomatometer,
               {_TAIL}
        FROM ({LATEST_RATINGS}) e LEFT JOIN movies m ON m.id = e.movie_id
        ORDER BY {RATING_SORTS[sort].format(d=_direction(sort, descending))} LIMIT :limit"""
    return _result(conn, sql, {"limit": limit})


def watchlist(
    conn: sqlite3.Connection,
    sort: str = "added",
    descending: bool | None = None,
    limit: int = NO_LIMIT,
) -> Result:
    """Your watchlist, a row per film: when added, IMDb's rating and votes, the runtime."""
    sql = f"""
        SELECT e.added_on AS added, {_FILM}, m.imdb_rating AS imdb, m.imdb_votes AS votes,
               m.runtime_minutes AS runtime, {_TAIL}
        FROM (SELECT * FROM (SELECT w.*, row_number() OVER (
                  PARTITION BY coalesce(w.movie_id, w.key) ORDER BY w.added_on) AS nth
              FROM my_watchlist w) WHERE nth = 1) e
        LEFT JOIN movies m ON m.id = e.movie_id
        ORDER BY {WATCHLIST_SORTS[sort].format(d=_direction(sort, descending))} LIMIT :limit"""
    return _result(conn, sql, {"limit": limit})


def _result(
    conn: sqlite3.Connection,
    sql: str,
    params: dict[str, Any],
    flags: frozenset[str] = frozenset(),
) -> Result:
    return listings.execute(conn, sql, params, flags=flags, json_only=JSON_ONLY)


def mine_of(conn: sqlite3.Connection, movie_id: int) -> dict[str, Any]:
    """What the card shows of a movie you saw: your rating (latest), your viewings (dates,
    newest first), on your watchlist, liked, and your reviews (newest first); {} if none."""
    rating = conn.execute(
        "SELECT rating, rated_on FROM my_ratings WHERE movie_id = ? "
        "ORDER BY rated_on IS NULL, rated_on DESC, source = 'movie' DESC LIMIT 1",
        (movie_id,),
    ).fetchone()
    viewings = [
        row[0] or "undated"
        for row in conn.execute(
            "SELECT watched_on FROM my_viewings WHERE movie_id = ? "
            "ORDER BY watched_on IS NULL, watched_on DESC",
            (movie_id,),
        )
    ]
    reviews = [
        {"written": row[0], "rating": row[1], "text": row[2]}
        for row in conn.execute(
            "SELECT written_on, rating, text FROM my_reviews WHERE movie_id = ? "
            "ORDER BY written_on DESC",
            (movie_id,),
        )
    ]
    listed = conn.execute(
        "SELECT 1 FROM my_watchlist WHERE movie_id = ? LIMIT 1", (movie_id,)
    ).fetchone()
    liked = conn.execute(
        "SELECT 1 FROM my_likes WHERE movie_id = ? LIMIT 1", (movie_id,)
    ).fetchone()
    if not (rating or viewings or reviews or listed or liked):
        return {}
    return {
        "rating": rating[0] if rating else None,
        "rated_on": rating[1] if rating else None,
        "viewings": viewings,
        "watchlist": listed is not None,
        "liked": liked is not None,
        "reviews": reviews,
    }
