"""Listings: the rows each command prints (cast, reviews, quotes, search, a person's credits,
the catalog), streamed from SQLite, and a table's rows for export. Never prints."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from movie.errors import BadSearch, MovieError
from movie.read.choose import (
    MAX_SEARCH,
    PEOPLE_JOIN,
    PERSON_SQL,
    Movie,
    Person,
    bounded,
    contains,
    find_person,
)
from movie.results import NO_LIMIT, Mark, Result
from movie.store.db import stream
from movie.tables import Table
from movie.text import folded, pattern

# A movie as shown to people: "Leaving Las Vegas (1995)".
LABEL_SQL = "m.title || coalesce(' (' || m.year || ')', '')"
# Characters and words that mean the user is writing FTS5 syntax on purpose.
FTS_SYNTAX = pattern(r'["*()^]|\b(AND|OR|NOT|NEAR)\b')
FTS_TERM = pattern(r"\w+\*?")
FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
MAX_TERMS = 32


def fts_query(text: str) -> str:
    """Plain words become quoted FTS5 terms (all must match; a word typed twice counts once);
    FTS5 syntax passes as typed. More than MAX_TERMS terms are refused: SQLite's snippets and
    highlights take time that grows with the square of the number of terms."""
    bounded(text, "the search", MAX_SEARCH)
    if FTS_SYNTAX.search(text):
        terms = [t for t in FTS_TERM.findall(text) if t not in FTS_OPERATORS]
        query = text
    else:
        terms = list(dict.fromkeys(text.split()))
        query = " ".join('"' + word.replace('"', '""') + '"' for word in terms)
    if not terms and not FTS_SYNTAX.search(text):
        raise BadSearch("the search needs at least one word")
    if len(terms) > MAX_TERMS:
        raise BadSearch(
            f"the search has {len(terms)} terms; at most {MAX_TERMS} are allowed (a search that "
            "long would take minutes): keep the words that matter"
        )
    return query


def execute(
    conn: sqlite3.Connection,
    sql: str,
    params: Sequence[Any] | dict[str, Any],
    search: str | None = None,
    flags: frozenset[str] = frozenset(),
    json_only: frozenset[str] = frozenset(),
) -> Result:
    try:
        columns, rows = stream(conn, sql, params)
        return Result(columns, rows, flags, json_only)
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if search is not None and "interrupted" not in message:
            # The only user-written text in these statements is the MATCH expression.
            raise BadSearch(f"the search {search!r} is not valid FTS5 syntax ({message})") from exc
        raise


def _scope(movie: Movie | None, alias: str) -> tuple[str, list[Any], list[str], str]:
    """WHERE clause, its parameters, the leading columns and the leading sort for one or all."""
    if movie is None:
        return "1 = 1", [], [f"{LABEL_SQL} AS movie"], "m.title_key, m.year, "
    return f"{alias}.movie_id = ?", [movie.id], [], ""


# A title's id: IMDb's, else its slug.
TITLE_ID = "CASE WHEN m.title_type IS NULL THEN m.slug ELSE printf('tt%07d', m.id) END"
TEXT = "<the searchable text>"  # stands for the one column full-text search looks at


def _select(
    conn: sqlite3.Connection,
    table: str,
    movie: Movie | None,
    columns: Sequence[tuple[str, str]],
    order: str,
    limit: int,
    filters: Sequence[tuple[str, Any]] = (),
    search: str | None = None,
    mark: Mark | None = None,
    flags: frozenset[str] = frozenset(),
    joins: str = "",
    json_only: frozenset[str] = frozenset(),
) -> Result:
    """Rows of one table (aliased t), for one movie or all, filtered, searched and ordered;
    `joins` adds tables to take columns from. JSON also gets each row's title id and type (and
    the `json_only` columns)."""
    where, params, leading, order_prefix = _scope(movie, "t")
    for clause, value in filters:
        where += f" AND {clause}"
        params.append(value)
    source = f"{table} t"
    text_sql = next((f"t.{name}" for expr, name in columns if expr == TEXT), "NULL")
    head: list[Any] = []
    order_by = order_prefix + order
    if search is not None:
        fts = f"{table}_fts"
        source = f"{fts} f JOIN {table} t ON t.rowid = f.rowid"
        where += f" AND {fts} MATCH ?"
        params.append(fts_query(search))
        order_by = "f.rank"
        if mark:
            text_sql = f"highlight({fts}, 0, ?, ?)"
            head = list(mark)
    selected = [*leading] + [
        f"{text_sql if expr == TEXT else expr} AS {name}" for expr, name in columns
    ]
    selected += [f"{TITLE_ID} AS title_id", "m.title_type AS type"]
    sql = (
        f"SELECT {', '.join(selected)} FROM {source} JOIN movies m ON m.id = t.movie_id "
        f"{joins} WHERE {where} ORDER BY {order_by} LIMIT ?"
    )
    ids = frozenset({"title_id", "type", *json_only})
    return execute(conn, sql, [*head, *params, limit], search, flags, ids)


def _name_contains(column: str, text: str | None) -> list[tuple[str, Any]]:
    return [(f"{folded(column)} LIKE ? ESCAPE '\\'", contains(text))] if text else []


def cast_of(
    conn: sqlite3.Connection,
    movie: Movie | None,
    actor: str | None = None,
    character: str | None = None,
    limit: int = NO_LIMIT,
) -> Result:
    return _select(
        conn,
        "cast_credits",
        movie,
        [
            (PERSON_SQL.format(t="t", name="actor"), "actor"),
            ("t.character", "character"),
            (
                "CASE WHEN t.person_id IS NOT NULL THEN printf('nm%07d', t.person_id) END",
                "person_id",
            ),
        ],
        "t.position",
        limit,
        filters=_name_contains(PERSON_SQL.format(t="t", name="actor"), actor)
        + _name_contains("t.character", character),
        joins=PEOPLE_JOIN.format(t="t"),
        json_only=frozenset({"person_id"}),
    )


def critic_reviews(
    conn: sqlite3.Connection,
    movie: Movie | None,
    top: bool = False,
    search: str | None = None,
    limit: int = NO_LIMIT,
    mark: Mark | None = None,
) -> Result:
    return _select(
        conn,
        "critic_reviews",
        movie,
        [
            ("t.review_date", "date"),
            ("t.critic", "critic"),
            ("t.publication", "publication"),
            ("t.top_critic", "top_critic"),
            ("t.verdict", "verdict"),
            ("t.score", "score"),
            (TEXT, "quote"),
        ],
        "t.review_date DESC, t.position",
        limit,
        filters=[("t.top_critic = ?", 1)] if top else [],
        search=search,
        mark=mark,
        flags=frozenset({"top_critic"}),
    )


def audience_reviews(
    conn: sqlite3.Connection,
    movie: Movie | None,
    search: str | None = None,
    limit: int = NO_LIMIT,
    mark: Mark | None = None,
) -> Result:
    return _select(
        conn,
        "audience_reviews",
        movie,
        [("t.reviewer", "reviewer"), ("t.super_reviewer", "super_reviewer"), (TEXT, "text")],
        "t.position",
        limit,
        search=search,
        mark=mark,
        flags=frozenset({"super_reviewer"}),
    )


def quotes_of(
    conn: sqlite3.Connection,
    movie: Movie | None,
    search: str | None = None,
    character: str | None = None,
    limit: int = NO_LIMIT,
    mark: Mark | None = None,
) -> Result:
    return _select(
        conn,
        "quotes",
        movie,
        [
            ("t.character", "character"),
            (TEXT, "line"),
            ("t.submitted_by", "submitted_by"),
            ("t.submitted_age", "submitted"),
        ],
        "t.position",
        limit,
        filters=_name_contains("t.character", character),
        search=search,
        mark=mark,
    )


SEARCH_KINDS = ("quote", "critic", "audience")
# kind: (table, who, searched column)
_SEARCHED = {
    "quote": ("quotes", "t.character"),
    "critic": ("critic_reviews", "coalesce(t.critic, t.publication)"),
    "audience": ("audience_reviews", "t.reviewer"),
}


def search_all(
    conn: sqlite3.Connection,
    movie: Movie | None,
    text: str,
    kinds: Sequence[str],
    limit: int = NO_LIMIT,
    mark: Mark | None = None,
) -> Result:
    """One list over quotes, critic and audience reviews, best match (lowest bm25) first."""
    query = fts_query(text)
    start, end = mark or ("", "")
    parts, params = [], []
    for kind in kinds:
        table, who = _SEARCHED[kind]
        fts = f"{table}_fts"
        parts.append(
            f"SELECT '{kind}' AS kind, {LABEL_SQL} AS movie, {who} AS who, "
            f"snippet({fts}, 0, ?, ?, '…', 16) AS snippet, f.rank AS score, "
            f"{TITLE_ID} AS title_id, m.title_type AS type "
            f"FROM {fts} f JOIN {table} t ON t.rowid = f.rowid JOIN movies m ON m.id = t.movie_id "
            f"WHERE {fts} MATCH ?" + ("" if movie is None else " AND t.movie_id = ?")
        )
        params += [start, end, query] + ([] if movie is None else [movie.id])
    sql = (
        f"SELECT kind, movie, who, snippet, title_id, type FROM ({' UNION ALL '.join(parts)}) "
        "ORDER BY score, kind, movie LIMIT ?"
    )
    return execute(conn, sql, [*params, limit], text, json_only=frozenset({"title_id", "type"}))


def found(
    conn: sqlite3.Connection,
    text: str,
    titles: bool,
    people: bool,
    types: frozenset[str] | None,
    limit: int,
) -> Result:
    """`movie find`'s rows: titles and people by the words of their names, best known first."""
    from movie.read.find import find

    rows = (  # streamed: find() checks the words at once, then reads rows as they are written
        (f.kind, f.ref, f.name, f.year, f.type, f.votes, f.matched, f.region)
        for f in find(conn, text, titles=titles, people=people, types=types, limit=limit)
    )
    columns = ["kind", "id", "name", "year", "type", "votes", "also_known_as", "region"]
    return Result(columns, rows)


