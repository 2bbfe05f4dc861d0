"""schema.sql: versioned, multi-movie, indexed where commands look, FTS kept in step."""

from __future__ import annotations

import re
import sqlite3

import pytest

from movie import catalog, choose, listings, schema
from movie.tables import TABLES


@pytest.fixture
def conn(tmp_path):
    path = tmp_path / "c.db"
    catalog.build_catalog(path, lambda message: None)
    connection = catalog.open_catalog(path, lambda message: None, write=True)
    yield connection
    connection.close()


def test_schema_version_matches_the_code(conn):
    text = schema.resource("schema.sql").read_text()
    assert f"PRAGMA user_version = {schema.SCHEMA_VERSION};" in text
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_applying_the_schema_twice_is_harmless(conn):
    schema.apply_schema(conn)
    assert conn.execute("SELECT count(*) FROM cast_credits").fetchone()[0] == 36


def test_fts_follows_inserts_updates_and_deletes(conn):
    def hits(word):
        return conn.execute(
            "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (word,)
        ).fetchone()[0]

    assert hits("pear") == 1
    conn.execute("UPDATE quotes SET line = 'A cactus fruit.' WHERE line LIKE '%prickly%'")
    assert hits("pear") == 0 and hits("cactus") == 1
    conn.execute("DELETE FROM quotes WHERE line = 'A cactus fruit.'")
    assert hits("cactus") == 0
    conn.execute(
        "INSERT INTO quotes (movie_id, position, character, line) "
        "SELECT id, 9, 'Sera', 'Drinking again.' FROM movies WHERE slug = 'leaving-las-vegas-1995'"
    )
    assert hits("drink") == 2  # porter stemming: drinking ~ drink
    assert conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")


def test_deleting_a_movie_takes_its_rows(conn):
    conn.execute("DELETE FROM movies")
    for table in ("cast_credits", "critic_reviews", "audience_reviews", "quotes", "genres", "crew"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_accents_fold_in_full_text(conn):
    conn.execute(
        "INSERT INTO audience_reviews (movie_id, position, reviewer, text) "
        "SELECT id, 9, 'Zoë', 'Très émouvant.' FROM movies WHERE slug = 'leaving-las-vegas-1995'"
    )
    assert conn.execute(
        "SELECT reviewer FROM audience_reviews_fts f JOIN audience_reviews a ON a.rowid = f.rowid "
        "WHERE audience_reviews_fts MATCH 'emouvant'"
    ).fetchone() == ("Zoë",)


def _plan(conn, result_sql_and_params):
    sql, params = result_sql_and_params
    return " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_per_movie_queries_use_indexes(conn, monkeypatch):
    """Every one-movie query looks rows up by index: no full scan of a table."""
    captured = []
    original = listings._execute

    def spy(connection, sql, params, search=None, flags=frozenset()):
        captured.append((sql, params if isinstance(params, dict) else list(params)))
        return original(connection, sql, params, search, flags)

    monkeypatch.setattr(listings, "_execute", spy)
    movie = choose.find_movie(conn, "Leaving Las Vegas")
    listings.cast_of(conn, movie)
    listings.critic_reviews(conn, movie)
    listings.critic_reviews(conn, movie, top=True)
    listings.audience_reviews(conn, movie)
    listings.quotes_of(conn, movie)
    listings.quotes_of(conn, movie, search="pear")
    listings.person_credits(conn, "Nicolas Cage")
    for sql, params in captured:
        plan = _plan(conn, (sql, params))
        scans = [s for s in re.findall(r"SCAN (\w+)", plan) if s not in ("f",)]
        assert not scans, (sql, plan)


def test_title_lookup_uses_an_index(conn):
    plan = _plan(conn, ("SELECT slug FROM movies WHERE title_key = ? AND year = ?", ["x", 1995]))
    assert "USING INDEX movies_title_key" in plan


def test_foreign_keys_refuse_orphans(conn):
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO quotes (movie_id, position, line) VALUES (999999, 1, 'x')")


def test_each_tables_columns_are_listed_once_and_match_the_schema(conn):
    """tables.py (from which INSERTs, CSV headers and exports are built) and schema.sql agree."""
    for table in TABLES:
        found = [row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")]
        assert sorted(found) == sorted(table.stored), table.name
        assert len(set(table.stored)) == len(table.stored)


def test_rows_refer_to_their_movie_by_integer_id(conn):
    for table in TABLES[1:]:
        columns = {row[1]: row[2] for row in conn.execute(f"PRAGMA table_info({table.name})")}
        assert columns["movie_id"] == "INTEGER" and "movie" not in columns
        keys = conn.execute(f"PRAGMA foreign_key_list({table.name})").fetchall()
        assert [(k[2], k[3], k[4]) for k in keys] == [("movies", "movie_id", "id")]
