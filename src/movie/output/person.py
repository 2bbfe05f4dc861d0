"""A person's head, as a terminal shows it above their credits."""

from __future__ import annotations

from typing import Any


def person_lines(summary: dict[str, Any]) -> list[str]:
    """A person's head on a terminal: name and id; years and professions; known for; credits."""
    name = f"{summary['name']} ({summary['id']})" if summary["id"] else summary["name"]
    lines = [name]
    years = ""
    if summary["born"] or summary["died"]:
        years = f"born {summary['born'] or '?'}" + (
            f", died {summary['died']}" if summary["died"] else ""
        )
    about = "; ".join(part for part in (years, ", ".join(summary["professions"])) if part)
    if about:
        lines.append(about[0].upper() + about[1:])
    if summary["known_for"]:
        lines.append("Known for " + ", ".join(summary["known_for"]))
    lines.append(
        "Credits: "
        + ", ".join(f"{count:,} as {role}" for role, count in summary["credits"].items())
    )
    return lines
