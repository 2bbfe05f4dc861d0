"""Many movies: choosing one by title, the default movie, --all, and `movie movies`."""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES

from movie.errors import ExitStatus

MORE = str(FIXTURES / "more-movies")


def test_load_reports_what_it_loaded(movie):
    result = movie("load", MORE)
    assert result.exit_code == ExitStatus.OK
    assert result.stdout == ""
    assert "4 movies" in result.stderr and "8 cast credits" in result.stderr


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Leaving Las Vegas", "Nicolas Cage"),
        ("leaving las vegas", "Nicolas Cage"),
        ("LEAVING", "Nicolas Cage"),
        ("leaving-las-vegas-1995", "Nicolas Cage"),
        ("Heat (1995)", "Al Pacino"),
        ("heat (1986)", "Burt Reynolds"),
        ("amelie", "Audrey Tautou"),
        ("AMÉLIE", "Audrey Tautou"),
        ("Face/", "John Travolta"),
    ],
)
def test_titles_resolve_case_and_accent_blind(movie, five, typed, expected):
    result = movie("cast", typed, "-n", "1")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout.split("\t")[0] == expected


def test_year_option_picks_among_same_titles(movie, five):
    assert movie("cast", "Heat", "--year", "1986").stdout.startswith("Burt Reynolds")


def test_ambiguous_title_lists_candidates_with_years(movie, five):
    result = movie("cast", "Heat")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "Heat (1986)" in result.stderr and "Heat (1995)" in result.stderr


def test_unknown_title_suggests_close_ones(movie, five):
    result = movie("card", "Leavng Las Vegas")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith("movie: no movie matches 'Leavng Las Vegas'")
    assert "Leaving Las Vegas (1995)" in result.stderr
    assert result.stderr.count("\n") == 1


def test_without_title_several_movies_say_how_to_choose(movie, five):
    result = movie("cast")
    assert result.exit_code == ExitStatus.ERROR
    assert "movie use" in result.stderr and "--all" in result.stderr


def test_use_sets_and_shows_the_default(movie, five):
    result = movie("use", "heat (1995)")
    assert result.exit_code == ExitStatus.OK
    assert "Heat (1995)" in result.stderr
    assert movie("use").stdout == "Heat (1995)\n"
    assert movie("cast", "-n", "1").stdout == "Al Pacino\tLt. Vincent Hanna\n"
    assert movie("use", "nothing like it").exit_code == ExitStatus.ERROR


def test_all_adds_a_movie_column_and_makes_a_filmography(movie, five):
    result = movie("cast", "--all", "--actor", "nicolas CAGE")
    assert result.stdout.splitlines() == [
        "Face/Off (1997)\tNicolas Cage\tCastor Troy",
        "Leaving Las Vegas (1995)\tNicolas Cage\tBen Sanderson",
    ]


def test_all_and_a_title_together_is_a_usage_error(movie, five):
    result = movie("cast", "Heat", "--all")
    assert result.exit_code == ExitStatus.USAGE


def test_actor_and_character_filters_are_accent_blind_substrings(movie, five):
    assert movie("cast", "amelie", "--character", "AMELIE").stdout == (
        "Audrey Tautou\tAmélie Poulain\n"
    )
    assert movie("cast", "leaving", "--character", "mobster no").stdout.count("\n") == 3
    assert movie("cast", "leaving", "--actor", "%").stdout == ""
    assert movie("cast", "leaving", "--actor", "_").stdout == ""


def test_reviews_all_search_and_quotes_all(movie, five):
    out = movie("reviews", "--all", "--search", "drink", "-f", "json").stdout
    rows = json.loads(out)
    assert rows and all(
        set(r)
        == {
            "movie",
            "date",
            "critic",
            "publication",
            "top_critic",
            "verdict",
            "score",
            "quote",
            "title_id",
            "type",
        }
        for r in rows
    )
    assert {r["movie"] for r in rows} == {"Heat (1995)"}
    quotes = movie("quotes", "--all").stdout.splitlines()
    assert len(quotes) == 7
    assert quotes[0].startswith("Amélie (2001)\t")


def test_review_search_is_accent_blind(movie, five):
    result = movie("reviews", "amelie", "--search", "delicieux")
    assert "Un film délicieux." in result.stdout


def test_critic_review_columns_include_critic_and_verdict_data(movie, five):
    rows = json.loads(movie("reviews", "Heat (1995)", "-f", "json").stdout)
    assert rows[0]["critic"] == "Jane Doe"  # newest first
    top = json.loads(movie("reviews", "Heat (1995)", "--top", "-f", "json").stdout)
    assert [r["critic"] for r in top] == ["Roger Ebert"]


def test_movies_sorts_and_limits(movie, five):
    by_title = movie("movies").stdout.splitlines()
    assert [line.split("\t")[0] for line in by_title] == [
        "Amélie",
        "Face/Off",
        "Heat",
        "Heat",
        "Leaving Las Vegas",
    ]
    by_year = movie("movies", "--sort", "year", "-n", "2").stdout.splitlines()
    assert [line.split("\t")[1] for line in by_year] == ["2001", "1997"]  # newest first
    oldest = movie("movies", "--sort", "year", "--asc", "-n", "2").stdout.splitlines()
    assert [line.split("\t")[1] for line in oldest] == ["1986", "1995"]
    by_reviews = movie("movies", "--sort", "reviews", "-n", "1").stdout
    assert by_reviews.startswith("Leaving Las Vegas\t")


def test_card_of_another_movie_shows_its_fields(movie, five):
    out = movie("card", "heat (1995)", "-f", "table").stdout
    assert "Directed by  Michael Mann" in out
    assert "In theaters  1995-12-15" in out
    assert "Runtime      170 min" in out
    assert "Critic consensus" in out
    assert "Tomatometer 83%" in out
    sparse = movie("card", "face/off", "-f", "table").stdout
    assert "Synopsis" not in sparse and "Genres" not in sparse
