"""Imports, start to end: a saved page, the public RT dataset or IMDb's files, read through their
source and written through the writer, into the live catalog or into one built aside when there
is none yet. The caller (the CLI) maps its options onto these, gets one result back, and hears
of progress and notices through callbacks. Never prints.

A page goes down once and comes back once: read_page -> the source that fits (HTML or text) ->
the writer (a new film, or merged with the one saved before) -> its summary.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from movie.records import MovieRecord, Report

Notice = Callable[[str], None]
# The live catalog, opened for writing by the caller (and closed when the block ends).
OpenLive = Callable[[], AbstractContextManager[sqlite3.Connection]]
Share = Callable[[str, int, float], None]  # IMDb's progress: file, rows so far, share done
Count = Callable[[int], None]  # the RT dataset's progress: reviews so far


# ---------------------------------------------------------------- saved pages


def read_saved_page(name: str) -> MovieRecord:
    """A saved page from a file or - (stdin), read as the browser saved it (HTML) or as its
    copied text, told apart by content; MovieError if it is not a movie page."""
    from movie.files import read_page
    from movie.sources.html_page import is_html, parse_html_page
    from movie.sources.text_page import parse_page

    data = read_page(name)
    shown = "<stdin>" if name == "-" else name
    return parse_html_page(data, shown) if is_html(data) else parse_page(data, shown)


def import_page(conn: sqlite3.Connection, page: MovieRecord) -> str:
    """The page's film into the catalog, in one transaction: what a merge with an earlier save
    did, or "" for a new film. Your entries no movie matched are matched again."""
    from movie.writer.mine import rematch_all
    from movie.writer.pages import import_record

    merged = import_record(conn, page)
    rematch_all(conn)
    return merged


# ---------------------------------------------------------------- your history


def read_history(name: str) -> Any | None:
    """Your Letterboxd or IMDb export (sources.exports.Export) at this path, or None when it is
    not one (a saved page); MovieError for an export that cannot be read."""
    from movie.sources.exports import read_export

    return None if name == "-" else read_export(Path(name))


def import_history(conn: sqlite3.Connection, export: Any) -> Any:
    """The export's entries matched to the catalog's movies and written, in one transaction:
    the writer's MineReport."""
    from movie.writer.mine import import_export

    return import_export(conn, export)


def preview_page(page: MovieRecord) -> dict[str, Any]:
    """The card the page would give, from a catalog in memory: nothing real is written."""
    from movie.catalog import scratch_catalog
    from movie.read.card import card_of
    from movie.read.choose import find_movie
    from movie.writer.pages import import_record

    with closing(scratch_catalog()) as scratch:
        import_record(scratch, page)
        return card_of(scratch, find_movie(scratch, page.slug))


# ---------------------------------------------------------------- folders (bulk)


@dataclass
class FolderImport:
    """What a bulk import did: the report, how many files it read, and how long it took."""

    report: Report
    files: int
    seconds: float


def _fill(path: Path, open_live: OpenLive, notice: Notice, fill: Callable[[Any], None]) -> None:
    """Into a catalog built aside at once when there is none yet, else into the live catalog,
    in its write-ahead log: readers keep their snapshot and never wait, and a kill leaves the
    catalog as it was (the log's uncommitted pages are dropped)."""
    from movie.catalog import build_catalog, is_new
    from movie.writer.mine import rematch_all

    if is_new(path):
        build_catalog(path, notice, then=fill)
        return
    with open_live() as conn:
        fill(conn)
        rematch_all(conn)  # your entries that no movie matched, or whose movie was replaced


def import_imdb_folder(
    path: Path,
    directory: Path,
    open_live: OpenLive,
    notice: Notice,
    types: frozenset[str] | None = None,
    min_votes: int = 0,
    progress: Share | None = None,
) -> FolderImport:
    """IMDb's dataset files in a folder, every one given, in one transaction."""
    from movie.sources.imdb import find_files
    from movie.writer.imdb import import_imdb
    from movie.writer.imdb_parts import ImdbOptions

    files = find_files(directory)
    report = Report()
    started = time.monotonic()
    options = ImdbOptions(types, min_votes)
    _fill(path, open_live, notice, lambda conn: import_imdb(conn, files, report, options, progress))
    return FolderImport(report, len(files), time.monotonic() - started)


def import_dataset_folder(
    path: Path,
    directory: Path,
    open_live: OpenLive,
    notice: Notice,
    progress: Count | None = None,
) -> FolderImport:
    """The public RT dataset (its movies and critic reviews files), in one transaction."""
    from movie.sources import rt_dataset
    from movie.writer.rt_dataset import BULK_BYTES, import_dataset

    report = Report()
    size = rt_dataset.reviews_size(directory)
    movies = list(rt_dataset.read_movies(directory, report))
    started = time.monotonic()

    def reviews() -> Iterator[Any]:
        return iter(rt_dataset.read_reviews(directory, report))

    def fill(conn: sqlite3.Connection) -> None:
        import_dataset(
            conn, movies, reviews, report, bulk_load=size > BULK_BYTES, progress=progress
        )

    _fill(path, open_live, notice, fill)
    return FolderImport(report, 2, time.monotonic() - started)
