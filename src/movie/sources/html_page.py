"""Source: a Rotten Tomatoes movie page as a browser saves it (HTML), read into a movie record.

Rotten Tomatoes redesigns its pages every few years, and a scraper keyed on one layout's class
names breaks at each. This reader goes by what lasts longest: the schema.org data block
(`application/ld+json`) first, then the markers of every layout the site has used since 2015
(scorePanel, mop-ratings-wrap, score-board, media-scorecard), each field from the first place
that has it in a readable shape. A value in an unexpected shape is reported and left out; a
page that is not a Rotten Tomatoes movie page is refused whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from movie.dates import read_date
from movie.errors import MovieError
from movie.files import decode_page, wide_encoding
from movie.records import MovieRecord, byline, cast_credit, empty_movie, film_year
from movie.sources.html_tree import MAX_ELEMENTS, Document, TooManyElements, parse_html
from movie.sources.rt_markup import Markup
from movie.sources.schema_org import MovieData
from movie.text import fold, slug_for

# Each layout by the marker only it has, newest first: (kind of marker, value, name shown).
LAYOUTS = (
    ("tag", "media-scorecard", "2024 onward (media-scorecard)"),
    ("tag", "score-board-deprecated", "2022-2023 (score-board-deprecated)"),
    ("tag", "score-board", "2021 (score-board)"),
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
# "Birdman or (The Unexpected Virtue of Ignorance)": a parenthesis that is part of the title.
OR_BEFORE = re.compile(r"(?:\bor|[:,;-])$", re.IGNORECASE)
SITE_SUFFIX = re.compile(r"\s*[-|–]\s*Rotten Tomatoes$")


def _is_rt(host: str) -> bool:
    """rottentomatoes.com or one of its subdomains (not evil-rottentomatoes.com)."""
    host = host.lower().rstrip(".")
    return host == "rottentomatoes.com" or host.endswith(".rottentomatoes.com")


def is_html(data: bytes) -> bool:
    """Whether a page's bytes are HTML (as a browser saves it) rather than copied text."""
    wide = wide_encoding(data)
    if wide is not None:  # UTF-16 or UTF-32: looked at as text
        codec, mark = wide
        data = data[mark : mark + 16384].decode(codec, "ignore").encode("utf-8")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<!--", b"<meta")) and any(
        marker in head for marker in (b"<!doctype html", b"<html", b"<head")
    )


