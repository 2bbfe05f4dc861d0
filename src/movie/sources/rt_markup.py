"""What a saved Rotten Tomatoes page shows, read from its markup, on every layout since 2015.

Each field is looked for where each layout put it (scorePanel 2015-2018, mop-ratings-wrap
2019-2020, score-board 2021-2023, media-scorecard 2024 on), by the most lasting marks: ids,
`data-qa` and `slot` attributes and custom element names before class names. A part of
html_page: imports only leaves and record types.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from movie.records import MovieRecord, cast_credit, names
from movie.sources.html_tree import Document, Element, inside, leaves
from movie.sources.rt_reviews import Reviews, status
from movie.text import count_in, percent

YEAR_FIRST = re.compile(r"^([0-9]{4})\b")
CONSENSUS_LABEL = re.compile(r"^Critics Consensus:?\s*", re.IGNORECASE)
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
# Cast-and-crew lists put the crew after the actors, their job where a character would be: each
# job and the crew role it is stored under (IMDb's names, so that both sources agree).
CREW_ROLES = {
    "director": "director",
    "directed by": "director",
    "screenwriter": "writer",
    "writer": "writer",
    "written by": "writer",
    "producer": "producer",
    "executive producer": "producer",
    "co-producer": "producer",
    "associate producer": "producer",
    "original music": "composer",
    "music": "composer",
    "composer": "composer",
    "cinematographer": "cinematographer",
    "film editing": "editor",
    "film editor": "editor",
    "editor": "editor",
    "production design": "production_designer",
    "production designer": "production_designer",
    "art director": "art_director",
    "set decoration": "set_decorator",
    "costume design": "costume_designer",
    "costume designer": "costume_designer",
    "casting": "casting_director",
}
# Words of a job no list above has ("Visual Effects Supervisor"): crew too, where it stands in
# the crew at the end of the list.
CREW_WORDS = frozenset(
    "director producer writer screenwriter music composer editor editing cinematographer "
    "cinematography design designer decoration decorator casting costume supervisor".split()
)
# The critic counts over the reviews: "All Critics (380) | Top Critics (84) | Fresh (346) |
# Rotten (34)", as links (2019 on) or tabs.
COUNT_LINK = re.compile(r"^(All Critics|Top Critics|Fresh|Rotten)\s*\(([0-9,]+)\)$", re.IGNORECASE)
COUNT_COLUMNS = {
    "all critics": "critic_count",
    "top critics": "top_critic_count",
    "fresh": "fresh_count",
    "rotten": "rotten_count",
}


def crew_like(job: str | None) -> bool:
    words = (job or "").lower()
    return words in CREW_ROLES or bool(CREW_WORDS.intersection(re.split(r"[^a-z]+", words)))


def _after(text: str, label: str) -> int | None:
    """The count after a label in an element's text ("Reviews Counted: 50")."""
    at = text.find(label)
    return count_in(text[at + len(label) :][:20]) if at >= 0 else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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
        for row in leaves(self.doc.by("class", "meta-row")):
            shown, given = row.find(cls="meta-label"), row.find(cls="meta-value")
            if shown is not None and given is not None:
                pairs.append((shown, given))
        for item, label_qa, value_qa in (
            ("movie-info-item", "movie-info-item-label", "movie-info-item-value"),
            ("item", "item-label", "item-value-group"),
        ):
            for row in leaves(self.doc.by("data-qa", item)):
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
            movie["tomatometer_status"] = status(board.get("tomatometerstate") or "")
            movie["audience_status"] = status(board.get("audiencestate") or "")
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
                movie["tomatometer_status"] = status("certified-fresh" if certified else fresh)
            icon = card.find("score-icon-audience")
            if icon is not None:
                sentiment = (icon.get("sentiment") or "").lower()
                movie["audience_status"] = status(
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
        icons = leaves(self.doc.by("class", "meter-tomato"))
        panels = [*self.doc.by("class", "audience-score"), *self.doc.by("class", "audience-panel")]
        for icon, in_audience in zip(icons, inside(icons, panels), strict=True):
            column = "audience_status" if in_audience else "tomatometer_status"
            movie[column] = movie[column] or status(*icon.classes)
        stats = " ".join(
            e.text()
            for e in leaves(
                [
                    *self.doc.by("id", "scoreStats"),
                    *self.doc.by("class", "mop-ratings-wrap__review-totals"),
                ]
            )
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
            for e in leaves(
                [*self.doc.by("class", "audience-info"), *self.doc.by("class", "audience-score")]
            )
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
        """Actors and their characters. Lists since 2021 carry the crew after the actors, a
        job where a character would be: those go to the crew (directors, writers and the other
        roles), never to the cast."""
        listed: list[tuple[str, str | None]] = []
        items = [
            *self.doc.by("class", "cast-item"),
            *self.doc.by("data-qa", "cast-crew-item"),
            *self.doc.by("data-qa", "person-item"),
        ]
        for item in leaves(list(dict.fromkeys(items))):
            shown = self.person(item)
            if shown is not None:
                listed.append(shown)
        crew_from = len(listed)
        while crew_from > 0 and crew_like(listed[crew_from - 1][1]):
            crew_from -= 1
        for name, job in listed[crew_from:]:
            self.crew_member(page, name, job or "")
        return [cast_credit(name, role) for name, role in listed[:crew_from]]

    def person(self, item: Element) -> tuple[str, str | None] | None:
        """One entry of a cast list: the name, and the character (or a crew member's job) as
        the page shows it. The text is what is shown; a title attribute holds the whole of a
        character the text cut short (2015-2020), or on some pages only the actor's name."""
        name_element = item.find(data_qa="person-name") or item.find(data_qa="cast-crew-item-link")
        role_element = (
            item.find(data_qa="person-role")
            or item.find(cls="characters")
            or item.find("p", cls="p--small")
        )
        name = name_element.text() if name_element is not None else ""
        if not name:
            titled = item.find("span", title=None)
            link = next((a for a in item.find_all("a") if a.text()), None)
            name = (titled.get("title") if titled is not None else None) or (
                link.text() if link is not None else ""
            )
        name = " ".join(name.split())
        if not name:
            return None
        role = role_element.text() if role_element is not None else ""
        if role_element is not None and role_element.tag == "span":
            whole = " ".join((role_element.get("title") or "").split())
            if whole and whole != name and (not role or role.endswith(("...", "…"))):
                role = whole
        if not role and role_element is None:
            # 2021-2023 lists without marks: the character follows the name in the text.
            shown = item.text()
            at = shown.find(name)
            role = shown[at + len(name) :].strip() if at >= 0 else ""
        return name, role or None

    def crew_member(self, page: MovieRecord, name: str, job: str) -> None:
        role = CREW_ROLES.get(job.lower()) or re.sub(r"[^a-z]+", "_", job.lower()).strip("_")
        if role == "director":
            if name not in page.directors:
                page.directors.append(name)
        elif role == "writer":
            if name not in page.writers:
                page.writers.append(name)
        elif role and not any(c["role"] == role and c["name"] == name for c in page.crew):
            page.crew.append({"role": role, "name": name, "job": job})

    def counts(self, page: MovieRecord) -> None:
        """All Critics, Top Critics, Fresh and Rotten as the page counts them: the links over
        its reviews (2019-2023), or the score card's data (2024 on)."""
        movie = page.movie
        links = [*self.doc.by("tag", "a"), *self.doc.by("tag", "rt-link")]
        for link in leaves([a for a in links if "/reviews" in (a.get("href") or "")]):
            found = COUNT_LINK.match(link.text())
            if found:
                column = COUNT_COLUMNS[found[1].lower()]
                if movie[column] is None:
                    movie[column] = count_in(found[2])
        card = self.doc.first("id", "media-scorecard-json")
        if card is None:
            return
        try:
            data = json.loads("".join(c for c in card.children if isinstance(c, str)))
        except (ValueError, RecursionError):
            self.warn("its score card data is not valid JSON; left out")
            return
        critics = _dict(_dict(data).get("criticsScore"))
        top = _dict(_dict(_dict(data).get("overlay")).get("criticsTop"))
        for column, value in (
            ("critic_count", critics.get("ratingCount") or critics.get("reviewCount")),
            ("fresh_count", critics.get("likedCount")),
            ("rotten_count", critics.get("notLikedCount")),
            ("top_critic_count", top.get("ratingCount") or top.get("reviewCount")),
        ):
            if movie[column] is None and value is not None:
                movie[column] = count_in(str(value))

    def critic_reviews(self) -> list[dict[str, Any]]:
        """Each review card the page shows, once (rt_reviews reads each layout's cards)."""
        return Reviews(self.doc, self.warn).all()

    def quotes(self) -> list[dict[str, Any]]:
        """Lines from the film (2015-2020: "Movie Quotes"), a bubble each: the speaker and the
        line; a dialogue keeps its speakers in the line ("Red: ... / Andy: ...")."""
        quotes = []
        for bubble in leaves(self.doc.by("class", "quote_bubble")):
            spoken = []
            for row in bubble.find_all("tr"):
                line = row.find(cls="line")
                if line is None or not line.text():
                    continue
                actor = row.find(cls="quote_actor")
                speaker = actor.text().rstrip(":").strip() if actor is not None else ""
                spoken.append((speaker or None, line.text()))
            if not spoken:
                continue
            speakers = list(dict.fromkeys(s for s, _ in spoken if s))
            character = " / ".join(speakers) or None
            if len(speakers) > 1:
                text = " / ".join(f"{s}: {t}" if s else t for s, t in spoken)
            else:
                text = " / ".join(t for _, t in spoken)
            quotes.append(
                {"character": character, "line": text, "submitted_by": None, "submitted_age": None}
            )
        return quotes

    def audience_reviews(self) -> list[dict[str, Any]]:
        containers = [
            *self.doc.by("class", "mop-audience-reviews__review-item"),
            *self.doc.by("data-qa", "audience-review"),
            *self.doc.by("tag", "review-card-audience"),
        ]
        reviews = []
        for box in leaves(list(dict.fromkeys(containers))):
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
        for prop in leaves(self.doc.by("slot", "metadataProp")):
            found = YEAR_FIRST.match(prop.text())
            if found:
                return int(found[1])
        return None
