"""The reference manual (docs/cli.md), generated from the app itself: every command's --help.

    python -m movie.reference > docs/cli.md

A test fails when docs/cli.md is out of date, so the manual always says what the code does.
"""

from __future__ import annotations

from typing import Any

WIDTH = 100
INTRO = """\
# movie: command reference

Generated from the program itself by `python -m movie.reference > docs/cli.md`; a test keeps it
in step. Options that every row-printing command shares (`--format`, `--header`, `--limit`) are
described in the README's Output section.
"""


def render() -> str:
    import typer.main

    from movie.cli import PROG, app

    group = typer.main.get_command(app)
    widths: dict[str, Any] = {
        "terminal_width": WIDTH,
        "max_content_width": WIDTH,
        "resilient_parsing": True,
    }
    root = group.make_context(PROG, [], **widths)
    sections = [INTRO, f"## `{PROG}`\n\n```text\n{group.get_help(root)}\n```\n"]
    names = group.list_commands(root)  # type: ignore[attr-defined]
    for name in names:
        command = group.get_command(root, name)  # type: ignore[attr-defined]
        if command is None or command.hidden:
            continue
        ctx = command.make_context(name, [], parent=root, **widths)
        sections.append(f"## `{PROG} {name}`\n\n```text\n{command.get_help(ctx)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    print(render(), end="")
