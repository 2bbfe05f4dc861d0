"""What the read side returns and output formats: rows to print. A leaf."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

Mark = tuple[str, str]  # what goes before and after a search match
NO_LIMIT = -1


class Result(NamedTuple):
    """Rows to print: column names, rows (streamed from SQLite), which columns are yes/no, and
    which only JSON shows (the ids that let rows join other data; a table or a pipe keeps the
    columns it always had)."""

    columns: list[str]
    rows: Iterable[Sequence[Any]]
    flags: frozenset[str] = frozenset()
    json_only: frozenset[str] = frozenset()


class Chart(NamedTuple):
    """A picture and the rows behind it.

    `data` is what `--format` prints (streamed); `picture()` gives what is drawn, aggregated
    and small: (x, y, label or None) points for "scatter" (a named point may add the text of its
    entry in an image's legend), (x, y) for "line", (label, value,
    text) bars for "bars", (label, part, ..., text) for "stacked", its parts named by
    `series`. `notes` are lines shown under the picture (the films it names). A scatter's
    points named with `(x, y, label)` stand for themselves: an image gives each its own marker
    in a legend."""

    kind: str
    title: str
    x_label: str
    y_label: str
    data: Result
    picture: Callable[[], list[tuple[Any, ...]]]
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    notes: tuple[str, ...] = ()
    series: tuple[str, ...] = ()  # what each part of a stacked bar is
    whole_x: bool = False  # the x axis counts whole units (years): its ticks fall on them
    # Sentences about the chart as a whole (what was left out, how a figure was worked out):
    # under the notes on a terminal, a caption under an image.
    remarks: tuple[str, ...] = ()
    # A reference line drawn under the points: its two ends and what it means.
    guide: tuple[tuple[float, float], tuple[float, float], str] | None = None
