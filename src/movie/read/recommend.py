"""`movie next`: the films you have not seen, ranked for you, each with its reason in words.

The method (the README states it too), offline and explainable, no model to download:

1. Your taste. Your mean rating m; for each person (director, writer, the top-billed cast) and
   each genre of the films you rated, how far your ratings of their films are from m, shrunk
   toward 0 where you rated few: effect = sum(rating - m) / (films + K), K = 2 for people and 5
   for genres. Three films you rated 9, 9 and 10 against a mean of 7 give +1.4; one film rated
   10 gives +1.0.
2. A film's quality. IMDb's rating shrunk toward the catalog's typical 6.5 by its votes (a
   Bayesian average with twice the vote floor as its prior: 2,000 votes by default), blended
   one part in four with the Tomatometer where the catalog has one.
3. How much of a consensus it is: log10 of its votes over the vote floor (a film with a
   hundred times the floor adds 2 x POPULARITY).
4. The score: quality + consensus + the film's taste, where its taste adds the mean effect of
   its directors, half that of its writers and of its cast, and 0.7 of its genres'.

Candidates: your watchlist, or from the catalog the films of the people you rate above your
mean and the most-voted titles of the type asked, with at least the vote floor (1,000 by
default); each read through an index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from movie.read.mine import LATEST_RATINGS, SEEN_SQL
from movie.results import Result

PEOPLE_K = 2.0
GENRE_K = 5.0
PRIOR_RATING = 6.5
CRITICS_SHARE = 0.25
POPULARITY = 1.0  # chosen on --seed 7; the README reports --seed 1
WEIGHTS = {"director": 1.0, "writer": 0.5, "cast": 0.5, "genre": 0.7}
TOP_BILLED = 3
# From the catalog: the films of this many of the people you like best, and this many of the
# most-voted titles; titles with fewer votes than MIN_VOTES are left out (a watchlist keeps all).
LIKED_PEOPLE = 150
POPULAR = 3000
MIN_VOTES = 1000  # the vote floor; twice it is the prior of a film's quality
CANDIDATE_COLUMNS = (
    "id",
    "title",
    "year",
    "title_type",
    "imdb_rating",
    "imdb_votes",
    "tomatometer",
    "runtime_minutes",
    "slug",
)
COLUMNS = ["title", "year", "score", "reason", "imdb_rating", "votes", "runtime", "slug", "id"]


@dataclass
class Taste:
    """What your ratings say: your mean, and each feature's (kind, key) effect, films and mean."""

    mean: float
    effects: dict[tuple[str, Any], tuple[float, int, float]]
    names: dict[tuple[str, Any], str]
    rated: int


def _features(
    conn: sqlite3.Connection, movie_ids: Sequence[int]
) -> dict[int, list[tuple[str, Any, str]]]:
    """Each movie's features: (kind, key, name) for its directors, writers, top-billed cast and
    genres. People are keyed by IMDb id, or by name where a page gives no id."""
    found: dict[int, list[tuple[str, Any, str]]] = {movie_id: [] for movie_id in movie_ids}
    for movie_id in movie_ids:
        features = found[movie_id]
        for role, person, name, known in conn.execute(
            "SELECT c.role, c.person_id, c.name, p.name FROM crew c "
            "LEFT JOIN people p ON p.id = c.person_id "
            "WHERE c.movie_id = ? AND c.role IN ('director', 'writer')",
            (movie_id,),
        ):
            shown = known or name or f"nm{person:07d}"
            features.append((role, person if person is not None else name, shown))
        for person, name, known in conn.execute(
            "SELECT c.person_id, c.actor, p.name FROM cast_credits c "
            "LEFT JOIN people p ON p.id = c.person_id WHERE c.movie_id = ? "
            "AND coalesce(c.category, 'actor') IN ('actor', 'actress') "
            "ORDER BY c.position LIMIT ?",
            (movie_id, TOP_BILLED),
        ):
            shown = known or name or f"nm{person:07d}"
            features.append(("cast", person if person is not None else name, shown))
        for (genre,) in conn.execute("SELECT genre FROM genres WHERE movie_id = ?", (movie_id,)):
            features.append(("genre", genre, genre))
    return found


