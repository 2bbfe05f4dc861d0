"""The movie command line: parses arguments, calls the library, reports errors in one line."""

import enum
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click
from typer.core import TyperGroup

from movie import __version__, completion, interrupts
from movie import text as text_helpers
from movie.errors import ExitStatus, MovieError, UsageError
from movie.output import Format, Terminal
from movie.text import visible

if TYPE_CHECKING:
    from movie.results import Chart
    from movie.sources.records import MovieRecord

PROG = "movie"


def examples(*lines: str) -> str:
    """A command's help ends with real examples (\\b keeps Click from rewrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _say(message: str, lines: bool = False) -> None:
    """A message for the person at the terminal: always stderr, never mixed with data, and
    with any control characters from the data shown escaped, line breaks too (a message is one
    line; only help text, `lines`, keeps its own)."""
    print(visible(message, keep="\n" if lines else ""), file=sys.stderr, flush=True)


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
                _say(f"{PROG}: interrupted")
        except MovieError as exc:
            _say(f"{PROG}: {with_hint(exc)}")
            status = exc.status
        except _click.exceptions.NoArgsIsHelpError as exc:
            _say(exc.format_message(), lines=True)
            status = ExitStatus.USAGE
        except _click.exceptions.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else PROG
            _say(f"{PROG}: {exc.format_message()} (see '{where} --help')")
            status = ExitStatus.USAGE
        except _click.exceptions.ClickException as exc:
            _say(f"{PROG}: {exc.format_message()}")
            status = exc.exit_code
        except (typer.Abort, KeyboardInterrupt):
            _say(f"{PROG}: interrupted")
            status = ExitStatus.INTERRUPTED
        except sqlite3.OperationalError as exc:
            # A statement stopped by the progress handler: Ctrl-C, or the time limit.
            limit = interrupts.timed_out()
            if "interrupted" in str(exc) and limit is not None:
                _say(
                    f"{PROG}: stopped after {limit:g} s, the time limit; allow longer with "
                    f"--timeout SECONDS (0 for no limit) or {TIMEOUT_ENV}"
                )
                status = ExitStatus.ERROR
            elif "interrupted" in str(exc) and interrupts.was_interrupted():
                _say(f"{PROG}: interrupted")
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


def _internal_error(exc: Exception) -> int:
    if "null byte" in str(exc) and isinstance(exc, ValueError):
        # Only reachable in-process: a shell cannot pass a NUL inside an argument.
        _say(f"{PROG}: a file name contains a NUL byte")
    elif os.environ.get("MOVIE_DEBUG"):
        raise exc
    else:
        _say(
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


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    return state if isinstance(state, State) else State()


@contextmanager
def _open(
    ctx: typer.Context, write: bool = False, user_sql: bool = False
) -> Iterator[sqlite3.Connection]:
    """The catalog (locked down for user SQL), closed when the command is done."""
    from movie.catalog import open_catalog, open_for_user_sql
    from movie.db import explain

    path = _state(ctx).path
    replaced = text_helpers.replaced
    if user_sql:
        from movie.user_sql import authorizer

        conn = open_for_user_sql(path, _say, authorizer)
    else:
        conn = open_catalog(path, _say, write)
    try:
        yield conn
    except sqlite3.Error as exc:
        raise explain(exc, path) or exc from exc
    finally:
        conn.close()
        if text_helpers.replaced != replaced:
            _say(
                f"{PROG}: warning: the catalog holds text that is not UTF-8 (written by another "
                "program); shown with \ufffd in place of the bytes that could not be read"
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
        "--year", "-y", metavar="YEAR", help="The year, when titles repeat.", min=1870, max=2200
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


def _seconds(value: float | None, where: str = "--timeout") -> float | None:
    """A time limit: a finite number of seconds from 0 to a day (nan would mean no limit)."""
    if value is not None and not 0 <= value <= MAX_TIMEOUT:  # false for nan too
        raise UsageError(f"{where} takes seconds from 0 to {MAX_TIMEOUT:g} (0 for no limit)")
    return value


TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        callback=lambda value: _seconds(value),
        help=f"Stop the query after SECONDS of work; 0 for no limit [default: ${TIMEOUT_ENV}, "
        f"else {DEFAULT_TIMEOUT:g}, for SQL and searches]. Time spent writing rows out does "
        "not count.",
        show_default=False,
    ),
]


@contextmanager
def _time_limit(seconds: float | None, searching: bool = True) -> Iterator[None]:
    """--timeout, else $MOVIE_TIMEOUT, else the default, for the queries run inside. Listings
    without --search are indexed and bounded by the catalog's size: no limit unless asked."""
    if seconds is None and not searching:
        seconds = 0
    if seconds is None:
        try:
            seconds = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
        except ValueError:
            raise UsageError(f"{TIMEOUT_ENV} must be a number of seconds") from None
        _seconds(seconds, TIMEOUT_ENV)
    with interrupts.time_limit(max(seconds, 0.0)):
        yield


