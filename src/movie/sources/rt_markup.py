"""What a saved Rotten Tomatoes page shows, read from its markup, on every layout since 2015.

Each field is looked for where each layout put it (scorePanel 2015-2018, mop-ratings-wrap
2019-2020, score-board 2021-2023, media-scorecard 2024 on), by the most lasting marks: ids,
`data-qa` and `slot` attributes and custom element names before class names. A part of
html_page: imports only leaves and record types.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from movie.dates import iso_date
from movie.sources.html_tree import Document, Element
from movie.sources.records import MovieRecord, cast_credit, names
from movie.text import count_in, percent

YEAR_FIRST = re.compile(r"^([0-9]{4})\b")
ORIGINAL_SCORE = re.compile(r"Original Score:\s*([^\s|]+)", re.IGNORECASE)
CONSENSUS_LABEL = re.compile(r"^Critics Consensus:?\s*", re.IGNORECASE)
STATUS = {
    "certified-fresh": "Certified-Fresh",
    "certified_fresh": "Certified-Fresh",
    "fresh": "Fresh",
    "rotten": "Rotten",
    "upright": "Upright",
    "spilled": "Spilled",
}
# The labels of Movie Info on every layout, and the column or list each fills. Others (Box
# Office, Sound Mix, Producer, labels a later redesign adds) are passed over quietly.
INFO = {
    "rating": "rating",
    "genre": "genres",
    "director": "directors",
    "directed by": "directors",
    "writer": "writers",
    "written by": "writers",
    "screenwriter": "writers",
    "release date (theaters)": "theatrical_release",
    "in theaters": "theatrical_release",
    "release date (streaming)": "streaming_release",
    "streaming": "streaming_release",
    "on disc/streaming": "dvd_release",
    "on dvd": "dvd_release",
    "release date (dvd)": "dvd_release",
    "runtime": "runtime_minutes",
    "studio": "studio",
    "distributor": "studio",
    "synopsis": "synopsis",
}
LISTS = ("genres", "directors", "writers")
# Cast-and-crew lists put the crew among the actors, their job where a character would be.
CREW_JOBS = frozenset(
    {
        "director",
        "screenwriter",
        "writer",
        "producer",
        "executive producer",
        "co-producer",
        "associate producer",
        "original music",
        "music",
        "cinematographer",
        "film editor",
        "editor",
        "production design",
        "production designer",
        "art director",
        "set decoration",
        "costume design",
        "costume designer",
        "casting",
    }
)


def _status(*tokens: str) -> str | None:
    return next((STATUS[t.lower()] for t in tokens if t.lower() in STATUS), None)


def _after(text: str, label: str) -> int | None:
    """The count after a label in an element's text ("Reviews Counted: 50")."""
    at = text.find(label)
    return count_in(text[at + len(label) :][:20]) if at >= 0 else None


