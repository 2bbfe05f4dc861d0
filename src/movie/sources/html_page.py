"""Source: a Rotten Tomatoes movie page as a browser saves it (HTML), read into a movie record.

Rotten Tomatoes redesigns its pages every few years, and a scraper keyed on one layout's class
names breaks at each. This reader goes by what lasts longest: the schema.org data block
(`application/ld+json`) first, then the markers of every layout the site has used since 2015
(scorePanel, mop-ratings-wrap, score-board, media-scorecard), each field from the first place
that has it in a readable shape. A value in an unexpected shape is reported and left out; a
page that is not a Rotten Tomatoes movie page is refused whole.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from movie.dates import iso_date, read_date
from movie.errors import MovieError
from movie.files import decode_page
from movie.sources.html_tree import Document, Element, parse_html
from movie.sources.records import MovieRecord, empty_movie, names
from movie.text import fold, slug_for, whole_number

# Each layout by the marker only it has, newest first: (kind of marker, value, name shown).
LAYOUTS = (
    ("tag", "media-scorecard", "2024 onward (media-scorecard)"),
    ("tag", "score-board", "2021-2023 (score-board)"),
    ("class", "mop-ratings-wrap", "2019-2020 (mop-ratings-wrap)"),
    ("id", "scorePanel", "2015-2018 (scorePanel)"),
    ("id", "all-critics-numbers", "2015-2018 (scorePanel)"),
)
NOT_MOVIES = {
    "tv": "a TV page",
    "celebrity": "a celebrity page",
    "browse": "a browse list",
    "top": "a list of films",
    "critics": "a critics' page",
    "critic": "a critic's page",
    "search": "search results",
    "news": "a news page",
    "guides": "a news page",
}
LD_NOT_MOVIES = {
    "TVSeries": "a TV page",
    "TVSeason": "a TV page",
    "TVEpisode": "a TV page",
    "Person": "a celebrity page",
    "ItemList": "a browse list",
    "CollectionPage": "a browse list",
}
SITE_URL = re.compile(r"https?://(?:www\.)?([A-Za-z0-9.-]+)(/[^\s\"'<>]*)?")
RT_PATH = re.compile(r"^/([a-z]+)/([^/?#]*)")
YEAR_AT_END = re.compile(r"^(?P<title>.*?)\s*\((?P<year>[0-9]{4})\)$")
ALTERNATE = re.compile(r"^(?P<title>.*\S)\s+\((?P<alternate>[^()]+)\)$")
SITE_SUFFIX = re.compile(r"\s*[-|–]\s*Rotten Tomatoes$")
PERCENT = re.compile(r"^([0-9]{1,3})\s*%?$")
COUNT = re.compile(r"([0-9][0-9,]*)\+?")
YEAR_FIRST = re.compile(r"^([0-9]{4})\b")
ORIGINAL_SCORE = re.compile(r"Original Score:\s*([^\s|]+)", re.IGNORECASE)
CONSENSUS_LABEL = re.compile(r"^Critics Consensus:?\s*", re.IGNORECASE)
NO_NAME = frozenset({"", "na", "n/a", "null", "none", "unknown"})
STATUS = {
    "certified-fresh": "Certified-Fresh",
    "certified_fresh": "Certified-Fresh",
    "fresh": "Fresh",
    "rotten": "Rotten",
    "upright": "Upright",
    "spilled": "Spilled",
}
# The labels of Movie Info on every layout, and the column or list each fills (None: known,
# not kept). Labels not listed are new ones from a later redesign, passed over quietly.
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


def is_html(data: bytes) -> bool:
    """Whether a page's bytes are HTML (as a browser saves it) rather than copied text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<!--", b"<meta")) and any(
        marker in head for marker in (b"<!doctype html", b"<html", b"<head")
    )


def _clean(value: Any) -> str | None:
    """A text value from the page's data, entities decoded and whitespace collapsed."""
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(value).split())
    return text or None


def _real_name(value: Any) -> str | None:
    name = _clean(value)
    return None if name is None or name.lower() in NO_NAME else name


def _ld_names(value: Any) -> list[Any]:
    """Names of the people in a schema.org value (one person or a list), as given."""
    people = value if isinstance(value, list) else [value] if value else []
    return [p.get("name") if isinstance(p, dict) else p for p in people]


def _percent(text: str | None) -> int | None:
    match = PERCENT.match(text.strip()) if text else None
    value = int(match[1]) if match else None
    return value if value is not None and value <= 100 else None


