"""How well `movie next` ranks, on synthetic rating histories with planted tastes.

    python bench/recommend.py --catalog imdb.db            # an imported IMDb catalog (0.1 scale)
    python bench/recommend.py --catalog imdb.db --users 40 --json out.json

The pool is the catalog's films (titles of type movie) with the vote floor or more (--floor,
100 by default: at 0.1 scale as many films reach it as reach 1,000 votes in IMDb's own files).
Each synthetic user has two favourite genres and one they dislike, and watches films of the pool
with a chance in proportion to their votes (people watch what is popular), twice that for a
favourite genre, a third for the disliked one. They rate each: IMDb's rating, +1.5 for a
favourite genre, -2 for the disliked one, plus noise (sd 0.8), rounded and kept within 1 to 10.
Their history is dated in a random order and split by date: the ranking sees the earlier 80%
and must find the later 20% films they rated 8 or more among the first 50 of the films they had
not yet seen. Two baselines face the same test with the same floor: most votes, and highest IMDb
rating. The generated catalog's credits are random (a person's films have nothing in common),
so tastes are planted in genres, not in people: this measures the genre and quality parts of
the ranking. Nothing is written to the catalog (opened read-only). Deterministic for a --seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from movie.read.recommend import recommend, taste_of  # noqa: E402

TOP = 50
LIKED = 8.0


def pool_of(conn: sqlite3.Connection, floor: int) -> list[tuple[int, float, int]]:
    """The films a user may watch: (id, IMDb rating, votes) of movies with the vote floor."""
    return conn.execute(
        "SELECT id, imdb_rating, imdb_votes FROM movies INDEXED BY movies_type_votes "
        "WHERE title_type = 'movie' AND imdb_votes >= ? AND imdb_rating IS NOT NULL",
        (floor,),
    ).fetchall()


def user_history(
    rng: random.Random,
    pool: list[tuple[int, float, int]],
    genres: dict[int, set[str]],
    all_genres: list[str],
    size: int,
) -> list[tuple[int, float]]:
    """A user's ratings in the order they were given, with their planted taste."""
    liked = set(rng.sample(all_genres, 2))
    disliked = rng.choice([g for g in all_genres if g not in liked])
    keys = []
    for movie_id, rating, votes in pool:
        kinds = genres.get(movie_id, set())
        weight = votes * (2 if kinds & liked else 1) * (1 / 3 if disliked in kinds else 1)
        keys.append((rng.random() ** (1 / weight), movie_id, rating, kinds))
    keys.sort(reverse=True)  # weighted sampling without replacement (Efraimidis-Spirakis)
    history = []
    for _, movie_id, rating, kinds in keys[:size]:
        mine = rating + 1.5 * bool(kinds & liked) - 2.0 * (disliked in kinds) + rng.gauss(0, 0.8)
        history.append((movie_id, float(min(10, max(1, round(mine))))))
    rng.shuffle(history)
    return history


def baseline(conn: sqlite3.Connection, seen: set[int], order: str, where: str) -> list[int]:
    found = []
    for (movie_id,) in conn.execute(
        f"SELECT id FROM movies WHERE title_type = 'movie' AND imdb_votes IS NOT NULL {where} "
        f"ORDER BY {order}"
    ):
        if movie_id not in seen:
            found.append(movie_id)
            if len(found) == TOP:
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, required=True, help="an imported IMDb catalog")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--films", type=int, default=300, help="films each user rated")
    parser.add_argument("--floor", type=int, default=100, help="the vote floor")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.catalog}?mode=ro", uri=True)
    pool = pool_of(conn, args.floor)
    genres: dict[int, set[str]] = {}
    ids = [row[0] for row in pool]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ", ".join("?" * len(chunk))
        for movie_id, genre in conn.execute(
            f"SELECT movie_id, genre FROM genres WHERE movie_id IN ({marks})", chunk
        ):
            genres.setdefault(movie_id, set()).add(genre)
    all_genres = sorted({g for kinds in genres.values() for g in kinds})
    if len(pool) < 4 * args.films or len(all_genres) < 3:
        raise SystemExit(f"the catalog is too small: {len(pool)} films reach the vote floor")
    rng = random.Random(args.seed)
    names = ("movie next", "most votes", f"highest rating ({args.floor:,} votes or more)")
    totals = dict.fromkeys(names, 0)
    relevant = 0
    seconds = 0.0
    for _ in range(args.users):
        history = user_history(rng, pool, genres, all_genres, args.films)
        cut = int(len(history) * 0.8)
        earlier, later = history[:cut], history[cut:]
        wanted = {movie_id for movie_id, rating in later if rating >= LIKED}
        relevant += len(wanted)
        seen = {movie_id for movie_id, _ in earlier}
        started = time.perf_counter()
        taste = taste_of(conn, earlier)
        found = recommend(conn, TOP, min_votes=args.floor, taste=taste, seen=seen)
        seconds += time.perf_counter() - started
        floor = f"AND imdb_votes >= {args.floor}"
        ranked = {
            names[0]: [r["id"] for r in found],
            names[1]: baseline(conn, seen, "imdb_votes DESC", floor),
            names[2]: baseline(conn, seen, "imdb_rating DESC, imdb_votes DESC", floor),
        }
        for name, chosen in ranked.items():
            totals[name] += len(wanted & set(chosen))
    print(
        f"{args.users} users, {args.films} rated films each (the earlier 80% to learn from), "
        f"{relevant} later films rated {LIKED:g} or more to find; {len(pool):,} films in the "
        f"pool ({args.catalog.name})"
    )
    print("\n| ranking | found in the top 50 | share of those to find |\n| --- | --- | --- |")
    for name, hits in totals.items():
        print(f"| {name} | {hits} | {hits / max(relevant, 1):.1%} |")
    print(f"\n`movie next` took {seconds / args.users * 1000:.0f} ms a user (in process).")
    if args.json:
        args.json.write_text(
            json.dumps({"users": args.users, "relevant": relevant, "found": totals}, indent=2)
        )
    ours = totals[names[0]]
    if not all(ours > hits for name, hits in totals.items() if name != names[0]):
        raise SystemExit("movie next does not beat both baselines")


if __name__ == "__main__":
    main()
