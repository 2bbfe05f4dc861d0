"""Reading the dates sources write ("Feb 24, 1998", "14/06/1956", "1995-12-15") as ISO dates.

A leaf: imports nothing of movie's own.
"""

from __future__ import annotations

import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Linear-time patterns: adjacent parts never match the same characters.
WORDS = re.compile(
    r"^(?P<month>[A-Za-z]+)\.? (?P<day>[0-9]{1,2}), (?P<year>[0-9]{4})(?:,? (?P<rest>.*))?$"
)
ISO = re.compile(r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})$")
ISO_WITH_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?$")
NUMERIC = re.compile(
    r"^(?P<a>[0-9]{1,2})(?P<sep>[/.-])(?P<b>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})$"
)
YEAR_FIRST = re.compile(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})$")
YEAR = re.compile(r"^[0-9]{4}$")


def _iso(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD if that day exists, else None."""
    import datetime

    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def iso_date(text: str) -> str | None:
    """'Feb 24, 1998' (or 'Dec 15, 1995 wide') -> '1998-02-24'; None if it is not such a date."""
    match = WORDS.match(text)
    if not match:
        return None
    month = MONTHS.get(match["month"].lower())
    if month is None:
        return None
    return _iso(int(match["year"]), month, int(match["day"]))


def us_date(text: str) -> str | None:
    """'07/13/2023' (month first, as the US site writes it since 2024) -> '2023-07-13'."""
    match = NUMERIC.match(text.strip())
    if not match or match["sep"] != "/":
        return None
    return _iso(int(match["year"]), int(match["a"]), int(match["b"]))


def read_date(text: str) -> tuple[str | None, int | None]:
    """A date in any form the sources use, as (ISO date, year); (None, year) for a bare year,
    (None, None) when it cannot be read.

    Numeric dates are day first (14/06/1956, the Rotten Tomatoes dataset's form) unless the
    second number cannot be a month (06/14/1956)."""
    text = text.strip()
    if match := ISO.match(text):
        iso = _iso(int(match["year"]), int(match["month"]), int(match["day"]))
        return iso, int(match["year"]) if iso else None
    if match := ISO_WITH_TIME.match(text):
        return read_date(match[1])
    if match := NUMERIC.match(text):
        a, b, year = int(match["a"]), int(match["b"]), int(match["year"])
        day, month = (b, a) if b > 12 else (a, b)
        iso = _iso(year, month, day)
        return iso, year if iso else None
    if match := YEAR_FIRST.match(text):
        iso = _iso(int(match["year"]), int(match["month"]), int(match["day"]))
        return iso, int(match["year"]) if iso else None
    if YEAR.match(text):
        return None, int(text)
    iso = iso_date(text)
    return iso, int(iso[:4]) if iso else None
