"""Commands that read about a film or a person: cast, reviews, quotes, card, episodes, akas,
person."""

import sys
from typing import Annotated

import typer

from movie import completion
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
    YearOption,
    chosen_movie,
    chosen_person,
    emit,
    examples,
    limit_of,
    opened,
    scope_of,
    term_of,
    time_limit,
)
from movie.errors import UsageError

commands = Commands()


@commands.command(
    epilog=examples("movie cast | head -5", 'movie cast --all --actor "nicolas cage"')
)
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
    from movie.read import listings

    with opened(ctx) as conn:
        movie = scope_of(conn, title, year, everything)
        emit(ctx, listings.cast_of(conn, movie, actor, character, limit_of(limit)), fmt, header)


@commands.command(
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
    from movie.read import listings

    if top and audience:
        raise UsageError("--top is for critic reviews; it does not go with --audience")
    term = term_of(ctx)
    mark = term.mark(fmt)
    with opened(ctx) as conn, time_limit(timeout, search is not None):
        movie = scope_of(conn, title, year, everything)
        if audience:
            result = listings.audience_reviews(conn, movie, search, limit_of(limit), mark)
        else:
            result = listings.critic_reviews(conn, movie, top, search, limit_of(limit), mark)
        emit(ctx, result, fmt, header)


@commands.command(
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
    from movie.read import listings

    term = term_of(ctx)
    with opened(ctx) as conn, time_limit(timeout, search is not None):
        movie = scope_of(conn, title, year, everything)
        result = listings.quotes_of(conn, movie, search, character, limit_of(limit), term.mark(fmt))
        emit(ctx, result, fmt, header)


@commands.command(
    epilog=examples("movie card", 'movie card "leaving las vegas" -f json | jq .critics')
)
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
    from movie.output.card import write_card
    from movie.read.card import card_of

    term = term_of(ctx)
    with opened(ctx) as conn:
        data = card_of(conn, chosen_movie(conn, title, year))
    write_card(data, fmt or term.default_format(), sys.stdout, term, header)
    sys.stdout.flush()


@commands.command(
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
    from movie.read import listings

    with opened(ctx) as conn:
        movie = chosen_movie(conn, title, year, default=False)
        result = listings.episodes_of(conn, movie, season, limit_of(limit))
        emit(ctx, result, fmt, header)


@commands.command(
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
    from movie.read import listings

    with opened(ctx) as conn:
        movie = chosen_movie(conn, title, year)
        result = listings.akas_of(conn, movie, region, language, limit_of(limit))
        emit(ctx, result, fmt, header)


@commands.command(
    epilog=examples(
        'movie person "nicolas cage"', 'movie person figgis -f json | jq -r ".credits[].movie"'
    )
)
def person(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name or a unique part of it.")],
    fmt: FormatOption = None,
    header: HeaderOption = None,
    limit: LimitOption = None,
) -> None:
    """Everything the catalog knows about a person: who they are (on a terminal, and as the
    `person` object of JSON), then their roles, crew credits and the quotes of the characters
    they played, by year, each with the title's id and type; episodes under their series.

    Names match ignoring case and accents; else the words of a name, in any order, as `movie
    find` finds them, when they clearly mean one person.
    """
    from movie.output import write_headed
    from movie.output.person import person_lines
    from movie.read import listings

    term = term_of(ctx)
    with opened(ctx) as conn:
        person = chosen_person(conn, name)
        summary = listings.person_summary(conn, person)
        credits = listings.person_credits(conn, person, limit_of(limit))
        head = ("person", summary, person_lines(summary))
        write_headed(
            head, "credits", credits, fmt or term.default_format(), sys.stdout, term, header
        )
        sys.stdout.flush()
