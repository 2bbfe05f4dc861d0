"""What every command module shares: messages, the catalog as a command opens it, the options
several commands take, and the registry through which the app takes each module's commands
(command modules never import the app)."""

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from movie import completion, interrupts
from movie import text as text_helpers
from movie.errors import MovieError, UsageError
from movie.output import Format, Terminal
from movie.text import visible
from movie.vocabulary import YEARS

PROG = "movie"
MIN_YEAR, MAX_YEAR = YEARS.start, YEARS.stop - 1


def examples(*lines: str) -> str:
    """A command's help ends with real examples (\\b keeps Click from rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def say(message: str, lines: bool = False) -> None:
    """A message for the person at the terminal: always stderr, never mixed with data, and
    with any control characters from the data shown escaped, line breaks too (a message is one
    line; only help text, `lines`, keeps its own)."""
    print(visible(message, keep="\n" if lines else ""), file=sys.stderr, flush=True)


class Commands:
    """A module's commands, as `@commands.command(...)` declares them; movie.cli.app registers
    them on the app, in the order the manual lists them."""

    def __init__(self) -> None:
        self.found: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []

    def command(self, *args: Any, **settings: Any) -> Callable[[Callable[..., Any]], Any]:
        def add(function: Callable[..., Any]) -> Callable[..., Any]:
            self.found.append((function, args, settings))
            return function

        return add


class State:
    """What the app callback parsed, and the terminal as detected once for the whole run."""

    def __init__(self, db_option: str | None = None) -> None:
        self.db_option = db_option
        self.term = Terminal.detect()  # stdout: table or TSV, colour, width
        self.messages_on_terminal = Terminal.detect(sys.stderr).is_tty

    @property
    def path(self) -> Path:
        from movie.catalog import catalog_path

        return catalog_path(self.db_option)


def state_of(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    return state if isinstance(state, State) else State()


@contextmanager
def opened(
    ctx: typer.Context, write: bool = False, user_sql: bool = False
) -> Iterator[sqlite3.Connection]:
    """The catalog (locked down for user SQL), closed when the command is done."""
    from movie.catalog import open_catalog, open_for_user_sql
    from movie.store.db import explain

    path = state_of(ctx).path
    replaced = text_helpers.replaced
    if user_sql:
        from movie.read.user_sql import authorizer

        conn = open_for_user_sql(path, say, authorizer)
    else:
        conn = open_catalog(path, say, write)
    try:
        yield conn
    except sqlite3.Error as exc:
        raise explain(exc, path) or exc from exc
    finally:
        conn.close()
        if text_helpers.replaced != replaced:
            say(
                f"{PROG}: warning: the catalog holds text that is not UTF-8 (written by another "
                "program); shown with \ufffd in place of the bytes that could not be read"
            )


# ---------------------------------------------------------------- options shared by commands

# Every whole-number option is bounded: SQLite's integers end at 2^63, and no list is longer.
MAX_ROWS = 1_000_000_000

TitleArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[TITLE]",
        shell_complete=completion.titles,
        help="Title, 'Title (Year)', slug, or a unique prefix; case and accents do not matter. "
        "Default: the movie set with `movie use`, or the only one.",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        "-y",
        metavar="YEAR",
        help="The year, when titles repeat.",
        min=MIN_YEAR,
        max=MAX_YEAR,
    ),
]
AllOption = Annotated[
    bool, typer.Option("--all", "-a", help="Every movie in the catalog (adds a movie column).")
]
FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table, tsv, csv, json, jsonl or markdown [default: table on a terminal, "
        "tsv when piped].",
        case_sensitive=False,
        show_default=False,
    ),
]
HeaderOption = Annotated[
    bool | None,
    typer.Option(
        "--header/--no-header",
        help="Print column names [default: yes, except for tsv].",
        show_default=False,
    ),
]
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        metavar="N",
        min=0,
        max=MAX_ROWS,
        help="At most N rows.",
        show_default=False,
    ),
]
TypesOption = Annotated[
    str | None,
    typer.Option(
        "--type",
        metavar="TYPE,...",
        help="Only titles of these IMDb types: movie, tvSeries, tvEpisode, short, ...",
    ),
]
TIMEOUT_ENV = "MOVIE_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 86_400.0  # a day; more is a typo


def seconds_in(value: float | None, where: str = "--timeout") -> float | None:
    """A time limit: a finite number of seconds from 0 to a day (nan would mean no limit)."""
    if value is not None and not 0 <= value <= MAX_TIMEOUT:  # false for nan too
        raise UsageError(f"{where} takes seconds from 0 to {MAX_TIMEOUT:g} (0 for no limit)")
    return value


TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        callback=lambda value: seconds_in(value),
        help=f"Stop the query after SECONDS of work; 0 for no limit [default: ${TIMEOUT_ENV}, "
        f"else {DEFAULT_TIMEOUT:g}, for SQL and searches]. Time spent writing rows out does "
        "not count.",
        show_default=False,
    ),
]


@contextmanager
def time_limit(seconds: float | None, searching: bool = True) -> Iterator[None]:
    """--timeout, else $MOVIE_TIMEOUT, else the default, for the queries run inside. Listings
    without --search are indexed and bounded by the catalog's size: no limit unless asked."""
    if seconds is None and not searching:
        seconds = 0
    if seconds is None:
        try:
            seconds = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
        except ValueError:
            raise UsageError(f"{TIMEOUT_ENV} must be a number of seconds") from None
        seconds_in(seconds, TIMEOUT_ENV)
    with interrupts.time_limit(max(seconds, 0.0)):
        yield


SEARCH_HELP = (
    "Full-text search, best match first. Plain words must all match, stemmed and accent-blind "
    '("drinking" finds "drink"); FTS5 syntax works too: "a phrase", prefix*, a OR b, a NOT b.'
)


