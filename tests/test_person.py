"""`movie person`: a person's roles and credits, with their characters' quotes."""

from __future__ import annotations

import json

from movie.errors import ExitStatus


def test_person_has_roles_credits_and_their_characters_quotes(movie, five):
    rows = json.loads(movie("person", "nicolas cage", "-f", "json").stdout)
    assert rows[0] == {
        "credit": "actor",
        "movie": "Leaving Las Vegas",
        "year": 1995,
        "detail": "Ben Sanderson",
    }
    quotes = [r for r in rows if r["credit"] == "quote"]
    assert len(quotes) == 5  # four as Ben Sanderson, one as Castor Troy
    assert rows[-2] == {
        "credit": "actor",
        "movie": "Face/Off",
        "year": 1997,
        "detail": "Castor Troy",
    }
    assert rows[-1]["detail"] == "Castor Troy: I'd like to take his face... off."


def test_person_director_and_writer_credits(movie, five):
    lines = movie("person", "MICHAEL MANN").stdout.splitlines()
    assert lines == ["director\tHeat\t1995\t", "writer\tHeat\t1995\t"]
    figgis = movie("person", "figgis").stdout.splitlines()
    assert figgis == [
        "actor\tLeaving Las Vegas\t1995\tMobster No. 1",
        "writer\tLeaving Las Vegas\t1995\t",
    ]


def test_person_accents_several_and_none(movie, five):
    assert movie("person", "audrey tautou").stdout.startswith("actor\tAmélie\t2001")
    several = movie("person", "john")
    assert several.exit_code == ExitStatus.ERROR
    assert "matches 3 people: John O'Brien, John Travolta, John Woo" in several.stderr
    none = movie("person", "Nicolas Kage")
    assert none.exit_code == ExitStatus.ERROR and "did you mean Nicolas Cage?" in none.stderr