SEARCH_HELP = (
    "Full-text search, best match first. Plain words must all match, stemmed and accent-blind "
    '("drinking" finds "drink"); FTS5 syntax works too: "a phrase", prefix*, a OR b, a NOT b.'
)


def _term(ctx: typer.Context) -> Terminal:
    return _state(ctx).term


def _emit(ctx: typer.Context, result: Any, fmt: Format | None, header: bool | None) -> None:
    from movie.output import write_rows

    term = _term(ctx)
    write_rows(result, fmt or term.default_format(), sys.stdout, term, header)
    sys.stdout.flush()


def _path(typed: str, what: str) -> Path:
    """A path from the command line; an empty one is a usage error, not the current folder."""
    if not typed.strip():
        raise UsageError(f"{what} needs a path, not an empty one")
    return Path(typed)


def _limit(limit: int | None) -> int:
    from movie.results import NO_LIMIT

    return NO_LIMIT if limit is None else limit


def _scope(conn: sqlite3.Connection, title: str | None, year: int | None, everything: bool) -> Any:
    from movie.choose import choose_movie

    if everything:
        if title is not None or year is not None:
            raise UsageError("give a TITLE (or --year) or --all, not both")
        return None
    return choose_movie(conn, title, year)


# ---------------------------------------------------------------- commands


