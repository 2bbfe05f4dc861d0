"""Write a saved Rotten Tomatoes movie page (HTML, 2021-2023 layout) of a given size, offline and
deterministically: the shape of a real saved page, where most bytes are inline scripts, styles
and navigation, around a movie with a full cast and a page of reviews.

    python bench/make_page.py page.html            # about 600 KB, the size of a real page
    python bench/make_page.py page.html --kb 2000
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

WORDS = (
    "night city heist crew score detective money window rain car silence partner chase "
    "dinner airport phone coffee betrayal plan street light river bridge"
).split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def page(kb: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    cast = [(f"Actor {i} {rng.choice(WORDS).title()}", f"Role {i}") for i in range(40)]
    reviews = [
        {
            "@type": "Review",
            "dateCreated": f"2022-0{1 + i % 9}-1{i % 10}T10:00:00-07:00",
            "reviewBody": sentence(rng, 18),
            "author": {"@type": "Person", "name": f"Critic {i}"},
            "publisher": {"@type": "Organization", "name": f"Paper {i % 7}"},
            "reviewRating": {"@type": "Rating", "ratingValue": rng.choice(["1", "-1"])},
        }
        for i in range(20)
    ]
    data = {
        "@context": "http://schema.org",
        "@type": "Movie",
        "name": "Bench Movie",
        "url": "https://www.rottentomatoes.com/m/bench_movie",
        "contentRating": "R",
        "genre": ["Crime", "Drama"],
        "actors": [{"@type": "Person", "name": name} for name, _ in cast[:10]],
        "character": [role for _, role in cast[:10]],
        "director": [{"@type": "Person", "name": "A Director"}],
        "author": [{"@type": "Person", "name": "A Writer"}],
        "aggregateRating": {"name": "Tomatometer", "ratingValue": "87", "reviewCount": 240},
        "review": reviews,
    }
    head = [
        "<!DOCTYPE html>",
        '<html lang="en" dir="ltr"><head><meta charset="utf-8">',
        "<title>Bench Movie - Rotten Tomatoes</title>",
        '<link rel="canonical" href="https://www.rottentomatoes.com/m/bench_movie">',
        f'<script type="application/ld+json">{json.dumps(data)}</script>',
    ]
    body = [
        '</head><body><score-board tomatometerscore="87" audiencescore="81" '
        'tomatometerstate="certified-fresh" audiencestate="upright" rating="R">',
        '<h1 slot="title">Bench Movie</h1><a slot="critics-count">240 Reviews</a>'
        '<a slot="audience-count">5,000+ Ratings</a></score-board>',
        '<p data-qa="critics-consensus">' + sentence(rng, 25) + "</p>",
        '<p data-qa="movie-info-synopsis">' + sentence(rng, 80) + "</p><ul>",
    ]
    for label, value in [
        ("Rating", "R (Violence|Language)"),
        ("Genre", "Crime, Drama"),
        ("Director", "A Director"),
        ("Writer", "A Writer"),
        ("Release Date (Theaters)", "Dec 15, 1995 wide"),
        ("Runtime", "2h 50m"),
        ("Distributor", "A Studio"),
    ]:
        body.append(
            f'<li data-qa="movie-info-item"><b data-qa="movie-info-item-label">{label}:</b> '
            f'<span data-qa="movie-info-item-value">{value}</span></li>'
        )
    body.append("</ul>")
    for name, role in cast:
        slug = name.lower().replace(" ", "_")
        body.append(
            f'<div data-qa="cast-crew-item"><a href="/celebrity/{slug}"><img alt="{name}"></a>'
            f'<div class="metadata"><a href="/celebrity/{slug}" data-qa="cast-crew-item-link">'
            f'<p>{name}</p></a><p class="p--small">{role}</p></div></div>'
        )
    for i, review in enumerate(reviews):
        body.append(
            f'<div data-qa="critic-review"><review-speech-balloon createdate="Jan {1 + i}, 2022" '
            f'reviewquote="{review["reviewBody"]}" reviewstate="fresh" originalscore="3/4">'
            f'</review-speech-balloon><a data-qa="review-critic-link" href="/critics/c{i}">'
            f'Critic {i}</a><a data-qa="review-publication">Paper {i % 7}</a></div>'
        )
    filler = []
    while sum(map(len, head + body + filler)) < kb * 1024:
        kind = rng.random()
        if kind < 0.6:  # inline application state, as on real pages
            blob = {f"k{j}": [sentence(rng, 6), rng.random()] for j in range(40)}
            filler.append(f"<script>window.__STATE_{len(filler)} = {json.dumps(blob)};</script>")
        elif kind < 0.8:
            filler.append(
                "<style>"
                + "".join(f".c{j}{{margin:{j}px;color:#{j:06x}}}" for j in range(60))
                + "</style>"
            )
        else:
            filler.append(
                '<nav class="menu">'
                + "".join(
                    f'<a href="/browse/{w}" class="menu__link" data-qa="nav-{w}">{w.title()}</a>'
                    for w in rng.sample(WORDS, 10)
                )
                + "</nav>"
            )
    half = len(filler) // 2
    return "\n".join(head + filler[:half] + body + filler[half:] + ["</body></html>"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--kb", type=int, default=600)
    args = parser.parse_args()
    args.path.write_text(page(args.kb), encoding="utf-8")


if __name__ == "__main__":
    main()
