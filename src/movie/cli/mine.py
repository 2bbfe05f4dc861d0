"""Your films: rate, seen and watchlist write your own entries; diary, ratings and watchlist
list them (your Letterboxd and IMDb history comes in through `movie import`)."""

import enum
from typing import Annotated

import typer

from movie import completion
from movie.cli.common import (
    MAX_ROWS,
    Commands,
    FormatOption,
    HeaderOption,
    LimitOption,
    TimeoutOption,
    TypesOption,
    YearOption,
    chosen_movie,
    emit,
    examples,
    limit_of,
    opened,
    say,
    term_of,
    time_limit,
    title_types,
)
from movie.errors import MovieError, UsageError

commands = Commands()

OnOption = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="The day (2024-05-01) [default: today]."),
]
DescendingOption = Annotated[
    bool | None,
    typer.Option(
        "--desc/--asc",
        help="Which way to sort [default: titles A to Z, the rest highest or newest first].",
        show_default=False,
    ),
]


def _day(typed: str | None) -> str:
    """An ISO date from --on, or today's."""
    import datetime

    from movie.dates import read_date

    if typed is None:
        return datetime.date.today().isoformat()
    iso, _ = read_date(typed)
    if iso is None:
        raise UsageError(f"--on {typed!r} is not a date (give it as 2024-05-01)")
    return iso


def _shown(rating: float, scale: int) -> str:
    return f"{rating / 2:g}/5" if scale == 5 else f"{rating:g}/10"


@commands.command(epilog=examples('movie rate "Heat (1995)" 9', "movie rate heat 4.5/5"))
def rate(
    ctx: typer.Context,
    title: Annotated[
        str,
        typer.Argument(
            metavar="TITLE", shell_complete=completion.titles, help="The movie you rate."
        ),
    ],
    rating: Annotated[
        str,
        typer.Argument(
            metavar="RATING", help="1 to 10 (8, 7.5), or stars out of 5 (4/5, 3.5★, 3.5*)."
        ),
    ],
    year: YearOption = None,
    on: OnOption = None,
) -> None:
    """Rate a movie: stored on IMDb's 10-point scale, with the scale you gave it in. Rating it
    again here replaces the rating you gave here before."""
    from movie.writer.mine import parse_rating
    from movie.writer.mine import rate as write_rating

    value, scale = parse_rating(rating)
    day = _day(on)
    with opened(ctx, write=True) as conn:
        movie = chosen_movie(conn, title, year, default=False)
        write_rating(conn, movie.id, value, scale, day)
    say(f"Rated {movie.label} {_shown(value, scale)} on {day}.")


@commands.command(
    epilog=examples(
        'movie seen "Heat (1995)"', "movie seen heat --on 2024-05-01 --tag cinema --rating 9"
    )
)
def seen(
    ctx: typer.Context,
    title: Annotated[
        str,
        typer.Argument(
            metavar="TITLE", shell_complete=completion.titles, help="The movie you watched."
        ),
    ],
    year: YearOption = None,
    on: OnOption = None,
    tags: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", metavar="TAG", help="A tag for the viewing; repeatable."),
    ] = None,
    rating: Annotated[
        str | None,
        typer.Option("--rating", "-r", metavar="RATING", help="Your rating that day (as rate)."),
    ] = None,
) -> None:
    """Log a viewing of a movie in your diary (a rewatch when you had seen it before)."""
    from movie.writer.mine import parse_rating
    from movie.writer.mine import seen as write_viewing

    value, scale = parse_rating(rating) if rating is not None else (None, None)
    day, today = _day(on), _day(None)
    cleaned = [tag.strip() for tag in tags or [] if tag.strip()]
    with opened(ctx, write=True) as conn:
        movie = chosen_movie(conn, title, year, default=False)
        again = write_viewing(conn, movie.id, day, ", ".join(cleaned) or None, value, scale, today)
    rated = f", rated {_shown(value, scale)}" if value is not None and scale else ""
    say(f"Logged a viewing of {movie.label} on {day}{' (a rewatch)' if again else ''}{rated}.")


class DiarySort(enum.Enum):
    date = "date"
    title = "title"


@commands.command(
    epilog=examples("movie diary", "movie diary --year 2024 --tag cinema", "movie diary -f csv")
)
def diary(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", metavar="YEAR", help="Only viewings in this year."),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only viewings tagged so.")
    ] = None,
    sort: Annotated[
        DiarySort, typer.Option("--sort", metavar="KEY", help="date or title.")
    ] = DiarySort.date,
    descending: DescendingOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Your viewings, newest first: the day, the film, your rating that day (out of 10), rewatch
    and tags; then the film's slug where it is in the catalog."""
    from movie.read import mine

    with opened(ctx) as conn:
        result = mine.diary(conn, year, tag, sort.value, descending, limit_of(limit))
        emit(ctx, result, fmt, header)


class RatingSort(enum.Enum):
    rating = "rating"
    date = "date"
    title = "title"
    year = "year"
    imdb = "imdb"
    difference = "difference"