@app.command(epilog=examples("movie cast | head -5", 'movie cast --all --actor "nicolas cage"'))
def cast(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    everything: AllOption = False,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            metavar="TEXT",
            help="Only actors whose name contains TEXT.",
            shell_complete=completion.actors,
        ),
    ] = None,
    character: Annotated[
        str | None,
        typer.Option(
            "--character",
            metavar="TEXT",
            help="Only characters whose name contains TEXT.",
            shell_complete=completion.characters,
        ),
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Actors and their characters, in billing order."""
    from movie import listings

    with _open(ctx) as conn:
        movie = _scope(conn, title, year, everything)
        _emit(ctx, listings.cast_of(conn, movie, actor, character, _limit(limit)), fmt, header)


@app.command(
    epilog=examples(
        "movie reviews --top",
        "movie reviews --audience -f json | jq -r '.[].reviewer'",
        'movie reviews --all --search "alcoholic"',
    )
)
def reviews(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    everything: AllOption = False,
    top: Annotated[bool, typer.Option("--top", help="Top Critics only.")] = False,
    audience: Annotated[
        bool, typer.Option("--audience", help="Audience reviews instead of critics'.")
    ] = False,
    search: Annotated[
        str | None, typer.Option("--search", "-s", metavar="TEXT", help=SEARCH_HELP)
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Critic reviews, newest first (or audience reviews with --audience)."""
    from movie import listings

    if top and audience:
        raise UsageError("--top is for critic reviews; it does not go with --audience")
    term = _term(ctx)
    mark = term.mark(fmt)
    with _open(ctx) as conn, _time_limit(timeout, search is not None):
        movie = _scope(conn, title, year, everything)
        if audience:
            result = listings.audience_reviews(conn, movie, search, _limit(limit), mark)
        else:
            result = listings.critic_reviews(conn, movie, top, search, _limit(limit), mark)
        _emit(ctx, result, fmt, header)


@app.command(
    epilog=examples("movie quotes --search pear", "movie quotes -f json | jq -r '.[].line'")
)
def quotes(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    everything: AllOption = False,
    search: Annotated[
        str | None, typer.Option("--search", "-s", metavar="TEXT", help=SEARCH_HELP)
    ] = None,
    character: Annotated[
        str | None,
        typer.Option(
            "--character",
            metavar="NAME",
            help="Only lines of characters named so.",
            shell_complete=completion.characters,
        ),
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Memorable lines: character, line, who submitted it and when."""
    from movie import listings

    term = _term(ctx)
    with _open(ctx) as conn, _time_limit(timeout, search is not None):
        movie = _scope(conn, title, year, everything)
        result = listings.quotes_of(conn, movie, search, character, _limit(limit), term.mark(fmt))
        _emit(ctx, result, fmt, header)


@app.command(epilog=examples("movie card", 'movie card "leaving las vegas" -f json | jq .critics'))
def card(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
) -> None:
    """One screen about a movie: ratings, credits, synopsis, cast, critics, a quote.

    A bordered card on a terminal; field<TAB>value lines when piped; an object with -f json.
    """
    from movie.card import card_of
    from movie.choose import choose_movie
    from movie.output import write_card

    term = _term(ctx)
    with _open(ctx) as conn:
        data = card_of(conn, choose_movie(conn, title, year))
    write_card(data, fmt or term.default_format(), sys.stdout, term, header)
    sys.stdout.flush()


class MovieSort(enum.Enum):
    title = "title"
    year = "year"
    reviews = "reviews"
    votes = "votes"
    rating = "rating"


@app.command(
    epilog=examples(
        "movie movies",
        "movie movies --sort year -n 10",
        "movie movies --type movie --sort votes -n 20",
    )
)
def movies(
    ctx: typer.Context,
    sort: Annotated[
        MovieSort,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="title, year, reviews, votes or rating (IMDb's; these two list rated titles "
            "only, highest first).",
            case_sensitive=False,
        ),
    ] = MovieSort.title,
    kind: TypesOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """The catalog: every title with its rating and counts of cast, reviews and quotes, then
    its slug and (from IMDb) its type, rating and votes."""
    from movie import listings

    types = sorted(_title_types(kind) or ())
    with _open(ctx) as conn:
        _emit(ctx, listings.catalog_movies(conn, sort.value, _limit(limit), types), fmt, header)


@app.command(
    epilog=examples('movie episodes "The Simpsons"', "movie episodes tt0096697 --season 3 -f json")
)
def episodes(
    ctx: typer.Context,
    title: Annotated[
        str,
        typer.Argument(
            metavar="SERIES",
            shell_complete=completion.titles,
            help="The series: title, 'Title (Year)' or IMDb id (tt0096697).",
        ),
    ],
    year: YearOption = None,
    season: Annotated[
        int | None,
        typer.Option("--season", "-s", metavar="N", help="Only season N.", min=0, max=MAX_ROWS),
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """A series' episodes in order: season, episode, title, year, IMDb rating, votes and id."""
    from movie import listings
    from movie.choose import find_movie

    with _open(ctx) as conn:
        result = listings.episodes_of(conn, find_movie(conn, title, year), season, _limit(limit))
        _emit(ctx, result, fmt, header)


@app.command(
    epilog=examples(
        'movie akas "Amélie"', "movie akas tt0113277 --region IT", "movie akas Heat -f json"
    )
)
def akas(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    region: Annotated[
        str | None,
        typer.Option("--region", "-r", metavar="CODE", help="Only titles for this region: IT, US."),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option("--language", "-l", metavar="CODE", help="Only titles in this language: ja."),
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """A title's other titles (from IMDb's title.akas), in IMDb's order: region, language,
    title, types and attributes."""
    from movie import listings
    from movie.choose import choose_movie

    with _open(ctx) as conn:
        movie = choose_movie(conn, title, year)
        result = listings.akas_of(conn, movie, region, language, _limit(limit))
        _emit(ctx, result, fmt, header)


@app.command(epilog=examples('movie use "Leaving Las Vegas (1995)"', "movie use"))
def use(
    ctx: typer.Context,
    title: Annotated[
        str | None,
        typer.Argument(
            metavar="[TITLE]", help="The movie to use when a command is given no TITLE."
        ),
    ] = None,
    year: YearOption = None,
) -> None:
    """Set the default movie (kept in the catalog), or show it when given no TITLE."""
    from movie.choose import default_movie, find_movie
    from movie.writer import set_default_movie

    with _open(ctx, write=title is not None) as conn:
        if title is None:
            print(default_movie(conn).label)
            return
        movie = find_movie(conn, title, year)
        set_default_movie(conn, movie.slug)
    _say(f"Default movie: {movie.label}")


@app.command(
    epilog=examples("movie load", "movie load ./my-movies ./more-movies", "movie load --rebuild")
)
def load(
    ctx: typer.Context,
    directories: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[DIR]...",
            help="Folders of catalog CSVs (movies.csv, cast.csv, ...). Default: the bundled seed.",
            show_default=False,
        ),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Move the catalog file aside (to NAME.broken-<time>; nothing is deleted) and "
            "build a new one from the bundled seed, then load any DIRs into it.",
        ),
    ] = False,
) -> None:
    """Load (or reload) CSV folders into the catalog, all in one transaction.

    Rows are matched on their natural keys, so loading the same data twice changes nothing.
    """
    from movie.catalog import load_folders, rebuild_catalog
    from movie.schema import resource

    folders = [_path(d, "DIR") for d in directories or []]
    if rebuild:
        rebuild_catalog(_state(ctx).path, _say)
        if not folders:
            return
    dirs = folders or [resource("seed")]
    with _open(ctx, write=True) as conn:
        summary = load_folders(conn, dirs)
    _say(f"Loaded {summary.describe()} from {', '.join(str(d) for d in dirs)}.")


@app.command(
    "import",
    epilog=examples(
        'movie import "Leaving Las Vegas (1995).txt"',
        "movie import --dataset ~/Downloads/rotten-tomatoes",
        "movie import --imdb ~/Downloads/imdb",
        "movie import --imdb ~/Downloads/imdb --types movie,tvSeries --min-votes 100",
    ),
)
def import_pages(
    ctx: typer.Context,
    pages: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PAGE]...",
            help="Saved Rotten Tomatoes movie pages: as the browser saves them (Ctrl+S, HTML) "
            "or their copied text; - reads one from stdin.",
            show_default=False,
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            metavar="DIR",
            help="Import the public Rotten Tomatoes dataset instead: a folder holding "
            "rotten_tomatoes_movies.csv and rotten_tomatoes_critic_reviews.csv.",
        ),
    ] = None,
    imdb: Annotated[
        str | None,
        typer.Option(
            "--imdb",
            metavar="DIR",
            help="Import IMDb's datasets instead: a folder holding any of title.basics, "
            "title.ratings, title.episode, title.akas, title.crew, title.principals and "
            "name.basics (.tsv.gz or .tsv).",
        ),
    ] = None,
    types: Annotated[
        str | None,
        typer.Option(
            "--types",
            metavar="TYPE,...",
            help="With --imdb: only titles of these types (movie, short, tvSeries, tvEpisode, "
            "tvMovie, tvMiniSeries, tvSpecial, tvShort, video, videoGame, tvPilot).",
        ),
    ] = None,
    min_votes: Annotated[
        int,
        typer.Option(
            "--min-votes",
            metavar="N",
            min=0,
            max=MAX_ROWS,
            help="With --imdb: only titles with N votes or more.",
        ),
    ] = 0,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Parse and show what would be imported; write nothing."),
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Import saved Rotten Tomatoes pages: one movie each, with everything the page holds.

    Each page is one transaction; importing a page again updates its movie in place. A page
    that cannot be read is named on stderr, the others are still imported, and the exit status
    is 1.
    """
    from movie.card import card_of
    from movie.catalog import scratch_catalog
    from movie.choose import find_movie
    from movie.files import read_page
    from movie.output import write_card
    from movie.writer import import_record

    if (types is not None or min_votes) and imdb is None:
        raise UsageError("--types and --min-votes go with --imdb DIR")
    if dataset is not None or imdb is not None:
        if pages or dry_run or (dataset is not None and imdb is not None):
            raise UsageError(
                "--dataset and --imdb each import a folder; give one, with no PAGE and no --dry-run"
            )
        if imdb is not None:
            _import_imdb(ctx, _path(imdb, "--imdb"), _title_types(types), min_votes)
        else:
            _import_dataset(ctx, _path(dataset or "", "--dataset"))
        return
    for name in pages or []:
        _path(name, "PAGE")
    if not pages:
        raise UsageError("give one or more saved pages to import (or --dataset DIR)")
    term = _term(ctx)
    failed = 0
    with ExitStack() as stack:
        conn = None if dry_run else stack.enter_context(_open(ctx, write=True))
        for name in pages:
            interrupts.unshield()  # a Ctrl-C held back during the last page's COMMIT stops here
            try:
                page = _parse_page(read_page(name), "<stdin>" if name == "-" else name)
                for warning in page.warnings:
                    _say(f"{PROG}: warning: {warning}")
                if conn is None:
                    with closing(scratch_catalog()) as scratch:
                        import_record(scratch, page)
                        card_data = card_of(scratch, find_movie(scratch, page.slug))
                    if _state(ctx).messages_on_terminal and page.layout:
                        _say(f"Read {page.label} from {page.layout}.")
                    write_card(card_data, fmt or term.default_format(), sys.stdout, term)
                    continue
                merged = import_record(conn, page)
                if _state(ctx).messages_on_terminal:
                    source = f" from {page.layout}" if page.layout else ""
                    again = f"; saved before, merged ({merged})" if merged else ""
                    _say(f"Imported {page.label}{source}: {page.summary()}{again}.")
            except MovieError as exc:
                failed += 1
                _say(f"{PROG}: {with_hint(exc)}")
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


def _parse_page(data: bytes, name: str) -> "MovieRecord":
    """A saved page as the browser saved it (HTML) or as copied text: told apart by content."""
    from movie.sources.html_page import is_html, parse_html_page
    from movie.sources.text_page import parse_page

    return parse_html_page(data, name) if is_html(data) else parse_page(data, name)


def _title_types(typed: str | None) -> frozenset[str] | None:
    from movie.sources.imdb import TITLE_TYPES

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


def _fill_catalog(ctx: typer.Context, fill: Any) -> None:
    """A bulk import: into a catalog built aside at once when there is none yet, else into
    the catalog, in its write-ahead log: readers keep their snapshot and never wait, and a kill
    leaves the catalog as it was (the log's uncommitted pages are dropped)."""
    from movie.catalog import build_catalog, is_new

    if is_new(_state(ctx).path):
        build_catalog(_state(ctx).path, _say, then=fill)
        return
    with _open(ctx, write=True) as conn:
        fill(conn)


def _import_imdb(
    ctx: typer.Context, directory: Path, types: frozenset[str] | None, min_votes: int
) -> None:
    import time

    from movie.output import Progress
    from movie.sources.imdb import find_files
    from movie.sources.records import Report
    from movie.writer_imdb import ImdbOptions, import_imdb

    on_terminal = _state(ctx).messages_on_terminal
    files = find_files(directory)
    report = Report()
    progress = Progress("Importing", sys.stderr) if on_terminal else None
    started = time.monotonic()
    options = ImdbOptions(types, min_votes)
    try:
        _fill_catalog(
            ctx,
            lambda conn: import_imdb(
                conn, files, report, options, progress.share if progress else None
            ),
        )
    finally:
        if progress is not None:
            progress.done()
    for problem in report.problems():
        _say(f"{PROG}: warning: {problem}")
    if on_terminal:
        people = report.rows.get("people", 0)
        credits = report.rows.get("cast_credits", 0) + report.rows.get("crew", 0)
        _say(
            f"Imported {report.movies:,} titles, {people:,} people and {credits:,} credits "
            f"from {len(files)} IMDb files in {directory} in {time.monotonic() - started:.1f} s."
        )


def _import_dataset(ctx: typer.Context, directory: Path) -> None:
    import time

    from movie.output import Progress
    from movie.sources import rt_dataset
    from movie.sources.records import Report
    from movie.writer import BULK_BYTES, import_dataset

    on_terminal = _state(ctx).messages_on_terminal
    report = Report()
    size = rt_dataset.reviews_size(directory)
    movies = list(rt_dataset.read_movies(directory, report))
    progress = Progress("Importing critic reviews", sys.stderr) if on_terminal else None
    started = time.monotonic()

    def fill(conn: sqlite3.Connection) -> None:
        import_dataset(
            conn,
            movies,
            lambda: rt_dataset.read_reviews(directory, report),
            report,
            bulk_load=size > BULK_BYTES,
            progress=progress,
        )

    try:
        _fill_catalog(ctx, fill)
    finally:
        if progress is not None:
            progress.done()
    for problem in report.problems():
        _say(f"{PROG}: warning: {problem}")
    if on_terminal:
        _say(
            f"Imported {report.movies:,} movies and {report.rows.get('critic_reviews', 0):,} "
            f"critic reviews from {directory} in {time.monotonic() - started:.1f} s."
        )


@app.command(epilog=examples("movie export ./backup --all", 'movie export ./heat "Heat (1995)"'))
def export(
    ctx: typer.Context,
    directory: Annotated[
        str, typer.Argument(metavar="DIR", help="Folder for the CSV files (created if needed).")
    ],
    title: TitleArgument = None,
    year: YearOption = None,
    everything: AllOption = False,
) -> None:
    """Write movies out as the CSV files `movie load` reads (one movie, or --all).

    Files are UTF-8 with a header, rows sorted by their keys so that exports diff well.
    """
    from movie import listings
    from movie.sources.csv_folder import write_folder

    folder = _path(directory, "DIR")
    with _open(ctx) as conn:
        movie = _scope(conn, title, year, everything)
        counts = write_folder(folder, lambda table: listings.table_rows(conn, table, movie))
    what = "the whole catalog" if movie is None else movie.label
    movies = counts["movies.csv"]
    _say(
        f"Exported {what} to {folder}: {movies} movie{'' if movies == 1 else 's'} "
        f"in {len(counts)} files."
    )


class Kind(str, enum.Enum):
    quote = "quote"
    critic = "critic"
    audience = "audience"


@app.command(
    epilog=examples(
        "movie search drinking",
        'movie search --all "prickly pear" --kind quote',
        "movie search --all love -f json | jq -r '.[].movie' | sort | uniq -c",
    )
)
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help=SEARCH_HELP)],
    title: TitleArgument = None,
    year: YearOption = None,
    everything: AllOption = False,
    kinds: Annotated[
        list[Kind] | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="quote, critic or audience; repeat it for more than one [default: all three].",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Search quotes, critic reviews and audience reviews at once, best match first.

    Columns: kind, movie, who (character, critic or reviewer) and a snippet around the match
    (marked on a terminal).
    """
    from movie import listings

    term = _term(ctx)
    chosen = [k.value for k in kinds] if kinds else list(listings.SEARCH_KINDS)
    with _open(ctx) as conn, _time_limit(timeout):
        movie = _scope(conn, title, year, everything)
        _emit(
            ctx,
            listings.search_all(conn, movie, text, chosen, _limit(limit), term.mark(fmt)),
            fmt,
            header,
        )


@app.command(
    epilog=examples(
        'movie person "nicolas cage"', 'movie person figgis -f json | jq -r ".[].movie"'
    )
)
def person(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name or a unique part of it.")],
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Everything the catalog knows about a person: roles, directing and writing credits, and
    the quotes of the characters they played.

    Names match ignoring case and accents; a part of a name works when only one person has it.
    """
    from movie import listings

    with _open(ctx) as conn:
        _emit(ctx, listings.person_credits(conn, name, _limit(limit)), fmt, header)


@app.command(
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
    from movie.user_sql import run_sql

    with (
        _open(ctx, user_sql=True) as conn,
        _time_limit(timeout),
        interrupts.watchdog(conn.interrupt),
    ):
        _emit(ctx, run_sql(conn, query), fmt, header)


@app.command(epilog=examples("movie path", 'sqlite3 "$(movie path)" .tables'))
def path(ctx: typer.Context) -> None:
    """Print where the catalog file is (it may not exist yet)."""
    print(_state(ctx).path)


def keep_only_the_command_in(argv: Sequence[str]) -> None:
    """Let Typer build just the command being run: building all of them costs every start-up
    several milliseconds (and shell completion runs movie at every TAB). Help, --version,
    completion and anything unexpected keep the full app."""
    if os.environ.get("_MOVIE_COMPLETE"):
        return
    at = 0
    while at < len(argv) and argv[at].startswith("--db"):
        at += 1 if "=" in argv[at] else 2
    if at >= len(argv) or argv[at].startswith("-"):
        return
    chosen = [c for c in app.registered_commands if _command_name(c) == argv[at]]
    if chosen:
        app.registered_commands = chosen


def _command_name(command: Any) -> str:
    return str(command.name or command.callback.__name__.replace("_", "-"))


# ---------------------------------------------------------------- charts

chart_app = typer.Typer(
    name="chart",
    help="Pictures: a career, a film's reviews over time, critics against audiences, the "
    "catalog's spread. On a terminal the picture; piped (or with --format) the rows behind it.",
    epilog=examples(
        'movie chart career "Nicolas Cage"',
        "movie chart reviews --scores",
        "movie chart agreement --genre Horror",
        "movie chart catalog --by decade --type movie",
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(chart_app)


class Score(str, enum.Enum):
    imdb = "imdb"
    tomatometer = "tomatometer"
    audience = "audience"


class Against(str, enum.Enum):
    audience = "audience"
    imdb = "imdb"


class Spread(str, enum.Enum):
    year = "year"
    decade = "decade"
    genre = "genre"
    rating = "rating"


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the chart as an image (FILE.png or FILE.svg) instead; needs "
        "`pip install 'movie[charts]'`.",
        dir_okay=False,
    ),
]
ScoreOption = Annotated[
    Score | None,
    typer.Option(
        "--score",
        metavar="SCORE",
        help="imdb, tomatometer or audience [default: IMDb's rating where the catalog has it, "
        "else the Tomatometer].",
        case_sensitive=False,
        show_default=False,
    ),
]


def _chart(
    ctx: typer.Context,
    make: Callable[[sqlite3.Connection], "Chart"],
    fmt: Format | None,
    header: bool | None,
    output: Path | None,
    timeout: float | None,
) -> None:
    """A chart made on the catalog within the time limit, then shown: the picture on a
    terminal, an image with --output (its name checked before any work), else its rows."""
    from movie import plots

    if output is not None:
        plots.check_image_path(output)
    with _open(ctx) as conn, _time_limit(timeout):
        _show_chart(ctx, make(conn), fmt, header, output)


def _show_chart(
    ctx: typer.Context,
    chart: "Chart",
    fmt: Format | None,
    header: bool | None,
    output: Path | None,
) -> None:
    import shutil

    from movie import plots

    if output is not None:
        plots.save_image(chart, output)
        if _state(ctx).messages_on_terminal:
            _say(f"Wrote {output}.")
        return
    term = _term(ctx)
    if fmt is not None or not term.is_tty:
        _emit(ctx, chart.data, fmt, header)
        return
    lines = shutil.get_terminal_size((term.width, 24)).lines
    height = min(max(lines - 10, 8), 30)
    unicode = plots.can_show(sys.stdout.encoding)
    sys.stdout.write(plots.draw(chart, term.width, height, term.color, unicode) + "\n")
    sys.stdout.flush()


@chart_app.command(
    "career",
    epilog=examples(
        'movie chart career "Nicolas Cage"',
        "movie chart career nm0000115 --score tomatometer",
        'movie chart career "Nicolas Cage" -f csv > cage.csv',
    ),
)
def chart_career(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Full name, a unique part of it, or an IMDb id.")
    ],
    score: ScoreOption = None,
    kind: TypesOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", "-n", metavar="N", min=1, max=MAX_ROWS, help="Only the N best-known films."
        ),
    ] = None,
    output: OutputOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Every film of a person by year against its rating, the best and worst named. Films are
    movies, TV movies and videos unless --type says otherwise."""
    from movie import charts

    types = sorted(_title_types(kind) or ()) if kind else charts.CAREER_TYPES
    chosen = score.value if score else None

    def make(conn: sqlite3.Connection) -> "Chart":
        return charts.career(conn, name, chosen, types, _limit(limit))

    _chart(ctx, make, fmt, header, output, timeout)


@chart_app.command(
    "reviews",
    epilog=examples(
        "movie chart reviews",
        'movie chart reviews "Leaving Las Vegas" --scores',
        "movie chart reviews --all -f json",
    ),
)
def chart_reviews(
    ctx: typer.Context,
    title: TitleArgument = None,
    year: YearOption = None,
    everything: Annotated[
        bool, typer.Option("--all", "-a", help="The reviews of every movie in the catalog.")
    ] = False,
    scores: Annotated[
        bool,
        typer.Option(
            "--scores",
            help="The spread of the critics' original scores instead, each on 0-100 ('3.5/4', "
            "'7/10', letter grades from F = 0 to A+ = 100).",
        ),
    ] = False,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    output: OutputOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """A film's critic reviews per year, fresh and rotten, with the Tomatometer as it stood."""
    from movie import charts

    def make(conn: sqlite3.Connection) -> "Chart":
        movie = _scope(conn, title, year, everything)
        return (charts.review_scores if scores else charts.reviews_by_year)(conn, movie)

    _chart(ctx, make, fmt, header, output, timeout)