# A credited title as a person's credits name it: a film by its title; an episode under its
# series, with season and number ('The Simpsons S3E7 "Treehouse of Horror II"').
CREDITED_TITLE = """CASE WHEN m.series_id IS NULL THEN m.title
    ELSE coalesce(s.title, printf('tt%07d', m.series_id)) || coalesce(' S' || m.season, '')
        || coalesce('E' || m.episode, '') || ' "' || m.title || '"' END"""
SERIES_JOIN = "LEFT JOIN movies s ON s.id = m.series_id"


def person_credits(conn: sqlite3.Connection, typed: str | Person, limit: int = NO_LIMIT) -> Result:
    """A person's roles, crew credits (directing, writing, producing, ...) and their
    characters' quotes, by year, each with the title's id and type. An IMDb person's credits
    are found by id, a page's by name."""
    person = typed if isinstance(typed, Person) else find_person(conn, typed)
    # Credits naming the person by id (IMDb's, and page credits linked to them), and page
    # credits naming them in text that are linked to no one: each part reads an index.
    cast_where = ["c.actor = :name AND c.person_id IS NULL"]
    crew_where = ["w.name = :name AND w.person_id IS NULL"]
    if person.id is not None:
        cast_where.append("c.person_id = :id")
        crew_where.append("w.person_id = :id")
    title = (
        f"{CREDITED_TITLE} AS movie, m.year AS year, {{detail}} AS detail, "
        f"{TITLE_ID} AS title_id, m.title_type AS type, "
        "coalesce(s.title_key, m.title_key) AS sort_title"
    )
    parts = []
    for where in cast_where:
        parts.append(f"""
            SELECT coalesce(c.category, 'actor') AS credit,
                   {title.format(detail="c.character")}, 1 AS sort_kind,
                   c.position AS sort_position
            FROM cast_credits c JOIN movies m ON m.id = c.movie_id {SERIES_JOIN} WHERE {where}""")
        quoted = "coalesce(q.character || ': ', '') || q.line"
        parts.append(f"""
            SELECT 'quote', {title.format(detail=quoted)}, 4, q.position
            FROM cast_credits c
            JOIN quotes q ON q.movie_id = c.movie_id AND c.character IS NOT NULL
                 AND instr(fold(CAST(c.character AS BLOB)), fold(CAST(q.character AS BLOB))) > 0
            JOIN movies m ON m.id = c.movie_id {SERIES_JOIN}
            WHERE {where}""")
    for where in crew_where:
        parts.append(f"""
            SELECT w.role, {title.format(detail="w.job")},
                   CASE w.role WHEN 'director' THEN 2 WHEN 'writer' THEN 3 ELSE 5 END, w.position
            FROM crew w JOIN movies m ON m.id = w.movie_id {SERIES_JOIN} WHERE {where}""")
    sql = f"""
        SELECT credit, movie, year, detail, title_id, type FROM ({" UNION ALL ".join(parts)})
        ORDER BY year, sort_title, sort_kind, sort_position LIMIT :limit
    """
    return execute(conn, sql, {"name": person.name, "id": person.id, "limit": limit})


