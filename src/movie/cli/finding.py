"""Commands that find across the catalog: movies (the catalog, filtered and sorted), find (titles
and people by their words) and search (quotes and reviews by their text)."""

import enum
from typing import Annotated

import typer

from movie.cli.common import (
    MAX_ROWS,
    SEARCH_HELP,
    AllOption,
    Commands,
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
    scope_of,
    term_of,
    time_limit,
    title_types,
    years_of,
)
from movie.errors import UsageError

commands = Commands()


class MovieSort(enum.Enum):
    title = "title"
    year = "year"
    rating = "rating"
    votes = "votes"
    reviews = "reviews"
    cast = "cast"
    audience = "audience"
    quotes = "quotes"
    slug = "slug"
    type = "type"


@commands.command(
    epilog=examples(
        "movie movies",
        "movie movies --sort year -n 10",
        "movie movies --type movie --sort votes -n 20",
        "movie movies --watchlist --genre Drama --sort rating",
    )
)
def movies(
    ctx: typer.Context,
    sort: Annotated[
        MovieSort,
        typer.Option(
            "--sort",
            metavar="KEY",
            help="title, year, rating, votes, reviews, cast, audience, quotes, slug or type "
            "(rating and votes are IMDb's, and list rated titles only).",
            case_sensitive=False,
        ),
    ] = MovieSort.title,
    descending: Annotated[
        bool | None,
        typer.Option(
            "--desc/--asc",
            help="Which way to sort [default: names A to Z, years newest first, numbers "
            "highest first; undated titles last].",
            show_default=False,
        ),
    ] = None,
    kind: TypesOption = None,
    genres: Annotated[
        list[str] | None,
        typer.Option(
            "--genre",
            "-g",
            metavar="GENRE",
            help="Only titles of this genre; repeat it for all of several.",
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--year",
            "-y",
            metavar="YEARS",
            help="Only titles of these years: 1995, 1990..1999, 2010.., ..1950.",
        ),
    ] = None,
    min_rating: Annotated[
        float | None,
        typer.Option(
            "--min-rating", metavar="R", min=0.0, max=10.0, help="Only titles IMDb rates R or more."
        ),
    ] = None,
    min_votes: Annotated[
        int | None,
        typer.Option(
            "--min-votes",
            metavar="N",
            min=0,
            max=MAX_ROWS,
            help="Only titles with N IMDb votes or more.",
        ),
    ] = None,
    credited: Annotated[
        str | None,
        typer.Option(
            "--with",
            metavar="NAME",
            help="Only titles crediting this person (cast or crew): a name or an nm id.",
        ),
    ] = None,
    director: Annotated[
        str | None,
        typer.Option(
            "--director",
            metavar="NAME",
            help="Only titles this person directed: a name or an nm id.",
        ),
    ] = None,
    seen: Annotated[
        bool | None,
        typer.Option(
            "--seen/--unseen",
            help="Only titles you saw (a viewing or a rating), or not.",
            show_default=False,
        ),
    ] = None,
    rated: Annotated[bool, typer.Option("--rated", help="Only titles you rated.")] = False,
    listed: Annotated[
        bool, typer.Option("--watchlist", help="Only titles on your watchlist.")
    ] = False,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
    timeout: TimeoutOption = None,
) -> None:
    """The catalog: every title with its rating and counts of cast, reviews and quotes, then
    its slug and (from IMDb) its type, rating and votes. The filters combine: all must hold."""
    from movie.read import movies as movies_of

    types = sorted(title_types(kind) or ())
    with opened(ctx) as conn, time_limit(timeout):
        filters = movies_of.Filters(
            types=types,
            genres=genres or (),
            years=years_of(years),
            min_rating=min_rating,
            min_votes=min_votes,
            credited=chosen_person(conn, credited) if credited is not None else None,
            director=chosen_person(conn, director) if director is not None else None,
            mine=[
                name
                for name, wanted in (
                    ("seen", seen is True),
                    ("unseen", seen is False),
                    ("rated", rated),
                    ("watchlist", listed),
                )
                if wanted
            ],
        )
        result = movies_of.catalog_movies(
            conn, sort.value, limit_of(limit), filters=filters, descending=descending
        )
        emit(ctx, result, fmt, header)


class Kind(str, enum.Enum):
    quote = "quote"
    critic = "critic"
    audience = "audience"


@commands.command(
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
    from movie.read import listings

    term = term_of(ctx)
    chosen = [k.value for k in kinds] if kinds else list(listings.SEARCH_KINDS)
    with opened(ctx) as conn, time_limit(timeout):
        movie = scope_of(conn, title, year, everything)
        emit(
            ctx,
            listings.search_all(conn, movie, text, chosen, limit_of(limit), term.mark(fmt)),
            fmt,
            header,
        )


@commands.command(
    epilog=examples(
        "movie find shawshank",
        'movie find "road of the dead" --titles',
        "movie find smith --people -n 5",
        "movie find wyrmwod -f json | jq -r '.[0].id'",
    )
)
def find(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORDS...", help="Words of a title or a name, in any order."),
    ],
    titles: Annotated[bool, typer.Option("--titles", help="Only titles.")] = False,
    people: Annotated[bool, typer.Option("--people", help="Only people.")] = False,
    types: TypesOption = None,
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            min=0,
            max=MAX_ROWS,
            help="At most N rows [default: 20].",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOption = None,
) -> None:
    """Titles and people whose names hold all the words, best known first.

    A title is found by its own, original or alternate titles; case, accents, punctuation and
    leading articles do not matter, and the last word may be the start of one. Films rank by
    IMDb votes (then critic counts), people by the votes of their known-for titles. When the
    words match nothing, the titles and names that look most like them are shown (a typo).

    Columns: kind (title or person), id (tt..., nm..., or a page movie's slug), name, year(s),
    type (a person's professions), votes, and the alternate title that matched, with its region.
    """
    from movie.read import listings

    if titles and people:
        raise UsageError("give --titles or --people, not both")
    if people and types is not None:
        raise UsageError("--type picks titles; it cannot go with --people")
    with opened(ctx) as conn, time_limit(timeout):
        result = listings.found(
            conn,
            " ".join(words),
            titles=not people,
            people=not titles,
            types=title_types(types),
            limit=20 if limit is None else limit,
        )
        emit(ctx, result, fmt, header)