def _count(text: str | None) -> int | None:
    match = COUNT.search(text) if text else None
    return whole_number(match[1].replace(",", "")) if match else None


def _status(*tokens: str) -> str | None:
    return next((STATUS[t.lower()] for t in tokens if t.lower() in STATUS), None)


def _after(text: str, label: str) -> int | None:
    """The count after a label in an element's text ("Reviews Counted: 50")."""
    at = text.find(label)
    return _count(text[at + len(label) :][:20]) if at >= 0 else None


class _Reader:
    def __init__(self, doc: Document, name: str, warnings: list[str]) -> None:
        self.doc = doc
        self.name = name
        self.warnings = warnings
        self.ld: dict[str, Any] = {}
        self.layout = next(
            (shown for kind, value, shown in LAYOUTS if doc.by(kind, value)),
            None,
        )

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.name}: {message}")

    def refuse(self, why: str) -> MovieError:
        return MovieError(f"{self.name} is {why}, not a Rotten Tomatoes movie page")

    def first(self, *where: tuple[str, str]) -> Element | None:
        return next(
            (found for kind, value in where if (found := self.doc.first(kind, value))), None
        )

    def text_of(self, *where: tuple[str, str]) -> str | None:
        found = self.first(*where)
        return found.text() or None if found is not None else None

    # ------------------------------------------------------------ what page this is

    def urls(self) -> Iterator[str]:
        for link in self.doc.by("tag", "link"):
            if "canonical" in (link.get("rel") or "").split():
                yield link.get("href") or ""
        for meta in self.doc.by("tag", "meta"):
            if meta.get("property") == "og:url":
                yield meta.get("content") or ""
        for comment in self.doc.comments:
            if "saved from url=" in comment:
                yield comment.split("saved from url=", 1)[1].split(")", 1)[-1].strip()
        if isinstance(self.ld.get("url"), str):
            yield self.ld["url"]

    def check_page(self) -> str | None:
        """Refuses a page of another site or an RT page of another kind; returns the movie's
        path on the site (m/...) when the page says it."""
        path = None
        host = None
        for url in self.urls():
            match = SITE_URL.match(url.strip())
            if match and host is None:
                host = match[1].lower()
            if match and match[1].lower().endswith("rottentomatoes.com"):
                host = match[1].lower()
                path = match[2] or "/"
                break
        title = self.doc.first("tag", "title")
        site_name = next(
            (
                m.get("content")
                for m in self.doc.by("tag", "meta")
                if m.get("property") == "og:site_name"
            ),
            None,
        )
        on_rt = (
            path is not None
            or site_name == "Rotten Tomatoes"
            or (title is not None and SITE_SUFFIX.search(title.text()) is not None)
        )
        if not on_rt:
            raise self.refuse(f"a saved page of {host or site_name or 'another site'}")
        kind = self.ld.get("@type")
        if path is not None:
            section = RT_PATH.match(path)
            if section is None or section[1] != "m":
                what = NOT_MOVIES.get(section[1]) if section else None
                raise self.refuse(what or f"a Rotten Tomatoes page of another kind ({path})")
            return f"m/{section[2]}" if section[2] else None
        if isinstance(kind, str) and kind in LD_NOT_MOVIES:
            raise self.refuse(LD_NOT_MOVIES[kind])
        if kind != "Movie" and self.layout is None:
            raise self.refuse("a Rotten Tomatoes page with no movie on it")
        return None

    def read_ld(self) -> None:
        """The page's schema.org Movie, if it has one in readable JSON."""
        for script in self.doc.by("tag", "script"):
            if script.get("type") != "application/ld+json":
                continue
            try:
                data = json.loads("".join(c for c in script.children if isinstance(c, str)))
            except (ValueError, RecursionError):
                self.warn("its schema.org data is not valid JSON; read the page's markup only")
                continue
            items = data if isinstance(data, list) else [data]
            items += [g for i in items if isinstance(i, dict) for g in i.get("@graph") or []]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("@type"), str):
                    if item["@type"] == "Movie" or not self.ld:
                        self.ld = item
                    if item["@type"] == "Movie":
                        return

    # ------------------------------------------------------------ the movie

    def title_and_year(self) -> tuple[str, int | None]:
        title_element = self.doc.first("tag", "title")
        shown = SITE_SUFFIX.sub("", title_element.text()) if title_element is not None else ""
        heading = self.text_of(
            ("slot", "title"),
            ("data-qa", "score-panel-title"),
            ("data-qa", "score-panel-movie-title"),
            ("class", "scoreboard__title"),
            ("id", "movie-title"),
        )
        year = None
        for text in (shown, heading or ""):
            dated = YEAR_AT_END.match(text)
            if dated:
                year = int(dated["year"])
                break
        title = _real_name(self.ld.get("name")) if self.ld.get("@type") == "Movie" else None
        if title is None:
            for candidate in (heading or "", shown):
                base = YEAR_AT_END.match(candidate)
                candidate = base["title"] if base else candidate
                if candidate:
                    # "12 Angry Men (Twelve Angry Men)": the site's alternate title is not kept.
                    alternate = ALTERNATE.match(candidate)
                    title = alternate["title"] if alternate else candidate
                    break
        if not title:
            raise self.refuse("a page with no movie title on it")
        return title, year

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
            movie["critic_count"] = _count(critics.text()) if critics else None
            movie["audience_count"] = _count(audience.text()) if audience else None
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
            movie["critic_count"] = _count(counts[0].text()) if counts[0] else None
            movie["audience_count"] = _count(counts[1].text()) if counts[1] else None
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
        value = _percent(text.replace("%", ""))
        if value is None:
            self.warn(f"{label} {text[:30]!r} is not a percentage; left out")
        return value

    # ------------------------------------------------------------ schema.org data

    def from_ld(self, page: MovieRecord) -> None:
        """Values from the schema.org block over the markup's, where they are real."""
        ld, movie = self.ld, page.movie
        if ld.get("@type") != "Movie":
            return
        rating = _clean(ld.get("contentRating"))
        if rating and rating != movie["rating"]:
            movie["rating"], movie["rating_reason"] = rating, None
        genres = ld.get("genre")
        genres = [genres] if isinstance(genres, str) else genres
        if isinstance(genres, list) and (found := [g for g in map(_clean, genres) if g]):
            page.genres = found
        for key, column in (("director", "directors"), ("author", "writers")):
            given = _ld_names(ld.get(key))
            names = [_real_name(n) for n in given]
            if given and all(names):
                setattr(page, column, names)
            elif given and not getattr(page, column):
                self.warn(
                    f"its schema.org data names no real {column} ({given[0]!r}); "
                    "none are in the markup either"
                )
        movie["synopsis"] = _clean(ld.get("description")) or movie["synopsis"]
        studio = ld.get("productionCompany")
        movie["studio"] = (
            _real_name(studio.get("name") if isinstance(studio, dict) else studio)
            or movie["studio"]
        )
        aggregate = ld.get("aggregateRating")
        if isinstance(aggregate, dict) and aggregate.get("name", "Tomatometer") == "Tomatometer":
            meter = _percent(str(aggregate.get("ratingValue", "")))
            movie["tomatometer"] = meter if meter is not None else movie["tomatometer"]
            counted = _count(
                str(aggregate.get("reviewCount") or aggregate.get("ratingCount") or "")
            )
            movie["critic_count"] = counted if counted is not None else movie["critic_count"]

    def ld_cast(self) -> list[dict[str, Any]] | None:
        """The schema.org cast, or None where it has none or its names are not real."""
        given = _ld_names(self.ld.get("actors") or self.ld.get("actor"))
        if not given or self.ld.get("@type") != "Movie":
            return None
        names = [_real_name(n) for n in given]
        if not all(names):
            self.warn(
                f"its schema.org data names {sum(not n for n in names)} of {len(names)} actors "
                f"{given[names.index(None)]!r}, not a name; the cast comes from the markup"
            )
            return None
        characters = self.ld.get("character")
        characters = characters if isinstance(characters, list) else []
        if len(characters) != len(names):
            characters = [None] * len(names)
        return [_credit(str(n), _clean(c)) for n, c in zip(names, characters, strict=True)]

    def ld_reviews(self) -> list[dict[str, Any]]:
        reviews = self.ld.get("review") if self.ld.get("@type") == "Movie" else None
        found = []
        for review in reviews if isinstance(reviews, list) else []:
            if not isinstance(review, dict) or not _clean(review.get("reviewBody")):
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
                    "critic": _real_name(author.get("name") if isinstance(author, dict) else None),
                    "publication": _real_name(
                        publisher.get("name") if isinstance(publisher, dict) else None
                    ),
                    "top_critic": 0,
                    "verdict": verdict,
                    "score": None,
                    "review_date": date,
                    "quote": _clean(review.get("reviewBody")),
                }
            )
        return found

    # ------------------------------------------------------------ lists in the markup

    def markup_cast(self, page: MovieRecord) -> list[dict[str, Any]]:
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
            credits.append(_credit(name, role))
        elif job == "director" and name not in page.directors:
            page.directors.append(name)
        elif job in ("screenwriter", "writer") and name not in page.writers:
            page.writers.append(name)

    def markup_reviews(self) -> list[dict[str, Any]]:
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
        quote = _clean(attrs.get("reviewquote")) or part(
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

    # ------------------------------------------------------------ the whole page

    def read(self, path: str | None) -> MovieRecord:
        title, year = self.title_and_year()
        page = MovieRecord(movie=empty_movie(title=title, year=year, rt_link=path))
        self.info(page)
        self.synopsis_and_consensus(page)
        self.scores(page)
        self.from_ld(page)
        page.cast = self.cast(page)
        reviews = self.ld_reviews()
        page.critic_reviews = _merge_reviews(reviews, self.markup_reviews())
        page.audience_reviews = self.audience_reviews()
        if year is None:
            dated = page.movie["theatrical_release"] or page.movie["streaming_release"] or ""
            from_ld = str(self.ld.get("dateCreated") or self.ld.get("datePublished") or "")
            year = read_date(dated)[1] or read_date(from_ld)[1] or self.card_year()
            page.movie["year"] = year
            if year is None:
                self.warn("the page shows no year; imported without one")
        page.movie["slug"] = slug_for(title, year)
        if self.layout is None:
            self.warn(
                "its layout is none movie knows; read what its schema.org data and the "
                "markers of earlier layouts give"
            )
        page.layout = f"a Rotten Tomatoes page, {self.layout or 'unknown layout'}"
        return page

    def cast(self, page: MovieRecord) -> list[dict[str, Any]]:
        markup = self.markup_cast(page)
        ld = self.ld_cast()
        if ld is None and self.ld.get("@type") == "Movie" and not markup and self.ld.get("actors"):
            self.warn("the page has no real cast names anywhere; imported without cast")
        if ld is None or len(markup) > len(ld):
            base, other = markup, ld or []
        else:
            base, other = ld, markup
        characters = {fold(c["actor"]): c["character"] for c in other if c["character"]}
        for credit in base:
            if credit["character"] is None and fold(credit["actor"]) in characters:
                credit.update(_credit(credit["actor"], characters[fold(credit["actor"])]))
        return base

    def card_year(self) -> int | None:
        """2024 onward: "1982, Kids & Family/Sci-Fi, 1h 55m" under the title."""
        for prop in self.doc.by("slot", "metadataProp"):
            found = YEAR_FIRST.match(prop.text())
            if found:
                return int(found[1])
        return None


def _credit(actor: str, character: str | None) -> dict[str, Any]:
    character = character[3:].strip() if character and character.startswith("as ") else character
    return {
        "actor": actor,
        "character": character or None,
        "character_truncated": 1 if character and character.endswith(("...", "…")) else 0,
    }


def _merge_reviews(
    from_ld: list[dict[str, Any]], markup: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The schema.org reviews in their order, each completed from the same review in the markup
    (top critic, original score); then the markup's reviews that the data does not have."""
    by_quote = {fold(r["quote"]): r for r in markup}
    merged = []
    for review in from_ld:
        shown = by_quote.pop(fold(review["quote"]), None)
        if shown is not None:
            review = {k: v if v not in (None, 0) else shown[k] for k, v in review.items()}
        merged.append(review)
    return merged + list(by_quote.values())


def parse_html_page(data: bytes, name: str) -> MovieRecord:
    """Read a saved HTML page; MovieError if it is not a whole Rotten Tomatoes movie page.
    Fields in unexpected shapes become warnings."""
    warnings: list[str] = []
    text = decode_page(data, name, warnings)
    doc, closed = parse_html(text)
    reader = _Reader(doc, name, warnings)
    if not closed:
        raise MovieError(
            f"{name} is cut off before its end (no </html>): a truncated download? "
            "Save the page again"
        )
    reader.read_ld()
    path = reader.check_page()
    page = reader.read(path)
    page.warnings = warnings
    return page
