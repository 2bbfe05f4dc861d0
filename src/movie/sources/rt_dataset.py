"""Source: the public "Rotten Tomatoes movies and critic reviews" dataset (two Kaggle CSVs)."""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from movie.dates import read_date
from movie.errors import MovieError
from movie.files import open_regular
from movie.records import MovieRecord, Report, empty_movie
from movie.text import INT_MAX, whole_number

MOVIES_FILE = "rotten_tomatoes_movies.csv"
REVIEWS_FILE = "rotten_tomatoes_critic_reviews.csv"
MOVIE_COLUMNS = (
    "rotten_tomatoes_link", "movie_title", "movie_info", "critics_consensus", "content_rating",
    "genres", "directors", "authors", "actors", "original_release_date",
    "streaming_release_date", "runtime", "production_company", "tomatometer_status",
    "tomatometer_rating", "tomatometer_count", "audience_status", "audience_rating",
    "audience_count", "tomatometer_top_critics_count", "tomatometer_fresh_critics_count",
    "tomatometer_rotten_critics_count",
)  # fmt: skip
REVIEW_COLUMNS = (
    "rotten_tomatoes_link", "critic_name", "top_critic", "publisher_name", "review_type",
    "review_score", "review_date", "review_content",
)  # fmt: skip
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# "3.5/4", "8/10", "4", "B+", "A-": the shapes critics' original scores come in.
SCORE = re.compile(r"^(?:\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?|[A-F][+-]?)$")
FLAGS = {"true": 1, "false": 0, "1": 1, "0": 0, "": 0}


def _open_csv(
    path: Path, expected: tuple[str, ...]
) -> tuple[Any, Iterator[list[str]], dict[str, int]]:
    import io

    if not path.exists() and not path.is_symlink():
        raise MovieError(
            f"{path}: no such file (a dataset folder holds {MOVIES_FILE} and {REVIEWS_FILE})"
        )
    binary = open_regular(path, "a CSV file of the dataset")
    handle = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, strict=True)
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in expected if name not in header]
    if missing:
        handle.close()
        raise MovieError(f"{path}: missing column(s) {', '.join(missing)}")
    return handle, reader, {name: header.index(name) for name in expected}


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def _number(value: str, report: Report) -> int | None:
    if not value:
        return None
    number = whole_number(value)
    if number is None:
        try:
            real = float(value)  # the dataset writes some counts as "123.0"
        except ValueError:
            real = math.nan
        number = int(real) if math.isfinite(real) and abs(real) < INT_MAX else None
    if number is None:
        report.note("odd_numbers", value)
    return number


def _date(value: str, report: Report) -> tuple[str | None, int | None]:
    """An ISO date and its year; a date that cannot be read is kept as text and reported."""
    if not value:
        return None, None
    iso, year = read_date(value)
    if iso is None:
        if year is None:
            report.note("odd_dates", value)
        return value, year
    return iso, year


def reviews_size(directory: Path) -> int:
    """The size of the review file (which decides a bulk import); MovieError if the folder or
    the file is not there, or not a regular file."""
    if not directory.is_dir():
        raise MovieError(f"{directory} is not a directory (it should hold the dataset's two CSVs)")
    path = directory / REVIEWS_FILE
    if not path.exists() and not path.is_symlink():
        raise MovieError(f"{path}: no such file")
    with open_regular(path, "the dataset's critic reviews file") as handle:
        return os.fstat(handle.fileno()).st_size


def read_movies(directory: Path, report: Report) -> Iterator[MovieRecord]:
    """One record a movie: its row (no slug yet: the writer gives it one), genres, directors,
    writers and cast (names only: the dataset has no characters)."""
    path = directory / MOVIES_FILE
    handle, reader, at = _open_csv(path, MOVIE_COLUMNS)
    with handle:
        try:
            for values in reader:
                if len(values) < len(at):
                    raise MovieError(f"{path}, line {reader.line_num}: too few fields")  # type: ignore[attr-defined]
                get = {name: values[i].strip() for name, i in at.items()}
                released, released_year = _date(get["original_release_date"], report)
                streaming, streaming_year = _date(get["streaming_release_date"], report)
                year = released_year or streaming_year
                movie = empty_movie(
                    rt_link=get["rotten_tomatoes_link"],
                    title=get["movie_title"],
                    year=year if year is None or 1870 <= year <= 2200 else None,
                    consensus=get["critics_consensus"] or None,
                    synopsis=get["movie_info"] or None,
                    rating=get["content_rating"] or None,
                    theatrical_release=released,
                    streaming_release=streaming,
                    studio=get["production_company"] or None,
                    runtime_minutes=_number(get["runtime"], report),
                    tomatometer_status=get["tomatometer_status"] or None,
                    tomatometer=_number(get["tomatometer_rating"], report),
                    critic_count=_number(get["tomatometer_count"], report),
                    audience_status=get["audience_status"] or None,
                    audience_score=_number(get["audience_rating"], report),
                    audience_count=_number(get["audience_count"], report),
                    top_critic_count=_number(get["tomatometer_top_critics_count"], report),
                    fresh_count=_number(get["tomatometer_fresh_critics_count"], report),
                    rotten_count=_number(get["tomatometer_rotten_critics_count"], report),
                )
                yield MovieRecord(
                    movie=movie,
                    genres=_names(get["genres"]),
                    directors=_names(get["directors"]),
                    writers=_names(get["authors"]),
                    cast=[
                        {"actor": name, "character": None, "character_truncated": 0}
                        for name in _names(get["actors"])
                    ],
                )
        except UnicodeDecodeError as exc:
            raise MovieError(f"{path} is not UTF-8 ({exc.reason})") from exc
        except csv.Error as exc:
            raise MovieError(f"{path}, line {reader.line_num}: not valid CSV: {exc}") from exc  # type: ignore[attr-defined]


def read_reviews(directory: Path, report: Report) -> Iterator[tuple[Any, ...]]:
    """(link, critic, publication, top_critic, verdict, score, date, quote) a review."""
    path = directory / REVIEWS_FILE
    handle, reader, at = _open_csv(path, REVIEW_COLUMNS)
    link_at, critic_at, top_at, publisher_at, type_at, score_at, date_at, content_at = (
        at[name] for name in REVIEW_COLUMNS
    )
    width = max(at.values()) + 1
    score_shape = SCORE.match
    date_shape = ISO_DATE.match
    with handle:
        try:
            for values in reader:
                if len(values) < width:
                    if not values:
                        continue
                    raise MovieError(f"{path}, line {reader.line_num}: too few fields")  # type: ignore[attr-defined]
                score = values[score_at]
                if score and not score_shape(score):
                    report.note("odd_scores", score)
                date = values[date_at]
                if date and not date_shape(date):
                    date = _date(date, report)[0] or date
                verdict = values[type_at].lower()
                yield (
                    values[link_at],
                    values[critic_at] or None,
                    values[publisher_at] or None,
                    FLAGS.get(values[top_at].lower(), 0),
                    verdict if verdict in ("fresh", "rotten") else None,
                    score or None,
                    date or None,
                    values[content_at] or None,
                )
        except UnicodeDecodeError as exc:
            raise MovieError(f"{path} is not UTF-8 ({exc.reason})") from exc
        except csv.Error as exc:
            raise MovieError(f"{path}, line {reader.line_num}: not valid CSV: {exc}") from exc  # type: ignore[attr-defined]
