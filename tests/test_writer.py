"""The one writer: each merge policy, checked on a catalog in memory."""

from __future__ import annotations

from helpers import SEED

from movie.catalog import load_folders, scratch_catalog
from movie.records import MovieRecord, empty_movie
from movie.writer.common import Policy
from movie.writer.pages import write_movie

LLV = "leaving-las-vegas-1995"


def seeded_memory():
    conn = scratch_catalog()
    load_folders(conn, [SEED])
    return conn


def record(slug, title, year, **movie):
    return MovieRecord(
        movie=empty_movie(slug=slug, title=title, year=year, **movie),
        genres=["Noir"],
        directors=["Someone Else"],
        cast=[{"actor": "A. Nobody", "character": None, "character_truncated": 0}],
    )


def rows(conn, table, slug=LLV):
    return conn.execute(
        f"SELECT count(*) FROM {table} t JOIN movies m ON m.id = t.movie_id WHERE m.slug = ?",
        (slug,),
    ).fetchone()[0]


def test_fill_adds_what_is_missing_and_keeps_the_lists_a_movie_has():
    conn = seeded_memory()
    conn.execute("BEGIN")
    write_movie(conn, record(LLV, "Leaving Las Vegas", 1995, runtime_minutes=112), Policy.FILL)
    movie = conn.execute(
        "SELECT runtime_minutes, rating, studio FROM movies WHERE slug = ?", (LLV,)
    ).fetchone()
    assert movie == (112, "R", "United Artists")  # given: filled in; not given: kept
    assert rows(conn, "cast_credits") == 36  # the page's cast, with characters, stays
    assert rows(conn, "genres") == 2
    write_movie(conn, record("noir-2001", "Noir", 2001), Policy.FILL)
    assert [rows(conn, t, "noir-2001") for t in ("genres", "crew", "cast_credits")] == [1, 1, 1]


def test_replace_puts_the_sources_lists_in_place_of_the_catalogs():
    conn = seeded_memory()
    conn.execute("BEGIN")
    write_movie(conn, record(LLV, "Leaving Las Vegas", 1995), Policy.REPLACE)
    assert [rows(conn, t) for t in ("genres", "crew", "cast_credits", "quotes")] == [1, 1, 1, 0]
    assert conn.execute("SELECT count(*) FROM movies").fetchone()[0] == 1


def test_upsert_updates_rows_with_the_same_key_and_keeps_the_rest():
    conn = seeded_memory()
    conn.execute("BEGIN")
    write_movie(conn, record(LLV, "Leaving Las Vegas", 1995), Policy.UPSERT)
    assert rows(conn, "cast_credits") == 36  # billing 1 replaced in place, 2..36 kept
    first = conn.execute(
        "SELECT actor, character FROM cast_credits c JOIN movies m ON m.id = c.movie_id "
        "WHERE m.slug = ? AND c.position = 1",
        (LLV,),
    ).fetchone()
    assert first == ("A. Nobody", None)
    assert rows(conn, "quotes") == 4