def person_summary(conn: sqlite3.Connection, person: Person) -> dict[str, Any]:
    """Who a person is, for the head of their credits: name, IMDb id, birth and death years,
    professions, the titles they are known for, and how many credits by role. MovieError for a
    person with no credits."""
    summary: dict[str, Any] = {
        "name": person.name,
        "id": person.imdb_id,
        "born": None,
        "died": None,
        "professions": [],
        "known_for": [],
    }
    if person.id is not None:
        row = conn.execute(
            "SELECT birth_year, death_year, professions, known_for FROM people WHERE id = ?",
            (person.id,),
        ).fetchone()
        if row is not None:
            summary["born"], summary["died"] = row[0], row[1]
            summary["professions"] = [p for p in (row[2] or "").split(",") if p]
            numbers = [int(t[2:]) for t in (row[3] or "").split(",") if t[2:].isdigit()][:8]
            marks = ", ".join("?" * len(numbers))
            found = dict(
                (number, f"{title} ({year})" if year else title)
                for number, title, year in conn.execute(
                    f"SELECT id, title, year FROM movies WHERE id IN ({marks})", numbers
                )
            )
            summary["known_for"] = [found[n] for n in numbers if n in found]
    counts: dict[str, int] = {}
    parts = [
        ("SELECT coalesce(category, 'actor'), count(*) FROM cast_credits "
         "WHERE actor = :name AND person_id IS NULL GROUP BY 1"),
        "SELECT role, count(*) FROM crew WHERE name = :name AND person_id IS NULL GROUP BY 1",
    ]  # fmt: skip
    if person.id is not None:
        parts += [
            "SELECT coalesce(category, 'actor'), count(*) FROM cast_credits "
            "WHERE person_id = :id GROUP BY 1",
            "SELECT role, count(*) FROM crew WHERE person_id = :id GROUP BY 1",
        ]
    for sql in parts:
        for role, count in conn.execute(sql, {"name": person.name, "id": person.id}):
            counts[role] = counts.get(role, 0) + count
    if not counts:
        who = f"{person.name} ({person.imdb_id})" if person.imdb_id else person.name
        raise MovieError(f"{who} has no credits in the catalog")
    summary["credits"] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return summary


