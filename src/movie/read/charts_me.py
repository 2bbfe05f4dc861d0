"""`movie chart me`: your films in pictures. Your ratings against IMDb's (a point per film, the
line where you agree, the widest disagreements named), your viewings per month, your ratings'
histogram, and the films you saw by decade of release."""

from __future__ import annotations

import sqlite3
from typing import Any

from movie.errors import MovieError
from movie.read.mine import LATEST_RATINGS, SEEN_SQL
from movie.results import Chart, Result

NAMED = 3  # disagreements named on the ratings chart, each way
DISAGREE = 1.5  # points on the 10-point scale: closer than this is no disagreement
VIEWS = ("ratings", "months", "histogram", "decades")


def _rows(conn: sqlite3.Connection, sql: str) -> list[Any]:
    return conn.execute(sql).fetchall()


def chart_of_me(conn: sqlite3.Connection, view: str = "ratings") -> Chart:
    """One of VIEWS; MovieError when you have nothing it can draw."""
    if view == "ratings":
        return _ratings(conn)
    if view == "months":
        return _months(conn)
    if view == "histogram":
        return _histogram(conn)
    if view == "decades":
        return _decades(conn)
    raise MovieError(f"no chart {view!r} of your films (one of {', '.join(VIEWS)})")


def _ratings(conn: sqlite3.Connection) -> Chart:
    rows = _rows(
        conn,
        f"""SELECT m.title, m.year, m.imdb_rating, r.rating, round(r.rating - m.imdb_rating, 1)
            FROM ({LATEST_RATINGS}) r JOIN movies m ON m.id = r.movie_id
            WHERE m.imdb_rating IS NOT NULL
            ORDER BY abs(r.rating - m.imdb_rating) DESC, m.imdb_votes DESC""",
    )
    if not rows:
        raise MovieError("none of the films you rated has an IMDb rating in the catalog")
    unrated = _rows(conn, f"SELECT count(*) FROM ({LATEST_RATINGS})")[0][0] - len(rows)
    above = [r for r in rows if r[4] >= DISAGREE][:NAMED]
    below = [r for r in rows if r[4] <= -DISAGREE][:NAMED]
    named = above + below

    def picture() -> list[tuple[Any, ...]]:
        labelled = {(r[0], r[1]) for r in named}
        points = [(r[2], r[3], None) for r in rows if (r[0], r[1]) not in labelled]
        return points + [
            (r[2], r[3], f"{r[0]} ({r[1]})", f"{r[0]} ({r[1]}): IMDb {r[2]:.1f}, yours {r[3]:g}")
            for r in named
        ]

    remarks = [
        f"Named: the films you rate furthest from IMDb's users, by {DISAGREE:g} points or "
        "more; on the line you agree."
    ]
    if unrated:
        remarks.append(f"Left out: {unrated:,} rated films with no IMDb rating in the catalog.")
    return Chart(
        kind="scatter",
        title=f"Your ratings against IMDb's: {len(rows):,} films",
        x_label="IMDb rating",
        y_label="your rating",
        data=Result(["title", "year", "imdb", "yours", "difference"], rows),
        picture=picture,
        x_range=(1.0, 10.0),
        y_range=(1.0, 10.0),
        remarks=tuple(remarks),
        notes=tuple(
            f"{'you liked more' if r[4] > 0 else 'you liked less'}: {r[0]} ({r[1]}), IMDb "
            f"{r[2]:.1f}, yours {r[3]:g}"
            for r in named
        ),
        guide=((1.0, 1.0), (10.0, 10.0), "you and IMDb's users agree"),
    )


def _months(conn: sqlite3.Connection) -> Chart:
    rows = _rows(
        conn,
        "SELECT substr(watched_on, 1, 7), count(*) FROM my_viewings "
        "WHERE watched_on IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    if not rows:
        raise MovieError("you have no dated viewings (movie seen, or your Letterboxd diary)")
    months = _every_month(rows[0][0], rows[-1][0])
    counts = dict(rows)
    filled = [(month, counts.get(month, 0)) for month in months]
    undated = _rows(conn, "SELECT count(*) FROM my_viewings WHERE watched_on IS NULL")[0][0]
    total = sum(n for _, n in filled)
    bars = len(filled) <= 24  # two years as bars; more as a line over the years
    return Chart(
        kind="bars" if bars else "line",
        title=f"Your viewings by month: {total:,}",
        x_label="viewings" if bars else "year",
        y_label="month" if bars else "viewings a month",
        data=Result(["month", "viewings"], filled),
        picture=lambda: (
            [(m, n, str(n)) for m, n in filled]
            if bars
            else [(int(m[:4]) + (int(m[5:]) - 1) / 12, n) for m, n in filled]
        ),
        whole_x=not bars,
        remarks=(f"Left out: {undated:,} viewings with no date.",) if undated else (),
    )


def _every_month(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _histogram(conn: sqlite3.Connection) -> Chart:
    counts = dict(
        _rows(
            conn,
            f"SELECT CAST(round(rating) AS INTEGER), count(*) FROM ({LATEST_RATINGS}) GROUP BY 1",
        )
    )
    if not counts:
        raise MovieError("you have rated no film (movie rate, or your Letterboxd or IMDb export)")
    rows = [(score, counts.get(score, 0)) for score in range(1, 11)]
    return Chart(
        kind="bars",
        title=f"Your ratings: {sum(counts.values()):,} films, out of 10",
        x_label="films",
        y_label="your rating",
        data=Result(["rating", "films"], rows),
        picture=lambda: [(str(score), n, str(n)) for score, n in rows],
    )


def _decades(conn: sqlite3.Connection) -> Chart:
    rows = _rows(
        conn,
        f"""SELECT m.year / 10 * 10, count(*) FROM ({SEEN_SQL}) s JOIN movies m ON m.id = s.movie_id
            WHERE m.year IS NOT NULL GROUP BY 1 ORDER BY 1""",
    )
    if not rows:
        raise MovieError("you have seen no film the catalog has a year for")
    shown = [(f"{decade}s", n) for decade, n in rows]
    return Chart(
        kind="bars",
        title=f"The films you saw by decade of release: {sum(n for _, n in shown):,}",
        x_label="films",
        y_label="decade",
        data=Result(["decade", "films"], shown),
        picture=lambda: [(d, n, str(n)) for d, n in shown],
    )
