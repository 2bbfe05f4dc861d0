"""The rest: movie sql and movie path."""

from typing import Annotated

import typer

from movie import interrupts
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
from movie.errors import UsageError

commands = Commands()


@commands.command(
    epilog=examples(
        'movie sql "SELECT actor, character FROM cast_credits LIMIT 3"',
        'movie sql "SELECT title, year FROM movies" -f json',
        'movie sql "SELECT title, role FROM credits WHERE name = :who" -p who "Nicolas Cage"',
    ),
    # -p NAME VALUE takes two values, which Typer cannot declare: read from the extra arguments.
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(metavar="QUERY", help="One SELECT statement.")],
    fmt: FormatOption = None,
    header: HeaderOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Run a read-only SQL query over the catalog (writes, ATTACH and PRAGMA settings refused).

    -p NAME VALUE (or --param NAME VALUE) gives :NAME in the query a value, as text; repeat it
    for more. The view `credits` joins every credit to its movie and person. The query stops
    after --timeout seconds of work (30 by default), and at Ctrl-C.
    """
    from movie.read.user_sql import run_sql

    with (
        opened(ctx, user_sql=True) as conn,
        time_limit(timeout),
        interrupts.watchdog(conn.interrupt),
    ):
        emit(ctx, run_sql(conn, query, params_of(ctx.args)), fmt, header)


def params_of(args: list[str]) -> dict[str, str]:
    """The -p NAME VALUE pairs of the extra arguments (a NAME may start with ':')."""
    params: dict[str, str] = {}
    rest = list(args)
    while rest:
        flag = rest.pop(0)
        if flag not in ("-p", "--param"):
            raise UsageError(f"unexpected argument {flag!r} (a value goes as -p NAME VALUE)")
        if len(rest) < 2:
            raise UsageError(f"{flag} takes a NAME and a VALUE")
        name, value = rest.pop(0), rest.pop(0)
        params[name.removeprefix(":")] = value
    return params


@commands.command(epilog=examples("movie path", 'sqlite3 "$(movie path)" .tables'))
def path(ctx: typer.Context) -> None:
    """Print where the catalog file is (it may not exist yet)."""
    print(state_of(ctx).path)