def episodes_of(
    conn: sqlite3.Connection, series: Movie, season: int | None = None, limit: int = NO_LIMIT
) -> Result:
    """A series' episodes in order: season, number, title, year, IMDb rating and id (episodes
    without a season or number come last). MovieError for a title with no episodes."""
    has = conn.execute("SELECT 1 FROM movies WHERE series_id = ? LIMIT 1", (series.id,))
    if has.fetchone() is None:
        raise MovieError(f"{series.label} has no episodes in the catalog")
    where, params = "m.series_id = ?", [series.id]
    if season is not None:
        where += " AND m.season = ?"
        params.append(season)
    sql = f"""
        SELECT m.season AS season, m.episode AS episode, m.title AS title, m.year AS year,
               m.imdb_rating AS imdb_rating, m.imdb_votes AS votes,
               printf('tt%07d', m.id) AS imdb_id
        FROM movies m WHERE {where}
        ORDER BY m.season IS NULL, m.season, m.episode IS NULL, m.episode, m.id LIMIT ?
    """
    return execute(conn, sql, [*params, limit])


def akas_of(
    conn: sqlite3.Connection,
    movie: Movie,
    region: str | None = None,
    language: str | None = None,
    limit: int = NO_LIMIT,
) -> Result:
    """A title's other titles, every row IMDb gives, in IMDb's order: region, language, title,
    types and attributes (IMDb separates several with a control character; shown with commas).
    MovieError where there are none (for that region or language)."""
    where = "a.movie_id = ?"
    params: list[Any] = [movie.id]
    wanted = []
    if region is not None:
        where += " AND a.region = ?"
        params.append(region.strip().upper())
        wanted.append(f"region {region.strip().upper()}")
    if language is not None:
        where += " AND a.language = ?"
        params.append(language.strip().lower())
        wanted.append(f"language {language.strip().lower()}")
    if conn.execute(f"SELECT 1 FROM akas a WHERE {where} LIMIT 1", params).fetchone() is None:
        if not wanted:
            raise MovieError(f"{movie.label} has no alternate titles in the catalog")
        total = conn.execute("SELECT count(*) FROM akas WHERE movie_id = ?", (movie.id,))
        raise MovieError(
            f"{movie.label} has no alternate title for {' and '.join(wanted)} "
            f"({total.fetchone()[0]} in all)"
        )
    sql = f"""
        SELECT a.region AS region, a.language AS language, a.title AS title,
               replace(a.types, char(2), ', ') AS types,
               replace(a.attributes, char(2), ', ') AS attributes
        FROM akas a WHERE {where} ORDER BY a.position LIMIT ?
    """
    return execute(conn, sql, [*params, limit])


