"""What sources yield and what the writer reports: a movie with its rows, and a report.

A leaf of the sources package: imports only movie.tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from movie.tables import MOVIES


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
    cast: list[dict[str, Any]] = field(default_factory=list)
    critic_reviews: list[dict[str, Any]] = field(default_factory=list)
    audience_reviews: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return str(self.movie["slug"])

    @property
    def label(self) -> str:
        year = self.movie["year"]
        return f"{self.movie['title']} ({year})" if year is not None else str(self.movie["title"])

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Rows for each child table in public columns, without the movie: position from 1."""

        def numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{"position": n, **item} for n, item in enumerate(items, 1)]

        def crew(names: list[str], role: str) -> list[dict[str, Any]]:
            return [{"role": role, "position": n, "name": name} for n, name in enumerate(names, 1)]

        return {
            "genres": [{"position": n, "genre": g} for n, g in enumerate(self.genres, 1)],
            "crew": crew(self.directors, "director") + crew(self.writers, "writer"),
            "cast_credits": numbered(self.cast),
            "critic_reviews": numbered(self.critic_reviews),
            "audience_reviews": numbered(self.audience_reviews),
            "quotes": numbered(self.quotes),
        }

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
