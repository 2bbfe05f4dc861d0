"""The movie command line: the app, its one error edge (every failure is one line on stderr and an
exit status), and the registration of every command module's commands."""

import gc
import os
import sqlite3
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from movie import __version__, interrupts
from movie.cli.common import (
    PROG,
    TIMEOUT_ENV,
    State,
    say,
    with_hint,
)
from movie.errors import ExitStatus, MovieError, UsageError


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


# The commands as `movie --help` and the manual list them, each with the module of movie.cli
# that declares it; `chart` is the chart group (movie.cli.charts).
COMMANDS = {
    "cast": "reading", "reviews": "reading", "quotes": "reading", "card": "reading",
    "movies": "finding", "episodes": "reading", "akas": "reading", "use": "writing",
    "load": "writing", "import": "writing", "export": "writing", "find": "finding",
    "search": "finding", "person": "reading", "rate": "mine", "seen": "mine",
    "watchlist": "mine", "diary": "mine", "ratings": "mine", "me": "mine", "next": "mine",
    "sql": "other", "path": "other", "chart": "charts",
}  # fmt: skip


def _register(typer_app: typer.Typer, wanted: str | None) -> None:
    """The commands of every command module (or only the one `wanted`), in the manual's order;
    then the chart group."""
    modules = {COMMANDS[wanted]} if wanted else set(COMMANDS.values())
    declared = {
        (args[0] if args else settings.get("name") or function.__name__.replace("_", "-")): (
            function,
            args,
            settings,
        )
        for module in sorted(modules - {"charts"})
        for function, args, settings in import_module(f"movie.cli.{module}").commands.found
    }
    for name, module in COMMANDS.items():
        if module != "charts" and wanted in (None, name):
            function, args, settings = declared.pop(name)
            typer_app.command(*args, **settings)(function)
    if "charts" in modules:
        typer_app.add_typer(import_module("movie.cli.charts").chart_app)
    assert wanted or not declared, f"commands missing from COMMANDS: {sorted(declared)}"


class MovieTyper(typer.Typer):
    """The app, whose commands are registered the first time Typer reads them: only the one
    being run where `register_only` named it (its module alone is imported), else all."""

    def __init__(self, **settings: Any) -> None:
        self._wanted: str | None = None
        self._registered = False
        super().__init__(**settings)

    def register_only(self, name: str) -> None:
        self._wanted = name

    def _ensure_registered(self) -> None:
        if not self._registered:
            self._registered = True
            _register(self, self._wanted)

    @property
    def registered_commands(self) -> list[CommandInfo]:
        self._ensure_registered()
        commands: list[CommandInfo] = self.__dict__["registered_commands"]
        return commands

    @registered_commands.setter
    def registered_commands(self, commands: list[CommandInfo]) -> None:
        self.__dict__["registered_commands"] = commands

    @property
    def registered_groups(self) -> list[TyperInfo]:
        self._ensure_registered()
        groups: list[TyperInfo] = self.__dict__["registered_groups"]
        return groups

    @registered_groups.setter
    def registered_groups(self, groups: list[TyperInfo]) -> None:
        self.__dict__["registered_groups"] = groups


app = MovieTyper(
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
    _resume_the_cycle_collector()


def _resume_the_cycle_collector() -> None:
    """main() pauses the cycle collector for start-up; the command runs with it on, and without
    start-up's objects to walk (frozen: they live as long as the process anyway, and are left
    out of the collection at exit too)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def keep_only_the_command_in(argv: Sequence[str]) -> None:
    """Let the app import, and Typer build, just the command being run (or completed): with
    every command module imported and every command built, the chart group's too, `movie cast`
    takes 447 million instructions instead of 301 (and shell completion runs movie at every
    TAB). Help, --version, a command name being completed and anything unexpected keep the
    full app."""
    if os.environ.get("_MOVIE_COMPLETE"):
        argv = _words_before_the_cursor()
    at = 0
    while at < len(argv) and argv[at].startswith("--db"):
        at += 1 if "=" in argv[at] else 2
    if at < len(argv) and argv[at] in COMMANDS:
        app.register_only(argv[at])


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
