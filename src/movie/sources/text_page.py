"""Source: a saved Rotten Tomatoes movie page as copied text, read into a movie record."""

from __future__ import annotations

import re
from typing import Any

from movie.dates import iso_date
from movie.errors import MovieError
from movie.files import decode_page
from movie.records import MovieRecord, byline, empty_movie, film_year
from movie.text import slug_for, whole_number

# Every pattern here runs in time linear in the line (a test feeds each pathological lines):
# no two adjacent parts can match the same characters, so nothing backtracks far.
HEADING = re.compile(r"^(?P<title>.+?) \((?P<year>[0-9]{4})\)(?: - Rotten Tomatoes)?$")
COUNTS = re.compile(r"^All Critics \(([0-9]+)\)(.*)$")
COUNT_PART = re.compile(r"^(Top Critics|Fresh|Rotten) \(([0-9]+)\)$")
SUBMITTED = re.compile(r"^[–—-] Submitted by (?P<who>.*?)(?: \((?P<age>[^()]*)\))?$")
QUOTE_LINE = re.compile(r"^(?P<character>[^:]{1,80}): (?P<line>.+)$")
LABELS = {
    "Rating": "rating",
    "Genre": "genres",
    "Directed By": "directors",
    "Written By": "writers",
    "In Theaters": "theatrical_release",
    "On DVD": "dvd_release",
    "Streaming": "streaming_release",
    "On Disc/Streaming": "dvd_release",
    "Runtime": "runtime_minutes",
    "Studio": "studio",
    "Box Office": None,
}
LABEL_LINE = re.compile(r"^(?P<label>" + "|".join(map(re.escape, LABELS)) + r"):\s*(?P<value>.*)$")
FOOTER = ("Discussion Forum", "Discuss ")


def _is_blank(line: str) -> bool:
    return not line.strip()


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if _is_blank(line):
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


