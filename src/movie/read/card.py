"""The card: everything one screen shows about a movie, as plain data. Never prints."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from movie.read.choose import PEOPLE_JOIN, PERSON_SQL, Movie
from movie.read.mine import mine_of


def _names(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[str]:
    return [row[0] for row in conn.execute(sql, params)]


# The crew a card shows after its directors and writers, in this order (IMDb's categories; a
# page's roles are mapped onto them when read).
CREW_ROLES = (
    "producer", "composer", "cinematographer", "editor", "casting_director", "production_designer",
)  # fmt: skip


def card_of(conn: sqlite3.Connection, movie: Movie) -> dict[str, Any]:
    """Everything the card shows, as plain data (None or [] where the catalog has nothing)."""
    conn.row_factory = sqlite3.Row
    try:
        m = conn.execute("SELECT * FROM movies WHERE id = ?", (movie.id,)).fetchone()
        movie = movie._replace(title_type=m["title_type"])
        crew = (
            f"SELECT {PERSON_SQL.format(t='c', name='name')} FROM crew c "
            f"{PEOPLE_JOIN.format(t='c')} WHERE c.movie_id = ? AND c.role = ? ORDER BY c.position"
        )
        cast = [
            {"actor": r["actor"], "character": r["character"]}
            for r in conn.execute(
                f"SELECT {PERSON_SQL.format(t='c', name='actor')} AS actor, c.character "
                f"FROM cast_credits c {PEOPLE_JOIN.format(t='c')} WHERE c.movie_id = ? "
                "ORDER BY c.position LIMIT 5",
                (movie.id,),
            )
        ]
        series = None
        if m["series_id"] is not None:
            parent = conn.execute(
                "SELECT title, year FROM movies WHERE id = ?", (m["series_id"],)
            ).fetchone()
            series = {
                "imdb_id": f"tt{m['series_id']:07d}",
                "title": parent["title"] if parent else None,
                "year": parent["year"] if parent else None,
                "season": m["season"],
                "episode": m["episode"],
            }
        episodes = conn.execute(
            "SELECT count(DISTINCT season) AS seasons, count(*) AS episodes FROM movies "
            "WHERE series_id = ?",
            (movie.id,),
        ).fetchone()
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM cast_credits WHERE movie_id = :s) AS cast_count,
                      (SELECT count(*) FROM critic_reviews WHERE movie_id = :s) AS critics,
                      (SELECT count(*) FROM critic_reviews WHERE movie_id = :s AND top_critic = 1)
                          AS top_critics,
                      (SELECT count(*) FROM audience_reviews WHERE movie_id = :s) AS audience,
                      (SELECT count(*) FROM audience_reviews WHERE movie_id = :s
                          AND super_reviewer = 1) AS super_reviewers,
                      (SELECT count(*) FROM quotes WHERE movie_id = :s) AS quotes,
                      (SELECT count(*) FROM akas WHERE movie_id = :s) AS akas""",
            {"s": movie.id},
        ).fetchone()
        quote = conn.execute(
            "SELECT character, line, submitted_by FROM quotes WHERE movie_id = ? "
            "ORDER BY position LIMIT 1",
            (movie.id,),
        ).fetchone()
    finally:
        conn.row_factory = None
    yours = mine_of(conn, movie.id)
    return {
        "slug": m["slug"],
        "title": m["title"],
        "year": m["year"],
        "imdb_id": movie.imdb_id if m["title_type"] else None,
        "type": m["title_type"],
        "original_title": m["original_title"],
        "akas": counts["akas"],
        "end_year": m["end_year"],
        "imdb_rating": m["imdb_rating"],
        "imdb_votes": m["imdb_votes"],
        "series": series,
        "seasons": episodes["seasons"] if episodes["episodes"] else None,
        "episodes": episodes["episodes"] or None,
        "rating": m["rating"],
        "rating_reason": m["rating_reason"],
        "genres": _names(
            conn, "SELECT genre FROM genres WHERE movie_id = ? ORDER BY position", (movie.id,)
        ),
        "directors": _names(conn, crew, (movie.id, "director")),
        "writers": _names(conn, crew, (movie.id, "writer")),
        "crew": {
            role: names for role in CREW_ROLES if (names := _names(conn, crew, (movie.id, role)))
        },
        "rt_link": m["rt_link"],
        "theatrical_release": m["theatrical_release"],
        "dvd_release": m["dvd_release"],
        "streaming_release": m["streaming_release"],
        "studio": m["studio"],
        "runtime_minutes": m["runtime_minutes"],
        "consensus": m["consensus"],
        "synopsis": m["synopsis"],
        "synopsis_by": m["synopsis_by"],
        "cast": cast,
        "cast_count": counts["cast_count"],
        "critics": {
            "reviews": m["critic_count"],
            "top_critics": m["top_critic_count"],
            "on_file": counts["critics"],
            "top_critics_on_file": counts["top_critics"],
            "tomatometer": m["tomatometer"],
        },
        "audience": {
            "on_file": counts["audience"],
            "super_reviewers": counts["super_reviewers"],
            "score": m["audience_score"],
        },
        "quote_count": counts["quotes"],
        "quote": dict(quote) if quote else None,
        "yours": yours or None,  # your rating, viewings, watchlist, like and reviews
    }
