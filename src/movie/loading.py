"""Writing to the catalog: loading directories of CSV files, one transaction per load."""

from __future__ import annotations

import collections
import csv
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from movie.db import create_schema, write_transaction
from movie.errors import MovieError
from movie.files import open_regular
from movie.text import fold, whole_number

if TYPE_CHECKING:
    from movie.datasets import DatasetReport
    from movie.pages import Page


@dataclass(frozen=True)
class CsvTable:
    """One CSV file of a catalog directory and the table it fills."""

    file: str
    table: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    integers: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()


MOVIES = CsvTable(
    file="movies.csv",
    table="movies",
    columns=(
        "slug",
        "title",
        "year",
        "consensus",
        "synopsis",
        "synopsis_by",
        "rating",
        "rating_reason",
        "theatrical_release",
        "dvd_release",
        "streaming_release",
        "studio",
        "runtime_minutes",
        "critic_count",
        "top_critic_count",
        "fresh_count",
        "rotten_count",
        "tomatometer",
        "tomatometer_status",
        "audience_score",
        "audience_status",
        "audience_count",
        "rt_link",
    ),
    key=("slug",),
    integers=frozenset(
        {
            "year",
            "runtime_minutes",
            "critic_count",
            "top_critic_count",
            "fresh_count",
            "rotten_count",
            "tomatometer",
            "audience_score",
            "audience_count",
        }
    ),
    required=frozenset({"slug", "title"}),
)

# Movies first: every other file refers to them.
TABLES: tuple[CsvTable, ...] = (
    MOVIES,
    CsvTable(
        file="genres.csv",
        table="genres",
        columns=("movie", "position", "genre"),
        key=("movie", "position"),
        integers=frozenset({"position"}),
        required=frozenset({"movie", "position", "genre"}),
    ),
    CsvTable(
        file="crew.csv",
        table="crew",
        columns=("movie", "role", "position", "name"),
        key=("movie", "role", "position"),
        integers=frozenset({"position"}),
        required=frozenset({"movie", "role", "position", "name"}),
    ),
    CsvTable(
        file="cast.csv",
        table="cast_credits",
        columns=("movie", "position", "actor", "character", "character_truncated"),
        key=("movie", "position"),
        integers=frozenset({"position"}),
        flags=frozenset({"character_truncated"}),
        required=frozenset({"movie", "position", "actor"}),
    ),
    CsvTable(
        file="critic_reviews.csv",
        table="critic_reviews",
        columns=(
            "movie",
            "position",
            "critic",
            "publication",
            "top_critic",
            "verdict",
            "score",
            "review_date",
            "quote",
        ),
        key=("movie", "position"),
        integers=frozenset({"position"}),
        flags=frozenset({"top_critic"}),
        required=frozenset({"movie", "position"}),
    ),
    CsvTable(
        file="audience_reviews.csv",
        table="audience_reviews",
        columns=("movie", "position", "reviewer", "super_reviewer", "text"),
        key=("movie", "position"),
        integers=frozenset({"position"}),
        flags=frozenset({"super_reviewer"}),
        required=frozenset({"movie", "position", "text"}),
    ),
    CsvTable(
        file="quotes.csv",
        table="quotes",
        columns=("movie", "position", "character", "line", "submitted_by", "submitted_age"),
        key=("movie", "position"),
        integers=frozenset({"position"}),
        required=frozenset({"movie", "position", "line"}),
    ),
)

