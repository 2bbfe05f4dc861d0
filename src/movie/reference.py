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

    def commands(parent: Any, path: str) -> None:
        """Each command's help, and each of a group's commands' after it (`movie chart ...`)."""
        for name in parent.command.list_commands(parent):
            command = parent.command.get_command(parent, name)
            if command is None or command.hidden:
                continue
            ctx = command.make_context(name, [], parent=parent, **widths)
            sections.append(f"## `{path} {name}`\n\n```text\n{command.get_help(ctx)}\n```\n")
            if hasattr(command, "list_commands"):
                commands(ctx, f"{path} {name}")

    commands(root, PROG)
    return "\n".join(sections)


if __name__ == "__main__":
    print(render(), end="")
