"""Commands that write: use, load, import (pages, the RT dataset, IMDb) and export."""

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import typer

from movie import interrupts
from movie.cli.common import (
    MAX_ROWS,
    PROG,
    AllOption,
    Commands,
    FormatOption,
    TitleArgument,
    YearOption,
    chosen_movie,
    examples,
    opened,
    path_of,
    say,
    scope_of,
    state_of,
    term_of,
    title_types,
    with_hint,
)
from movie.errors import ExitStatus, MovieError, UsageError

commands = Commands()


@commands.command(epilog=examples('movie use "Leaving Las Vegas (1995)"', "movie use"))
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
    from movie.read.choose import default_movie
    from movie.writer.common import set_default_movie

    with opened(ctx, write=title is not None) as conn:
        if title is None:
            print(default_movie(conn).label)
            return
        movie = chosen_movie(conn, title, year, default=False)
        set_default_movie(conn, movie.slug)
    say(f"Default movie: {movie.label}")


@commands.command(
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
    from movie.store.schema import resource

    folders = [path_of(d, "DIR") for d in directories or []]
    if rebuild:
        rebuild_catalog(state_of(ctx).path, say)
        if not folders:
            return
    dirs = folders or [resource("seed")]
    with opened(ctx, write=True) as conn:
        summary = load_folders(conn, dirs)
    say(f"Loaded {summary.describe()} from {', '.join(str(d) for d in dirs)}.")


@commands.command(
    "import",
    epilog=examples(
        'movie import "Leaving Las Vegas (1995).txt"',
        "movie import ~/Downloads/letterboxd-filmfan-2024-06-01-09-12-utc.zip",
        "movie import --dataset ~/Downloads/rotten-tomatoes",
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
            "or their copied text; - reads one from stdin. Or your history: a Letterboxd "
            "export (the zip, its folder or one of its CSVs) or an IMDb ratings, list or "
            "watchlist export.",
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
    """Import saved Rotten Tomatoes pages (one movie each, with everything the page holds), or
    your history: a Letterboxd export or an IMDb ratings, list or watchlist export.

    Each page or export is one transaction; importing it again updates in place. One that
    cannot be read is named on stderr, the others are still imported, and the exit status is 1.
    """
    from movie import imports
    from movie.output.card import write_card

    if (types is not None or min_votes) and imdb is None:
        raise UsageError("--types and --min-votes go with --imdb DIR")
    if dataset is not None or imdb is not None:
        if pages or dry_run or (dataset is not None and imdb is not None):
            raise UsageError(
                "--dataset and --imdb each import a folder; give one, with no PAGE and no --dry-run"
            )
        if imdb is not None:
            _import_imdb(ctx, path_of(imdb, "--imdb"), title_types(types), min_votes)
        else:
            _import_dataset(ctx, path_of(dataset or "", "--dataset"))
        return
    for name in pages or []:
        path_of(name, "PAGE")
    if not pages:
        raise UsageError("give one or more saved pages to import (or --dataset DIR)")
    term = term_of(ctx)
    failed = 0
    with ExitStack() as stack:
        conn = None if dry_run else stack.enter_context(opened(ctx, write=True))
        for name in pages:
            interrupts.unshield()  # a Ctrl-C held back during the last page's COMMIT stops here
            try:
                history = imports.read_history(name)
                if history is not None:
                    if conn is None:
                        raise MovieError(f"{name}: --dry-run reads saved pages, not exports")
                    _report_history(ctx, name, history, imports.import_history(conn, history))
                    continue
                page = imports.read_saved_page(name)
                for warning in page.warnings:
                    say(f"{PROG}: warning: {warning}")
                if conn is None:
                    card_data = imports.preview_page(page)
                    if state_of(ctx).messages_on_terminal and page.layout:
                        say(f"Read {page.label} from {page.layout}.")
                    write_card(card_data, fmt or term.default_format(), sys.stdout, term)
                    continue
                merged = imports.import_page(conn, page)
                if state_of(ctx).messages_on_terminal:
                    source = f" from {page.layout}" if page.layout else ""
                    again = f"; saved before, merged ({merged})" if merged else ""
                    say(f"Imported {page.label}{source}: {page.summary()}{again}.")
            except MovieError as exc:
                failed += 1
                say(f"{PROG}: {with_hint(exc)}")
    if failed:
        raise typer.Exit(ExitStatus.ERROR)


def _report_history(ctx: typer.Context, name: str, export: Any, done: Any) -> None:
    """What importing your history did: entries by kind, how they matched, the ones not
    matched (always: they are kept and matched again after each import), the files not read."""
    from movie.output.mine import history_lines

    summary, unmatched = history_lines(name, export, done)
    if state_of(ctx).messages_on_terminal:
        for line in summary:
            say(line)
    for line in unmatched:
        say(f"{PROG}: warning: {line}")


def _warn_of(problems: list[str]) -> None:
    """What a bulk import passed over, a warning each (counted, with a first example)."""
    for problem in problems:
        say(f"{PROG}: warning: {problem}")


def _import_imdb(
    ctx: typer.Context, directory: Path, types: frozenset[str] | None, min_votes: int
) -> None:
    from movie import imports
    from movie.output import Progress

    on_terminal = state_of(ctx).messages_on_terminal
    progress = Progress("Importing", sys.stderr) if on_terminal else None
    try:
        done = imports.import_imdb_folder(
            state_of(ctx).path,
            directory,
            lambda: opened(ctx, write=True),
            say,
            types,
            min_votes,
            progress.share if progress else None,
        )
    finally:
        if progress is not None:
            progress.done()
    report = done.report
    _warn_of(report.problems())
    if on_terminal:
        people = report.rows.get("people", 0)
        credits = report.rows.get("cast_credits", 0) + report.rows.get("crew", 0)
        say(
            f"Imported {report.movies:,} titles, {people:,} people and {credits:,} credits "
            f"from {done.files} IMDb files in {directory} in {done.seconds:.1f} s."
        )


def _import_dataset(ctx: typer.Context, directory: Path) -> None:
    from movie import imports
    from movie.output import Progress

    on_terminal = state_of(ctx).messages_on_terminal
    progress = Progress("Importing critic reviews", sys.stderr) if on_terminal else None
    try:
        done = imports.import_dataset_folder(
            state_of(ctx).path, directory, lambda: opened(ctx, write=True), say, progress
        )
    finally:
        if progress is not None:
            progress.done()
    report = done.report
    _warn_of(report.problems())
    if on_terminal:
        say(
            f"Imported {report.movies:,} movies and {report.rows.get('critic_reviews', 0):,} "
            f"critic reviews from {directory} in {done.seconds:.1f} s."
        )


@commands.command(
    epilog=examples("movie export ./backup --all", 'movie export ./heat "Heat (1995)"')
)
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
    from movie.catalog import export_folder

    folder = path_of(directory, "DIR")
    with opened(ctx) as conn:
        movie = scope_of(conn, title, year, everything)
        counts = export_folder(conn, folder, movie)
    what = "the whole catalog" if movie is None else movie.label
    movies = counts["movies.csv"]
    say(
        f"Exported {what} to {folder}: {movies} movie{'' if movies == 1 else 's'} "
        f"in {len(counts)} files."
    )
