"""What sources yield and what the writer reports: a movie with its rows, and a report.

A leaf of the sources package: imports only leaves (tables, dates, text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from movie.dates import iso_date
from movie.tables import MOVIES
from movie.text import whole_number, without_controls
from movie.vocabulary import YEARS

# A page's labelled values, the same on every layout of every page. Each runs in linear time.
RUNTIME = re.compile(r"^(?:(?P<h>[0-9]+) ?hr?s?\.?)? ?(?:(?P<m>[0-9]+) ?m(?:in(?:ute)?s?)?\.?)?$")
RATING = re.compile(r"^(?P<rating>[A-Za-z0-9-]+)(?: \((?P<reason>.*)\))?$")


# The years the catalog takes (schema.sql's CHECK): a page's "(0000)" or "(9999)" is no year.


def film_year(
    year: int | None, where: str, warn: Callable[[str], None], then: str = "imported without one"
) -> int | None:
    """A page's year, or None (said through warn) where it cannot be a film's."""
    if year is not None and year not in YEARS:
        warn(f"{where} gives the year {year:04d}, which no film has; {then}")
        return None
    return year


def cast_credit(actor: str, character: str | None) -> dict[str, Any]:
    """A cast credit as pages give it: "as Elliott" is Elliott; "Juror No. 3, the fa..." is
    flagged as cut short."""
    character = character[3:].strip() if character and character.startswith("as ") else character
    return {
        "actor": actor,
        "character": character or None,
        "character_truncated": 1 if character and character.endswith(("...", "…")) else 0,
    }


def byline(text: str) -> tuple[str, str | None]:
    """A synopsis and its author: "... their lives. ~ Hal Erickson, Rovi" is the text and
    "Hal Erickson, Rovi". Split at the last "~" (a regex for this backtracked quadratically over
    long runs of spaces); a short author only, so that a "~" inside the text is left alone."""
    before, tilde, by = text.rpartition("~")
    if tilde and by.strip() and before.strip() and len(by.strip()) <= 80:
        return before.rstrip(), by.strip()
    return text, None


def names(value: str) -> list[str]:
    """A comma-separated list of names, as pages show directors, writers and genres."""
    return [name.strip() for name in value.split(",") if name.strip()]


def empty_movie(**values: Any) -> dict[str, Any]:
    """A movie row with every public column present (None where the source says nothing)."""
    row: dict[str, Any] = dict.fromkeys(MOVIES.columns)
    row.update(values)
    return row


@dataclass
class MovieRecord:
    """One movie as a source gives it: the movie row (public columns), its lists in source
    order, and what was odd about it."""

    movie: dict[str, Any]
    genres: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    # The rest of the crew a page lists, in its order: {"role", "name", "job"} ("producer",
    # "David Heyman", "Producer").
    crew: list[dict[str, Any]] = field(default_factory=list)
    cast: list[dict[str, Any]] = field(default_factory=list)
    critic_reviews: list[dict[str, Any]] = field(default_factory=list)
    audience_reviews: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    akas: list[str] = field(default_factory=list)  # other titles the page gives the film
    warnings: list[str] = field(default_factory=list)
    layout: str | None = None  # what kind of page it was read from, for the terminal's summary

    @property
    def slug(self) -> str:
        return str(self.movie["slug"])

    @property
    def label(self) -> str:
        year = self.movie["year"]
        return f"{self.movie['title']} ({year})" if year is not None else str(self.movie["title"])

    def add_field(self, column: str, label: str, value: str) -> str | None:
        """A labelled value from a page ("Runtime", "1 hr. 51 min.") into its column or list;
        returns what was wrong with it, if anything (the value is then kept as text or left
        out, as the message says)."""
        if column in ("genres", "directors", "writers"):
            getattr(self, column).extend(names(value))
        elif column == "rating":
            rating = RATING.match(value)
            if rating:
                self.movie["rating"] = rating["rating"]
                self.movie["rating_reason"] = rating["reason"]
            else:
                self.movie["rating"] = value
                return f"{label} {value!r} is not like 'R (reason)'; kept as text"
        elif column.endswith("_release"):
            date = iso_date(value)  # "Jun 11, 1982 original" reads as 1982-06-11
            self.movie[column] = date or value
            if date is None:
                return f"{label} {value!r} is not a date like 'Feb 24, 1998'; kept as text"
        elif column == "runtime_minutes":
            runtime = RUNTIME.match(value)
            hours = whole_number(runtime["h"] or "0") if runtime else None
            minutes = whole_number(runtime["m"] or "0") if runtime else None
            total = None if hours is None or minutes is None else hours * 60 + minutes
            if runtime and (runtime["h"] or runtime["m"]) and total is not None:
                self.movie[column] = whole_number(str(total))
            if self.movie[column] is None:
                return f"{label} {value!r} is not like '1 hr. 51 min.'; left out"
        else:
            self.movie[column] = value
        return None

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Rows for each child table in public columns, without the movie: position from 1."""

        def numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"position": n, **item} for n, item in enumerate(items, 1)]

        def crew(names: list[str], role: str) -> list[dict[str, Any]]:
            return [{"role": role, "position": n, "name": name} for n, name in enumerate(names, 1)]

        others: list[dict[str, Any]] = []
        placed: dict[str, int] = {}
        for member in self.crew:
            placed[member["role"]] = placed.get(member["role"], 0) + 1
            others.append({"position": placed[member["role"]], **member})
        return {
            "genres": [{"position": n, "genre": g} for n, g in enumerate(self.genres, 1)],
            "crew": crew(self.directors, "director") + crew(self.writers, "writer") + others,
            "cast_credits": numbered(self.cast),
            "critic_reviews": numbered(self.critic_reviews),
            "audience_reviews": numbered(self.audience_reviews),
            "quotes": numbered(self.quotes),
        }

    def strip_controls(self, name: str) -> None:
        """Titles and names without control characters (a page's data may carry ESC, BEL or
        bidi overrides); a warning says how many were removed."""
        removed = 0

        def clean(value: Any) -> Any:
            nonlocal removed
            if not isinstance(value, str):
                return value
            text, count = without_controls(value)
            removed += count
            return text

        for column in ("title", "studio", "rating"):
            self.movie[column] = clean(self.movie[column])
        self.directors = [clean(n) for n in self.directors]
        self.writers = [clean(n) for n in self.writers]
        self.genres = [clean(g) for g in self.genres]
        self.akas = [clean(t) for t in self.akas]
        for entries, keys in (
            (self.crew, ("name", "job")),
            (self.cast, ("actor", "character")),
            (self.critic_reviews, ("critic", "publication")),
            (self.audience_reviews, ("reviewer",)),
            (self.quotes, ("character",)),
        ):
            for entry in entries:
                for key in keys:
                    entry[key] = clean(entry.get(key))
        if removed:
            self.warnings.append(
                f"{name}: removed {removed} control characters (escapes, bidi overrides) from "
                "titles and names"
            )

    def summary(self) -> str:
        return (
            f"{len(self.cast)} cast, {len(self.critic_reviews)} critic reviews, "
            f"{len(self.audience_reviews)} audience reviews, {len(self.quotes)} quotes"
        )


