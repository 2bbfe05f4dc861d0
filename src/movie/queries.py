"""Reading the catalog: each function returns rows (or a dict for the card) and never prints."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from movie.db import stream
from movie.errors import MovieError
from movie.text import fold, folded

# A movie as shown to people: "Leaving Las Vegas (1995)".
LABEL_SQL = "m.title || coalesce(' (' || m.year || ')', '')"
NO_LIMIT = -1
DEFAULT_MOVIE_KEY = "default_movie"
# Characters and words that mean the user is writing FTS5 syntax on purpose.
FTS_SYNTAX = re.compile(r'["*()^]|\b(AND|OR|NOT|NEAR)\b')
FTS_TERM = re.compile(r"\w+\*?")
FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
MAX_TERMS = 32
Mark = tuple[str, str]
# Past these lengths an input is a mistake (or an attack), and matching it would be slow.
MAX_NAME = 500
MAX_SEARCH = 10_000


def _bounded(text: str, what: str, limit: int) -> str:
    if len(text) > limit:
        raise MovieError(f"{what} is too long ({len(text):,} characters; at most {limit:,})")
    return text


def split_year(typed: str) -> tuple[str, int] | None:
    """'Heat (1995)' -> ('Heat', 1995); None when the text does not end in a (YYYY)."""
    text = typed.strip()
    digits = text[-5:-1]
    shaped = len(text) >= 6 and text.endswith(")") and text[-6] == "("
    if shaped and digits.isascii() and digits.isdigit():
        return text[:-6].rstrip(), int(digits)
    return None


class Movie(NamedTuple):
    slug: str
    title: str
    year: int | None

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year is not None else self.title


class Result(NamedTuple):
    """Rows to print: column names, rows (streamed from SQLite), and which columns are yes/no."""

    columns: list[str]
    rows: Iterable[Sequence[Any]]
    flags: frozenset[str] = frozenset()


# ---------------------------------------------------------------- choosing a movie


def _movies_where(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[Movie]:
    sql = f"SELECT slug, title, year FROM movies WHERE {where} ORDER BY title_key, year LIMIT 50"
    return [Movie(*row) for row in conn.execute(sql, params)]


def _describe(movies: Sequence[Movie]) -> str:
    return ", ".join(m.label for m in movies[:10]) + (" ..." if len(movies) > 10 else "")


def _one(movies: list[Movie], typed: str) -> Movie | None:
    if len(movies) == 1:
        return movies[0]
    if len(movies) > 1:
        raise MovieError(
            f"{typed!r} matches {len(movies)}{'+' if len(movies) >= 50 else ''} movies: "
            f"{_describe(movies)}; add the year, e.g. '{movies[0].label}', or use --year"
        )
    return None


def _suggestions(conn: sqlite3.Connection, key: str) -> list[str]:
    import difflib

    labels: dict[str, list[str]] = {}
    for title, year, title_key in conn.execute("SELECT title, year, title_key FROM movies"):
        labels.setdefault(title_key, []).append(f"{title} ({year})" if year else title)
    close = difflib.get_close_matches(key, list(labels), n=3, cutoff=0.6)
    return [label for title_key in close for label in labels[title_key]]


def find_movie(conn: sqlite3.Connection, title: str, year: int | None = None) -> Movie:
    """The movie a typed title means: exact title, slug, "Title (Year)", then a unique prefix."""
    typed = _bounded(title, "the title", MAX_NAME)
    if year is None and (split := split_year(title)):
        title, year = split
    key = fold(title.strip()) or ""
    year_sql, year_params = ("AND year = ?", [year]) if year is not None else ("", [])
    exact = _one(_movies_where(conn, f"title_key = ? {year_sql}", [key, *year_params]), typed)
    if exact:
        return exact
    by_slug = _movies_where(conn, "slug = ?", [typed.strip()])
    if by_slug:
        return by_slug[0]
    if key:
        prefix = _movies_where(
            conn,
            f"title_key >= ? AND title_key < ? {year_sql}",
            [key, key + "\U0010ffff", *year_params],
        )
        found = _one(prefix, typed)
        if found:
            return found
    suggestions = _suggestions(conn, key)
    hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
    where = f" from {year}" if year is not None else ""
    raise MovieError(f"no movie{where} matches {typed!r}{hint} (see `movie movies`)")


def default_movie(conn: sqlite3.Connection) -> Movie:
    """The movie set with `movie use`, else the only movie of the catalog."""
    row = conn.execute(
        "SELECT m.slug, m.title, m.year FROM settings s JOIN movies m ON m.slug = s.value "
        "WHERE s.key = ?",
        (DEFAULT_MOVIE_KEY,),
    ).fetchone()
    if row:
        return Movie(*row)
    only = conn.execute("SELECT slug, title, year FROM movies LIMIT 2").fetchall()
    if len(only) == 1:
        return Movie(*only[0])
    if not only:
        raise MovieError("the catalog holds no movies; add some with `movie load` first")
    raise MovieError(
        "the catalog holds several movies: name one (e.g. `movie card 'Heat (1995)'`), "
        "set a default with `movie use TITLE`, or use --all"
    )


def choose_movie(conn: sqlite3.Connection, title: str | None, year: int | None) -> Movie:
    if title is None:
        return default_movie(conn)
    return find_movie(conn, title, year)


def set_default_movie(conn: sqlite3.Connection, movie: Movie) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (DEFAULT_MOVIE_KEY, movie.slug),
    )


# ---------------------------------------------------------------- rows


def fts_query(text: str) -> str:
    """Plain words become quoted FTS5 terms (all must match; a word typed twice counts once);
    FTS5 syntax passes as typed. More than MAX_TERMS terms are refused: SQLite's snippets and
    highlights take time that grows with the square of the number of terms."""
    _bounded(text, "--search", MAX_SEARCH)
    if FTS_SYNTAX.search(text):
        terms = [t for t in FTS_TERM.findall(text) if t not in FTS_OPERATORS]
        query = text
    else:
        terms = list(dict.fromkeys(text.split()))
        query = " ".join('"' + word.replace('"', '""') + '"' for word in terms)
    if not terms and not FTS_SYNTAX.search(text):
        raise MovieError("--search needs at least one word")
    if len(terms) > MAX_TERMS:
        raise MovieError(
            f"--search has {len(terms)} terms; at most {MAX_TERMS} are allowed (a search that "
            "long would take minutes): keep the words that matter"
        )
    return query


def _execute(
    conn: sqlite3.Connection,
    sql: str,
    params: Sequence[Any] | dict[str, Any],
    search: str | None = None,
    flags: frozenset[str] = frozenset(),
) -> Result:
    try:
        columns, rows = stream(conn, sql, params)
        return Result(columns, rows, flags)
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if search is not None and "interrupted" not in message:
            # The only user-written text in these statements is the MATCH expression.
            raise MovieError(
                f"--search {search!r} is not valid FTS5 syntax ({message}); use plain words, "
                'or FTS5 syntax such as "a phrase", prefix*, word OR word, word NOT word'
            ) from exc
        raise


def _contains(text: str) -> str:
    """A LIKE pattern for a case- and accent-insensitive substring (matched against fold())."""
    folded = fold(_bounded(text, "the name to match", MAX_NAME)) or ""
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scope(movie: Movie | None, alias: str) -> tuple[str, list[Any], list[str], str]:
    """WHERE clause, its parameters, the leading columns and the leading sort for one or all."""
    if movie is None:
        return "1 = 1", [], [f"{LABEL_SQL} AS movie"], "m.title_key, m.year, "
    return f"{alias}.movie = ?", [movie.slug], [], ""


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
) -> Result:
    """Rows of one table (aliased t), for one movie or all, filtered, searched and ordered."""
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
    sql = (
        f"SELECT {', '.join(selected)} FROM {source} JOIN movies m ON m.slug = t.movie "
        f"WHERE {where} ORDER BY {order_by} LIMIT ?"
    )
    return _execute(conn, sql, [*head, *params, limit], search, flags)


def _name_contains(column: str, text: str | None) -> list[tuple[str, Any]]:
    return [(f"{folded(column)} LIKE ? ESCAPE '\\'", _contains(text))] if text else []


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
        [("t.actor", "actor"), ("t.character", "character")],
        "t.position",
        limit,
        filters=_name_contains("t.actor", actor) + _name_contains("t.character", character),
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
            f"snippet({fts}, 0, ?, ?, '…', 16) AS snippet, f.rank AS score "
            f"FROM {fts} f JOIN {table} t ON t.rowid = f.rowid JOIN movies m ON m.slug = t.movie "
            f"WHERE {fts} MATCH ?" + ("" if movie is None else " AND t.movie = ?")
        )
        params += [start, end, query] + ([] if movie is None else [movie.slug])
    sql = (
        f"SELECT kind, movie, who, snippet FROM ({' UNION ALL '.join(parts)}) "
        "ORDER BY score, kind, movie LIMIT ?"
    )
    return _execute(conn, sql, [*params, limit], text)


def _people(conn: sqlite3.Connection, where: str, value: str) -> list[str]:
    sql = (
        f"SELECT actor FROM cast_credits WHERE {where.format(col='actor')} "
        f"UNION SELECT name FROM crew WHERE {where.format(col='name')} ORDER BY 1 LIMIT 50"
    )
    return [row[0] for row in conn.execute(sql, (value, value))]


def find_person(conn: sqlite3.Connection, typed: str) -> str:
    """The one person a typed name means: the exact name (ignoring case and accents), else the
    only person whose name contains it."""
    key = fold(_bounded(typed.strip(), "the name", MAX_NAME)) or ""
    exact = _people(conn, folded("{col}") + " = ?", key)
    if len(exact) == 1:
        return exact[0]
    like = folded("{col}") + " LIKE ? ESCAPE '\\'"
    found = exact or _people(conn, like, _contains(typed.strip()))
    if len(found) == 1:
        return found[0]
    if found:
        shown = ", ".join(found[:10]) + (" ..." if len(found) > 10 else "")
        raise MovieError(f"{typed!r} matches {len(found)} people: {shown}; give more of the name")
    import difflib

    names = {
        fold(row[0]) or "": row[0]
        for row in conn.execute("SELECT actor FROM cast_credits UNION SELECT name FROM crew")
    }
    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(names[c] for c in close)}?" if close else ""
    raise MovieError(f"no person matches {typed!r}{hint}")


def person_credits(conn: sqlite3.Connection, typed: str, limit: int = NO_LIMIT) -> Result:
    """A person's roles, directing and writing credits and their characters' quotes, by year."""
    name = find_person(conn, typed)
    sql = """
        SELECT credit, movie, year, detail FROM (
            SELECT 'actor' AS credit, m.title AS movie, m.year AS year, c.character AS detail,
                   m.title_key AS sort_title, 1 AS sort_kind, c.position AS sort_position
            FROM cast_credits c JOIN movies m ON m.slug = c.movie WHERE c.actor = :name
            UNION ALL
            SELECT w.role, m.title, m.year, NULL, m.title_key,
                   CASE w.role WHEN 'director' THEN 2 ELSE 3 END, w.position
            FROM crew w JOIN movies m ON m.slug = w.movie WHERE w.name = :name
            UNION ALL
            SELECT 'quote', m.title, m.year,
                   coalesce(q.character || ': ', '') || q.line, m.title_key, 4, q.position
            FROM cast_credits c
            JOIN quotes q ON q.movie = c.movie AND c.character IS NOT NULL
                 AND instr(fold(CAST(c.character AS BLOB)), fold(CAST(q.character AS BLOB))) > 0
            JOIN movies m ON m.slug = c.movie
            WHERE c.actor = :name
        )
        ORDER BY year, sort_title, sort_kind, sort_position LIMIT :limit
    """
    return _execute(conn, sql, {"name": name, "limit": limit})


MOVIE_SORTS = {
    "title": "m.title_key, m.year",
    "year": "m.year, m.title_key",
    "reviews": "reviews DESC, m.title_key, m.year",
}


def catalog_movies(conn: sqlite3.Connection, sort: str = "title", limit: int = NO_LIMIT) -> Result:
    sql = f"""
        SELECT m.title AS title, m.year AS year, m.rating AS rating,
               (SELECT count(*) FROM cast_credits c WHERE c.movie = m.slug) AS "cast",
               (SELECT count(*) FROM critic_reviews r WHERE r.movie = m.slug) AS reviews,
               (SELECT count(*) FROM audience_reviews a WHERE a.movie = m.slug) AS audience,
               (SELECT count(*) FROM quotes q WHERE q.movie = m.slug) AS quotes,
               m.slug AS slug
        FROM movies m ORDER BY {MOVIE_SORTS[sort]} LIMIT ?
    """
    return _execute(conn, sql, [limit])


def _names(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[str]:
    return [row[0] for row in conn.execute(sql, params)]


def card_of(conn: sqlite3.Connection, movie: Movie) -> dict[str, Any]:
    """Everything the card shows, as plain data (None or [] where the catalog has nothing)."""
    conn.row_factory = sqlite3.Row
    try:
        m = conn.execute("SELECT * FROM movies WHERE slug = ?", (movie.slug,)).fetchone()
        crew = "SELECT name FROM crew WHERE movie = ? AND role = ? ORDER BY position"
        cast = [
            {"actor": r["actor"], "character": r["character"]}
            for r in conn.execute(
                "SELECT actor, character FROM cast_credits WHERE movie = ? "
                "ORDER BY position LIMIT 5",
                (movie.slug,),
            )
        ]
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM cast_credits WHERE movie = :s) AS cast_count,
                      (SELECT count(*) FROM critic_reviews WHERE movie = :s) AS critics,
                      (SELECT count(*) FROM critic_reviews WHERE movie = :s AND top_critic = 1)
                          AS top_critics,
                      (SELECT count(*) FROM audience_reviews WHERE movie = :s) AS audience,
                      (SELECT count(*) FROM audience_reviews WHERE movie = :s
                          AND super_reviewer = 1) AS super_reviewers,
                      (SELECT count(*) FROM quotes WHERE movie = :s) AS quotes""",
            {"s": movie.slug},
        ).fetchone()
        quote = conn.execute(
            "SELECT character, line, submitted_by FROM quotes WHERE movie = ? "
            "ORDER BY position LIMIT 1",
            (movie.slug,),
        ).fetchone()
    finally:
        conn.row_factory = None
    return {
        "slug": m["slug"],
        "title": m["title"],
        "year": m["year"],
        "rating": m["rating"],
        "rating_reason": m["rating_reason"],
        "genres": _names(
            conn, "SELECT genre FROM genres WHERE movie = ? ORDER BY position", (movie.slug,)
        ),
        "directors": _names(conn, crew, (movie.slug, "director")),
        "writers": _names(conn, crew, (movie.slug, "writer")),
        "theatrical_release": m["theatrical_release"],
        "dvd_release": m["dvd_release"],
        "streaming_release": m["streaming_release"],
        "studio": m["studio"],
        "runtime_minutes": m["runtime_minutes"],
        "consensus": m["consensus"],
        "synopsis": m["synopsis"],
        "synopsis_by": m["synopsis_by"],
        "cast": cast,
        "cast_count": counts["cast_count"],
        "critics": {
            "reviews": m["critic_count"],
            "top_critics": m["top_critic_count"],
            "on_file": counts["critics"],
            "top_critics_on_file": counts["top_critics"],
            "tomatometer": m["tomatometer"],
        },
        "audience": {
            "on_file": counts["audience"],
            "super_reviewers": counts["super_reviewers"],
            "score": m["audience_score"],
        },
        "quote_count": counts["quotes"],
        "quote": dict(quote) if quote else None,
    }


# ---------------------------------------------------------------- user SQL


def run_sql(conn: sqlite3.Connection, sql: str) -> Result:
    """A user's read-only query; every refusal becomes a MovieError that says why."""
    try:
        columns, rows = stream(conn, sql)
    except sqlite3.ProgrammingError as exc:
        if "one statement" in str(exc):
            raise MovieError(
                "movie sql runs one statement at a time; drop what follows ';'"
            ) from exc
        raise MovieError(f"SQL error: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        message = str(exc)
        if "interrupted" in message:
            raise
        if any(word in message for word in ("authoriz", "readonly", "read-only", "query_only")):
            raise MovieError(
                f"movie sql is read-only: it cannot write, ATTACH, change settings with PRAGMA "
                f"or load extensions ({message})"
            ) from exc
        raise MovieError(f"SQL error: {message}") from exc
    return Result(columns, rows)
