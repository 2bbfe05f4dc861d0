"""Writing catalog movies out as the CSV files that `movie load` reads."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from movie.db import stream
from movie.errors import MovieError
from movie.loading import MOVIES, TABLES
from movie.text import csv_line


def _umask() -> int:
    """The process umask (mkstemp makes files 0600; an export gets the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export_csvs(conn: sqlite3.Connection, directory: Path, slug: str | None) -> dict[str, int]:
    """Write every CSV for one movie (or all, when slug is None); returns rows per file.

    Rows are sorted by their natural keys, so exports of the same catalog are identical and
    exports of similar catalogs diff well. Each file is written aside and renamed into place.
    """
    if directory.exists() and not directory.is_dir():
        raise MovieError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MovieError(f"cannot create {directory}: {exc.strerror}") from exc
    counts: dict[str, int] = {}
    for spec in TABLES:
        key = "slug" if spec is MOVIES else "movie"
        where, params = (f"WHERE {key} = ?", [slug]) if slug is not None else ("", [])
        _, rows = stream(
            conn,
            f"SELECT {', '.join(spec.columns)} FROM {spec.table} {where} "
            f"ORDER BY {', '.join(spec.key)}",
            params,
        )
        target = directory / spec.file
        count = 0
        temporary: Path | None = None
        try:
            # A new file of our own (O_EXCL, a random name): never a link someone planted.
            fd, name = tempfile.mkstemp(prefix=f".{spec.file}.", suffix=".part", dir=directory)
            temporary = Path(name)
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(csv_line(spec.columns))
                for row in rows:
                    handle.write(csv_line(["" if value is None else str(value) for value in row]))
                    count += 1
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except OSError as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise MovieError(f"cannot write {target}: {exc.strerror}") from exc
        except BaseException:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise
        counts[spec.file] = count
    return counts
