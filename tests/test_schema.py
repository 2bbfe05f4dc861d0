"""schema.sql: versioned, multi-movie, indexed where commands look, FTS kept in step."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from helpers import dump, rows_in

from movie import catalog
from movie.errors import ExitStatus
from movie.read import choose, listings
from movie.store import schema
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
    original = listings.execute

    def spy(connection, sql, params, *rest):
        captured.append((sql, params if isinstance(params, dict) else list(params)))
        return original(connection, sql, params, *rest)

    monkeypatch.setattr(listings, "execute", spy)
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


def v5_catalog(seeded: Path) -> Path:
    """The seed catalog as schema 5 left it (the full index of other titles)."""
    conn = sqlite3.connect(seeded)
    conn.executescript(
        "DROP INDEX akas_title_key; CREATE INDEX akas_title_key ON akas (title_key);"
        "PRAGMA user_version = 5;"
    )
    conn.close()
    return seeded


def test_an_upgrade_keeps_the_users_views_triggers_and_indexes(movie, tmp_path):
    """Schema 3 -> 6 rebuilds cast and crew under other names: a view over crew must still
    read crew afterwards (it was rewritten to a table the upgrade dropped), a broken view is
    kept as it was (it does not stop the upgrade), and the user's trigger and index stay."""
    import shutil

    db = tmp_path / "v3.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "catalog-v3.db", db)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE VIEW my_crew AS SELECT * FROM crew;
        CREATE TABLE scratch (x);
        CREATE VIEW gone AS SELECT x FROM scratch;
        DROP TABLE scratch;
        CREATE TABLE my_log (what TEXT);
        CREATE TRIGGER my_movie_log AFTER INSERT ON movies BEGIN
            INSERT INTO my_log VALUES (NEW.title);
        END;
        CREATE INDEX my_cast_character ON cast_credits (character);
        """
    )
    crew_rows = conn.execute("SELECT count(*) FROM crew").fetchone()[0]
    conn.close()
    result = movie("--db", str(db), "sql", "SELECT count(*) FROM my_crew")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout == f"{crew_rows}\n"
    assert "Traceback" not in result.stderr
    names = {r[0] for r in rows_in(db, "SELECT name FROM sqlite_master")}
    assert {"my_crew", "my_movie_log", "my_cast_character", "gone"} <= names  # gone: as it was
    page = Path(__file__).parent / "fixtures" / "html" / "12-angry-men-2016.html"
    writes = movie("--db", str(db), "import", str(page))
    assert writes.exit_code == ExitStatus.OK, writes.stderr
    assert rows_in(db, "SELECT what FROM my_log") == [("12 Angry Men",)]  # still fires


def test_a_users_trigger_calling_an_unknown_function_fails_a_write_in_one_line(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.executescript(
        "CREATE TRIGGER odd AFTER INSERT ON movies BEGIN SELECT no_such_fn(NEW.title); END;"
    )
    conn.close()
    before = dump(seeded)
    page = Path(__file__).parent / "fixtures" / "html" / "heat-2024.html"
    result = movie("import", str(page))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "something added to the catalog's schema does not work (no such function" in (
        result.stderr
    )
    assert dump(seeded) == before


def test_a_users_endless_trigger_never_runs_during_an_upgrade(movie, tmp_path):
    """Schema 4 -> 5 fills genre_scores: a user's trigger on it that never ends is set aside
    for the upgrade (and kept)."""
    import shutil

    db = tmp_path / "v4.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "catalog-v4.db", db)
    conn = sqlite3.connect(db)
    conn.executescript(
        """CREATE TABLE genre_scores (genre TEXT, title_type TEXT, score TEXT, titles INTEGER,
               total INTEGER, PRIMARY KEY (genre, title_type, score)) WITHOUT ROWID;
        CREATE TRIGGER endless AFTER INSERT ON genre_scores BEGIN
            SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
            SELECT i + 1 FROM n) SELECT i FROM n);
        END;"""
    )
    conn.close()
    result = movie("--db", str(db), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert rows_in(db, "PRAGMA user_version") == [(schema.SCHEMA_VERSION,)]
    assert "endless" in {r[0] for r in rows_in(db, "SELECT name FROM sqlite_master")}


def test_an_upgrade_that_runs_too_long_stops_and_leaves_the_catalog_as_it_was(
    movie, seeded, monkeypatch
):
    from movie.store import schema

    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    monkeypatch.setitem(schema.UPGRADES, 5, lambda conn: conn.execute(endless).fetchone())
    v5_catalog(seeded)
    before = dump(seeded)
    monkeypatch.setenv("MOVIE_TIMEOUT", "1")
    result = movie("cast", "-n", "1")
    assert result.exit_code == ExitStatus.ERROR
    assert "stopped after 1 s, the time limit" in result.stderr
    assert dump(seeded) == before
