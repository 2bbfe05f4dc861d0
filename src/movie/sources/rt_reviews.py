"""Critic reviews as each layout of a saved Rotten Tomatoes page shows them: the quote bubbles of
2015-2020, the speech balloons of 2021-2023 and the review cards of 2024 on, each card once. A
part of the HTML source (rt_markup uses it): imports only leaves and record types."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any

from movie.dates import iso_date, us_date
from movie.sources.html_tree import Document, Element, leaves

ORIGINAL_SCORE = re.compile(r"Original Score:\s*([^\s|]+)", re.IGNORECASE)


STATUS = {
    "certified-fresh": "Certified-Fresh",
    "certified_fresh": "Certified-Fresh",
    "fresh": "Fresh",
    "rotten": "Rotten",
    "upright": "Upright",
    "spilled": "Spilled",
}


# A review card's date line (2015-2020): "Sep 23, 2016 | Full Review…", "| Rating: 5/5 |".
DATE_LINE = re.compile(r"^\s*([^|]*?)\s*(?:\||$)")


def status(*tokens: str) -> str | None:
    return next((STATUS[t.lower()] for t in tokens if t.lower() in STATUS), None)


def spaced(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def text_in(element: Element | None) -> str | None:
    return element.text() or None if element is not None else None


class Reviews:
    """A page's critic review cards, read by their layout; odd values reported through warn."""

    def __init__(self, doc: Document, warn: Callable[[str], None]) -> None:
        self.doc = doc
        self.warn = warn

    def all(self) -> list[dict[str, Any]]:
        """Each review card the page shows, once: the quote bubbles of 2015-2020, the speech
        balloons of 2021-2023 and the review cards of 2024 on."""
        cards: list[tuple[str, Element]] = []
        for bubble in leaves(self.doc.by("class", "quote_bubble")):
            if "fullWidth" in bubble.classes or bubble.find(cls="quote_actor") is not None:
                continue  # a line from the film (quotes)
            # 2019-2020: the bubble holds the whole card; earlier, its parent does.
            holds_all = bubble.find("cite") is not None or bubble.find(
                cls="quote_bubble__cite-author"
            )
            box = bubble if holds_all or bubble.parent is None else bubble.parent
            cards.append(("bubble", box))
        for balloon in leaves(self.doc.by("tag", "review-speech-balloon")):
            holder = balloon.parent
            named = balloon.find(data_qa="critic-name") or balloon.find(slot="critic-link")
            if named is None and holder is not None and holder.get("data-qa") == "critic-review":
                cards.append(("balloon", holder))  # the critic beside the balloon
            else:
                cards.append(("balloon", balloon))
        for tag in ("review-card-critic", "media-review-card-critic"):
            cards += [("card", card) for card in leaves(self.doc.by("tag", tag))]
        reviews = []
        seen: set[int] = set()
        for kind, box in cards:
            if id(box) in seen:
                continue
            seen.add(id(box))
            reader = {"bubble": self.bubble, "balloon": self.balloon, "card": self.card}[kind]
            review = reader(box)
            if review["quote"]:
                reviews.append(review)
        return reviews

    def bubble(self, box: Element) -> dict[str, Any]:
        """2015-2020: a quote bubble; the quote in its paragraph, the date and original score
        on a line of their own ("Sep 23, 2016 | Full Review…"), the score also in the verdict
        icon's tooltip ("Original Score: 3/4")."""
        quote_box = box.find("blockquote") or box.find(cls="media-body") or box
        paragraph = quote_box.find("p") or box.find(cls="the_review")
        quote = paragraph.text() if paragraph is not None else None
        author = box.find(cls="quote_bubble__cite-author") or box
        critic = next(
            (a.text() for a in author.find_all("a") if "/critic" in (a.get("href") or "")), None
        )
        publication = next(
            (
                a.text()
                for a in box.find_all("a")
                if "/source-" in (a.get("href") or "")
                or "/critics/source/" in (a.get("href") or "")
            ),
            None,
        ) or text_in(box.find("em", cls="subtle"))
        classes = {c for e in [box, *box.walk()] for c in e.classes}
        top = (
            "top_critic" in classes
            or any("Top Critic" in e.text() for e in islice(box.find_all(cls="superreviewer"), 3))
            or box.find("rt-icon-top-critic") is not None
        )
        lines = [
            e.text()
            for e in islice(
                (e for e in box.find_all(cls="smaller") if "pull-right" in e.classes), 3
            )
        ]
        lines += [e.text() for e in islice(box.find_all(cls="review-link"), 3)]
        tooltips = [e.get("title") or "" for e in box.walk() if "title" in e.attrs]
        score = next((m[1] for t in [*tooltips, *lines] if (m := ORIGINAL_SCORE.search(t))), None)
        date_text = text_in(box.find(cls="review_date")) or next(
            (d[1] for line in lines if (d := DATE_LINE.match(line)) and d[1]), None
        )
        return self.review(
            critic, publication, top, status(*sorted(classes & {"fresh", "rotten"})), score,
            date_text, quote,
        )  # fmt: skip

    def balloon(self, box: Element) -> dict[str, Any]:
        """2021-2023: a speech balloon whose attributes hold the quote, date, verdict, original
        score and top-critic flag; the critic and publication are links inside it."""
        attrs: dict[str, str] = {}
        for element in [box, *box.walk()]:
            for name in ("reviewquote", "createdate", "scorestate", "reviewstate", "istopcritic",
                         "originalscore"):  # fmt: skip
                if name in element.attrs:
                    attrs.setdefault(name, element.attrs[name])
        critic = text_in(
            box.find(data_qa="critic-name")
            or box.find(slot="critic-link")
            or box.find(data_qa="review-critic-link")
        )
        publication = text_in(
            box.find(data_qa="source-link")
            or box.find(slot="publication-link")
            or box.find(data_qa="review-publication")
        )
        verdict = status(attrs.get("scorestate") or attrs.get("reviewstate") or "")
        return self.review(
            critic, publication, attrs.get("istopcritic") == "true", verdict,
            attrs.get("originalscore"), attrs.get("createdate"), spaced(attrs.get("reviewquote")),
        )  # fmt: skip

    def card(self, box: Element) -> dict[str, Any]:
        """2024 on: a review card whose slots hold each part; a top critic's card has the
        top-critic attribute."""

        def slot(*names: str) -> str | None:
            return next((t for n in names if (t := text_in(box.find(slot=n)))), None)

        sentiment = next((e.get("sentiment") for e in box.find_all("score-icon-critics")), None)
        verdict = status(
            {"positive": "fresh", "negative": "rotten"}.get((sentiment or "").lower(), "")
        )
        rating = box.find(slot="rating")
        score = slot("originalScore") or (
            next((t for s in rating.find_all("span") if (t := s.text())), None) if rating else None
        )
        labelled = ORIGINAL_SCORE.search(score or "")
        return self.review(
            slot("name", "displayName") or text_in(box.find("rt-text", context="label")),
            slot("publication", "publicationName"),
            "top-critic" in box.attrs or box.get("top-critic") == "true",
            verdict,
            labelled[1] if labelled else score,
            slot("timestamp", "createDate"),
            slot("review", "content") or text_in(box.find(data_qa="review-text")),
        )

    def review(
        self,
        critic: str | None,
        publication: str | None,
        top: bool,
        verdict: str | None,
        score: str | None,
        date_text: str | None,
        quote: str | None,
    ) -> dict[str, Any]:
        date_text = " ".join(date_text.split()) if date_text else None
        date = (iso_date(date_text) or us_date(date_text)) if date_text else None
        if date_text and date is None:
            self.warn(f"critic review date {date_text[:30]!r} is not a date; kept as text")
        return {
            "critic": critic or None,
            "publication": publication or None,
            "top_critic": 1 if top else 0,
            "verdict": verdict.lower() if verdict else None,
            "score": score.strip() or None if score else None,
            "review_date": date or date_text or None,
            "quote": quote or None,
        }
