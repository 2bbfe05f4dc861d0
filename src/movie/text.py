"""Text helpers every layer shares: folding for lookups, and making values safe to show or pipe.

A leaf: imports nothing of movie's own.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Sequence
from typing import Any, cast


class _Compiled:
    """A regular expression compiled where it is first used (see `pattern`)."""

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only for names not yet set on the instance: the first use compiles, and each method
        # asked for is then kept on the instance, as quick to reach as the pattern's own.
        compiled = self.__dict__.get("_pattern") or re.compile(self._source, self._flags)
        self._pattern = compiled
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


def pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """A regular expression for a module to keep, compiled on first use: compiling a dozen of
    them at import cost every start-up about 7 million instructions (2.5% of `movie cast`), and
    most commands use few of them."""
    return cast("re.Pattern[str]", _Compiled(source, flags))


def fold(text: str | None) -> str | None:
    """Text as lookups compare it: case-folded and without accents ("Magalhães" -> "magalhaes")."""
    if text is None:
        return None
    if text.isascii():  # nothing to decompose, and casefold() is lower() (5x quicker)
        return text.lower()
    import unicodedata  # not at start-up: only lookups need it

    decomposed = unicodedata.normalize("NFKD", text).translate(_combining_marks())
    if max(decomposed, default=" ") > "\uffff":  # beyond the table: marks looked up one by one
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    return decomposed.casefold()


@functools.cache
def _combining_marks() -> dict[int, None]:
    """The combining marks of the Basic Multilingual Plane, for str.translate to drop at C speed
    (a character at a time in Python was most of the cost of folding accented names)."""
    import unicodedata

    return {point: None for point in range(0x300, 0x10000) if unicodedata.combining(chr(point))}


def slug_for(title: str, year: int | None) -> str:
    """A stable natural key: 'Leaving Las Vegas', 1995 -> 'leaving-las-vegas-1995'."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "untitled"
    return words if year is None else f"{words}-{year}"


# Characters that must never reach a terminal as they are: C0 and C1 controls and DEL (escape
# sequences set the window title, clear the screen, hide text), the Unicode line and paragraph
# separators, and the bidirectional overrides and isolates that make text read other than it is.
# (Python counts them all unprintable: text that isprintable() has none, and is passed as it is
# without the regular expression.)
CONTROL = pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def without_controls(text: str) -> tuple[str, int]:
    """Text with its control characters (ESC, BEL, line breaks, bidi overrides) gone, runs of
    spaces made one; and how many were removed. For titles and names, which are one line."""
    if text.isprintable():
        return text, 0
    cleaned, removed = CONTROL.subn(" ", text)
    return (" ".join(cleaned.split()) if removed else text), removed


def _code(char: str) -> str:
    named = _NAMED.get(char)
    if named:
        return named
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def _escaped(match: re.Match[str]) -> str:
    return _code(match.group())


def visible(text: str, keep: str = "\n") -> str:
    """Text for a person at a terminal: every control character shown as an escape (\\x1b,
    \\t, \\u202e), but for those in keep (line breaks, by default)."""
    if text.isprintable():
        return text
    if not keep:
        return CONTROL.sub(_escaped, text)
    return CONTROL.sub(lambda m: m.group() if m.group() in keep else _code(m.group()), text)


def escape_tsv(text: str) -> str:
    """One value, one TSV field, reversibly: a backslash becomes \\\\, tab, newline and carriage
    return become \\t, \\n, \\r, and any other control character \\xHH (or \\uHHHH)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text if text.isprintable() else CONTROL.sub(_escaped, text)


_CSV_SPECIAL = pattern('[,"\r\n]')


def csv_line(values: Sequence[str]) -> str:
    """One CSV record ending in \\n, quoted only where needed, and always where a value holds a
    carriage return (Python's csv writer leaves a lone CR bare when lines end in \\n, and no
    reader can then tell it from a line end)."""
    if len(values) == 1 and values[0] == "":
        return '""\n'
    return (
        ",".join(
            '"' + value.replace('"', '""') + '"' if _CSV_SPECIAL.search(value) else value
            for value in values
        )
        + "\n"
    )


# SQLite's integers are 64-bit: a larger number cannot be stored (and Python would raise).
INT_MAX = 2**63 - 1


def whole_number(text: str) -> int | None:
    """An ASCII whole number that SQLite can store ("1995", "-3"), else None: Unicode digits
    such as "١٩٩٥" and 40-digit numbers are not read."""
    digits = text.strip()
    unsigned = digits[1:] if digits[:1] in ("-", "+") else digits
    if not unsigned.isascii() or not unsigned.isdigit() or len(unsigned) > 19:
        return None
    value = int(digits)
    return value if -INT_MAX - 1 <= value <= INT_MAX else None


# Text in the catalog that is not UTF-8 (written by another tool) is read with U+FFFD in place
# of the bad bytes; this counts how often that happened, so the command can say so once.
REPLACE_ERRORS = "movie-replace"
replaced = 0


def _replace(error: UnicodeError) -> tuple[str, int]:
    global replaced
    replaced += 1
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\ufffd", error.end


codecs.register_error(REPLACE_ERRORS, _replace)


def lenient_text(data: bytes) -> str:
    """A text value from SQLite: UTF-8, with undecodable bytes replaced (and counted)."""
    return data.decode("utf-8", REPLACE_ERRORS)


def sql_fold(value: str | bytes | None) -> str | None:
    """fold() as SQL calls it. SQL passes catalog text as fold(CAST(x AS BLOB)): Python's
    sqlite3 would fail on text that is not UTF-8 before the function could see it."""
    if isinstance(value, bytes):
        value = lenient_text(value)
    return fold(value)


def folded(column: str) -> str:
    """SQL for a column's folded text."""
    return f"fold(CAST({column} AS BLOB))"


PERCENT = pattern(r"^([0-9]{1,3})\s*%?$")
COUNT = pattern(r"([0-9][0-9,]*)\+?")


def percent(text: str | None) -> int | None:
    """A percentage as pages show it ("91%", "91"), 0 to 100; else None."""
    match = PERCENT.match(text.strip()) if text else None
    value = int(match[1]) if match else None
    return value if value is not None and value <= 100 else None


def count_in(text: str | None) -> int | None:
    """The first count in a text: "250,000+ Ratings" -> 250000, "143 Reviews" -> 143."""
    match = COUNT.search(text) if text else None
    return whole_number(match[1].replace(",", "")) if match else None
