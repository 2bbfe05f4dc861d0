"""Formatting rows and the card for a terminal, for pipes and for other programs."""

import enum
import itertools
import math
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TextIO

from movie.results import Mark, Result
from movie.text import csv_line, escape_tsv, pattern, visible

# Search matches come back from SQLite between these two private-use characters; on a colour
# terminal they become highlighting only after the text itself was made safe to show.
MARK_START, MARK_END = "\ue000", "\ue001"
HIGHLIGHT = {MARK_START: "\x1b[1;33m", MARK_END: "\x1b[0m"}


class Format(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


# $COLUMNS beyond this is a mistake (a chart a million columns wide takes a minute): capped.
MAX_WIDTH = 1000


class Terminal(NamedTuple):
    """What stdout is: decided once per run, read by every formatter, replaced by tests."""

    is_tty: bool
    color: bool
    width: int

    @classmethod
    def detect(cls, stream: TextIO | None = None) -> "Terminal":
        stream = stream or sys.stdout
        try:
            is_tty = stream.isatty()
        except (AttributeError, ValueError):
            is_tty = False
        color = is_tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
        width = shutil.get_terminal_size((100, 24)).columns if is_tty else 100
        return cls(is_tty=is_tty, color=color, width=min(max(width, 40), MAX_WIDTH))

    def default_format(self) -> Format:
        return Format.table if self.is_tty else Format.tsv

    def mark(self, fmt: Format | None) -> Mark | None:
        """How search matches are marked: only in a table on a colour terminal (bold yellow)."""
        if self.color and (fmt or self.default_format()) is Format.table:
            return (MARK_START, MARK_END)
        return None

    def show(self, text: str) -> str:
        """A value as a terminal table or card shows it: control characters escaped, search
        matches highlighted."""
        text = visible(text)
        if MARK_START in text or MARK_END in text:
            for mark, code in HIGHLIGHT.items():
                text = text.replace(mark, code if self.color else "")
        return text

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text


def _text(value: Any, flag: bool) -> str:
    if value is None:
        return ""
    if flag:
        return "yes" if value else "no"
    if isinstance(value, bytes):
        return value.hex()  # a blob, written as hex in every format
    return str(value)


def _json_value(value: Any, flag: bool) -> Any:
    if value is None:
        return None
    if flag:
        return bool(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no Infinity or NaN
    return value


def json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"{type(value).__name__} is not JSON")


def unique_keys(columns: Sequence[str]) -> list[str]:
    """Column names as JSON keys: a name that repeats gets _2, _3 (SELECT 1 AS a, 2 AS a)."""
    keys: list[str] = []
    taken = set(columns)
    for name in columns:
        key, n = name, 1
        while key in keys or (key != name and key in taken):
            n += 1
            key = f"{name}_{n}"
        keys.append(key)
    return keys


def _escape_markdown(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n")
    return visible(text, keep="\n\t").replace("\n", "<br>")


def _column_caps(widths: list[int], budget: int) -> list[int | None]:
    """Caps that make the widest columns wrap so the table fits the terminal."""
    gaps = 2 * (len(widths) - 1)
    if sum(widths) + gaps <= budget:
        return [None] * len(widths)
    low, high = 8, max(widths)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in widths) + gaps <= budget:
            low = cap
        else:
            high = cap - 1
    return [low if w > low else None for w in widths]


ANSI = pattern(r"\x1b\[[0-9;]*m")


def display_width(text: str) -> int:
    """The columns a terminal gives text: East Asian wide and fullwidth characters take two
    ("ゾンビ" is six), combining marks and format characters none."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def visible_len(text: str) -> int:
    """Display width, colour codes not counted."""
    return display_width(ANSI.sub("", text))


def cut(text: str, width: int) -> tuple[str, str]:
    """text split where its first `width` columns end (at least one character goes first)."""
    used = 0
    for at, char in enumerate(text):
        used += display_width(char)
        if used > width and at > 0:
            return text[:at], text[at:]
    return text, ""


class _Widths:
    """What tabulate asks of the wcwidth package, answered by display_width, so that tables and
    the card measure text alike without another dependency."""

    @staticmethod
    def wcswidth(text: str) -> int:
        return display_width(text)


def wrap_visible(text: str, width: int) -> str:
    """Wrap text to width on spaces, counting display columns (colour codes are free)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, length = "", 0
        for word in paragraph.split(" "):
            size = visible_len(word)
            while size > width and not ANSI.search(word):  # a word longer than the column
                if line:
                    lines.append(line)
                    line, length = "", 0
                head, word = cut(word, width)
                lines.append(head)
                size = visible_len(word)
            if line and length + 1 + size > width:
                lines.append(line)
                line, length = word, size
            else:
                line = f"{line} {word}" if line else word
                length += size + (1 if length else 0)
        lines.append(line)
    return "\n".join(lines)


def _widths(columns: Sequence[str], rows: list[list[str]], header: bool) -> list[int]:
    """Each column's natural width: its longest line, or its name (tabulate pads names by 2)."""
    widths = [len(c) + 2 if header else 1 for c in columns]
    for row in rows:
        for i, cell in enumerate(row):
            longest = max((visible_len(part) for part in cell.split("\n")), default=0)
            widths[i] = max(widths[i], longest)
    return widths


def _table(columns: Sequence[str], rows: list[list[str]], header: bool, term: Terminal) -> str:
    import tabulate as tabulate_module
    from tabulate import tabulate

    tabulate_module.wcwidth = _Widths  # type: ignore[attr-defined]
    tabulate_module.WIDE_CHARS_MODE = True

    widths = _widths(columns, rows, header)
    caps = _column_caps(widths, term.width)
    if any(caps):
        rows = [
            [wrap_visible(cell, cap) if cap else cell for cell, cap in zip(row, caps, strict=True)]
            for row in rows
        ]
    table: str = tabulate(
        rows,
        headers=list(columns) if header else (),
        tablefmt="simple",
        disable_numparse=True,
    )
    return table


# A table of more rows than this is sized from its first rows and then streamed, so that a long
# listing (17,712 movies) never sits in memory.
TABLE_SAMPLE = 500


def _stream_table(
    columns: Sequence[str],
    sample: list[list[str]],
    rest: Iterator[list[str]],
    header: bool,
    term: Terminal,
    out: TextIO,
) -> None:
    """The same layout as the tabulate table, written row by row with widths from a sample."""
    widths = _widths(columns, sample, header)
    caps = _column_caps(widths, term.width)
    widths = [cap or width for cap, width in zip(caps, widths, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell + " " * (w - visible_len(cell)) for cell, w in zip(cells, widths, strict=True)
        )
        return "  ".join(padded).rstrip()

    if header:
        out.write(line(columns) + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for row in itertools.chain(sample, rest):
        wrapped = [wrap_visible(cell, w).split("\n") for cell, w in zip(row, widths, strict=True)]
        for n in range(max(len(parts) for parts in wrapped)):
            out.write(line([parts[n] if n < len(parts) else "" for parts in wrapped]) + "\n")


def write_rows(
    result: Result,
    fmt: Format,
    out: TextIO,
    term: Terminal,
    header: bool | None = None,
) -> int:
    """Write every row in the chosen format, streaming all but the table; returns the row count."""
    if result.json_only and fmt not in (Format.json, Format.jsonl):
        keep = [i for i, c in enumerate(result.columns) if c not in result.json_only]
        result = result._replace(
            columns=[result.columns[i] for i in keep],
            rows=([row[i] for i in keep] for row in result.rows),
            json_only=frozenset(),
        )
    columns = result.columns
    flags = [c in result.flags for c in columns]
    count = 0

    def texts() -> Iterator[list[str]]:
        nonlocal count
        for row in result.rows:
            count += 1
            yield [_text(v, f) for v, f in zip(row, flags, strict=True)]

    if fmt is Format.table:
        stream = ([term.show(cell) for cell in cells] for cells in texts())
        columns = [term.show(c) for c in columns]
        rows = list(itertools.islice(stream, TABLE_SAMPLE + 1))
        if len(rows) > TABLE_SAMPLE:
            _stream_table(columns, rows, stream, header is not False, term, out)
            return count
        # A column empty in every row only takes width on a screen; pipes keep every column.
        keep = [i for i in range(len(columns)) if any(row[i] for row in rows)] if rows else []
        if rows:
            columns = [columns[i] for i in keep]
            rows = [[row[i] for i in keep] for row in rows]
        if rows or header is not False:
            out.write(_table(columns, rows, header is not False, term) + "\n")
    elif fmt is Format.tsv:
        if header:
            out.write("\t".join(escape_tsv(c) for c in columns) + "\n")
        for cells in texts():
            out.write("\t".join(escape_tsv(c) for c in cells) + "\n")
    elif fmt is Format.csv:
        if header is not False:
            out.write(csv_line(columns))
        for cells in texts():
            out.write(csv_line(cells))
    elif fmt is Format.markdown:
        if header is not False:
            out.write("| " + " | ".join(_escape_markdown(c) for c in columns) + " |\n")
            out.write("|" + "|".join("---" for _ in columns) + "|\n")
        for cells in texts():
            out.write("| " + " | ".join(_escape_markdown(c) for c in cells) + " |\n")
    else:
        import json

        keys = unique_keys(columns)
        objects = (
            {c: _json_value(v, f) for c, v, f in zip(keys, row, flags, strict=True)}
            for row in result.rows
        )
        if fmt is Format.jsonl:
            for obj in objects:
                count += 1
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            out.write("[")
            for obj in objects:
                out.write(",\n" if count else "\n")
                count += 1
                out.write("  " + json.dumps(obj, ensure_ascii=False))
            out.write("\n]\n" if count else "]\n")
    return count


def write_headed(
    head: tuple[str, dict[str, Any], list[str]],
    rows_key: str,
    result: Result,
    fmt: Format,
    out: TextIO,
    term: Terminal,
    header: bool | None = None,
) -> int:
    """Rows under a head: (its JSON key, its data, its lines for a terminal). A table has the
    lines first (the first in bold) and JSON one object, {key: data, rows_key: [rows]}; the
    other formats are the rows alone, as a pipe wants them."""
    import json

    key, data, lines = head
    if fmt is Format.table:
        shown = [term.show(line) for line in lines]
        out.write("\n".join([term.bold(shown[0]), *shown[1:]]) + "\n\n")
    elif fmt is Format.json:
        out.write(f"{{{json.dumps(key)}: {json.dumps(data, ensure_ascii=False)},\n")
        out.write(f"{json.dumps(rows_key)}: ")
        count = write_rows(result, fmt, out, term, header)
        out.write("}\n")
        return count
    return write_rows(result, fmt, out, term, header)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}:{secs:02d}"


class Progress:
    """A one-line counter on stderr for long imports: rows so far and rows per second (and,
    where the share done is known, the time left)."""

    def __init__(self, label: str, stream: TextIO) -> None:
        import time

        self.label = label
        self.stream = stream
        self.clock = time.monotonic
        self.started = self.clock()
        self.shown = 0.0
        self.what: str | None = None  # the file (or step) share() was last told about
        self.what_started = 0.0
        self.what_rows = 0

    def __call__(self, rows: int) -> None:
        now = self.clock()
        if now - self.shown < 0.2:
            return
        self.shown = now
        rate = rows / max(now - self.started, 1e-6)
        self.stream.write(f"\r{self.label}: {rows:,} rows, {rate:,.0f} rows/s ")
        self.stream.flush()

    def share(self, what: str, rows: int, done: float) -> None:
        """Rows of `what` so far, and the time left, from the share of all the work done."""
        now = self.clock()
        if now - self.shown < 0.5:
            return
        self.shown = now
        spent = now - self.started
        if what != self.what:
            self.what, self.what_started, self.what_rows = what, now, rows
        rate = (rows - self.what_rows) / max(now - self.what_started, 1e-6)
        left = spent * (1 - done) / done if done > 0.01 else None
        eta = f", about {_duration(left)} left" if left is not None else ""
        speed = f", {rate:,.0f} rows/s" if rows > self.what_rows else ""
        self.stream.write(f"\r\x1b[K{self.label} {what}: {rows:,} rows{speed}{eta}")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
