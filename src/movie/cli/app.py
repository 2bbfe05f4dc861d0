"""The movie command line: the app, its one error edge (every failure is one line on stderr and an
exit status), and the registration of every command module's commands."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup

from movie import __version__, interrupts
from movie.errors import ExitStatus, MovieError, UsageError

if TYPE_CHECKING:
    pass

from movie.cli.common import (
    PROG,
    TIMEOUT_ENV,
    State,
    say,
    with_hint,
)


def _silence_stdout() -> None:
    # The reader went away (`movie cast | head -1`): send what is left to /dev/null so the
    # interpreter's final flush cannot fail again, and leave without a word.
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


class MovieGroup(TyperGroup):
    """Turns every failure into one line on stderr and an exit status, for real runs and tests."""

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(ExitStatus.OK) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        status: int = ExitStatus.OK
        try:
            with interrupts.handling_ctrl_c():
                rv = super().main(
                    args=args,
                    prog_name=prog_name or PROG,
                    complete_var=complete_var,
                    standalone_mode=False,
                    **extra,
                )
            status = rv if isinstance(rv, int) else ExitStatus.OK
            if status == ExitStatus.INTERRUPTED:  # Typer turned a Ctrl-C into this status
                say(f"{PROG}: interrupted")
        except MovieError as exc:
            say(f"{PROG}: {with_hint(exc)}")
            status = exc.status
        except _click.exceptions.NoArgsIsHelpError as exc:
            say(exc.format_message(), lines=True)
            status = ExitStatus.USAGE
        except _click.exceptions.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else PROG
            say(f"{PROG}: {exc.format_message()} (see '{where} --help')")
            status = ExitStatus.USAGE
        except _click.exceptions.ClickException as exc:
            say(f"{PROG}: {exc.format_message()}")
            status = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            say(f"{PROG}: interrupted")
            status = ExitStatus.INTERRUPTED
        except sqlite3.OperationalError as exc:
            # A statement stopped by the progress handler: Ctrl-C, or the time limit.
            limit = interrupts.timed_out()
            if "interrupted" in str(exc) and limit is not None:
                say(
                    f"{PROG}: stopped after {limit:g} s, the time limit; allow longer with "
                    f"--timeout SECONDS (0 for no limit) or {TIMEOUT_ENV}"
                )
                status = ExitStatus.ERROR
            elif "interrupted" in str(exc) and interrupts.was_interrupted():
                say(f"{PROG}: interrupted")
                status = ExitStatus.INTERRUPTED
            else:
                status = _internal_error(exc)
        except BrokenPipeError:
            _silence_stdout()
            status = ExitStatus.OK
        except Exception as exc:
            status = _internal_error(exc)
        if standalone_mode:
            sys.exit(status)
        return status


def _internal_error(exc: Exception) -> int:
    if "null byte" in str(exc) and isinstance(exc, ValueError):
        # Only reachable in-process: a shell cannot pass a NUL inside an argument.
        say(f"{PROG}: a file name contains a NUL byte")
    elif os.environ.get("MOVIE_DEBUG"):
        raise exc
    else:
        say(
            f"{PROG}: internal error: {type(exc).__name__}: {exc} "
            "(run again with MOVIE_DEBUG=1 to see where, and please report it)"
        )
    return ExitStatus.ERROR


app = typer.Typer(
    cls=MovieGroup,
    name=PROG,
    help="Answers questions about films from a local SQLite catalog: cast, reviews, quotes, "
    "and a one-screen card.\n\n\b\nExamples:\n  movie card\n  movie cast | cut -f1 | sort\n"
    "  movie quotes --search pear",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The catalog file [default: $MOVIE_DB, else movie.db in the user data folder]. "
            "Created from the bundled seed if it does not exist.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    if db is not None and not db.strip():
        raise UsageError("--db needs a path (an empty one would mean the default catalog)")
    ctx.obj = State(db_option=db)


def keep_only_the_command_in(argv: Sequence[str]) -> None:
    """Let Typer build just the command being run (or completed): building all of them, the
    chart group's too, costs every start-up some 20 ms (and shell completion runs movie at
    every TAB). Help, --version, a command name being completed and anything unexpected keep
    the full app."""
    if os.environ.get("_MOVIE_COMPLETE"):
        argv = _words_before_the_cursor()
    at = 0
    while at < len(argv) and argv[at].startswith("--db"):
        at += 1 if "=" in argv[at] else 2
    if at >= len(argv) or argv[at].startswith("-"):
        return
    chosen = [c for c in app.registered_commands if _command_name(c) == argv[at]]
    groups = [
        g
        for g in app.registered_groups
        if g.typer_instance and g.typer_instance.info.name == argv[at]
    ]
    if chosen or groups:  # the chart group's commands are built only for `movie chart`
        app.registered_commands = chosen
        app.registered_groups = groups


def _words_before_the_cursor() -> list[str]:
    """The words of a command line being completed before the one being typed, as Typer's
    completion reads them: bash's COMP_WORDS up to COMP_CWORD, the other shells' whole line
    but its last word unless a space ends it."""
    from typer._click.shell_completion import split_arg_string

    if "COMP_WORDS" in os.environ:
        cword = os.environ.get("COMP_CWORD", "")
        words = split_arg_string(os.environ["COMP_WORDS"])
        return words[1 : int(cword)] if cword.isdigit() else []
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_arg_string(line)[1:]
    return words if line.endswith(" ") else words[:-1]


def _command_name(command: Any) -> str:
    return str(command.name or command.callback.__name__.replace("_", "-"))


def _register() -> None:
    """Every command module's commands, in the manual's order; then the chart group."""
    import movie.cli.charts as charts
    import movie.cli.finding as finding
    import movie.cli.mine as mine
    import movie.cli.other as other
    import movie.cli.reading as reading
    import movie.cli.writing as writing

    modules = (reading, finding, writing, mine, other)
    found = [entry for module in modules for entry in module.commands.found]
    by_name = {
        (args[0] if args else settings.get("name") or function.__name__.replace("_", "-")): (
            function,
            args,
            settings,
        )
        for function, args, settings in found
    }
    for name in ORDER:
        function, args, settings = by_name.pop(name)
        app.command(*args, **settings)(function)
    assert not by_name, f"commands missing from ORDER: {sorted(by_name)}"
    app.add_typer(charts.chart_app)


# The commands as `movie --help` and the manual list them.
ORDER = (
    "cast", "reviews", "quotes", "card", "movies", "episodes", "akas", "use", "load", "import",
    "export", "find", "search", "person", "rate", "seen", "watchlist", "diary", "ratings", "me",
    "next", "sql", "path",
)  # fmt: skip
_register()
