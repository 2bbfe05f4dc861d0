"""The rest: movie sql and movie path."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from movie import interrupts

if TYPE_CHECKING:
    pass

from movie.cli.common import (
    Commands,
    FormatOption,
    HeaderOption,
    TimeoutOption,
    emit,
    examples,
    opened,
    state_of,
    time_limit,
)

commands = Commands()


@commands.command(
    epilog=examples(
        'movie sql "SELECT actor, character FROM cast_credits LIMIT 3"',
        'movie sql "SELECT title, year FROM movies" -f json',
    )
)
def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(metavar="QUERY", help="One SELECT statement.")],
    fmt: FormatOption = None,
    header: HeaderOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Run a read-only SQL query over the catalog (writes, ATTACH and PRAGMA settings refused).

    The query stops after --timeout seconds of work (30 by default), and at Ctrl-C.
    """
    from movie.read.user_sql import run_sql

    with (
        opened(ctx, user_sql=True) as conn,
        time_limit(timeout),
        interrupts.watchdog(conn.interrupt),
    ):
        emit(ctx, run_sql(conn, query), fmt, header)


@commands.command(epilog=examples("movie path", 'sqlite3 "$(movie path)" .tables'))
def path(ctx: typer.Context) -> None:
    """Print where the catalog file is (it may not exist yet)."""
    print(state_of(ctx).path)
