"""`movie movies`: the catalog, filtered (genre, years, rating, votes, who is credited, who
directed) and sorted by any column, each combination read through an index."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import FIXTURES

from movie.errors import ExitStatus
from movie.read.choose import Person
from movie.read.movies import Filters, catalog_movies
from movie.store.schema import SCHEMA_VERSION


@pytest.fixture
def imdb(imported, seeded):
    """The seed (its page movie) with the IMDb fixture: Heat twice, Amélie, The Simpsons, ..."""
    imported("--imdb", FIXTURES / "imdb")
    return seeded


def titles(result):
    assert result.exit_code == ExitStatus.OK, result.stderr
    return [tuple(line.split("\t")[:2]) for line in result.stdout.splitlines()]


def test_genres_all_of_them_in_any_case(movie, imdb):
    assert titles(movie("movies", "--genre", "romance")) == [
        ("Amélie", "2001"),
        ("Leaving Las Vegas", "1995"),
    ]
    assert titles(movie("movies", "-g", "Drama", "-g", "crime")) == [("Heat", "1995")]
    unknown = movie("movies", "--genre", "Western")
    assert unknown.exit_code == ExitStatus.ERROR
    assert unknown.stderr.startswith("movie: no genre 'Western' in the catalog (genres: ")
    assert "Animation" in unknown.stderr


def test_years_one_or_a_range_open_at_either_end(movie, imdb):
    assert titles(movie("movies", "--year", "1986")) == [("Heat", "1986")]
    assert [
        t for t, _ in titles(movie("movies", "--year", "1989..1990", "--type", "tvEpisode"))
    ] == [
        "Bart the Genius",
        "Simpsons Roasting on an Open Fire",
    ]
    assert titles(movie("movies", "-y", "2001..", "--type", "movie")) == [
        ("Amélie", "2001"),
        ("ゾンビマックス！怒りのデス・ゾンビ", "2015"),
    ]
    assert titles(movie("movies", "-y", "..1939")) == [("Dr. Jekyll and Mr. Hyde", "1920")]
    for bad in ("19x", "1999..1990", "1700", "1990...1999", ""):
        result = movie("movies", "--year", bad)
        assert result.exit_code == ExitStatus.USAGE, bad
        assert "--year" in result.stderr and "Traceback" not in result.stderr


def test_rating_and_votes_floors(movie, imdb):
    assert titles(movie("movies", "--min-rating", "8.3", "--type", "movie")) == [
        ("Amélie", "2001"),
        ("Heat", "1995"),
    ]
    assert titles(movie("movies", "--min-votes", "500000")) == [
        ("Amélie", "2001"),
        ("Heat", "1995"),
    ]
    assert movie("movies", "--min-rating", "11").exit_code == ExitStatus.USAGE


def test_anyone_credited_and_the_director_by_name_or_id(movie, imdb):
    assert titles(movie("movies", "--director", "Michael Mann")) == [("Heat", "1995")]
    assert titles(movie("movies", "--director", "nm0001214")) == [("Leaving Las Vegas", "1995")]
    assert titles(movie("movies", "--with", "nm0000199")) == [("Heat", "1995")]
    cage = movie("movies", "--with", "nicolas cage")  # a page's credit, by name
    assert titles(cage) == [("Leaving Las Vegas", "1995")]
    nobody = movie("movies", "--with", "zzqzz")
    assert nobody.exit_code == ExitStatus.ERROR and "no person matches" in nobody.stderr


def test_every_column_sorts_each_key_its_own_way_and_undated_titles_last(movie, imdb):
    newest = titles(movie("movies", "--sort", "year"))
    assert newest[0] == ("ゾンビマックス！怒りのデス・ゾンビ", "2015") and newest[-1][1] == ""
    oldest = titles(movie("movies", "--sort", "year", "--asc"))
    assert oldest[0] == ("Dr. Jekyll and Mr. Hyde", "1920") and oldest[-1][1] == ""
    assert titles(movie("movies", "--sort", "votes", "-n", "2")) == [
        ("Amélie", "2001"),
        ("Heat", "1995"),
    ]
    assert titles(movie("movies", "--sort", "votes", "--asc", "-n", "1")) == [("Heat", "1995")]
    assert titles(movie("movies", "--sort", "cast", "-n", "1")) == [("Leaving Las Vegas", "1995")]
    by_title = [t for t, _ in titles(movie("movies", "--sort", "title", "--desc", "-n", "2"))]
    assert by_title == ["ゾンビマックス！怒りのデス・ゾンビ", "The Simpsons"]
    for key in ("rating", "reviews", "audience", "quotes", "slug", "type"):
        assert movie("movies", "--sort", key).exit_code == ExitStatus.OK, key


def test_the_issue_s_combination(movie, imdb):
    result = movie(
        "movies", "--genre", "Drama", "--year", "1990..1999", "--min-votes", "1000",
        "--sort", "rating", "-n", "20",
    )  # fmt: skip
    assert titles(result) == [("Heat", "1995"), ("Leaving Las Vegas", "1995")]


COMBINATIONS = [
    Filters(genres=["Drama"], years=(1990, 1999), min_votes=1000),
    Filters(genres=["Drama"]),
    Filters(years=(1990, 1999)),
    Filters(min_rating=8.0),
    Filters(min_votes=1000),
    Filters(types=["movie"], years=(1990, 1999)),
    Filters(credited=Person(199, "Al Pacino")),
    Filters(director=Person(520, "Michael Mann")),
    Filters(genres=["Drama", "Crime"], credited=Person(None, "Nicolas Cage")),
    Filters(mine=["seen"]),
    Filters(mine=["rated"], genres=["Drama"]),
    Filters(mine=["watchlist"], years=(1990, 1999)),
    Filters(mine=["unseen"], genres=["Drama"], min_votes=1000),
]


@pytest.mark.parametrize("sort", ["title", "year", "rating", "votes"])
@pytest.mark.parametrize("filters", COMBINATIONS, ids=range(len(COMBINATIONS)))
def test_every_filter_and_sort_reads_an_index(imdb, filters, sort, monkeypatch):
    """No plan reads the whole movies table (SCAN m without an index): at 12 million titles
    that is seconds. The counted subqueries read their tables by movie."""
    import movie.read.listings as listings

    ran = []
    real = listings.execute
    monkeypatch.setattr(listings, "execute", lambda *args: ran.append(args) or real(*args))
    conn = sqlite3.connect(imdb)
    conn.create_function("fold", 1, lambda text: text)
    try:
        catalog_movies(conn, sort, 20, filters=filters)
        _, sql, params = ran[0]
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    finally:
        conn.close()
    scans = [step for step in plan if step.startswith("SCAN") and "INDEX" not in step]
    assert not scans, plan


def _plan_and_rows(db, sort, filters, monkeypatch, common):
    """The plan and rows of one listing, with genres counted common from `common` up."""
    import movie.read.listings as listings
    import movie.read.movies as movies

    ran = []
    real = listings.execute
    monkeypatch.setattr(listings, "execute", lambda *args: ran.append(args) or real(*args))
    monkeypatch.setattr(movies, "COMMON_GENRE", common)
    conn = sqlite3.connect(db)
    conn.create_function("fold", 1, lambda text: text)
    try:
        rows = list(catalog_movies(conn, sort, 20, filters=filters).rows)
        _, sql, params = ran[-1]
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    finally:
        conn.close()
    return plan, rows


@pytest.mark.parametrize("sort", ["title", "year", "rating", "votes"])
@pytest.mark.parametrize("filters", COMBINATIONS, ids=range(len(COMBINATIONS)))
def test_walking_a_rated_index_lists_what_the_genre_s_index_lists(imdb, filters, sort, monkeypatch):
    walked = _plan_and_rows(imdb, sort, filters, monkeypatch, 0.0)
    listed = _plan_and_rows(imdb, sort, filters, monkeypatch, 2.0)
    assert walked[1] == listed[1]
    assert not any("SCAN" in step and "INDEX" not in step for step in walked[0]), walked[0]


def test_a_common_genre_s_rated_titles_are_walked_in_order(imdb, monkeypatch):
    """The issue's listing: every rated title in rating order, year and votes checked in the
    index, the genre title by title, stopping at 20: no sort of the whole genre."""
    filters = Filters(genres=["Drama"], years=(1990, 1999), min_votes=1000)
    plan, rows = _plan_and_rows(imdb, "rating", filters, monkeypatch, 0.01)
    assert plan[0] == "SCAN m USING INDEX movies_rating", plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan  # (its right part only: ties by title)
    assert [row[0] for row in rows] == ["Heat", "Leaving Las Vegas"]
    plan, _ = _plan_and_rows(imdb, "votes", filters._replace(types=["movie"]), monkeypatch, 0.01)
    assert plan[0].startswith("SEARCH m USING INDEX movies_type_votes"), plan
    plan, _ = _plan_and_rows(imdb, "title", filters, monkeypatch, 0.01)
    assert plan[0].startswith("SEARCH m USING INDEX movies_votes (imdb_votes>?)"), plan
    plan, rows = _plan_and_rows(imdb, "title", Filters(genres=["Drama"]), monkeypatch, 0.01)
    assert plan[0] == "SCAN m USING INDEX movies_title_key", plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan
    assert [row[0] for row in rows][:2] == ["Dr. Jekyll and Mr. Hyde", "Heat"]


def test_a_rare_genre_is_read_from_its_own_index(imdb, monkeypatch):
    """A genre with under 1% of the rated titles' genres: its few titles are read first."""
    conn = sqlite3.connect(imdb)
    conn.executemany(
        "INSERT INTO genre_scores VALUES (?, 'movie', 'imdb', 1000, 7000)",
        [(f"Other{i}",) for i in range(200)],
    )  # 200,000 rated genre pairs elsewhere: Drama's few are under 1%
    conn.commit()
    conn.close()
    filters = Filters(genres=["Drama"], years=(1990, 1999), min_votes=1000)
    plan, rows = _plan_and_rows(imdb, "rating", filters, monkeypatch, 0.01)
    assert any("genres_genre" in step for step in plan) and "movies_rating" not in str(plan)
    assert [row[0] for row in rows] == ["Heat", "Leaving Las Vegas"]


def test_a_schema_8_catalog_gains_the_year_in_its_rated_indexes(movie, imdb):
    conn = sqlite3.connect(imdb)
    conn.execute("DROP INDEX movies_rating")
    conn.execute(
        "CREATE INDEX movies_rating ON movies (imdb_rating, imdb_votes) "
        "WHERE imdb_votes IS NOT NULL"
    )
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    result = movie("movies", "--genre", "Drama", "--sort", "rating", "-n", "1")
    assert titles(result) == [("Heat", "1995")]
    assert f"from schema 8 to {SCHEMA_VERSION}" in result.stderr
    conn = sqlite3.connect(imdb)
    for index in ("movies_rating", "movies_votes"):
        columns = [row[2] for row in conn.execute(f"PRAGMA index_info({index})")]
        assert columns[-1] == "year", (index, columns)
    conn.close()