@commands.command(
    epilog=examples(
        "movie ratings",
        "movie ratings --sort difference -n 10",
        "movie ratings --sort difference --asc -n 10",
    )
)
def ratings(
    ctx: typer.Context,
    sort: Annotated[
        RatingSort,
        typer.Option(
            "--sort", metavar="KEY", help="rating, date, title, year, imdb or difference."
        ),
    ] = RatingSort.rating,
    descending: DescendingOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Your ratings, a row per film (the latest you gave, out of 10), with IMDb's rating, how
    far yours is from it, and the Tomatometer; then the film's slug."""
    from movie.read import mine

    with opened(ctx) as conn:
        emit(ctx, mine.ratings(conn, sort.value, descending, limit_of(limit)), fmt, header)


class WatchlistSort(enum.Enum):
    added = "added"
    votes = "votes"
    rating = "rating"
    year = "year"
    runtime = "runtime"
    title = "title"


@commands.command(
    epilog=examples(
        "movie watchlist",
        "movie watchlist --sort rating",
        'movie watchlist add "Heat (1995)"',
        "movie watchlist remove heat",
    )
)
def watchlist(
    ctx: typer.Context,
    action: Annotated[
        str | None,
        typer.Argument(metavar="[add|remove]", help="Add a TITLE or remove it; none: list."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Argument(
            metavar="[TITLE]", shell_complete=completion.titles, help="The movie to add or remove."
        ),
    ] = None,
    year: YearOption = None,
    sort: Annotated[
        WatchlistSort,
        typer.Option("--sort", metavar="KEY", help="added, votes, rating, year, runtime or title."),
    ] = WatchlistSort.added,
    descending: DescendingOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Your watchlist (the films you want to see), or add or remove one."""
    from movie.read import mine
    from movie.writer import mine as write

    if action is None:
        with opened(ctx) as conn:
            result = mine.watchlist(conn, sort.value, descending, limit_of(limit))
            emit(ctx, result, fmt, header)
        return
    if action not in ("add", "remove"):
        raise UsageError(f"{action!r}: give add or remove, then a TITLE (or nothing, to list)")
    if title is None:
        raise UsageError(f"watchlist {action} needs a TITLE")
    with opened(ctx, write=True) as conn:
        movie = chosen_movie(conn, title, year, default=False)
        if action == "add":
            added = write.add_to_watchlist(conn, movie.id, _day(None))
            say(
                f"{'Added' if added else 'Already there:'} {movie.label}"
                + (" to your watchlist." if added else " is on your watchlist.")
            )
            return
        if not write.remove_from_watchlist(conn, movie.id):
            raise MovieError(f"{movie.label} is not on your watchlist")
    say(f"Removed {movie.label} from your watchlist.")


@commands.command(
    epilog=examples("movie me", "movie me -f json | jq '.[] | select(.section == \"you\")'")
)
def me(
    ctx: typer.Context,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """Your films in one summary: films seen, viewings, hours, films rated and your average; by
    year watched and by decade of release; the directors and actors you watch most and rate
    highest (from two films); where you differ most from IMDb's users and from the critics."""
    import sys

    from movie.output.mine import write_sections
    from movie.read.me import me as summary_of

    term = term_of(ctx)
    with opened(ctx) as conn, time_limit(timeout):
        write_sections(summary_of(conn), fmt or term.default_format(), sys.stdout, term, header)
        sys.stdout.flush()


class From(enum.Enum):
    catalog = "catalog"
    watchlist = "watchlist"


@commands.command(
    "next",
    epilog=examples(
        "movie next",
        "movie next --from watchlist -n 5",
        "movie next --genre Crime --max-runtime 120",
    ),
)
def next_film(
    ctx: typer.Context,
    source: Annotated[
        From,
        typer.Option(
            "--from", metavar="WHERE", help="catalog (any film you have not seen) or watchlist."
        ),
    ] = From.catalog,
    kind: TypesOption = "movie",
    genres: Annotated[
        list[str] | None,
        typer.Option("--genre", "-g", metavar="GENRE", help="Only this genre; repeatable."),
    ] = None,
    max_runtime: Annotated[
        int | None,
        typer.Option("--max-runtime", metavar="MIN", min=1, help="Only films this short."),
    ] = None,
    min_votes: Annotated[
        int,
        typer.Option(
            "--min-votes",
            metavar="N",
            min=0,
            max=MAX_ROWS,
            help="From the catalog, only films with N IMDb votes or more; twice N is also the "
            "weight a film's rating needs to count fully.",
        ),
    ] = 1000,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", min=1, max=10_000, help="How many.")
    ] = 20,
    timeout: TimeoutOption = None,
) -> None:
    """Films you have not seen, ranked for you from your ratings, each with its reason.

    Your taste is how far your ratings of each director, writer, top-billed actor and genre are
    from your mean (shrunk where you rated few); a film's score is its quality (IMDb's rating
    weighed by its votes, and the Tomatometer) plus its people's and genres' taste. The README
    states the method and how well it does."""
    from movie.read.movies import genre_named
    from movie.read.recommend import next_films

    types = sorted(title_types(kind) or ())
    with opened(ctx) as conn, time_limit(timeout):
        chosen = [genre_named(conn, genre) for genre in genres or []]
        result = next_films(
            conn,
            limit=limit,
            source=source.value,
            types=types,
            genres=chosen,
            max_runtime=max_runtime,
            min_votes=min_votes,
        )
        emit(ctx, result, fmt, header)
