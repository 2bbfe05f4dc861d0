"""The schema.org Movie a saved page carries (`application/ld+json`), read and checked.

The block has outlived every redesign of the site, so a page is read from it first; but it is
not always right (some 2022-2023 pages name every actor and director "NA"), so every name is
checked before it is kept. A part of html_page: imports only leaves and record types.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from movie.dates import read_date
from movie.records import MovieRecord, cast_credit
from movie.sources.html_tree import Document
from movie.text import count_in, percent

NO_NAME = frozenset({"", "na", "n/a", "null", "none", "unknown"})


def clean(value: Any) -> str | None:
    """A text value from the data, entities decoded and whitespace collapsed."""
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())
    return text or None


def real_name(value: Any) -> str | None:
    name = clean(value)
    return None if name is None or name.lower() in NO_NAME else name


def _names(value: Any) -> list[Any]:
    """Names of the people in a schema.org value (one person or a list), as given."""
    people = value if isinstance(value, list) else [value] if value else []
    return [p.get("name") if isinstance(p, dict) else p for p in people]


class MovieData:
    """The page's schema.org item (a Movie, or what the page is instead), or an empty one."""

    def __init__(self, data: dict[str, Any], warn: Callable[[str], None]) -> None:
        self.data = data
        self.warn = warn

    @classmethod
    def find(cls, doc: Document, warn: Callable[[str], None]) -> MovieData:
        """The page's Movie if it has one in readable JSON, else its first typed item."""
        found: dict[str, Any] = {}
        for script in doc.by("tag", "script"):
            if script.get("type") != "application/ld+json":
                continue
            try:
                data = json.loads("".join(c for c in script.children if isinstance(c, str)))
            except (ValueError, RecursionError):
                warn("its schema.org data is not valid JSON; read the page's markup only")
                continue
            items = data if isinstance(data, list) else [data]
            for item in list(items):  # "@graph" may be anything: only a list holds items
                graph = item.get("@graph") if isinstance(item, dict) else None
                items += graph if isinstance(graph, list) else []
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("@type"), str):
                    if item["@type"] == "Movie":
                        return cls(item, warn)
                    found = found or item
        return cls(found, warn)

    @property
    def kind(self) -> str | None:
        kind = self.data.get("@type")
        return kind if isinstance(kind, str) else None

    @property
    def is_movie(self) -> bool:
        return self.kind == "Movie"

    @property
    def url(self) -> str | None:
        url = self.data.get("url")
        return url if isinstance(url, str) else None

    @property
    def title(self) -> str | None:
        return real_name(self.data.get("name")) if self.is_movie else None

    @property
    def year(self) -> int | None:
        return read_date(
            str(self.data.get("dateCreated") or self.data.get("datePublished") or "")[:10]
        )[1]

    def fill(self, page: MovieRecord) -> None:
        """The schema.org block's values where the markup has none: what the page shows wins
        (a 2021 page's data names the director as a writer too; its Writer row does not)."""
        ld, movie = self.data, page.movie
        if not self.is_movie:
            return
        rating = clean(ld.get("contentRating"))
        if rating and movie["rating"] is None:
            movie["rating"] = rating
        genres = ld.get("genre")
        genres = [genres] if isinstance(genres, str) else genres
        if isinstance(genres, list) and not page.genres:
            page.genres = [g for g in map(clean, genres) if g]
        for key, column in (("director", "directors"), ("author", "writers")):
            if getattr(page, column):
                continue
            given = _names(ld.get(key))
            names = [real_name(n) for n in given]
            if given and all(names):
                setattr(page, column, names)
            elif given:
                self.warn(
                    f"its schema.org data names no real {column} ({given[0]!r}); "
                    "none are in the markup either"
                )
        movie["synopsis"] = movie["synopsis"] or clean(ld.get("description"))
        studio = ld.get("productionCompany")
        movie["studio"] = movie["studio"] or real_name(
            studio.get("name") if isinstance(studio, dict) else studio
        )
        aggregate = ld.get("aggregateRating")
        if isinstance(aggregate, dict) and aggregate.get("name", "Tomatometer") == "Tomatometer":
            if movie["tomatometer"] is None:
                movie["tomatometer"] = percent(str(aggregate.get("ratingValue", "")))
            if movie["critic_count"] is None:
                movie["critic_count"] = count_in(
                    str(aggregate.get("reviewCount") or aggregate.get("ratingCount") or "")
                )

    def cast(self) -> list[dict[str, Any]] | None:
        """The schema.org cast, or None where it has none or its names are not real."""
        given = _names(self.data.get("actors") or self.data.get("actor"))
        if not given or not self.is_movie:
            return None
        names = [real_name(n) for n in given]
        if not all(names):
            self.warn(
                f"its schema.org data names {sum(not n for n in names)} of {len(names)} actors "
                f"{given[names.index(None)]!r}, not a name; the cast comes from the markup"
            )
            return None
        characters = self.data.get("character")
        characters = characters if isinstance(characters, list) else []
        if len(characters) != len(names):
            characters = [None] * len(names)
        return [cast_credit(str(n), clean(c)) for n, c in zip(names, characters, strict=True)]

    def reviews(self) -> list[dict[str, Any]]:
        """The reviews it quotes, a +1 rating fresh and -1 rotten."""
        reviews = self.data.get("review") if self.is_movie else None
        found = []
        for review in reviews if isinstance(reviews, list) else []:
            if not isinstance(review, dict) or not clean(review.get("reviewBody")):
                continue
            author, publisher = review.get("author"), review.get("publisher")
            rating = review.get("reviewRating")
            value = rating.get("ratingValue") if isinstance(rating, dict) else None
            verdict = None
            try:
                number = float(value) if value is not None else 0.0
                verdict = "fresh" if number > 0 else "rotten" if number < 0 else None
            except (TypeError, ValueError):
                pass
            date, _ = read_date(str(review.get("dateCreated") or "")[:10])
            found.append(
                {
                    "critic": real_name(author.get("name") if isinstance(author, dict) else None),
                    "publication": real_name(
                        publisher.get("name") if isinstance(publisher, dict) else None
                    ),
                    "top_critic": 0,
                    "verdict": verdict,
                    "score": None,
                    "review_date": date,
                    "quote": clean(review.get("reviewBody")),
                }
            )
        return found