class _Reader:
    def __init__(self, doc: Document, name: str, warnings: list[str]) -> None:
        self.doc = doc
        self.name = name
        self.warnings = warnings
        self.markup = Markup(doc, self.warn)
        self.data = MovieData.find(doc, self.warn)
        self.layout = next(
            (shown for kind, value, shown in LAYOUTS if doc.by(kind, value)),
            None,
        )

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.name}: {message}")

    def refuse(self, why: str) -> MovieError:
        return MovieError(f"{self.name} is {why}, not a Rotten Tomatoes movie page")

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
        if self.data.url:
            yield self.data.url

    def check_page(self) -> str | None:
        """Refuses a page of another site or an RT page of another kind; returns the movie's
        path on the site (m/...) when the page says it."""
        path = None
        host = None
        for url in self.urls():
            match = SITE_URL.match(url.strip())
            if match and host is None:
                host = match[1].lower()
            if match and _is_rt(match[1]):
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
        if not on_rt or (path is None and host is not None):  # its own address says elsewhere
            raise self.refuse(f"a saved page of {host or site_name or 'another site'}")
        if path is not None:
            section = RT_PATH.match(path)
            if section is None or section[1] != "m":
                what = NOT_MOVIES.get(section[1]) if section else None
                raise self.refuse(what or f"a Rotten Tomatoes page of another kind ({path})")
            return f"m/{section[2]}" if section[2] else None
        if self.data.kind in LD_NOT_MOVIES:
            raise self.refuse(LD_NOT_MOVIES[str(self.data.kind)])
        if not self.data.is_movie and self.layout is None:
            raise self.refuse("a Rotten Tomatoes page with no movie on it")
        return None

    # ------------------------------------------------------------ the movie

    def title_and_year(self) -> tuple[str, int | None, str | None]:
        """The title, its year, and the other title the site gives it in parentheses: "12
        Angry Men (Twelve Angry Men) (1957)" is 12 Angry Men, also known as Twelve Angry Men."""
        title_element = self.doc.first("tag", "title")
        shown = SITE_SUFFIX.sub("", title_element.text()) if title_element is not None else ""
        heading = self.markup.text_of(
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
        title = self.data.title
        if title is None:
            for candidate in (heading or "", shown):
                base = YEAR_AT_END.match(candidate)
                candidate = base["title"] if base else candidate
                if candidate:
                    title = candidate
                    break
        if not title:
            raise self.refuse("a page with no movie title on it")
        other = ALTERNATE.match(title)
        if other and not OR_BEFORE.search(other["title"]):
            return other["title"], year, other["alternate"]
        return title, year, None

    def read(self, path: str | None) -> MovieRecord:
        """The markup's values, then the schema.org data's over them where they are real."""
        title, year, alternate = self.title_and_year()
        year = film_year(year, "its title", self.warn, "not used")
        page = MovieRecord(movie=empty_movie(title=title, year=year, rt_link=path))
        self.markup.info(page)
        self.markup.synopsis_and_consensus(page)
        self.markup.scores(page)
        self.markup.counts(page)
        self.data.fill(page)
        if page.movie["synopsis"] and not page.movie["synopsis_by"]:
            page.movie["synopsis"], page.movie["synopsis_by"] = byline(page.movie["synopsis"])
        if alternate:
            page.akas.append(alternate)
        page.cast = self.cast(page)
        page.critic_reviews = _merge_reviews(self.data.reviews(), self.markup.critic_reviews())
        page.audience_reviews = self.markup.audience_reviews()
        page.quotes = self.markup.quotes()
        if year is None:
            dated = page.movie["theatrical_release"] or page.movie["streaming_release"] or ""
            year = read_date(dated)[1] or self.data.year or self.markup.card_year()
            year = film_year(year, "its release date", self.warn)
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
        """The longer of the data's cast and the markup's, characters filled from the other."""
        markup = self.markup.cast(page)
        data = self.data.cast()
        named = self.data.data.get("actors") or self.data.data.get("actor")
        if data is None and self.data.is_movie and named and not markup:
            self.warn("the page has no real cast names anywhere; imported without cast")
        if data is None or len(markup) > len(data):
            base, other = markup, data or []
        else:
            base, other = data, markup
        characters = {fold(c["actor"]): c["character"] for c in other if c["character"]}
        for credit in base:
            if credit["character"] is None and fold(credit["actor"]) in characters:
                credit.update(cast_credit(credit["actor"], characters[fold(credit["actor"])]))
        return base


def _merge_reviews(
    from_data: list[dict[str, Any]], markup: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every review once: the schema.org reviews in their order, each taking what the markup
    shows of the same review (what the page shows wins: top critic, original score, critic,
    publication); then the markup's reviews the data does not have."""
    by_quote: dict[str | None, dict[str, Any] | None] = {fold(r["quote"]): r for r in markup}
    merged = []
    for review in from_data:
        key = fold(review["quote"])
        if key in by_quote and by_quote[key] is None:
            continue  # the data repeats a review
        shown = by_quote.pop(key, None)
        if shown is not None:
            review = {k: shown[k] if shown[k] not in (None, 0) else v for k, v in review.items()}
            by_quote[key] = None
        merged.append(review)
    return merged + [r for r in by_quote.values() if r is not None]


def parse_html_page(data: bytes, name: str) -> MovieRecord:
    """Read a saved HTML page; MovieError if it is not a whole Rotten Tomatoes movie page.
    Fields in unexpected shapes become warnings."""
    warnings: list[str] = []
    text = decode_page(data, name, warnings)
    try:
        doc, closed = parse_html(text)
    except TooManyElements:
        raise MovieError(
            f"{name} has more than {MAX_ELEMENTS:,} HTML elements (a saved movie page has some "
            "thousands): not a saved movie page"
        ) from None
    if not closed:
        raise MovieError(
            f"{name} is cut off before its end (no </html>): a truncated download? "
            "Save the page again"
        )
    reader = _Reader(doc, name, warnings)
    path = reader.check_page()
    page = reader.read(path)
    page.warnings = warnings
    page.strip_controls(name)
    return page
