"""Writing catalog movies out as the CSV files that `movie load` reads."""

from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path

from movie.errors import MovieError
from movie.loading import MOVIES, TABLES


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
        cursor = conn.execute(
            f"SELECT {', '.join(spec.columns)} FROM {spec.table} {where} "
            f"ORDER BY {', '.join(spec.key)}",
            params,
        )
        target = directory / spec.file
        temporary = directory / f".{spec.file}.part"
        count = 0
        try:
            with temporary.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(spec.columns)
                for row in cursor:
                    writer.writerow(["" if value is None else value for value in row])
                    count += 1
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise MovieError(f"cannot write {target}: {exc.strerror}") from exc
        counts[spec.file] = count
    return counts