class _Parser:
    def __init__(self, text: str, name: str, warnings: list[str]) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.lines = [line.rstrip() for line in text.split("\n")]
        self.name = name
        self.warnings = warnings
        self.cut = False

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.name}: {message}")

    # ------------------------------------------------------------ structure

    def heading(self) -> tuple[str, int, int]:
        """Title, year, and the index of the heading line."""
        for index, raw in enumerate(self.lines[:12]):
            line = raw.replace("\u00a0", " ").strip()
            match = HEADING.match(line)
            if match:
                return match["title"].strip(), int(match["year"]), index
        raise MovieError(
            f"{self.name} is not a saved Rotten Tomatoes movie page "
            "(no 'Title (Year)' heading near the top)"
        )

    def find(self, start: int, *prefixes: str) -> int | None:
        for index in range(start, len(self.lines)):
            if self.lines[index].strip().startswith(prefixes):
                return index
        return None

    def parse(self) -> MovieRecord:
        title, year, head = self.heading()
        lines = self.lines
        critics_at = self.find(head, f"Critic Reviews for {title}", "Critic Reviews for ")
        audience_at = self.find(head, f"Audience Reviews for {title}", "Audience Reviews for ")
        quotes_at = self.find(head, f"{title} Quotes")
        footer_at = self.find(head, *FOOTER)
        info_at = self.find(head, "Movie Info")
        markers = [i for i in (info_at, critics_at, audience_at, quotes_at, footer_at) if i]
        if not markers and not any(LABEL_LINE.match(line) for line in lines):
            raise MovieError(
                f"{self.name} is not a saved Rotten Tomatoes movie page "
                "(none of its sections: Movie Info, Critic Reviews, Audience Reviews, Quotes)"
            )
        self.cut = footer_at is None
        end = footer_at if footer_at is not None else len(lines)
        bounds = sorted({*markers, end})

        def until_next(start: int) -> int:
            return next((b for b in bounds if b > start), end)

        page = MovieRecord(movie=self.movie_row(title, film_year(year, "its title", self.warn)))
        self.consensus(page, head, until_next(head))
        if info_at is not None:
            cast_start = self.info(page, info_at, until_next(info_at))
            cast_end = until_next(info_at)
            self.cast(page, cast_start, cast_end, last=cast_end == len(lines))
        if critics_at is not None:
            self.critics(page, critics_at + 1, until_next(critics_at))
        if audience_at is not None:
            self.audience(page, audience_at + 1, until_next(audience_at))
        if quotes_at is not None:
            self.quotes(page, quotes_at + 1, until_next(quotes_at))
        if self.cut:
            missing = [
                name
                for name, at in (
                    ("critic reviews", critics_at),
                    ("audience reviews", audience_at),
                    ("quotes", quotes_at),
                )
                if at is None
            ]
            self.warn(
                "the page is cut off (no 'Discussion Forum' footer)"
                + (f"; it has no {', '.join(missing)}" if missing else "")
            )
        return page

    # ------------------------------------------------------------ sections

    def movie_row(self, title: str, year: int | None) -> dict[str, Any]:
        return empty_movie(slug=slug_for(title, year), title=title, year=year)

    def consensus(self, page: MovieRecord, start: int, end: int) -> None:
        for line in self.lines[start:end]:
            if line.startswith("Critic Consensus:"):
                text = line.split(":", 1)[1].strip()
                if text and text != "No consensus yet.":
                    page.movie["consensus"] = text

    def info(self, page: MovieRecord, start: int, end: int) -> int:
        """Movie Info: synopsis, labelled fields, studio. Returns the line where the cast starts."""
        index = start + 1
        while index < end and _is_blank(self.lines[index]):
            index += 1
        seen_label = False
        while index < end and not _is_blank(self.lines[index]):
            line = self.lines[index].strip()
            labelled = LABEL_LINE.match(line)
            if labelled:
                seen_label = True
                self.field(page, labelled["label"], labelled["value"].strip())
            elif not seen_label and page.movie["synopsis"] is None:
                self.synopsis(page, line)
            elif page.movie["studio"] is None:
                page.movie["studio"] = line
            else:
                self.warn(f"ignored an unexpected line in Movie Info: {line[:60]!r}")
            index += 1
        return index

    def synopsis(self, page: MovieRecord, line: str) -> None:
        if line.endswith("more"):
            page.movie["synopsis"] = line[: -len("more")].rstrip()
            return
        page.movie["synopsis"], page.movie["synopsis_by"] = byline(line)

    def field(self, page: MovieRecord, label: str, value: str) -> None:
        column = LABELS[label]
        if value and column is not None:
            problem = page.add_field(column, label, value)
            if problem:
                self.warn(problem)

    def cast(self, page: MovieRecord, start: int, end: int, last: bool) -> None:
        lines = [line.strip() for line in self.lines[start:end]]
        stop = next((i for i, line in enumerate(lines) if line.startswith("Show More Cast")), None)
        if stop is not None:
            lines = lines[:stop]
        else:
            lines = [line for line in lines if not line.startswith("News & Interviews for")]
        credits: list[dict[str, Any]] = []
        for line in lines:
            if not line or line == "Watch it now":
                continue
            if line.startswith("as ") and credits and credits[-1]["character"] is None:
                character = line[3:].strip()
                credits[-1]["character"] = character
                credits[-1]["character_truncated"] = 1 if character.endswith("...") else 0
            else:
                credits.append({"actor": line, "character": None, "character_truncated": 0})
        if self.cut and last and credits:
            dropped = credits.pop()
            self.warn(
                f"the page ends inside the cast; dropped the half-read credit {dropped['actor']!r}"
            )
        page.cast = credits

    def critics(self, page: MovieRecord, start: int, end: int) -> None:
        blocks = _blocks(self.lines[start:end])
        if blocks and COUNTS.match(blocks[0][0].strip()):
            self.counts(page, blocks.pop(0)[0].strip())
        reviews: list[dict[str, Any]] = []
        pending: list[str] = []
        for block in blocks:
            first = block[0].strip()
            if first.startswith("Full Review"):
                if not pending:
                    self.warn("a critic review's details came without its quote; skipped")
                    continue
                reviews.append(self.critic_review(" ".join(pending), block))
                pending = []
            else:
                pending.extend(line.strip() for line in block)
        if pending:
            self.dropped("critic review", " ".join(pending))
        elif self.cut and end == len(self.lines) and reviews:
            self.dropped("critic review", reviews.pop()["quote"])
        page.critic_reviews = reviews

    def counts(self, page: MovieRecord, line: str) -> None:
        match = COUNTS.match(line)
        assert match is not None
        page.movie["critic_count"] = self.count("All Critics", match[1])
        columns = {
            "Top Critics": "top_critic_count",
            "Fresh": "fresh_count",
            "Rotten": "rotten_count",
        }
        for part in filter(None, (p.strip() for p in match[2].split("|"))):
            counted = COUNT_PART.match(part)
            if counted:
                page.movie[columns[counted[1]]] = self.count(counted[1], counted[2])
            else:
                self.warn(f"unknown critic count {part!r}; ignored")

    def count(self, label: str, digits: str) -> int | None:
        number = whole_number(digits)
        if number is None:
            self.warn(f"{label} count {digits[:30]!r} is too large to be a count; left out")
        return number

    def critic_review(self, quote: str, block: list[str]) -> dict[str, Any]:
        review: dict[str, Any] = {
            "critic": None,
            "publication": None,
            "top_critic": 0,
            "verdict": None,
            "score": None,
            "review_date": None,
            "quote": quote,
        }
        for part in (p.strip() for p in block[0].split("|")[1:]):
            if part.startswith("Original Score:"):
                review["score"] = part.split(":", 1)[1].strip() or None
            elif part:
                review["review_date"] = iso_date(part) or part
                if iso_date(part) is None:
                    self.warn(f"critic review date {part!r} is not a date; kept as text")
        names = []
        for line in (line.strip() for line in block[1:]):
            if line == "Top Critic":
                review["top_critic"] = 1
            elif line.lower() in ("fresh", "rotten"):
                review["verdict"] = line.lower()
            else:
                names.append(line)
        if len(names) == 1:
            review["publication"] = names[0]
        elif len(names) >= 2:
            review["critic"], review["publication"] = names[0], " ".join(names[1:])
        return review

    def audience(self, page: MovieRecord, start: int, end: int) -> None:
        blocks = _blocks(self.lines[start:end])
        reviews: list[dict[str, Any]] = []
        paragraphs: list[str] = []
        index = 0
        while index < len(blocks):
            block = [line.strip() for line in blocks[index]]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            super_next = following is not None and following[0].strip() == "Super Reviewer"
            if block == ["Super Reviewer"]:
                index += 1
                continue
            if paragraphs and (super_next or self.looks_like_name(block)):
                reviews.append(
                    {
                        "reviewer": block[0],
                        "super_reviewer": 1 if super_next else 0,
                        "text": "\n\n".join(paragraphs),
                    }
                )
                paragraphs = []
                index += 2 if super_next else 1
                continue
            paragraphs.append("\n".join(block))
            index += 1
        if paragraphs:
            self.dropped("audience review", paragraphs[0])
        elif self.cut and end == len(self.lines) and reviews:
            self.dropped("audience review", reviews.pop()["text"])
        page.audience_reviews = reviews

    @staticmethod
    def looks_like_name(block: list[str]) -> bool:
        """A reviewer's name: one short line (or the same line twice), not a sentence."""
        if len(block) == 2 and block[0] == block[1]:
            return True
        line = block[0]
        return len(block) == 1 and len(line) <= 40 and not line.endswith((".", "!", "?", '"', "'"))

    def quotes(self, page: MovieRecord, start: int, end: int) -> None:
        quotes: list[dict[str, Any]] = []
        pending: list[str] = []
        for line in (line.strip() for line in self.lines[start:end]):
            if not line:
                continue
            submitted = SUBMITTED.match(line)
            if submitted:
                if not pending:
                    self.warn("a quote's 'Submitted by' line came without the quote; skipped")
                    continue
                said = QUOTE_LINE.match(pending[0])
                character, first = (said["character"], said["line"]) if said else (None, pending[0])
                quotes.append(
                    {
                        "character": character,
                        "line": "\n".join([first, *pending[1:]]),
                        "submitted_by": submitted["who"] or None,
                        "submitted_age": submitted["age"],
                    }
                )
                pending = []
            else:
                pending.append(line)
        if pending:
            self.dropped("quote", pending[0])
        elif self.cut and end == len(self.lines) and quotes and quotes[-1]["submitted_age"] is None:
            # Its 'Submitted by NAME (AGE)' line lost its end: the name may be cut short too.
            self.dropped("quote", quotes.pop()["line"])
        page.quotes = quotes

    def dropped(self, kind: str, text: str) -> None:
        self.warn(f"dropped a half-read {kind} ({text[:50]!r}...)")


def parse_page(data: bytes, name: str) -> MovieRecord:
    """Parse a saved page; MovieError if it is not a movie page. Odd fields become warnings."""
    warnings: list[str] = []
    text = decode_page(data, name, warnings)
    if not text.strip():
        raise MovieError(f"{name} is empty, not a saved movie page")
    parser = _Parser(text, name, warnings)
    page = parser.parse()
    page.warnings = warnings
    page.strip_controls(name)
    return page
