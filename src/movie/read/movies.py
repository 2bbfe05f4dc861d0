"""`movie movies`: the catalog's titles, filtered (types, genres, years, rating, votes, who is
credited, who directed) and sorted by any column, each combination read through an index."""

import sqlite3
from collections.abc import Sequence
from typing import Any, NamedTuple

from movie.errors import MovieError
from movie.read import listings
from movie.read.choose import Person
from movie.read.mine import MINE_FILTERS
from movie.results import NO_LIMIT, Result

# `movie movies --sort KEY`: the order (DIRECTION is ASC or DESC) and which way it goes
# without --asc or --desc: names A to Z, years newest first, numbers highest first. Undated
# titles come last either way. votes and rating (IMDb's) list rated titles only, read in the
# order of a partial index.
MOVIE_SORTS = {
    "title": ("m.title_key {d}, m.year", "ASC"),
    "year": ("m.year IS NULL, m.year {d}, m.title_key", "DESC"),
    "votes": ("m.imdb_votes {d}, m.title_key", "DESC"),
    "rating": ("m.imdb_rating {d}, m.imdb_votes DESC, m.title_key", "DESC"),
    "reviews": ("reviews {d}, m.title_key, m.year", "DESC"),
    "cast": ('"cast" {d}, m.title_key, m.year', "DESC"),
    "audience": ("audience {d}, m.title_key, m.year", "DESC"),
    "quotes": ("quotes {d}, m.title_key, m.year", "DESC"),
    "slug": ("m.slug {d}", "ASC"),
    "type": ("m.title_type IS NULL, m.title_type {d}, m.title_key, m.year", "ASC"),
}
RATED_SORTS = ("votes", "rating")
# A genre counts as common when it has at least this share of the rated titles' genres: a
# listing then walks an index in its own order (rated titles by rating or votes, titles by name)
# and checks each title's genre (the first 20 of a common genre are near the start), where
# reading every title of the genre would look up and sort hundreds of thousands (1.1-1.5 s for
# Drama at 12 million titles). A rare genre's titles are fewer than that walk: they are read
# from the genre's index.
COMMON_GENRE = 0.01


class Filters(NamedTuple):
    """What `movie movies` keeps: titles of these types, with every one of these genres, made
    in these years (first, last), rated at least so high by at least so many, crediting this
    person (anyone: cast or crew) and directed by this one."""

    types: Sequence[str] = ()
    genres: Sequence[str] = ()
    years: tuple[int, int] | None = None
    min_rating: float | None = None
    min_votes: int | None = None
    credited: Person | None = None
    director: Person | None = None
    mine: Sequence[str] = ()  # seen, unseen, rated, watchlist: your films (read.mine)


def _credits_sql(person: Person, role: str | None, params: dict[str, Any], key: str) -> str:
    """The ids of the movies crediting a person (as `role` only, where given): by IMDb id, and
    by the name a page gives where no IMDb person is linked; each part reads an index."""
    params[f"{key}_id"], params[f"{key}_name"] = person.id, person.name
    crew_role = f" AND role = '{role}'" if role else ""
    parts = [f"SELECT movie_id FROM crew WHERE name = :{key}_name AND person_id IS NULL{crew_role}"]
    if role is None:
        parts.append(
            f"SELECT movie_id FROM cast_credits WHERE actor = :{key}_name AND person_id IS NULL"
        )
    if person.id is not None:
        parts.append(f"SELECT movie_id FROM crew WHERE person_id = :{key}_id{crew_role}")
        if role is None:
            parts.append(f"SELECT movie_id FROM cast_credits WHERE person_id = :{key}_id")
    return f"m.id IN ({' UNION '.join(parts)})"


def genre_named(conn: sqlite3.Connection, typed: str) -> str:
    """The catalog's spelling of a genre typed in any case ("drama" -> "Drama"); MovieError,
    naming the genres there are, for one no title has."""
    text = typed.strip()
    if conn.execute("SELECT 1 FROM genres WHERE genre = ? LIMIT 1", (text,)).fetchone():
        return text
    known = [row[0] for row in conn.execute("SELECT DISTINCT genre FROM genre_scores")]
    if not known:  # titles with no score at all: their genres, read from the index
        known = [row[0] for row in conn.execute("SELECT DISTINCT genre FROM genres LIMIT 200")]
    for genre in known:
        if genre.casefold() == text.casefold():
            return str(genre)
    shown = ", ".join(sorted(known)[:40])
    raise MovieError(f"no genre {typed!r} in the catalog (genres: {shown})")


