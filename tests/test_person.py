"""`movie person`: a person's roles and credits, with their characters' quotes."""

from __future__ import annotations

import json

from movie.errors import ExitStatus


def test_person_has_roles_credits_and_their_characters_quotes(movie, five):
    data = json.loads(movie("person", "nicolas cage", "-f", "json").stdout)
    assert data["person"] == {
        "name": "Nicolas Cage",
        "id": None,  # a page's name, with no IMDb person
        "born": None,
        "died": None,
        "professions": [],
        "known_for": [],
        "credits": {"actor": 2},
    }
    rows = data["credits"]
    assert rows[0] == {
        "credit": "actor",
        "movie": "Leaving Las Vegas",
        "year": 1995,
        "detail": "Ben Sanderson",
        "title_id": "leaving-las-vegas-1995",
        "type": None,
    }
    quotes = [r for r in rows if r["credit"] == "quote"]
    assert len(quotes) == 5  # four as Ben Sanderson, one as Castor Troy
    assert rows[-2] == {
        "credit": "actor",
        "movie": "Face/Off",
        "year": 1997,
        "detail": "Castor Troy",
        "title_id": "face-off-1997",
        "type": None,
    }
    lines = movie("person", "nicolas cage", "-f", "jsonl").stdout.splitlines()
    assert json.loads(lines[0]) == rows[0]  # JSON lines: the credits alone
    assert rows[-1]["detail"] == "Castor Troy: I'd like to take his face... off."


def test_person_director_and_writer_credits(movie, five):
    lines = movie("person", "MICHAEL MANN").stdout.splitlines()
    assert lines == ["director\tHeat\t1995\t\theat-1995\t", "writer\tHeat\t1995\t\theat-1995\t"]
    figgis = movie("person", "figgis").stdout.splitlines()
    assert figgis == [
        "actor\tLeaving Las Vegas\t1995\tMobster No. 1\tleaving-las-vegas-1995\t",
        "writer\tLeaving Las Vegas\t1995\t\tleaving-las-vegas-1995\t",
    ]


def test_person_accents_several_and_none(movie, five):
    assert movie("person", "audrey tautou").stdout.startswith("actor\tAmélie\t2001")
    several = movie("person", "john")
    assert several.exit_code == ExitStatus.ERROR
    assert "matches 3 people: John O'Brien, John Travolta, John Woo" in several.stderr
    none = movie("person", "Nicolas Kage")
    assert none.exit_code == ExitStatus.ERROR and "did you mean Nicolas Cage?" in none.stderr


def test_a_terminal_shows_who_the_person_is_first(movie, five, monkeypatch):
    from movie.output import Terminal, write_headed
    from movie.output.person import person_lines
    from movie.results import Result

    summary = {
        "name": "Ann Example", "id": "nm0000001", "born": 1950, "died": 2020,
        "professions": ["actress", "writer"], "known_for": ["Heat (1995)"],
        "credits": {"actress": 12, "writer": 1},
    }  # fmt: skip
    assert person_lines(summary) == [
        "Ann Example (nm0000001)",
        "Born 1950, died 2020; actress, writer",
        "Known for Heat (1995)",
        "Credits: 12 as actress, 1 as writer",
    ]
    import io

    from movie.output import Format

    out = io.StringIO()
    term = Terminal(is_tty=True, width=80, color=False)
    rows = Result(["credit", "movie"], iter([("actress", "Heat")]))
    write_headed(
        ("person", summary, person_lines(summary)), "credits", rows, Format.table, out, term
    )
    assert out.getvalue().startswith("Ann Example (nm0000001)\nBorn 1950, died 2020;")
    assert "\n\ncredit " in out.getvalue()


def test_a_person_with_no_credits_says_so(movie, five, imported, tmp_path):
    from helpers import write_imdb

    folder = write_imdb(
        tmp_path / "n", name_basics=["nm0000009\tNo Credits\t1990\t\\N\tactor\t\\N"]
    )
    imported("--imdb", folder)
    result = movie("person", "nm0000009")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "movie: No Credits (nm0000009) has no credits in the catalog\n"
