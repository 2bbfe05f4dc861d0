"""Write a synthetic "Rotten Tomatoes movies and critic reviews" dataset, deterministically.

Same two files, same columns, same value shapes as the public Kaggle dataset, at full size by
default (17,712 movies, 1,130,017 reviews, about 230 MB), so that import and queries can be
measured at real scale on any machine, offline:

    python bench/make_dataset.py OUT_DIR [--movies N] [--reviews N] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

MOVIE_COLUMNS = [
    "rotten_tomatoes_link",
    "movie_title",
    "movie_info",
    "critics_consensus",
    "content_rating",
    "genres",
    "directors",
    "authors",
    "actors",
    "original_release_date",
    "streaming_release_date",
    "runtime",
    "production_company",
    "tomatometer_status",
    "tomatometer_rating",
    "tomatometer_count",
    "audience_status",
    "audience_rating",
    "audience_count",
    "tomatometer_top_critics_count",
    "tomatometer_fresh_critics_count",
    "tomatometer_rotten_critics_count",
]
REVIEW_COLUMNS = [
    "rotten_tomatoes_link",
    "critic_name",
    "top_critic",
    "publisher_name",
    "review_type",
    "review_score",
    "review_date",
    "review_content",
]
GENRES = [
    "Action & Adventure",
    "Animation",
    "Art House & International",
    "Classics",
    "Comedy",
    "Documentary",
    "Drama",
    "Horror",
    "Kids & Family",
    "Musical & Performing Arts",
    "Mystery & Suspense",
    "Romance",
    "Science Fiction & Fantasy",
    "Special Interest",
    "Sports & Fitness",
    "Television",
    "Western",
    "Cult Movies",
    "Gay & Lesbian",
]
RATINGS = ["R", "PG-13", "PG", "NR", "G", "NC17"]
RATING_WEIGHTS = [37, 23, 13, 23, 3, 1]
SCORES = ["3/4", "3.5/4", "2/4", "2.5/5", "4/5", "B+", "B", "C", "A-", "7/10", "6/10", "3/5", "1/4"]
# Common English words first (a Zipf-like draw makes them frequent), then invented ones.
COMMON = (
    "the of and a to in is it that film movie this with as for its but on be an by one "
    "story performance director at more not all which from his her their has than who "
    "funny charming drama characters never best ever too much well good great script "
    "drink love vegas night city heart dark comedy action thriller cast screen"
).split()
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "sto",
    "vi",
    "dra",
    "pel",
    "qua",
    "ton",
    "zor",
    "fen",
    "ul",
    "bri",
    "nax",
    "shu",
    "gol",
    "tem",
    "ar",
    "is",
]
RARE_WORD = "zyzzyva"  # in exactly 7 reviews: the benchmark's rare search word


def day(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def words(rng: random.Random, count: int) -> list[str]:
    invented = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(count * 2)
    }
    return sorted(invented)[:count]


def make(out: Path, movies: int, reviews: int, seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = COMMON + words(rng, 6000)
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(vocabulary))]
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    first_names = [w.capitalize() for w in words(rng, 900)]
    last_names = [w.capitalize() for w in words(rng, 2500)]
    people = [f"{rng.choice(first_names)} {rng.choice(last_names)}" for _ in range(60000)]
    publishers = [
        f"{w.capitalize()} {rng.choice(['Times', 'Post', 'Review', 'Weekly', 'Online', 'Herald'])}"
        for w in words(rng, 2200)
    ]
    critics = people[:11000]

    def text(low: int, high: int) -> str:
        picked = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(low, high))
        sentence = " ".join(picked)
        return sentence[0].upper() + sentence[1:] + "."

    out.mkdir(parents=True, exist_ok=True)
    links = []
    titles_seen: dict[str, int] = {}
    with (out / "rotten_tomatoes_movies.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MOVIE_COLUMNS)
        for n in range(movies):
            title = " ".join(
                w.capitalize() for w in rng.choices(vocabulary[60:], k=rng.randint(1, 4))
            )
            if rng.random() < 0.02 and titles_seen:  # remakes and namesakes
                title = rng.choice(list(titles_seen))
            titles_seen[title] = titles_seen.get(title, 0) + 1
            link = (
                f"m/{n + 10000:07d}"
                if rng.random() < 0.6
                else "m/" + title.lower().replace(" ", "_") + f"_{n}"
            )
            links.append(link)
            year = rng.randint(1920, 2020)
            released = (
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rng.random() > 0.07
                else ""
            )
            streaming = day(rng, max(year, 1997), 2020) if rng.random() > 0.02 else ""
            fresh = rng.randint(0, 200)
            rotten = rng.randint(0, 120)
            count = fresh + rotten
            rating = round(100 * fresh / count) if count else ""
            writer.writerow(
                [
                    link,
                    title,
                    text(20, 90),
                    text(8, 30) if rng.random() < 0.5 else "",
                    rng.choices(RATINGS, weights=RATING_WEIGHTS)[0],
                    ", ".join(rng.sample(GENRES, rng.randint(1, 4))),
                    ", ".join(rng.sample(people, rng.randint(0, 2))),
                    ", ".join(rng.sample(people, rng.randint(0, 3))),
                    ", ".join(rng.sample(people, rng.randint(0, 25))),
                    released,
                    streaming,
                    f"{rng.randint(70, 180)}.0" if rng.random() > 0.02 else "",
                    rng.choice(publishers) if rng.random() > 0.03 else "",
                    ("Fresh" if rating != "" and rating >= 60 else "Rotten")
                    if rating != ""
                    else "",
                    f"{rating}.0" if rating != "" else "",
                    f"{count}.0",
                    rng.choice(["Upright", "Spilled"]),
                    f"{rng.randint(10, 99)}.0",
                    f"{rng.randint(5, 300000)}.0",
                    str(rng.randint(0, 60)),
                    str(fresh),
                    str(rotten),
                ]
            )
    # Reviews come grouped by movie, as in the public file, with a long tail of counts.
    per_movie = [rng.paretovariate(1.2) for _ in range(movies)]
    scale = reviews / sum(per_movie)
    counts = [int(p * scale) for p in per_movie]
    for i in rng.sample(range(movies), reviews - sum(counts)) if reviews > sum(counts) else []:
        counts[i] += 1
    rare_at = set(rng.sample(range(reviews), 7))
    written = 0
    with (out / "rotten_tomatoes_critic_reviews.csv").open(
        "w", newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(REVIEW_COLUMNS)
        for link, count in zip(links, counts, strict=True):
            for _ in range(count):
                content = text(3, 34) if rng.random() > 0.05 else ""
                if written in rare_at:
                    content = f"A {RARE_WORD} of a picture. {content}"
                if rng.random() < 0.001:
                    content = f'He said "wait"\nand then: {content}'  # quoted newlines happen
                writer.writerow(
                    [
                        link,
                        rng.choice(critics) if rng.random() > 0.01 else "",
                        "True" if rng.random() < 0.23 else "False",
                        rng.choice(publishers),
                        "Fresh" if rng.random() < 0.64 else "Rotten",
                        rng.choice(SCORES) if rng.random() < 0.7 else "",
                        day(rng, 1998, 2020),
                        content,
                    ]
                )
                written += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--movies", type=int, default=17712)
    parser.add_argument("--reviews", type=int, default=1130017)
    parser.add_argument("--seed", type=int, default=1995)
    args = parser.parse_args()
    started = time.perf_counter()
    make(args.out, args.movies, args.reviews, args.seed)
    size = sum(p.stat().st_size for p in args.out.glob("*.csv"))
    print(
        f"wrote {args.movies:,} movies and {args.reviews:,} reviews ({size / 1e6:.0f} MB) "
        f"to {args.out} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
