"""movie chart: the group and its four charts."""

import enum
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from movie.cli.common import (
    MAX_ROWS,
    FormatOption,
    HeaderOption,
    LimitOption,
    TimeoutOption,
    TitleArgument,
    TypesOption,
    YearOption,
    chosen_person,
    emit,
    examples,
    limit_of,
    opened,
    say,
    scope_of,
    state_of,
    term_of,
    time_limit,
    title_types,
)
from movie.output import Format
from movie.results import Chart
from movie.vocabulary import Score

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
    make: Callable[[sqlite3.Connection], Chart],
    fmt: Format | None,
    header: bool | None,
    output: Path | None,
    timeout: float | None,
) -> None:
    """A chart made on the catalog within the time limit, then shown: the picture on a
    terminal, an image with --output (its name checked before any work), else its rows."""
    from movie.output import plots

    if output is not None:
        plots.check_image_path(output)
    with opened(ctx) as conn, time_limit(timeout):
        _show_chart(ctx, make(conn), fmt, header, output)


def _show_chart(
    ctx: typer.Context,
    chart: Chart,
    fmt: Format | None,
    header: bool | None,
    output: Path | None,
) -> None:
    import shutil

    from movie.output import plots

    if output is not None:
        plots.save_image(chart, output)
        if state_of(ctx).messages_on_terminal:
            say(f"Wrote {output}.")
        return
    term = term_of(ctx)
    if fmt is not None or not term.is_tty:
        emit(ctx, chart.data, fmt, header)
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
    from movie.read import charts

    types = sorted(title_types(kind) or ()) if kind else charts.CAREER_TYPES
    chosen = score.value if score else None

    def make(conn: sqlite3.Connection) -> Chart:
        return charts.career(conn, chosen_person(conn, name), chosen, types, limit_of(limit))

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
    from movie.read import charts

    def make(conn: sqlite3.Connection) -> Chart:
        movie = scope_of(conn, title, year, everything)
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
    from movie.read import charts

    def make(conn: sqlite3.Connection) -> Chart:
        return charts.agreement(conn, genre, decade, against.value, limit_of(limit))

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
    from movie.read import charts

    types = sorted(title_types(kind) or ())
    chosen = score.value if score else None

    def make(conn: sqlite3.Connection) -> Chart:
        return charts.catalog(conn, by.value, types, chosen, limit_of(limit))

    _chart(ctx, make, fmt, header, output, timeout)


class MeView(str, enum.Enum):
    ratings = "ratings"
    months = "months"
    histogram = "histogram"
    decades = "decades"


@chart_app.command(
    "me",
    epilog=examples(
        "movie chart me",
        "movie chart me --view months",
        "movie chart me --view histogram -o ratings.png",
    ),
)
def chart_me(
    ctx: typer.Context,
    view: Annotated[
        MeView,
        typer.Option(
            "--view",
            metavar="VIEW",
            help="ratings (yours against IMDb's), months (viewings per month), histogram "
            "(your ratings) or decades (films seen by decade of release).",
            case_sensitive=False,
        ),
    ] = MeView.ratings,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    output: OutputOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Your films: your ratings against IMDb's (the line where you agree, the widest
    disagreements named), viewings per month, your ratings, or decades."""
    from movie.read.charts_me import chart_of_me

    _chart(ctx, lambda conn: chart_of_me(conn, view.value), fmt, header, output, timeout)
