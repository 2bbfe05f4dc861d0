"""The errors movie reports to users, and the exit status each one ends with.

The library raises these typed errors with what went wrong; the command line adds how to fix it
with its own options (--db, --year, `movie load --rebuild`), so no module below it names one.
A leaf: imports nothing of movie's own.
"""

from __future__ import annotations

import enum
from pathlib import Path


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class MovieError(Exception):
    """A problem the user can fix: shown as one line on stderr, never as a traceback."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class UsageError(MovieError):
    """The command line itself is wrong (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.USAGE)


class CatalogError(MovieError):
    """Something about the catalog file itself."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class NotACatalog(CatalogError):
    """A file that is not a movie catalog (another program's database, or not SQLite)."""


class NotSQLite(NotACatalog):
    """A file that is not SQLite at all: someone else's file, or a catalog damaged past reading."""


class UnsuitablePath(CatalogError):
    """A directory, FIFO or device where the catalog file should be."""


class CatalogDamaged(CatalogError):
    """A catalog SQLite cannot read as a whole."""


class CatalogBusy(CatalogError):
    """Another writer held the catalog for longer than the busy timeout."""


class ReadOnlyCatalog(CatalogError):
    """The catalog file (or its folder, which WAL mode writes to) cannot be written."""


class NeedsUpgrade(ReadOnlyCatalog):
    """A catalog of an older schema that may not be written, so cannot be upgraded."""


class NewerCatalog(CatalogError):
    """A catalog written by a newer movie."""


class NoSuchMovie(MovieError):
    """No movie in the catalog matches what was typed."""


class AmbiguousTitle(MovieError):
    """Several movies match; `example` is the label of the first, `imdb_id` its IMDb id (where
    it has one)."""

    def __init__(self, message: str, example: str, imdb_id: str | None = None) -> None:
        super().__init__(message)
        self.example = example
        self.imdb_id = imdb_id


class AmbiguousName(MovieError):
    """Several people have the name typed; `imdb_id` is the best-known one's."""

    def __init__(self, message: str, imdb_id: str) -> None:
        super().__init__(message)
        self.imdb_id = imdb_id


class NoDefaultMovie(MovieError):
    """No title given, no default set, and the catalog does not hold exactly one movie."""

    def __init__(self, message: str, empty: bool) -> None:
        super().__init__(message)
        self.empty = empty


class BadSearch(MovieError):
    """Full-text search syntax SQLite's FTS5 does not accept."""
