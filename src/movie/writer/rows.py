"""CSV folders' rows (UPSERT): each table's rows matched on their natural keys, updated or added."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from movie.errors import MovieError
from movie.records import Report
from movie.store.db import write_transaction
from movie.store.schema import refresh_fame
from movie.tables import MINE, PEOPLE, Table
from movie.writer.common import (
    MovieIds,
    import_errors,
    stored_key,
    upsert_sql,
)
from movie.writer.mine import rematch, write_entry


def upsert_rows(
    conn: sqlite3.Connection,
    table: Table,
    rows: Iterable[dict[str, Any]],
    report: Report,
    ids: MovieIds,
    where: str,
) -> None:
    """Upsert one table's rows (public columns) inside the caller's transaction; `where` names
    their file for messages."""
    if table.is_movies:
        for row in rows:
            ids.upsert(row)
            report.wrote(table.name)
            report.movies += 1
        return
    if table in MINE:  # your films: a row's movie may be empty, or not in this catalog
        for row in rows:
            movie_id = ids.get(row["movie"]) if row["movie"] else None
            write_entry(conn, table, row, movie_id, row["matched_by"] if movie_id else None)
            report.wrote(table.name)
        return
    columns = ["movie_id", *table.child_columns]
    sql = upsert_sql(table, columns, stored_key(table))

    def stored() -> Iterator[list[Any]]:
        for row in rows:
            movie_id = ids.get(row["movie"])
            if movie_id is None:
                raise MovieError(
                    f"{where}: movie {row['movie']!r} is neither in movies.csv nor in the catalog"
                )
            report.wrote(table.name)
            yield [movie_id, *(row[c] for c in table.child_columns)]

    conn.executemany(sql, stored())


def load_tables(
    conn: sqlite3.Connection, batches: Iterable[tuple[Table, Path, Iterable[dict[str, Any]]]]
) -> Report:
    """Upsert every (table, file, rows) batch in one transaction: all of it lands, or none."""
    report = Report()
    ids = MovieIds(conn)
    with import_errors("the load"), write_transaction(conn):
        for table, path, rows in batches:
            upsert_rows(conn, table, rows, report, ids, str(path))
        if report.rows.get(PEOPLE.name):
            refresh_fame(conn)  # (which `movie find` ranks them by)
        rematch(conn)  # your entries no movie matched, now that more movies are in
    return report
