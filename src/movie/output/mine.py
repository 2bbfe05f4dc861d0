"""Your films in words: what an import of your history did."""

from __future__ import annotations

from typing import Any

# Each table's entries, as a summary counts them (one, many).
KINDS = {
    "my_viewings": ("viewing", "viewings"),
    "my_ratings": ("rating", "ratings"),
    "my_watchlist": ("watchlist entry", "watchlist entries"),
    "my_reviews": ("review", "reviews"),
    "my_likes": ("like", "likes"),
}
SITE = {"letterboxd": "Letterboxd", "imdb": "IMDb"}


def counted(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def _film(name: str, year: int | None) -> str:
    return f"{name} ({year})" if year else name


def history_lines(name: str, export: Any, done: Any) -> tuple[list[str], list[str]]:
    """(The summary, the warnings) for importing an export (sources.exports.Export) as the
    writer reported it (writer.mine.MineReport)."""
    written = ", ".join(
        counted(done.written[table], *KINDS[table]) for table in KINDS if done.written.get(table)
    )
    total = sum(done.written.values())
    lines = [f"Imported your {SITE[export.source]} history from {name}: {written or 'nothing'}."]
    if total:
        matched = total - done.matched.get("unmatched", 0)
        how = [
            f"{done.matched[key]:,} {label}"
            for key, label in (
                ("id", "by IMDb id"),
                ("alternate title", "by an alternate title"),
                ("neighbouring year", "by a neighbouring year"),
                ("added from the export", "added to the catalog from the export"),
            )
            if done.matched.get(key)
        ]
        lines.append(
            f"Matched {matched:,} of {total:,} entries to the catalog's movies"
            + (f" ({', '.join(how)})" if how else "")
            + "."
        )
    if done.removed:
        lines.append(
            f"Removed {counted(done.removed, 'entry', 'entries')} the export no longer has."
        )
    if export.not_read:
        lines.append(f"Not read (not your films): {', '.join(export.not_read)}.")
    warnings = []
    if done.unmatched:
        films = "; ".join(_film(*film) for film in done.unmatched)
        warnings.append(
            f"{counted(len(done.unmatched), 'film', 'films')} matched no movie in the catalog "
            f"(kept, and matched again after each import): {films}"
        )
    return lines, warnings


def write_sections(result: Any, fmt: Any, out: Any, term: Any, header: bool | None) -> None:
    """Rows of (section, item, value, detail): on a terminal a small table under each section's
    name; in any other format the rows as they are (a pipe, a CSV, JSON)."""
    import itertools

    from movie.output import Format, write_rows
    from movie.results import Result

    if fmt is not Format.table:
        write_rows(result, fmt, out, term, header)
        return
    first = True
    for section, rows in itertools.groupby(result.rows, key=lambda row: row[0]):
        out.write(("" if first else "\n") + term.bold(term.show(str(section))) + "\n")
        first = False
        part = Result(["item", "value", "detail"], [row[1:] for row in rows])
        write_rows(part, fmt, out, term, header=False)
    if first:
        out.write("No films of yours yet: movie import your Letterboxd or IMDb export.\n")
