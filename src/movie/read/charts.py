"""The data behind `movie chart`: each chart's rows, aggregated in SQL, and what to draw.

Read side: returns Chart values and never prints. Every query reads an index (a person's
credits, a movie's reviews, the partial indexes of rated titles); what is drawn is aggregated
first, so a chart over a 12-million-title catalog draws from a few hundred rows.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from movie.errors import MovieError, UsageError
from movie.read.choose import Movie, Person, find_person
from movie.read.movies import genre_named
from movie.results import NO_LIMIT, Chart, Result
from movie.store.db import stream
from movie.vocabulary import FILMS, Score

# What a career is drawn from by default: films (a page's or the RT dataset's movies have no
# type and count as films), not the episodes of a series.
CAREER_TYPES = FILMS
# Each score's column, what the axis says, lowest and highest.
SCORES = {
    score.value: (score.column, label, 0.0, high)
    for score, label, high in (
        (Score.imdb, "IMDb rating (0-10)", 10.0),
        (Score.tomatometer, "Tomatometer (%)", 100.0),
        (Score.audience, "audience score (%)", 100.0),
    )
}
# Where each score's rated titles are found without reading the table.
RATED = {
    Score.imdb.value: "m.imdb_votes IS NOT NULL",
    Score.tomatometer.value: "m.tomatometer IS NOT NULL",
    Score.audience.value: "m.audience_score IS NOT NULL",
}
LETTERS = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
# A letter grade on the 0-100 scale: evenly spaced from F = 0 to A+ = 100.
GRADES = {letter: round(i * 100 / (len(LETTERS) - 1)) for i, letter in enumerate(LETTERS)}
FRACTION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*$")
DATED = "review_date GLOB '[0-9][0-9][0-9][0-9]-*'"
DECADE = re.compile(r"^(?:([0-9]{2})|([0-9]{3})0)s?$")


def normalised_score(score: str) -> float | None:
    """A critic's original score on 0-100: "3.5/4" -> 87.5, "7/10" -> 70, "B+" -> 75."""
    fraction = FRACTION.match(score)
    if fraction:
        value, best = float(fraction[1]), float(fraction[2])
        return value / best * 100 if best > 0 and value <= best else None
    grade = GRADES.get(score.strip().upper())
    return float(grade) if grade is not None else None


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[Any]:
    return conn.execute(sql, params).fetchall()


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _shown(score: str, value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if score == "imdb" else f"{value:.0f}%"


# ---------------------------------------------------------------- a career


KNOWN = 3  # a career names its best and worst films and the best known few (by votes)
NOTE_ORDER = ("best", "worst", "best known")


def career(
    conn: sqlite3.Connection,
    typed: str | Person,
    score: str | None = None,
    types: Sequence[str] = CAREER_TYPES,
    limit: int = NO_LIMIT,
) -> Chart:
    """Every film of a person by year against its score; the best, the worst and the best known
    few named."""
    person = typed if isinstance(typed, Person) else find_person(conn, typed)
    parts = [
        "SELECT movie_id FROM cast_credits WHERE actor = :name AND person_id IS NULL",
        "SELECT movie_id FROM crew WHERE name = :name AND person_id IS NULL",
    ]
    if person.id is not None:
        parts += [
            "SELECT movie_id FROM cast_credits WHERE person_id = :id",
            "SELECT movie_id FROM crew WHERE person_id = :id",
        ]
    kinds = ", ".join(f":type{i}" for i in range(len(types)))
    films = _rows(
        conn,
        f"""SELECT m.year, m.title, {", ".join(f"m.{score.column}" for score in Score)},
                   coalesce(m.imdb_votes, m.critic_count, 0)
            FROM ({" UNION ".join(parts)}) f JOIN movies m ON m.id = f.movie_id
            WHERE m.year IS NOT NULL AND (m.title_type IS NULL OR m.title_type IN ({kinds}))""",
        {
            "name": person.name,
            "id": person.id,
            **{f"type{i}": kind for i, kind in enumerate(types)},
        },
    )
    chosen = score is not None
    if score is None:  # IMDb's rating where the catalog has it, else the critics'
        score = next(
            (s for s, i in (("imdb", 2), ("tomatometer", 3)) if any(f[i] for f in films)),
            "audience",
        )
    column = [s.value for s in Score].index(score) + 2
    _, label, low, high = SCORES[score]
    rated = [f for f in films if f[column] is not None]
    if not rated:
        by = f"by {label}; try --score" if chosen else "none has a rating or a score"
        raise MovieError(f"no rated films for {person.name} ({by})")
    if limit != NO_LIMIT:
        rated = sorted(rated, key=lambda f: (-f[5], f[0], f[1]))[:limit]
    rated.sort(key=lambda f: (f[0], f[1]))
    best = max(rated, key=lambda f: (f[column], f[5]))
    worst = min(rated, key=lambda f: (f[column], -f[5]))
    notes = {id(f): "best known" for f in sorted(rated, key=lambda f: -f[5])[:KNOWN] if f[5]}
    notes.update(
        {id(best): "best", id(worst): "worst"} if best is not worst else {id(best): "best"}
    )
    rows = [(f[0], f[1], f[column], notes.get(id(f), "")) for f in rated]
    left_out = len(films) - len(rated)
    return Chart(
        kind="scatter",
        title=f"{person.name}: {_plural(len(rows), 'film')} by year and {label}"
        + (f" ({left_out:,} unrated left out)" if left_out and limit == NO_LIMIT else ""),
        x_label="year",
        y_label=label,
        whole_x=True,
        data=Result(["year", "title", SCORES[score][0], "note"], rows),
        # (named points first, best and worst before the best known: a name that would cover
        # another is left to the notes, so the first named are the ones kept)
        picture=lambda: [
            (r[0], r[2], f"{r[1]} ({r[0]})", f"{r[3]}: {r[1]} ({r[0]}), {_shown(score, r[2])}")
            if r[3]
            else (r[0], r[2], None)
            for r in sorted(rows, key=lambda r: NOTE_ORDER.index(r[3]) if r[3] else 9)
        ],
        y_range=(low, high),
        notes=tuple(
            f"{r[3]}: {r[1]} ({r[0]}), {_shown(score, r[2])}"
            for r in sorted(rows, key=lambda r: (NOTE_ORDER.index(r[3]), r[0]) if r[3] else (9, 0))
            if r[3]
        ),
    )


# ---------------------------------------------------------------- a film's reviews


def reviews_by_year(conn: sqlite3.Connection, movie: Movie | None) -> Chart:
    """Critic reviews per year, fresh and rotten, with the Tomatometer as it stood then."""
    scope, params = ("movie_id = ?", [movie.id]) if movie is not None else ("1 = 1", [])
    years = _rows(
        conn,
        f"""SELECT CAST(substr(review_date, 1, 4) AS INTEGER),
                   count(CASE verdict WHEN 'fresh' THEN 1 END),
                   count(CASE verdict WHEN 'rotten' THEN 1 END), count(*)
            FROM critic_reviews WHERE {scope} AND {DATED} GROUP BY 1 ORDER BY 1""",
        params,
    )
    total = _rows(conn, f"SELECT count(*) FROM critic_reviews WHERE {scope}", params)[0][0]
    what = movie.label if movie is not None else "Every movie"
    if not years:
        raise MovieError(f"no dated critic reviews for {what}")
    rows = []
    fresh = rotten = 0
    for year, fresh_then, rotten_then, count in years:
        fresh, rotten = fresh + fresh_then, rotten + rotten_then
        meter = round(fresh * 100 / (fresh + rotten)) if fresh + rotten else None
        rows.append((year, fresh_then, rotten_then, count, meter))
    dated = sum(r[3] for r in rows)
    if fresh + rotten:
        on_file = f"{_plural(fresh + rotten, 'review')} on file with a verdict"
        notes = [
            f"The Tomatometer here is worked out from the {on_file}: fresh / (fresh + rotten)."
        ]
    else:
        notes = ["No review on file says fresh or rotten: there is no Tomatometer to work out."]
    if movie is not None:
        site = _rows(conn, "SELECT tomatometer, critic_count FROM movies WHERE id = ?", [movie.id])[
            0
        ]
        if site[0] is not None:
            counted = f" from {_plural(site[1], 'review')}" if site[1] else ""
            notes.append(f"The site's own Tomatometer: {site[0]}%{counted}.")
    return Chart(
        kind="stacked",
        remarks=tuple(notes),
        title=f"{what}: {_plural(dated, 'critic review')} by year, fresh and rotten, and the "
        "Tomatometer as it stood"
        + (f" ({total - dated:,} undated left out)" if total > dated else ""),
        x_label="reviews",
        y_label="year",
        data=Result(["year", "fresh", "rotten", "reviews", "tomatometer"], rows),
        picture=lambda: [
            (str(r[0]), r[1], r[2], r[3] - r[1] - r[2], _review_counts(r)) for r in rows
        ],
        series=("fresh", "rotten", "no verdict"),
    )


def _review_counts(row: tuple[Any, ...]) -> str:
    _, fresh, rotten, count, meter = row
    text = f"{fresh} fresh, {rotten} rotten" if fresh or rotten else _plural(count, "review")
    return text + (f", {meter}%" if meter is not None else "")


def review_scores(conn: sqlite3.Connection, movie: Movie | None) -> Chart:
    """How the critics' original scores spread, each on 0-100, in tenths."""
    scope, params = ("movie_id = ?", [movie.id]) if movie is not None else ("1 = 1", [])
    counts = [0] * 10
    unread = 0
    for score, count in conn.execute(
        f"SELECT score, count(*) FROM critic_reviews WHERE {scope} AND score IS NOT NULL "
        "GROUP BY score",
        params,
    ):
        value = normalised_score(str(score))
        if value is None:
            unread += count
        else:
            counts[min(int(value // 10), 9)] += count
    what = movie.label if movie is not None else "Every movie"
    read = sum(counts)
    if not read:
        raise MovieError(f"no critic review of {what} has an original score in a known shape")
    rows = [(i * 10, i * 10 + 9 if i < 9 else 100, n) for i, n in enumerate(counts)]
    return Chart(
        kind="bars",
        title=f"{what}: original scores of {_plural(read, 'critic review')} on 0-100"
        + (f" ({unread:,} in no known shape left out)" if unread else ""),
        x_label="reviews",
        y_label="score (0-100)",
        data=Result(["from", "to", "reviews"], rows),
        picture=lambda: [(f"{r[0]}-{r[1]}", r[2], f"{r[2]:,}") for r in rows],
    )


# ---------------------------------------------------------------- critics and audiences


def decade_of(typed: str) -> int:
    """1990 for "1990s", "1990" or "90s"."""
    match = DECADE.match(typed.strip())
    if match is None:
        raise UsageError(f"--decade {typed!r} is not a decade like 1990s (or 90s)")
    return 1900 + int(match[1]) if match[1] else int(match[2]) * 10


# How far apart (in points of 100) critics and audiences must be for a film to be named as one
# they disagree on.
DISAGREE = 20
OTHER = {"audience": "audience score", "imdb": "IMDb rating"}  # what the y axis' number is


def agreement(
    conn: sqlite3.Connection,
    genre: str | None = None,
    decade: str | None = None,
    against: str = "audience",
    limit: int = NO_LIMIT,
    named: int = 3,
) -> Chart:
    """Critics against audiences, one point per movie; the films they disagree on most named."""
    column, label, low, high = SCORES[against]
    where = ["m.tomatometer IS NOT NULL", f"m.{column} IS NOT NULL"]
    params: list[Any] = []
    scope = ""
    if genre is not None:
        genre = genre_named(conn, genre)
        where.append("m.id IN (SELECT movie_id FROM genres WHERE genre = ?)")
        params.append(genre)
        scope += f" in {genre}"
    if decade is not None:
        start = decade_of(decade)
        where.append("m.year BETWEEN ? AND ?")
        params += [start, start + 9]
        scope += f" of the {start}s"
    scale = 10 if against == "imdb" else 1
    gap = f"(m.{column} * {scale} - m.tomatometer)"
    condition = " AND ".join(where)
    count = _rows(conn, f"SELECT count(*) FROM movies m WHERE {condition}", params)[0][0]
    if not count:
        raise MovieError(f"no movies{scope} have both a Tomatometer and an {label}")

    def extremes(order: str) -> list[Any]:
        return _rows(
            conn,
            f"SELECT m.title, m.year, m.tomatometer, m.{column} FROM movies m "
            f"WHERE {condition} ORDER BY {gap} {order}, m.title_key LIMIT ?",
            [*params, named],
        )

    critics_more = [r for r in extremes("ASC") if r[2] - r[3] * scale >= DISAGREE]
    audience_more = [r for r in extremes("DESC") if r[3] * scale - r[2] >= DISAGREE]
    names = {(r[0], r[1]) for r in critics_more + audience_more}

    def picture() -> list[tuple[Any, ...]]:
        points = _rows(
            conn,
            f"SELECT m.tomatometer, m.{column} FROM movies m WHERE {condition} GROUP BY 1, 2",
            params,
        )
        labelled = [
            (r[2], r[3], f"{r[0]} ({r[1]})",
             f"{r[0]} ({r[1]}): Tomatometer {r[2]}%, {OTHER[against]} {_shown(against, r[3])}")
            for r in critics_more + audience_more
            if (r[0], r[1]) in names
        ]  # fmt: skip
        return [(x, y, None) for x, y in points] + labelled

    def note(prefix: str, rows: list[Any]) -> Iterator[str]:
        for title, year, meter, other in rows:
            if (title, year) in names:
                yield f"{prefix}: {title} ({year}), Tomatometer {meter}%, {_shown(against, other)}"

    data_sql = f"""
        SELECT m.title AS title, m.year AS year, m.tomatometer AS tomatometer,
               m.{column} AS {column}, {gap} AS gap
        FROM movies m WHERE {condition} ORDER BY abs({gap}) DESC, m.title_key LIMIT ?"""
    columns, rows = stream(conn, data_sql, [*params, limit])
    return Chart(
        kind="scatter",
        title=f"Critics and audiences: {_plural(count, 'movie')}{scope}, Tomatometer against "
        f"{label}",
        x_label="Tomatometer (%)",
        y_label=label,
        data=Result(columns, rows),
        picture=picture,
        x_range=(0.0, 100.0),
        y_range=(low, high),
        remarks=(
            f"Named: the films on which they disagree most, by {DISAGREE} points or more"
            + (" (an IMDb star counts ten points)" if against == "imdb" else "")
            + "; on the line they agree.",
        ),
        notes=(
            *note("critics liked more", critics_more),
            *note("audiences liked more", audience_more),
        ),
        guide=((0.0, 0.0), (100.0, 100.0 / scale), "critics and audiences agree"),
    )


# ---------------------------------------------------------------- the catalog


def _types_where(types: Sequence[str]) -> tuple[str, list[str]]:
    if not types:
        return "1 = 1", []
    return f"m.title_type IN ({', '.join('?' * len(types))})", list(types)


def default_score(conn: sqlite3.Connection) -> str:
    """IMDb's rating where the catalog has any, else the Tomatometer."""
    rated = conn.execute("SELECT 1 FROM movies m WHERE m.imdb_votes IS NOT NULL LIMIT 1")
    return "imdb" if rated.fetchone() else "tomatometer"


def catalog(
    conn: sqlite3.Connection,
    by: str,
    types: Sequence[str] = (),
    score: str | None = None,
    limit: int = NO_LIMIT,
) -> Chart:
    """How the catalog is spread: titles per year or decade, a ratings histogram, or the
    average rating per genre (at most `limit` of them: the first years, the best genres)."""
    chart = _spread(conn, by, types, score)
    if limit == NO_LIMIT:
        return chart
    rows, picture = list(chart.data.rows)[:limit], chart.picture()[:limit]
    return chart._replace(data=chart.data._replace(rows=rows), picture=lambda: picture)


def _spread(conn: sqlite3.Connection, by: str, types: Sequence[str], score: str | None) -> Chart:
    kinds, params = _types_where(types)
    what = f"{', '.join(types)} titles" if types else "titles"
    if by in ("year", "decade"):
        years = _rows(
            conn,
            f"SELECT m.year, count(*) FROM movies m WHERE m.year IS NOT NULL AND {kinds} "
            "GROUP BY m.year ORDER BY m.year",
            params,
        )
        if not years:
            raise MovieError(f"no {what} with a year in the catalog")
        total = sum(n for _, n in years)
        undated = _rows(
            conn, f"SELECT count(*) FROM movies m WHERE m.year IS NULL AND {kinds}", params
        )[0][0]
        left_out = (f"Left out: {undated:,} with no year.",) if undated else ()
        if by == "year":
            rows = [tuple(r) for r in years]
            kind = "line" if len(rows) > 40 else "bars"
            return Chart(
                kind=kind,
                title=f"The catalog: {total:,} {what} by year",
                remarks=left_out,
                x_label="year",
                y_label="titles",
                whole_x=True,
                data=Result(["year", "titles"], rows),
                picture=lambda: [
                    (r[0], r[1]) if kind == "line" else (str(r[0]), r[1], f"{r[1]:,}") for r in rows
                ],
            )
        decades: dict[int, int] = {}
        for year, n in years:
            decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + n
        rows = [(f"{d}s", n) for d, n in sorted(decades.items())]
        return Chart(
            kind="bars",
            title=f"The catalog: {total:,} {what} by decade",
            remarks=left_out,
            x_label="titles",
            y_label="decade",
            data=Result(["decade", "titles"], rows),
            picture=lambda: [(d, n, f"{n:,}") for d, n in rows],
        )
    score = score or default_score(conn)
    column, label, low, high = SCORES[score]
    rated = RATED[score]
    if by == "rating":
        step = 1.0 if score == "imdb" else 10.0
        bins = _rows(
            conn,
            f"SELECT min(CAST(m.{column} / {step} AS INTEGER), 9), count(*) FROM movies m "
            f"WHERE {rated} AND m.{column} IS NOT NULL AND {kinds} GROUP BY 1 ORDER BY 1",
            params,
        )
        if not bins:
            raise MovieError(f"no {what} rated by {label} in the catalog")
        counts = dict(bins)
        unrated = _unrated(conn, kinds, params, sum(counts.values()), label)
        edges = [(i * step, (i + 1) * step if score == "imdb" else i * step + 9) for i in range(10)]
        rows = [(lo, high if i == 9 else hi, counts.get(i, 0)) for i, (lo, hi) in enumerate(edges)]
        return Chart(
            kind="bars",
            title=f"The catalog: {sum(counts.values()):,} {what} by {label}",
            remarks=unrated,
            x_label="titles",
            y_label=label,
            data=Result(["from", "to", "titles"], rows),
            picture=lambda: [(f"{_number(r[0])}-{_number(r[1])}", r[2], f"{r[2]:,}") for r in rows],
        )
    if by != "genre":
        raise UsageError(f"--by {by!r}: one of year, decade, genre, rating")
    # genre_scores holds each genre's rated titles and score totals by type (kept by triggers):
    # pairing the 1.6 million rated titles with their genres here would take seconds.
    kept = "title_type IN ({})".format(", ".join("?" * len(types))) if types else "1 = 1"
    unit = 10 if score == "imdb" else 1  # IMDb's totals are in tenths
    genres = _rows(
        conn,
        f"""SELECT genre, sum(titles), sum(total) * 1.0 / sum(titles) / {unit}
            FROM genre_scores WHERE score = ? AND {kept}
            GROUP BY genre HAVING sum(titles) > 0 ORDER BY 3 DESC, 2 DESC, 1""",
        [score, *types],
    )
    if not genres:
        raise MovieError(f"no {what} with a genre rated by {label} in the catalog")
    digits = 2 if score == "imdb" else 1
    rows = [(genre, n, round(average, digits)) for genre, n, average in genres]
    rated_titles = _rows(conn, f"SELECT count(*) FROM movies m WHERE {rated} AND {kinds}", params)[
        0
    ][0]
    return Chart(
        kind="bars",
        title=f"The catalog: average {label} per genre, {_plural(len(rows), 'genre')} of "
        f"{rated_titles:,} rated {what}",
        remarks=_unrated(conn, kinds, params, rated_titles, label),
        x_label=label,
        y_label="genre",
        data=Result(["genre", "titles", f"average_{column}"], rows),
        picture=lambda: [(g, a, f"{a:g} ({_plural(n, 'title')})") for g, n, a in rows],
        x_range=(low, high),
    )


def _unrated(
    conn: sqlite3.Connection, kinds: str, params: list[str], rated: int, label: str
) -> tuple[str, ...]:
    """The note saying how many titles had no such score and were left out (the count of all
    of them reads the smallest index: a fraction of a second at twelve million titles)."""
    every = _rows(conn, f"SELECT count(*) FROM movies m WHERE {kinds}", params)[0][0]
    return (f"Left out: {every - rated:,} with no {label}.",) if every > rated else ()


def _number(value: float) -> str:
    return f"{value:g}"