def _spaced(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


class Markup:
    """The page's markup, field by field; odd values are reported through `warn`."""

    def __init__(self, doc: Document, warn: Callable[[str], None]) -> None:
        self.doc = doc
        self.warn = warn

    def first(self, *where: tuple[str, str]) -> Element | None:
        return next(
            (found for kind, value in where if (found := self.doc.first(kind, value))), None
        )

    def text_of(self, *where: tuple[str, str]) -> str | None:
        found = self.first(*where)
        return found.text() or None if found is not None else None

    def info(self, page: MovieRecord) -> None:
        """Movie Info's label and value pairs, on every layout."""
        pairs: list[tuple[Element, Element]] = []
        for row in self.doc.by("class", "meta-row"):
            shown, given = row.find(cls="meta-label"), row.find(cls="meta-value")
            if shown is not None and given is not None:
                pairs.append((shown, given))
        for item, label_qa, value_qa in (
            ("movie-info-item", "movie-info-item-label", "movie-info-item-value"),
            ("item", "item-label", "item-value-group"),
        ):
            for row in self.doc.by("data-qa", item):
                shown, given = row.find(data_qa=label_qa), row.find(data_qa=value_qa)
                if shown is not None and given is not None:
                    pairs.append((shown, given))
        for label_element, value_element in pairs:
            label = label_element.text().rstrip(":").strip()
            column = INFO.get(label.lower())
            if column is None:
                continue
            links = [
                e.text() for e in value_element.walk() if e.tag in ("a", "rt-link") and e.text()
            ]
            value = value_element.text()
            if column in LISTS:
                if value and not getattr(page, column):  # the first list given is kept
                    getattr(page, column).extend(links or names(value))
                continue
            if not value:
                continue
            if column == "synopsis":
                page.movie["synopsis"] = page.movie["synopsis"] or value
                continue
            problem = page.add_field(column, label, value)
            if problem:
                self.warn(problem)

    def synopsis_and_consensus(self, page: MovieRecord) -> None:
        synopsis = self.first(
            ("data-qa", "movie-info-synopsis"),
            ("data-qa", "synopsis-value"),
            ("id", "movieSynopsis"),
        )
        if synopsis is None:
            description = self.first(("slot", "description"))
            synopsis = description.find(slot="content") if description is not None else None
        if synopsis is not None and synopsis.text():
            page.movie["synopsis"] = synopsis.text()
        consensus = self.first(
            ("data-qa", "critics-consensus"),
            ("id", "critics-consensus"),
            ("class", "mop-ratings-wrap__text--concensus"),
            ("class", "critic_consensus"),
        )
        if consensus is not None:
            text = CONSENSUS_LABEL.sub("", consensus.text())
            if text and text != "No consensus yet.":
                page.movie["consensus"] = text

    def scores(self, page: MovieRecord) -> None:
        movie = page.movie
        board = self.doc.first("tag", "score-board")
        card = self.doc.first("tag", "media-scorecard")
        if board is not None:
            movie["tomatometer"] = self.score("Tomatometer", board.get("tomatometerscore"))
            movie["audience_score"] = self.score("audience score", board.get("audiencescore"))
            movie["tomatometer_status"] = _status(board.get("tomatometerstate") or "")
            movie["audience_status"] = _status(board.get("audiencestate") or "")
            critics, audience = board.find(slot="critics-count"), board.find(slot="audience-count")
            movie["critic_count"] = count_in(critics.text()) if critics else None
            movie["audience_count"] = count_in(audience.text()) if audience else None
            if board.get("rating") and movie["rating"] is None:
                movie["rating"] = board.get("rating")
        elif card is not None:
            critics = card.find(slot="criticsScore")
            audience = card.find(slot="audienceScore")
            movie["tomatometer"] = self.score("Tomatometer", critics.text() if critics else None)
            movie["audience_score"] = self.score(
                "audience score", audience.text() if audience else None
            )
            counts = card.find(slot="criticsReviews"), card.find(slot="audienceReviews")
            movie["critic_count"] = count_in(counts[0].text()) if counts[0] else None
            movie["audience_count"] = count_in(counts[1].text()) if counts[1] else None
            icon = card.find("score-icon-critics")
            if icon is not None:
                sentiment = (icon.get("sentiment") or "").lower()
                fresh = {"positive": "fresh", "negative": "rotten"}.get(sentiment, "")
                certified = icon.get("certified") in ("", "true") and fresh == "fresh"
                movie["tomatometer_status"] = _status("certified-fresh" if certified else fresh)
            icon = card.find("score-icon-audience")
            if icon is not None:
                sentiment = (icon.get("sentiment") or "").lower()
                movie["audience_status"] = _status(
                    {"positive": "upright", "negative": "spilled"}.get(sentiment, "")
                )
        else:
            self.older_scores(page)

    def older_scores(self, page: MovieRecord) -> None:
        """2015-2020: the percentages and counts in the score panel's text."""
        movie = page.movie
        meter = self.first(("data-qa", "tomatometer"), ("id", "tomato_meter_link"))
        panel = self.first(("id", "all-critics-numbers"))
        if meter is None and panel is not None:
            meter = panel.find(cls="meter-value")
        if meter is not None:
            movie["tomatometer"] = self.score("Tomatometer", meter.text())
        audience = self.first(("data-qa", "audience-score"), ("class", "audience-score"))
        if audience is not None and audience.get("data-qa") != "audience-score":
            audience = audience.find(cls="mop-ratings-wrap__percentage") or audience.find(
                cls="meter-value"
            )
        if audience is not None:
            movie["audience_score"] = self.score("audience score", audience.text())
        for icon in self.doc.by("class", "meter-tomato"):
            inside_audience = any(
                "audience-score" in a.classes or "audience-panel" in a.classes
                for a in icon.ancestors()
            )
            column = "audience_status" if inside_audience else "tomatometer_status"
            movie[column] = movie[column] or _status(*icon.classes)
        stats = " ".join(
            e.text()
            for e in [
                *self.doc.by("id", "scoreStats"),
                *self.doc.by("class", "mop-ratings-wrap__review-totals"),
            ]
        )
        for label, column in (
            ("Reviews Counted:", "critic_count"),
            ("Total Count:", "critic_count"),
            ("Fresh:", "fresh_count"),
            ("Rotten:", "rotten_count"),
        ):
            movie[column] = movie[column] if movie[column] is not None else _after(stats, label)
        top = self.first(("id", "top-critics-numbers"))
        if top is not None:
            movie["top_critic_count"] = _after(top.text(), "Reviews Counted:")
        audience_stats = " ".join(
            e.text()
            for e in [
                *self.doc.by("class", "audience-info"),
                *self.doc.by("class", "audience-score"),
            ]
        )
        movie["audience_count"] = _after(audience_stats, "User Ratings:")

    def score(self, label: str, text: str | None) -> int | None:
        if text is None or text.strip() in ("", "--", "-"):
            return None
        value = percent(text.replace("%", ""))
        if value is None:
            self.warn(f"{label} {text[:30]!r} is not a percentage; left out")
        return value

    # ------------------------------------------------------------ lists

    def cast(self, page: MovieRecord) -> list[dict[str, Any]]:
        credits: list[dict[str, Any]] = []
        items = [
            *self.doc.by("class", "cast-item"),
            *self.doc.by("data-qa", "cast-crew-item"),
            *self.doc.by("data-qa", "person-item"),
        ]
        for item in dict.fromkeys(items):
            person, job = item.find(data_qa="person-name"), item.find(data_qa="person-role")
            link = item.find(data_qa="cast-crew-item-link") or next(
                (a for a in item.find_all("a") if a.text()), None
            )
            characters = item.find(cls="characters")
            if person is not None:
                self.credit_or_crew(page, credits, person.text(), job.text() if job else None)
            elif characters is not None or "cast-item" in item.classes:
                # 2015-2020: the full character name is in the title; the text may be cut.
                named = item.find("span", title=None)
                name = named.get("title") if named is not None else None
                name = name or (link.text() if link is not None else None)
                role = (characters.get("title") or characters.text()) if characters else None
                if name:
                    self.credit_or_crew(page, credits, name, role)
            elif link is not None and link.text():
                # 2021-2023: the actor's link, then the character (or a crew member's job).
                name, shown = link.text(), item.text()
                at = shown.find(name)
                self.credit_or_crew(page, credits, name, shown[at + len(name) :].strip() or None)
        return credits

    def credit_or_crew(
        self, page: MovieRecord, credits: list[dict[str, Any]], name: str, role: str | None
    ) -> None:
        job = (role or "").lower()
        if job not in CREW_JOBS:
            credits.append(cast_credit(name, role))
        elif job == "director" and name not in page.directors:
            page.directors.append(name)
        elif job in ("screenwriter", "writer") and name not in page.writers:
            page.writers.append(name)

    def critic_reviews(self) -> list[dict[str, Any]]:
        containers = [
            *(q.parent for q in self.doc.by("class", "quote_bubble") if q.parent is not None),
            *self.doc.by("data-qa", "critic-review"),
            *self.doc.by("tag", "review-card-critic"),
        ]
        reviews = []
        for box in dict.fromkeys(containers):
            review = self.critic_review(box)
            if review["quote"]:
                reviews.append(review)
        return reviews

    def critic_review(self, box: Element) -> dict[str, Any]:
        def part(*finders: Callable[[], Element | None]) -> str | None:
            for finder in finders:
                found = finder()
                if found is not None and found.text():
                    return found.text()
            return None

        attrs: dict[str, str] = {}
        for element in [box, *box.walk()]:
            for name in (
                "reviewquote",
                "createdate",
                "reviewstate",
                "istopcritic",
                "originalscore",
            ):
                if name in element.attrs:
                    attrs.setdefault(name, element.attrs[name])
        quote = _spaced(attrs.get("reviewquote")) or part(
            lambda: box.find(data_qa="review-quote"),
            lambda: box.find(slot="content"),
            lambda: box.find(cls="the_review"),
            lambda: box.find(cls="media-body"),
        )
        critic = part(
            lambda: box.find(data_qa="review-critic-link"),
            lambda: box.find(slot="displayName"),
            lambda: next(
                (a for a in box.find_all("a") if "/critic" in (a.get("href") or "")), None
            ),
        )
        publication = part(
            lambda: box.find(data_qa="review-publication"),
            lambda: box.find(slot="publicationName"),
            lambda: box.find("em", cls="subtle"),
        )
        classes = {c for e in [box, *box.walk()] for c in e.classes}
        sentiment = (
            next((e.get("sentiment") for e in box.find_all("score-icon-critics")), None) or ""
        )
        verdict = (
            _status(attrs.get("reviewstate") or "")
            or {"positive": "Fresh", "negative": "Rotten"}.get(sentiment.lower())
            or _status(*sorted(classes & {"fresh", "rotten"}))
        )
        top = (
            attrs.get("istopcritic") == "true"
            or "top_critic" in classes
            or "top-critic" in box.attrs
            or box.find(data_qa="review-top-critic") is not None
        )
        score_text = attrs.get("originalscore") or part(lambda: box.find(slot="originalScore"))
        labelled = ORIGINAL_SCORE.search(score_text or box.text())
        score_text = labelled[1] if labelled else score_text
        date_text = attrs.get("createdate") or part(
            lambda: box.find(data_qa="review-date"),
            lambda: box.find(slot="createDate"),
            lambda: box.find(cls="review_date"),
        )
        date = iso_date(date_text) if date_text else None
        if date_text and date is None:
            self.warn(f"critic review date {date_text[:30]!r} is not a date; kept as text")
        return {
            "critic": critic,
            "publication": publication,
            "top_critic": 1 if top else 0,
            "verdict": verdict.lower() if verdict else None,
            "score": score_text.strip() if score_text else None,
            "review_date": date or date_text,
            "quote": quote,
        }

    def audience_reviews(self) -> list[dict[str, Any]]:
        containers = [
            *self.doc.by("class", "mop-audience-reviews__review-item"),
            *self.doc.by("data-qa", "audience-review"),
            *self.doc.by("tag", "review-card-audience"),
        ]
        reviews = []
        for box in dict.fromkeys(containers):
            text = (
                box.find(cls="mop-audience-reviews__review--comment")
                or box.find(data_qa="review-text")
                or box.find(slot="content")
            )
            name = (
                box.find(cls="mop-audience-reviews__review--name")
                or box.find(data_qa="review-name")
                or box.find(slot="displayName")
            )
            if text is None or not text.text():
                continue
            super_reviewer = "Super Reviewer" in box.text() or box.find(cls="super-reviewer")
            reviews.append(
                {
                    "reviewer": name.text() or None if name is not None else None,
                    "super_reviewer": 1 if super_reviewer else 0,
                    "text": text.text(),
                }
            )
        return reviews

    def card_year(self) -> int | None:
        """2024 onward: "1982, Kids & Family/Sci-Fi, 1h 55m" under the title."""
        for prop in self.doc.by("slot", "metadataProp"):
            found = YEAR_FIRST.match(prop.text())
            if found:
                return int(found[1])
        return None