def taste_of(conn: sqlite3.Connection, ratings: Iterable[tuple[int, float]] | None = None) -> Taste:
    """Your taste from your ratings ((movie id, rating) pairs; by default your latest rating of
    each film the catalog has)."""
    if ratings is None:
        ratings = conn.execute(
            f"SELECT movie_id, rating FROM ({LATEST_RATINGS}) WHERE movie_id IS NOT NULL"
        ).fetchall()
    rated = dict(ratings)
    if not rated:
        return Taste(PRIOR_RATING, {}, {}, 0)
    mean = sum(rated.values()) / len(rated)
    sums: dict[tuple[str, Any], list[float]] = {}
    names: dict[tuple[str, Any], str] = {}
    for movie_id, features in _features(conn, list(rated)).items():
        for kind, key, name in set(features):
            sums.setdefault((kind, key), []).append(rated[movie_id])
            names[(kind, key)] = name
    effects = {}
    for feature, values in sums.items():
        k = GENRE_K if feature[0] == "genre" else PEOPLE_K
        effects[feature] = (
            sum(v - mean for v in values) / (len(values) + k),
            len(values),
            sum(values) / len(values),
        )
    return Taste(mean, effects, names, len(rated))


def quality(
    imdb_rating: float | None, votes: int | None, tomatometer: int | None, prior: int
) -> float:
    """A film's quality on 10 points: IMDb's rating shrunk toward 6.5 by its votes (`prior`
    votes of 6.5 added), blended with the Tomatometer where there is one."""
    votes = votes or 0
    rating = imdb_rating if imdb_rating is not None else PRIOR_RATING
    value = (votes * rating + prior * PRIOR_RATING) / (votes + prior)
    if tomatometer is not None:
        value = (1 - CRITICS_SHARE) * value + CRITICS_SHARE * tomatometer / 10
    return value


def consensus(votes: int | None, floor: int) -> float:
    """How much more than the vote floor a film is voted on, as a bonus: POPULARITY for each
    ten times the floor (none below it)."""
    import math

    if not votes:
        return 0.0
    return POPULARITY * max(0.0, math.log10(votes / max(floor, 1)))


def _score(
    taste: Taste, features: list[tuple[str, Any, str]], base: float
) -> tuple[float, tuple[str, Any] | None]:
    """A film's score and the feature that adds the most to it (its reason)."""
    by_kind: dict[str, list[float]] = {}
    best: tuple[float, tuple[str, Any] | None] = (0.0, None)
    for kind, key, _ in sorted(set(features), key=lambda f: (f[0], str(f[1]))):
        effect = taste.effects.get((kind, key))
        if effect is None:
            continue
        by_kind.setdefault(kind, []).append(effect[0])
        weighted = effect[0] * WEIGHTS[kind]
        if weighted > best[0]:
            best = (weighted, (kind, key))
    added = sum(WEIGHTS[kind] * sum(v) / len(v) for kind, v in by_kind.items())
    return base + added, best[1]


def _reason(taste: Taste, feature: tuple[str, Any] | None, row: dict[str, Any]) -> str:
    votes = row["imdb_votes"]
    imdb = (
        f"IMDb {row['imdb_rating']:.1f} from {_votes(votes)} votes"
        if row["imdb_rating"] is not None and votes
        else "not rated on IMDb"
    )
    if feature is None:
        return imdb
    _, films, mean = taste.effects[feature]
    kind, name = feature[0], taste.names[feature]
    which = {
        "director": f"directed by {name}",
        "writer": f"written by {name}",
        "cast": f"with {name}",
    }
    if kind == "genre":
        article = "an" if name[:1].lower() in "aeiou" else "a"
        what = f"{films} {name} films" if films > 1 else f"{article} {name} film"
    else:
        what = f"{films} films {which[kind]}" if films > 1 else f"a film {which[kind]}"
    average = " on average" if films > 1 else ""
    return f"you rated {what} {mean:.1f}{average}; {imdb}"


def _votes(votes: int) -> str:
    if votes >= 1_000_000:
        return f"{votes / 1_000_000:.1f}M"
    if votes >= 1000:
        return f"{votes // 1000}k"
    return str(votes)