@chart_app.command(
    "agreement",
    epilog=examples(
        "movie chart agreement",
        "movie chart agreement --genre Horror --decade 1980s",
        "movie chart agreement --against imdb -n 10 -f csv",
    ),
)
def chart_agreement(
    ctx: typer.Context,
    genre: Annotated[
        str | None, typer.Option("--genre", "-g", metavar="GENRE", help="Only this genre.")
    ] = None,
    decade: Annotated[
        str | None,
        typer.Option("--decade", "-d", metavar="DECADE", help="Only this decade: 1990s, 90s."),
    ] = None,
    against: Annotated[
        Against,
        typer.Option(
            "--against",
            metavar="SCORE",
            help="What the Tomatometer is set against: audience (score) or imdb (rating).",
            case_sensitive=False,
        ),
    ] = Against.audience,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
    output: OutputOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Critics against audiences: one point per movie, the films they disagree on most named.
    The rows are the movies, the widest gap first."""
    from movie import charts

    def make(conn: sqlite3.Connection) -> "Chart":
        return charts.agreement(conn, genre, decade, against.value, _limit(limit))

    _chart(ctx, make, fmt, header, output, timeout)


@chart_app.command(
    "catalog",
    epilog=examples(
        "movie chart catalog --by decade",
        "movie chart catalog --by rating --type movie",
        "movie chart catalog --by genre --score tomatometer -f markdown",
    ),
)
def chart_catalog(
    ctx: typer.Context,
    by: Annotated[
        Spread,
        typer.Option(
            "--by",
            metavar="WHAT",
            help="year, decade (titles in each), rating (a histogram) or genre (the average "
            "rating of each).",
            case_sensitive=False,
        ),
    ] = Spread.decade,
    kind: TypesOption = None,
    score: ScoreOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            min=1,
            max=MAX_ROWS,
            help="At most N bars (years, genres).",
        ),
    ] = None,
    output: OutputOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """How the catalog is spread: titles per year or decade, ratings, ratings per genre."""
    from movie import charts

    types = sorted(_title_types(kind) or ())
    chosen = score.value if score else None

    def make(conn: sqlite3.Connection) -> "Chart":
        return charts.catalog(conn, by.value, types, chosen, _limit(limit))

    _chart(ctx, make, fmt, header, output, timeout)
