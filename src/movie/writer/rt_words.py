"""The word index of the RT dataset's critic reviews (`movie reviews --search`), built in a
second process (writer/helper.py) while the first writes the reviews: a million quotes take
FTS5 as long to index as they take Python to read and check. Both processes read the reviews
file and choose the same reviews by the same code, each numbering them from the same rowid:
the second, forked once the first has the movies' ids, the positions and the reviews already
on file, has the same inputs. It feeds each chosen review's quote under its rowid, after the
catalog's reviews of before, to the catalog's own full-text table made in a part file beside
the catalog; the first copies that table's records into the catalog's
(SQLite's C code), once it has checked that the part holds as many reviews as the catalog, to
the same last rowid. Anything else (no part, another count) and the first builds the index
itself, as a single process would.

Only on Linux (fork: the second shares the first's state without pickling it, string hashes
included) and into a catalog with few reviews (a new one has the seed's): the part holds every
review's quote.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import Any

from movie.errors import MovieError
from movie.records import Report
from movie.store.schema import FTS_HASH_BYTES, create_tables
from movie.tables import CRITIC_REVIEWS
from movie.writer.common import SORT_CACHE_KIB, at_most
from movie.writer.helper import Helper, Orphaned

WORDS = "critic_reviews_fts"  # the catalog's full-text table of the reviews' quotes
ATTACHED = "rt_words"
# A catalog with more reviews than this indexes them in one process (the part would hold all).
MOST_ON_FILE = 200_000
# The reviews chosen, given the report to note what is left out in and what to tell of the
# count: (rowid, movie_id, position, critic, publication, top_critic, verdict, score, date,
# quote) a review, as the first process writes them.
Chosen = Callable[[Report, Callable[[int], None] | None], Iterator[tuple[Any, ...]]]


def usable(conn: sqlite3.Connection) -> bool:
    """Whether a second process may index the reviews of this import."""
    return sys.platform == "linux" and at_most(conn, CRITIC_REVIEWS.name, MOST_ON_FILE)


def _write(path: str, done: Any, parent: int, chosen: Chosen, on_file: list[Any]) -> None:
    """The second process: the catalog's full-text table of the reviews fed the quotes of the
    reviews on file and of those chosen, under their rowids (no table of the quotes: FTS5
    reads its content only to rebuild)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        create_tables(conn, [WORDS])
        conn.execute("CREATE TABLE part_report (rows INTEGER, last INTEGER)")
        conn.execute("BEGIN")
        conn.execute(
            f"INSERT INTO {WORDS} ({WORDS}, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,)
        )
        insert = f"INSERT INTO {WORDS} (rowid, quote) VALUES (?, ?)"
        conn.executemany(insert, on_file)
        last = [len(on_file), max((row[0] for row in on_file), default=0)]  # count, rowid

        def quotes() -> Iterator[tuple[int, Any]]:
            for review in chosen(Report(), None):
                last[0] += 1
                if last[0] % 25_000 == 0:
                    done.value = last[0]
                    if os.getppid() != parent:
                        raise Orphaned
                last[1] = review[0]
                yield review[0], review[-1]

        conn.executemany(insert, quotes())
        conn.execute("INSERT INTO part_report VALUES (?, ?)", last)
        conn.execute("COMMIT")
    finally:
        conn.close()


class ReviewWords(Helper):
    """The second process of an RT dataset import (see Helper): `start` it with the choosing
    of the reviews, `copy` its index into the catalog, `close` in every case."""

    attached = ATTACHED

    def __init__(self, conn: sqlite3.Connection, chosen: Chosen) -> None:
        beside = conn.execute("PRAGMA database_list").fetchone()[2]
        on_file = conn.execute(f"SELECT rowid, quote FROM {CRITIC_REVIEWS.name}").fetchall()
        super().__init__(_write, (chosen, on_file), beside, "the reviews' words")

    def copy(self, conn: sqlite3.Connection) -> bool:
        """The part's full-text index into the catalog's, once the second process is done;
        False (nothing done) if it failed or its reviews are not the catalog's."""
        try:
            path = self.wait(lambda read: None)
        except MovieError:
            return False  # the first builds the index itself
        conn.execute(f"ATTACH DATABASE ? AS {ATTACHED}", (path,))
        made = conn.execute(f"SELECT rows, last FROM {ATTACHED}.part_report").fetchone()
        here = conn.execute(
            f"SELECT count(*), coalesce(max(rowid), 0) FROM main.{CRITIC_REVIEWS.name}"
        ).fetchone()
        tables = _shadow_tables(conn, ATTACHED)
        if made != here or not tables or tables != _shadow_tables(conn, "main"):
            return False
        # Through FTS5 first, so that it holds nothing of the old index in memory.
        conn.execute(f"INSERT INTO main.{WORDS} ({WORDS}) VALUES ('delete-all')")
        for table in tables:
            conn.execute(f"DELETE FROM main.{table}")
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM {ATTACHED}.{table}")
        return True


def _shadow_tables(conn: sqlite3.Connection, schema: str) -> dict[str, str]:
    """The full-text table's own tables in `schema` (its data, its index, its sizes, its
    settings), with their definitions."""
    return dict(
        conn.execute(
            f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table' AND name GLOB ?",
            (WORDS + "_*",),
        )
    )