def _candidates(
    conn: sqlite3.Connection, taste: Taste, source: str, types: Sequence[str]
) -> set[int]:
    if source == "watchlist":
        return {
            row[0]
            for row in conn.execute("SELECT movie_id FROM my_watchlist WHERE movie_id IS NOT NULL")
        }
    found: set[int] = set()
    liked = sorted(
        (
            (effect[0], feature)
            for feature, effect in taste.effects.items()
            if feature[0] != "genre" and effect[0] > 0
        ),
        key=lambda item: item[0],
        reverse=True,
    )[:LIKED_PEOPLE]
    for _, (kind, key) in liked:
        if isinstance(key, int):
            table = "crew" if kind != "cast" else "cast_credits"
            sql = f"SELECT movie_id FROM {table} WHERE person_id = ?"
        elif kind == "cast":
            sql = "SELECT movie_id FROM cast_credits WHERE actor = ? AND person_id IS NULL"
        else:
            sql = "SELECT movie_id FROM crew WHERE name = ? AND person_id IS NULL"
        found.update(row[0] for row in conn.execute(sql, (key,)))
    kinds: list[str | None] = [*types] or [None]
    for wanted in kinds:
        if wanted is None:
            sql = (
                "SELECT id FROM movies INDEXED BY movies_votes "
                "WHERE imdb_votes IS NOT NULL ORDER BY imdb_votes DESC LIMIT ?"
            )
            args: tuple[Any, ...] = (POPULAR,)
        else:
            sql = (
                "SELECT id FROM movies INDEXED BY movies_type_votes WHERE title_type = ? "
                "AND imdb_votes IS NOT NULL ORDER BY imdb_votes DESC LIMIT ?"
            )
            args = (wanted, POPULAR)
        found.update(row[0] for row in conn.execute(sql, args))
    return found


def recommend(
    conn: sqlite3.Connection,
    limit: int = 20,
    source: str = "catalog",
    types: Sequence[str] = ("movie",),
    genres: Sequence[str] = (),
    max_runtime: int | None = None,
    min_votes: int = MIN_VOTES,
    taste: Taste | None = None,
    seen: set[int] | None = None,
) -> list[dict[str, Any]]:
    """The unseen films ranked for you, best first, at most `limit`."""
    taste = taste or taste_of(conn)
    if seen is None:
        seen = {row[0] for row in conn.execute(SEEN_SQL)}
    ids = sorted(_candidates(conn, taste, source, types) - seen)
    rows = []
    wanted_genres = {g.casefold() for g in genres}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found = conn.execute(
            f"SELECT {', '.join(CANDIDATE_COLUMNS)} FROM movies WHERE id IN ({marks})",
            chunk,
        ).fetchall()
        for row in found:
            record = dict(zip(CANDIDATE_COLUMNS, row, strict=True))
            if types and record["title_type"] not in types:
                continue
            if max_runtime is not None and (record["runtime_minutes"] or 0) > max_runtime:
                continue
            if source != "watchlist" and (record["imdb_votes"] or 0) < min_votes:
                continue
            rows.append(record)
    features = _features(conn, [row["id"] for row in rows])
    scored = []
    for row in rows:
        if wanted_genres and not wanted_genres <= {
            key.casefold() for kind, key, _ in features[row["id"]] if kind == "genre"
        }:
            continue
        base = quality(
            row["imdb_rating"], row["imdb_votes"], row["tomatometer"], max(2 * min_votes, 1)
        ) + consensus(row["imdb_votes"], min_votes)
        score, why = _score(taste, features[row["id"]], base)
        scored.append((score, row["imdb_votes"] or 0, row, why))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [
        {**row, "score": round(score, 2), "reason": _reason(taste, why, row)}
        for score, _, row, why in scored[:limit]
    ]


def next_films(conn: sqlite3.Connection, **options: Any) -> Result:
    """recommend() as rows to print."""
    found = recommend(conn, **options)
    rows = [
        (
            r["title"],
            r["year"],
            r["score"],
            r["reason"],
            r["imdb_rating"],
            r["imdb_votes"],
            r["runtime_minutes"],
            r["slug"],
            f"tt{r['id']:07d}" if r["title_type"] else r["slug"],
        )
        for r in found
    ]
    return Result(list(COLUMNS), rows, json_only=frozenset({"id"}))
