"""`movie me`: the summary of your films, as rows of (section, item, value, detail): what you
saw and rated, by year watched and by decade of release, the directors and actors you watch
most and rate highest, and where you differ most from IMDb's users and from the critics.

Every query starts from your entries (a few thousand rows) and reaches the catalog through its
keys, so the catalog's size does not matter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from movie.read.mine import LATEST_RATINGS, SEEN_SQL
from movie.results import Result

COLUMNS = ["section", "item", "value", "detail"]
# A person counts among those you watch most, or rate highest, from this many films.
MIN_FILMS = 2
TOP = 10
# The people of a film the summary counts: its directors, and its cast (actors and actresses;
# a page's cast has no category).
DIRECTORS = (
    "crew",
    "coalesce(c.person_id, c.name)",
    "coalesce(p.name, c.name, printf('nm%07d', c.person_id))",
    "c.role = 'director'",
)
ACTORS = (
    "cast_credits",
    "coalesce(c.person_id, c.actor)",
    "coalesce(p.name, c.actor, printf('nm%07d', c.person_id))",
    "coalesce(c.category, 'actor') IN ('actor', 'actress')",
)


def _one(conn: sqlite3.Connection, sql: str) -> Any:
    return conn.execute(sql).fetchone()[0]


def _people(
    conn: sqlite3.Connection, credits: tuple[str, str, str, str], order: str, having: str
) -> Iterator[tuple[Any, ...]]:
    """People of the films you saw: name, films seen, films rated, your average of them."""
    table, who, name, role = credits
    return conn.execute(
        f"""WITH seen(movie_id) AS ({SEEN_SQL}),
                 rated AS (SELECT movie_id, rating FROM ({LATEST_RATINGS})
                           WHERE movie_id IS NOT NULL),
                 credited AS (
                    SELECT DISTINCT s.movie_id, {who} AS who, {name} AS name
                    FROM seen s JOIN {table} c ON c.movie_id = s.movie_id
                    LEFT JOIN people p ON p.id = c.person_id WHERE {role})
            SELECT min(k.name), count(*), count(r.rating), avg(r.rating)
            FROM credited k LEFT JOIN rated r ON r.movie_id = k.movie_id
            GROUP BY k.who HAVING {having} ORDER BY {order} LIMIT {TOP}"""
    )


def _differences(
    conn: sqlite3.Connection, theirs: str, scale: float, where: str, descending: bool
) -> Iterator[tuple[Any, ...]]:
    """Your rated films furthest from another score (theirs, scaled to 10 points)."""
    direction = "DESC" if descending else "ASC"
    return conn.execute(
        f"""SELECT m.title || coalesce(' (' || m.year || ')', ''), r.rating,
                   {theirs} * {scale} AS them, m.imdb_votes, m.critic_count
            FROM ({LATEST_RATINGS}) r JOIN movies m ON m.id = r.movie_id
            WHERE {where}
            ORDER BY r.rating - {theirs} * {scale} {direction}, m.imdb_votes DESC LIMIT 5"""
    )


def summary(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """The rows of `movie me`, section by section."""
    you = "you"
    films = _one(
        conn,
        f"""SELECT (SELECT count(*) FROM ({SEEN_SQL}))
                 + (SELECT count(DISTINCT name || '|' || coalesce(year, '')) FROM (
                      SELECT name, year FROM my_viewings WHERE movie_id IS NULL
                      UNION SELECT name, year FROM my_ratings WHERE movie_id IS NULL))""",
    )
    viewings = _one(conn, "SELECT count(*) FROM my_viewings")
    minutes = _one(
        conn,
        f"""SELECT coalesce(sum(m.runtime_minutes), 0) FROM (
                SELECT movie_id FROM my_viewings WHERE movie_id IS NOT NULL
                UNION ALL SELECT movie_id FROM ({SEEN_SQL})
                    WHERE movie_id NOT IN (SELECT movie_id FROM my_viewings
                                           WHERE movie_id IS NOT NULL)) v
            JOIN movies m ON m.id = v.movie_id""",
    )
    rated, average = conn.execute(
        f"SELECT count(*), avg(rating) FROM ({LATEST_RATINGS})"
    ).fetchone()
    unmatched = _one(
        conn,
        "SELECT "
        + " + ".join(
            f"(SELECT count(*) FROM {t} WHERE movie_id IS NULL)"
            for t in ("my_viewings", "my_ratings", "my_watchlist", "my_reviews", "my_likes")
        ),
    )
    yield you, "films seen", films, "a viewing or a rating says so"
    yield you, "viewings", viewings, ""
    yield you, "hours watched", round(minutes / 60, 1), "the runtime of each viewing"
    yield you, "films rated", rated, ""
    yield you, "your average rating", round(average, 2) if average is not None else None, "/10"
    yield you, "on your watchlist", _one(conn, "SELECT count(*) FROM my_watchlist"), ""
    yield you, "reviews", _one(conn, "SELECT count(*) FROM my_reviews"), ""
    yield you, "entries no movie matched", unmatched, "movie diary, ratings, watchlist list them"
    for year, count, distinct in conn.execute(
        "SELECT substr(watched_on, 1, 4), count(*), count(DISTINCT coalesce(movie_id, name)) "
        "FROM my_viewings WHERE watched_on IS NOT NULL GROUP BY 1 ORDER BY 1"
    ):
        yield "viewings by year watched", year, count, f"{distinct} film{'s' * (distinct != 1)}"
    for decade, count in conn.execute(
        f"""SELECT m.year / 10 * 10, count(*) FROM ({SEEN_SQL}) s JOIN movies m ON m.id = s.movie_id
            WHERE m.year IS NOT NULL GROUP BY 1 ORDER BY 1"""
    ):
        yield "films seen by decade of release", f"{decade}s", count, ""
    for title, credits in (("directors", DIRECTORS), ("actors", ACTORS)):
        for name, seen, count, mean in _people(
            conn, credits, "count(*) DESC, avg(r.rating) DESC", f"count(*) >= {MIN_FILMS}"
        ):
            detail = f"your average {mean:.1f} of {count} rated" if count else ""
            yield f"{title} you watch most", name, seen, detail
        for name, seen, count, mean in _people(
            conn,
            credits,
            "avg(r.rating) DESC, count(r.rating) DESC",
            f"count(r.rating) >= {MIN_FILMS}",
        ):
            yield f"{title} you rate highest", name, round(mean, 2), f"{count} rated of {seen} seen"
    imdb = ("m.imdb_rating", 1.0, "m.imdb_rating IS NOT NULL", "IMDb's users")
    critics = ("m.tomatometer", 0.1, "m.tomatometer IS NOT NULL", "the critics")
    for theirs, scale, where, who in (imdb, critics):
        for descending, way in ((True, "above"), (False, "below")):
            for title, yours, them, votes, reviews in _differences(
                conn, theirs, scale, where, descending
            ):
                if (yours - them > 0) != descending or yours == them:
                    continue
                base = f"{votes:,} votes" if theirs == imdb[0] else f"{reviews or 0:,} reviews"
                shown = f"{them:.1f}" if theirs == imdb[0] else f"{them * 10:.0f}%"
                detail = f"yours {yours:g}, theirs {shown} ({base})"
                yield f"{way} {who}", title, round(yours - them, 1), detail


def me(conn: sqlite3.Connection) -> Result:
    return Result(list(COLUMNS), summary(conn))