FLAG_VALUES = {"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


@dataclass
class LoadSummary:
    """What one load wrote, table by table."""

    rows: dict[str, int] = field(default_factory=dict)
    movies: set[str] = field(default_factory=set)
    known: set[str] = field(default_factory=set)  # movies rows may refer to

    def describe(self) -> str:
        parts = [
            f"{count} {table.replace('_', ' ')}" for table, count in self.rows.items() if count
        ]
        return ", ".join(parts) if parts else "nothing"


def _convert(spec: CsvTable, path: Path, line: int, name: str, raw: str) -> Any:
    if raw == "":
        if name in spec.required:
            raise MovieError(f"{path}, line {line}: {name} is empty; it is required")
        return None
    if name in spec.integers:
        number = whole_number(raw)
        if number is None:
            raise MovieError(
                f"{path}, line {line}: {name} {raw[:40]!r} is not a whole number "
                "(ASCII digits, at most 19 of them)"
            )
        return number
    if name in spec.flags:
        flag = FLAG_VALUES.get(raw.strip().lower())
        if flag is None:
            raise MovieError(f"{path}, line {line}: {name} {raw!r} is not 1 or 0")
        return flag
    return raw


def read_csv(spec: CsvTable, path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one CSV file, checked and converted; a MovieError names the first bad one."""
    import io

    handle = io.TextIOWrapper(
        open_regular(path, f"a {spec.file} file"), encoding="utf-8-sig", newline=""
    )
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header or header == [""] * len(header):
                raise MovieError(
                    f"{path} is empty; it needs a header row: {','.join(spec.columns)}"
                )
            header = [name.strip() for name in header]
            repeated = sorted(c for c, n in collections.Counter(header).items() if n > 1)
            if repeated:
                raise MovieError(
                    f"{path}, line 1: column(s) {', '.join(repeated)} appear more than once"
                )
            missing = [c for c in spec.columns if c not in header]
            unknown = [c for c in header if c not in spec.columns]
            if missing or unknown:
                problems = []
                if missing:
                    problems.append(f"missing column(s) {', '.join(missing)}")
                if unknown:
                    problems.append(f"unknown column(s) {', '.join(unknown)}")
                raise MovieError(
                    f"{path}: {'; '.join(problems)} (expected: {','.join(spec.columns)})"
                )
            for values in reader:
                line = reader.line_num
                if not values:
                    continue
                if len(values) != len(header):
                    raise MovieError(
                        f"{path}, line {line}: {len(values)} fields, the header has {len(header)}"
                    )
                yield {
                    name: _convert(spec, path, line, name, raw)
                    for name, raw in zip(header, values, strict=True)
                }
        except UnicodeDecodeError as exc:
            raise MovieError(
                f"{path} is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
                f"{exc.start}); save it as UTF-8 and load it again"
            ) from exc
        except csv.Error as exc:
            raise MovieError(f"{path}, line {reader.line_num}: not valid CSV: {exc}") from exc


def _known_movie(conn: sqlite3.Connection, slug: str, known: set[str]) -> bool:
    """Whether a row's movie exists: loaded just now, or already in the catalog (remembered,
    so a file of many rows costs one lookup per movie, not one per row)."""
    if slug in known:
        return True
    if conn.execute("SELECT 1 FROM movies WHERE slug = ?", (slug,)).fetchone() is None:
        return False
    known.add(slug)
    return True


def _checked_rows(
    conn: sqlite3.Connection, spec: CsvTable, path: Path, summary: LoadSummary
) -> Iterator[dict[str, Any]]:
    for row in read_csv(spec, path):
        if spec is MOVIES:
            row["title_key"] = fold(row["title"])
            summary.movies.add(row["slug"])
            summary.known.add(row["slug"])
        elif not _known_movie(conn, row["movie"], summary.known):
            raise MovieError(
                f"{path}: movie {row['movie']!r} is neither in movies.csv nor in the catalog"
            )
        summary.rows[spec.table] = summary.rows.get(spec.table, 0) + 1
        yield row


def load_directories(conn: sqlite3.Connection, directories: Sequence[Path]) -> LoadSummary:
    """Upsert every CSV of each directory, all in one transaction: all of it lands, or none."""
    import sqlite_utils

    for directory in directories:
        if not directory.is_dir():
            raise MovieError(f"{directory} is not a directory of CSV files")
        if not any((directory / spec.file).exists() for spec in TABLES):
            names = ", ".join(spec.file for spec in TABLES)
            raise MovieError(f"{directory} holds none of the catalog's CSV files ({names})")
    summary = LoadSummary()
    database = sqlite_utils.Database(conn)
    try:
        with write_transaction(conn), database.atomic():
            for directory in directories:
                for spec in TABLES:
                    path = directory / spec.file
                    if path.exists():
                        database.table(spec.table).upsert_all(
                            _checked_rows(conn, spec, path, summary), pk=spec.key
                        )
    except sqlite3.IntegrityError as exc:
        raise MovieError(
            f"the load broke a rule of the catalog ({exc}); nothing was loaded"
        ) from exc
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise MovieError(
                "the catalog is read-only; nothing was loaded (make the file writable, "
                "or load into another one with --db)"
            ) from exc
        raise
    return summary


CHILD_TABLES = tuple(spec.table for spec in TABLES if spec is not MOVIES)


def import_page(conn: sqlite3.Connection, page: Page) -> None:
    """Write one parsed page as one movie, in one transaction, replacing what the catalog had."""
    import sqlite_utils

    database = sqlite_utils.Database(conn)
    rows = page.rows()
    movie = {**page.movie, "title_key": fold(page.movie["title"])}
    try:
        with write_transaction(conn), database.atomic():
            database.table("movies").upsert(movie, pk="slug")
            for table in CHILD_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE movie = ?", (page.slug,))
                if rows[table]:
                    database.table(table).insert_all(rows[table])
    except sqlite3.IntegrityError as exc:
        raise MovieError(
            f"{page.label} breaks a rule of the catalog ({exc}); not imported"
        ) from exc
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc):
            raise MovieError("the catalog is read-only; nothing was imported") from exc
        raise


# Above this size of review file, indexes and full-text triggers on critic_reviews are dropped
# for the import and rebuilt once at the end: much faster than keeping them up row by row.
BULK_BYTES = 8_000_000
MOVIE_FIELDS = (
    "consensus", "synopsis", "rating", "theatrical_release", "streaming_release", "studio",
    "runtime_minutes", "tomatometer_status", "tomatometer", "critic_count", "audience_status",
    "audience_score", "audience_count", "top_critic_count", "fresh_count", "rotten_count",
)  # fmt: skip


def _claim_slugs(conn: sqlite3.Connection, movies: list[dict[str, Any]]) -> dict[str, str]:
    """Each dataset movie's slug: the one it already has (same link), the one of the same film
    imported from a page (same title and year, no link yet), or a new one made unique."""
    from movie.pages import slug_for

    owner = dict(conn.execute("SELECT slug, rt_link FROM movies"))
    by_link = {link: slug for slug, link in owner.items() if link}
    slugs: dict[str, str] = {}
    for movie in movies:
        link = movie["rt_link"]
        if link in slugs:
            continue
        slug = by_link.get(link)
        if slug is None:
            slug = slug_for(movie["title"], movie["year"])
            if slug in owner and owner[slug] is not None:
                tail = re.sub(r"[^a-z0-9]+", "-", link.lower()).strip("-")
                slug = f"{slug}-{tail.removeprefix('m-')}"
            owner[slug] = link
        slugs[link] = slug
    return slugs


def _movie_sql() -> str:
    columns = ["slug", "title", "year", "title_key", "rt_link", *MOVIE_FIELDS]
    updates = ", ".join(f"{c} = coalesce(excluded.{c}, movies.{c})" for c in MOVIE_FIELDS)
    return (
        f"INSERT INTO movies ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (slug) DO UPDATE SET title = excluded.title, year = excluded.year, "
        f"title_key = excluded.title_key, rt_link = excluded.rt_link, {updates}"
    )


def _add_missing_lists(
    conn: sqlite3.Connection,
    movies: list[dict[str, Any]],
    slugs: dict[str, str],
    report: DatasetReport,
) -> None:
    """Genres, directors, writers and cast, for movies that have none yet (a page's richer
    credits, with characters, are never replaced by the dataset's bare names)."""
    have = {
        table: {row[0] for row in conn.execute(f"SELECT DISTINCT movie FROM {table}")}
        for table in ("genres", "crew", "cast_credits")
    }
    genres, crew, cast = [], [], []
    for movie in movies:
        slug = slugs[movie["rt_link"]]
        if slug not in have["genres"]:
            genres += [(slug, n, g) for n, g in enumerate(movie["genres"], 1)]
        if slug not in have["crew"]:
            crew += [(slug, "director", n, d) for n, d in enumerate(movie["directors"], 1)]
            crew += [(slug, "writer", n, w) for n, w in enumerate(movie["writers"], 1)]
        if slug not in have["cast_credits"]:
            cast += [(slug, n, a) for n, a in enumerate(movie["cast"], 1)]
        elif movie["cast"]:
            report.kept_cast += 1
        have["genres"].add(slug)
        have["crew"].add(slug)
        have["cast_credits"].add(slug)
    # Sorted on the key, rows land in index order: far fewer page writes than in file order.
    genres.sort()
    crew.sort()
    cast.sort()
    conn.executemany("INSERT INTO genres (movie, position, genre) VALUES (?, ?, ?)", genres)
    conn.executemany("INSERT INTO crew (movie, role, position, name) VALUES (?, ?, ?, ?)", crew)
    conn.executemany("INSERT INTO cast_credits (movie, position, actor) VALUES (?, ?, ?)", cast)


def import_dataset(
    conn: sqlite3.Connection, directory: Path, progress: Callable[[int], None] | None = None
) -> DatasetReport:
    """Import the public Rotten Tomatoes dataset (movies and critic reviews), in one transaction.

    Importing it again changes nothing: movies are matched on their link, reviews already on
    file (same movie, critic, publication, date and text) are counted as duplicates."""
    from movie.datasets import REVIEWS_FILE, DatasetReport, read_movies, read_reviews

    if not directory.is_dir():
        raise MovieError(f"{directory} is not a directory (it should hold the dataset's two CSVs)")
    report = DatasetReport()
    movies = list(read_movies(directory, report))
    reviews_path = directory / REVIEWS_FILE
    open_regular(reviews_path, "the dataset's critic reviews file").close()
    bulk = reviews_path.stat().st_size > BULK_BYTES
    if bulk:
        # More page cache and sorter threads make the index and full-text builds faster.
        conn.execute("PRAGMA cache_size = -131072")
        conn.execute("PRAGMA threads = 2")
    with write_transaction(conn):
        slugs = _claim_slugs(conn, movies)
        rows = []
        for movie in movies:
            rows.append(
                (
                    slugs[movie["rt_link"]],
                    movie["title"],
                    movie["year"],
                    fold(movie["title"]),
                    movie["rt_link"],
                    *(movie[f] for f in MOVIE_FIELDS),
                )
            )
        conn.executemany(_movie_sql(), rows)
        report.movies = len(slugs)
        _add_missing_lists(conn, movies, slugs, report)
        del movies, rows
        positions: dict[str, int] = dict(
            conn.execute("SELECT movie, max(position) FROM critic_reviews GROUP BY movie")
        )
        seen = {
            hash(row)
            for row in conn.execute(
                "SELECT movie, critic, publication, review_date, quote FROM critic_reviews"
            )
        }
        if bulk:
            for kind, name in conn.execute(
                "SELECT type, name FROM sqlite_master WHERE tbl_name = 'critic_reviews' "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
            ).fetchall():
                conn.execute(f"DROP {kind} {name}")

        def fresh_reviews() -> Iterator[tuple[Any, ...]]:
            count = 0
            get_slug = slugs.get
            get_position = positions.get
            remember = seen.add
            for review in read_reviews(directory, report):
                slug = get_slug(review[0])
                if slug is None:
                    report.note("missing_movie", review[0])
                    continue
                key = hash((slug, *review[1:3], *review[6:]))
                if key in seen:
                    report.note("duplicates", " ".join(filter(None, review[:2] + review[6:7])))
                    continue
                remember(key)
                position = get_position(slug, 0) + 1
                positions[slug] = position
                count += 1
                if count % 25_000 == 0 and progress is not None:
                    progress(count)
                yield (slug, position, *review[1:])
            report.reviews = count

        conn.executemany(
            "INSERT INTO critic_reviews (movie, position, critic, publication, top_critic, "
            "verdict, score, review_date, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            fresh_reviews(),
        )
        if progress is not None:
            progress(report.reviews)
        if bulk:
            conn.execute("INSERT INTO critic_reviews_fts (critic_reviews_fts) VALUES ('rebuild')")
            create_schema(conn)  # the indexes and triggers dropped above
    return report
