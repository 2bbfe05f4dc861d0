"""What the read side returns and output formats: rows to print. A leaf."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

Mark = tuple[str, str]  # what goes before and after a search match
NO_LIMIT = -1


class Result(NamedTuple):
    """Rows to print: column names, rows (streamed from SQLite), and which columns are yes/no."""

    columns: list[str]
    rows: Iterable[Sequence[Any]]
    flags: frozenset[str] = frozenset()