def term_of(ctx: typer.Context) -> Terminal:
    return state_of(ctx).term


def emit(ctx: typer.Context, result: Any, fmt: Format | None, header: bool | None) -> None:
    from movie.output import write_rows

    term = term_of(ctx)
    write_rows(result, fmt or term.default_format(), sys.stdout, term, header)
    sys.stdout.flush()


def path_of(typed: str, what: str) -> Path:
    """A path from the command line; an empty one is a usage error, not the current folder."""
    if not typed.strip():
        raise UsageError(f"{what} needs a path, not an empty one")
    return Path(typed)


def limit_of(limit: int | None) -> int:
    from movie.results import NO_LIMIT

    return NO_LIMIT if limit is None else limit


def scope_of(
    conn: sqlite3.Connection, title: str | None, year: int | None, everything: bool
) -> Any:
    if everything:
        if title is not None or year is not None:
            raise UsageError("give a TITLE (or --year) or --all, not both")
        return None
    return chosen_movie(conn, title, year)


def chosen_movie(
    conn: sqlite3.Connection, title: str | None, year: int | None, default: bool = True
) -> Any:
    """The movie a TITLE means (the default movie without one, where `default`); a title found
    by its words is said on stderr."""
    from movie.read.choose import choose_movie, find_movie

    movie = choose_movie(conn, title, year) if default else find_movie(conn, title or "", year)
    taking(movie.title, movie.year, movie.found_for)
    return movie


def chosen_person(conn: sqlite3.Connection, name: str) -> Any:
    """The person a NAME means; one found by the words of their name is said on stderr."""
    from movie.read.choose import find_person

    person = find_person(conn, name)
    taking(person.name, None, person.found_for)
    return person


def taking(name: str, year: int | None, typed: str | None) -> None:
    """`movie: taking "The Shawshank Redemption" (1994) for 'shawshank'`."""
    if typed is not None:
        when = f" ({year})" if year is not None else ""
        say(f'movie: taking "{name}"{when} for {typed!r}')


def years_of(typed: str | None) -> tuple[int, int] | None:
    """--year for a listing: 1995, 1990..1999, 2010.. or ..1950, as (first, last)."""
    if typed is None:
        return None
    text = typed.strip()
    first, dots, last = text.partition("..")
    try:
        low = int(first) if first.strip() else MIN_YEAR
        high = int(last) if last.strip() else MAX_YEAR
        if not dots:
            low = high = int(first)
    except ValueError:
        raise UsageError(
            f"--year takes a year or a range of years (1995, 1990..1999, 2010..), not {typed!r}"
        ) from None
    if not (MIN_YEAR <= low <= MAX_YEAR and MIN_YEAR <= high <= MAX_YEAR) or low > high:
        raise UsageError(
            f"--year {typed!r}: years run from {MIN_YEAR} to {MAX_YEAR}, first to last"
        )
    return low, high


def title_types(typed: str | None) -> frozenset[str] | None:
    from movie.vocabulary import TITLE_TYPES

    if typed is None:
        return None
    by_fold = {kind.lower(): kind for kind in TITLE_TYPES}
    chosen = [t.strip() for t in typed.split(",") if t.strip()]
    unknown = [t for t in chosen if t.lower() not in by_fold]
    if unknown or not chosen:
        raise UsageError(
            f"unknown title type {', '.join(unknown) or repr(typed)} "
            f"(one or more of {', '.join(TITLE_TYPES)})"
        )
    return frozenset(by_fold[t.lower()] for t in chosen)


def with_hint(exc: MovieError) -> str:
    """A library error's message with what to do about it, in this command line's terms."""
    from movie import errors

    where = "--db or MOVIE_DB"
    if isinstance(exc, errors.NotSQLite):
        return (
            f"{exc.message}; point {where} at a movie catalog or at a new file (if it was your "
            "catalog and is damaged, `movie load --rebuild` moves it aside and rebuilds it)"
        )
    if isinstance(exc, errors.NotACatalog):
        return f"{exc.message} (point {where} at a movie catalog, or at a new file to create one)"
    if isinstance(exc, errors.UnsuitablePath):
        return f"{exc.message} (give a file path with {where})"
    if isinstance(exc, errors.CatalogDamaged):
        return f"{exc.message}; `movie load --rebuild` moves it aside and rebuilds it from the seed"
    if isinstance(exc, errors.NeedsUpgrade):
        return f"{exc.message}; make it writable and run movie once"
    if isinstance(exc, errors.ReadOnlyCatalog):
        return f"{exc.message} (make it and its folder writable, or use another file with {where})"
    if isinstance(exc, errors.AmbiguousTitle):
        by_id = f", or the IMDb id, e.g. {exc.imdb_id}" if exc.imdb_id else ""
        return f"{exc.message}; add the year, e.g. '{exc.example}', or use --year{by_id}"
    if isinstance(exc, errors.AmbiguousName):
        return f"{exc.message}; use the IMDb id, e.g. `movie person {exc.imdb_id}`"
    if isinstance(exc, errors.NoSuchMovie):
        return f"{exc.message} (see `movie movies`)"
    if isinstance(exc, errors.NoDefaultMovie):
        if exc.empty:
            return f"{exc.message}; add some with `movie load` first"
        return (
            f"{exc.message}: name one (e.g. `movie card 'Heat (1995)'`), set a default with "
            "`movie use TITLE`, or use --all"
        )
    if isinstance(exc, errors.BadSearch) and "FTS5" in exc.message:
        return (
            f"{exc.message}; use plain words, or FTS5 syntax such as "
            '"a phrase", prefix*, word OR word, word NOT word'
        )
    return exc.message