def _walk(
    conn: sqlite3.Connection, sort: str, chosen: Filters, genres: Sequence[str]
) -> str | None:
    """The index to walk for a listing of titles in common genres (None: let SQLite choose).
    Sorted by votes or rating (or by title, with no years or scores asked for), the walk is in
    the listing's order and stops at the limit; filtered by votes or rating, it reads only the
    rated titles in range. Not when someone credited or your own films narrow the list to a few
    titles: those are read first."""
    rated = sort in RATED_SORTS or chosen.min_rating is not None or chosen.min_votes is not None
    if not genres or chosen.credited or chosen.director or chosen.mine:
        return None
    if not rated:
        if sort != "title" or chosen.years is not None:
            return None
        index = "movies_title_key"
    elif sort in RATED_SORTS:
        index = f"movies_{sort}"
    else:
        index = "movies_votes" if chosen.min_votes is not None else "movies_rating"
    if len(chosen.types) == 1 and sort in RATED_SORTS:
        index = f"movies_type_{sort}"  # the type's rated titles, in the same order
    counts = dict(
        conn.execute(
            "SELECT genre, sum(titles) FROM genre_scores WHERE score = 'imdb' GROUP BY genre"
        ).fetchall()
    )
    pairs = sum(counts.values())
    if not pairs or any(counts.get(genre, 0) < COMMON_GENRE * pairs for genre in genres):
        return None
    return index


def catalog_movies(
    conn: sqlite3.Connection,
    sort: str = "title",
    limit: int = NO_LIMIT,
    types: Sequence[str] = (),
    filters: Filters | None = None,
    descending: bool | None = None,
) -> Result:
    """The catalog's titles that pass the filters, with counts of what it holds of each."""
    chosen = (filters or Filters())._replace(types=types) if types else filters or Filters()
    where: list[str] = ["1 = 1"]
    params: dict[str, Any] = {}
    if chosen.types:
        marks = ", ".join(f":type{i}" for i in range(len(chosen.types)))
        where.append(f"m.title_type IN ({marks})")
        params.update({f"type{i}": kind for i, kind in enumerate(chosen.types)})
    genres = [genre_named(conn, genre) for genre in chosen.genres]
    walk = _walk(conn, sort, chosen, genres)
    for i, genre in enumerate(genres):
        params[f"genre{i}"] = genre
        if walk:  # checked title by title, as the walk reaches them
            where.append(
                f"EXISTS (SELECT 1 FROM genres g WHERE g.movie_id = m.id AND g.genre = :genre{i})"
            )
        else:
            where.append(f"m.id IN (SELECT movie_id FROM genres WHERE genre = :genre{i})")
    if chosen.years is not None:
        where.append("m.year BETWEEN :first AND :last")
        params["first"], params["last"] = chosen.years
    if sort in RATED_SORTS or chosen.min_rating is not None or chosen.min_votes is not None:
        where.append("m.imdb_votes IS NOT NULL")
    if chosen.min_rating is not None:
        where.append("m.imdb_rating >= :rating")
        params["rating"] = chosen.min_rating
    if chosen.min_votes is not None:
        where.append("m.imdb_votes >= :votes")
        params["votes"] = chosen.min_votes
    if chosen.credited is not None:
        where.append(_credits_sql(chosen.credited, None, params, "with"))
    if chosen.director is not None:
        where.append(_credits_sql(chosen.director, "director", params, "director"))
    where.extend(MINE_FILTERS[name] for name in chosen.mine)
    order, usual = MOVIE_SORTS[sort]
    direction = usual if descending is None else ("DESC" if descending else "ASC")
    params["limit"] = limit
    sql = f"""
        SELECT m.title AS title, m.year AS year, m.rating AS rating,
               (SELECT count(*) FROM cast_credits c WHERE c.movie_id = m.id) AS "cast",
               (SELECT count(*) FROM critic_reviews r WHERE r.movie_id = m.id) AS reviews,
               (SELECT count(*) FROM audience_reviews a WHERE a.movie_id = m.id) AS audience,
               (SELECT count(*) FROM quotes q WHERE q.movie_id = m.id) AS quotes,
               m.slug AS slug, m.title_type AS type, m.imdb_rating AS imdb_rating,
               m.imdb_votes AS votes
        FROM movies m{f" INDEXED BY {walk}" if walk else ""} WHERE {" AND ".join(where)}
        ORDER BY {order.format(d=direction)} LIMIT :limit
    """
    return listings.execute(conn, sql, params)