def table_rows(conn: sqlite3.Connection, table: Table, movie: Movie | None) -> Iterator[Any]:
    """A table's rows in public columns (a row's movie as its slug), in key order: what a CSV
    export writes. One movie's, or all."""
    if table.name.startswith("my_"):  # your films: every entry, matched or not
        selected = ", ".join("m.slug" if c == "movie" else f"t.{c}" for c in table.columns)
        where = "" if movie is None else "WHERE t.movie_id = ?"
        sql = (
            f"SELECT {selected} FROM {table.name} t LEFT JOIN movies m ON m.id = t.movie_id "
            f"{where} ORDER BY t.key"
        )
    elif table.is_movies:
        selected = ", ".join(table.columns)
        where = "" if movie is None else "WHERE id = ?"
        order = ", ".join(table.key)
        sql = f"SELECT {selected} FROM movies {where} ORDER BY {order}"
    else:
        # An IMDb credit names its person by id: the file gets the name, as `load` needs.
        named = {"cast_credits": "actor", "crew": "name"}.get(table.name)

        def value(column: str) -> str:
            if column == "movie":
                return "m.slug"
            return PERSON_SQL.format(t="t", name=column) if column == named else f"t.{column}"

        selected = ", ".join(value(c) for c in table.columns)
        where = "" if movie is None else "WHERE t.movie_id = ?"
        order = ", ".join("m.slug" if c == "movie" else f"t.{c}" for c in table.key)
        joins = PEOPLE_JOIN.format(t="t") if named else ""
        sql = (
            f"SELECT {selected} FROM {table.name} t JOIN movies m ON m.id = t.movie_id "
            f"{joins} {where} ORDER BY {order}"
        )
    _, rows = stream(conn, sql, [] if movie is None else [movie.id])
    return rows