# What a source passed over, by kind: the words a report uses for each.
PROBLEMS = {
    "missing_movie": "reviews of a movie not in the movies file (skipped)",
    "duplicates": "duplicate reviews (skipped)",
    "odd_dates": "dates that could not be read (kept as text)",
    "odd_scores": "scores in no known shape (kept as text)",
    "odd_numbers": "numbers that could not be read (left empty)",
    "bad_rows": "lines with the wrong number of fields (skipped)",
    "bad_text": "lines that are not UTF-8 (read with \ufffd in place of the bad bytes)",
    "bad_ids": "ids that are not IMDb ids (skipped)",
    "missing_title": "rows of titles that are not in title.basics (skipped)",
    "missing_person": "people credited but not in name.basics (kept, shown by their id)",
    "bad_characters": "character lists that are not JSON arrays (kept as text)",
    "duplicate_rows": "duplicate rows (skipped)",
    "lost_objects": "of your own views, triggers or indexes no longer work (left out)",
    "repeated_titles": "titles given twice in title.basics (the last line kept)",
    "nameless_titles": "titles with no primary title (named by their original title or id)",
    "unsorted": (
        "files with rows out of title order (placed after the titles; --min-votes sees only "
        "the votes that came in order)"
    ),
}


@dataclass
class Report:
    """What one load or import did, the same for every source: rows written per table, movies
    touched, and what was passed over (counted, with a first example)."""

    rows: dict[str, int] = field(default_factory=dict)
    movies: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    def wrote(self, table: str, rows: int = 1) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows

    def note(self, kind: str, example: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.examples.setdefault(kind, example)

    def add_notes(self, counts: dict[str, int], examples: dict[str, str]) -> None:
        """What another part of the same import passed over (a second process's report)."""
        for kind, count in counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + count
            self.examples.setdefault(kind, examples[kind])

    def problems(self) -> list[str]:
        return [
            f"{self.counts[kind]:,} {label}, e.g. {self.examples[kind]!r}"
            for kind, label in PROBLEMS.items()
            if self.counts.get(kind)
        ]

    def describe(self) -> str:
        parts = [
            f"{count} {table.replace('_', ' ')}" for table, count in self.rows.items() if count
        ]
        return ", ".join(parts) if parts else "nothing"
