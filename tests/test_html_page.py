"""Pages as browsers save them (HTML): every Rotten Tomatoes layout since 2015, field by field.

The fixtures in fixtures/html are of our own making: each reproduces one layout's markup (its
markers, nesting and attributes) around made-up reviews."""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES, dump, file_digest, movie_run

from movie.errors import ExitStatus, MovieError
from movie.output import Terminal
from movie.sources.html_page import is_html, parse_html_page

HTML = FIXTURES / "html"


def read(name: str):
    return parse_html_page((HTML / name).read_bytes(), name)


def known(record) -> dict:
    """The movie's columns that the page filled."""
    return {k: v for k, v in record.movie.items() if v is not None}


def test_2015_2018_layout_scorepanel():
    page = read("12-angry-men-2016.html")
    assert page.layout == "a Rotten Tomatoes page, 2015-2018 (scorePanel)"
    assert known(page) == {
        "slug": "12-angry-men-1957",
        "title": "12 Angry Men",  # the alternate title in parentheses is not part of it
        "year": 1957,
        "consensus": "Tense and talky in the best way, a one-room drama that turns a jury's "
        "vote into a study of doubt.",
        "synopsis": "A boy stands accused of murder, and one juror of twelve is not ready to "
        "call him guilty. Behind a locked door on the hottest day of the year, the others try "
        "to talk him round.",
        "rating": "NR",
        "theatrical_release": "1957-04-13",
        "dvd_release": "2001-03-06",
        "studio": "MGM Home Entertainment",
        "runtime_minutes": 96,
        "critic_count": 51,
        "top_critic_count": 9,
        "fresh_count": 51,
        "rotten_count": 0,
        "tomatometer": 100,
        "tomatometer_status": "Certified-Fresh",
        "audience_score": 97,
        "audience_status": "Upright",
        "audience_count": 215327,
        "rt_link": "m/1000013_12_angry_men",
    }
    assert page.genres == ["Drama", "Classics"]
    assert page.directors == ["Sidney Lumet"] and page.writers == ["Reginald Rose"]
    assert page.cast == [
        {"actor": "Henry Fonda", "character": "Juror No. 8", "character_truncated": 0},
        {"actor": "Martin Balsam", "character": "Juror No. 1", "character_truncated": 0},
        {
            "actor": "Lee J. Cobb",  # the title attribute has what the text cut short
            "character": "Juror No. 3, the father who has not spoken to his son in two years",
            "character_truncated": 0,
        },
        {"actor": "Jack Warden", "character": None, "character_truncated": 0},
    ]
    assert page.critic_reviews == [
        {
            "critic": "Ada Whitlock",
            "publication": "The Morning Ledger",
            "top_critic": 1,
            "verdict": "fresh",
            "score": "4/4",
            "review_date": "1957-04-15",
            "quote": "Twelve men, one table and not a wasted word & not a wasted glance.",
        },
        {
            "critic": "Tom Bracken",
            "publication": "Reel Weekly",
            "top_critic": 0,
            "verdict": "rotten",
            "score": "C+",
            "review_date": "2008-06-02",
            "quote": "Stagy, and it knows it.",
        },
    ]
    assert page.audience_reviews == [] and page.warnings == []


def test_2019_2020_layout_mop_ratings_wrap():
    page = read("et-2019.html")
    assert page.layout == "a Rotten Tomatoes page, 2019-2020 (mop-ratings-wrap)"
    assert known(page) == {
        "slug": "e-t-the-extra-terrestrial-1982",
        "title": "E.T. the Extra-Terrestrial",
        "year": 1982,
        "consensus": "Playing as both an exciting sci-fi adventure and a remarkable portrait "
        "of childhood, Spielberg's film is warm, funny and moving.",  # &nbsp; is a space
        "synopsis": "After a gentle alien becomes stranded on Earth, the being is discovered "
        "and befriended by a young boy named Elliott.",
        "rating": "PG",
        "rating_reason": "for language and mild peril",
        "theatrical_release": "1982-06-11",
        "dvd_release": "2002-10-22",
        "studio": "Universal Pictures",
        "runtime_minutes": 115,
        "critic_count": 131,
        "tomatometer": 98,
        "tomatometer_status": "Certified-Fresh",
        "audience_score": 72,
        "audience_status": "Upright",
        "audience_count": 32619,
        "rt_link": "m/et_the_extraterrestrial",
    }
    # The schema.org data's genres ("&amp;" decoded) win over the markup's.
    assert page.genres == ["Kids & Family", "Science Fiction & Fantasy"]
    assert page.directors == ["Steven Spielberg"] and page.writers == ["Melissa Mathison"]
    # The markup lists four actors, the data three: the longer list, with its characters.
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Henry Thomas", "Elliott"),
        ("Dee Wallace", "Mary"),
        ("Drew Barrymore", "Gertie"),
        ("Peter Coyote", "Keys"),
    ]
    assert page.critic_reviews == [
        {
            "critic": "June Okafor",
            "publication": "Saturday Screen",
            "top_critic": 0,
            "verdict": "fresh",
            "score": None,
            "review_date": "2019-03-11",
            "quote": "A small story about a lonely boy, told with a very big heart.",
        }
    ]
    assert page.audience_reviews == [
        {
            "reviewer": "Marcus L",
            "super_reviewer": 1,
            "text": "Still makes me cry at the bicycles. Every single time.",
        },
        {
            "reviewer": "Pia R",
            "super_reviewer": 0,
            "text": "The score does half the work and the kids do the rest. <3",
        },
    ]
    assert page.warnings == []


def test_2021_2023_layout_score_board_takes_the_year_from_the_release_date():
    page = read("et-2022.html")
    assert page.layout == "a Rotten Tomatoes page, 2021-2023 (score-board)"
    assert known(page) == {
        "slug": "e-t-the-extra-terrestrial-1982",
        "title": "E.T. the Extra-Terrestrial",
        "year": 1982,  # <title> has none: from "Release Date (Theaters): Jun 11, 1982 original"
        "consensus": "Playing as both an exciting sci-fi adventure and a remarkable portrait "
        "of childhood, Steven Spielberg's touching tale of a homesick alien remains a piece of "
        "movie magic for young and old.",
        "synopsis": "After a gentle alien becomes stranded on Earth, the being is discovered "
        "and befriended by a young boy named Elliott. Bringing the extraterrestrial into his "
        "suburban California house, Elliott introduces E.T. to his brother and his little "
        "sister, Gertie.",
        "rating": "PG",
        "theatrical_release": "1982-06-11",
        "streaming_release": "2002-10-22",
        "studio": "Amblin Entertainment",  # the data's production company over the markup's
        "runtime_minutes": 115,
        "critic_count": 143,
        "tomatometer": 99,
        "tomatometer_status": "Certified-Fresh",
        "audience_score": 72,
        "audience_status": "Upright",
        "audience_count": 250000,
        "rt_link": "m/et_the_extraterrestrial",
    }
    assert page.genres == ["Kids & family", "Sci-fi", "Adventure"]
    assert page.directors == ["Steven Spielberg"] and page.writers == ["Melissa Mathison"]
    # Crew in the cast-and-crew list (Director, Original Music) are not cast.
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Henry Thomas", "Elliott"),
        ("Dee Wallace", "Mary"),
        ("Robert MacNaughton", "Michael"),
    ]
    # The data's reviews in its order, completed from the markup (top critic, score); then the
    # markup's review that the data lacks.
    assert page.critic_reviews == [
        {
            "critic": "Rosa Delgado",
            "publication": "Northside Review",
            "top_critic": 1,
            "verdict": "fresh",
            "score": "4/4",
            "review_date": "2022-03-18",
            "quote": "Forty years on, the bicycle still flies and so does the film.",
        },
        {
            "critic": "Nils Berg",
            "publication": "The Flicker",
            "top_critic": 0,
            "verdict": "rotten",
            "score": None,
            "review_date": "2021-11-02",
            "quote": "Sentimental to a fault, and the fault is showing.",
        },
        {
            "critic": "Ken Saito",
            "publication": "Lantern Daily",
            "top_critic": 0,
            "verdict": "fresh",
            "score": "A-",
            "review_date": "2020-01-04",
            "quote": "The kind of film that makes a grown critic call his mother.",
        },
    ]
    assert page.warnings == []


def test_2024_layout_media_scorecard():
    page = read("heat-2024.html")
    assert page.layout == "a Rotten Tomatoes page, 2024 onward (media-scorecard)"
    assert known(page) == {
        "slug": "heat-1995",
        "title": "Heat",
        "year": 1995,
        "consensus": "Though Al Pacino and Robert De Niro share just a handful of scenes, "
        "Michael Mann's crime epic is an intricate and elegant duel.",
        "synopsis": "A group of high-end professional thieves start to feel the heat from the "
        "LAPD when they unknowingly leave a clue at their latest heist.",
        "rating": "R",
        "rating_reason": "Violence|Language",
        "theatrical_release": "1995-12-15",
        "studio": "Warner Bros. Pictures",
        "runtime_minutes": 170,
        "critic_count": 88,
        "tomatometer": 83,
        "tomatometer_status": "Certified-Fresh",
        "audience_score": 94,
        "audience_status": "Upright",
        "audience_count": 100000,
        "rt_link": "m/heat_1995",
    }
    assert page.genres == ["Crime", "Drama"]
    assert page.directors == ["Michael Mann"] and page.writers == ["Michael Mann"]
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Al Pacino", "Lt. Vincent Hanna"),
        ("Robert De Niro", "Neil McCauley"),
        ("Val Kilmer", "Chris Shiherlis"),
        ("Tom Sizemore", "Michael Cheritto"),
    ]
    assert page.critic_reviews == [
        {
            "critic": "Ines Moreau",
            "publication": "The Quarterly Frame",
            "top_critic": 1,
            "verdict": "fresh",
            "score": "3.5/4",
            "review_date": "2024-07-02",
            "quote": "Three hours that feel like one long held breath.",
        },
        {
            "critic": "Owen Pratt",
            "publication": "Cinema Tuesday",
            "top_critic": 0,
            "verdict": "rotten",
            "score": None,
            "review_date": "2024-02-09",
            "quote": "Gorgeous, and about forty minutes too proud of itself.",
        },
    ]
    assert page.audience_reviews == [
        {"reviewer": "Dana K", "super_reviewer": 0, "text": "The diner scene alone is worth it."}
    ]
    assert page.warnings == []


def test_names_given_as_na_are_never_stored():
    page = read("nope-2023-na.html")
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Daniel Kaluuya", "OJ Haywood"),
        ("Keke Palmer", "Emerald Haywood"),
        ("Brandon Perea", "Angel Torres"),
    ]
    assert page.directors == ["Jordan Peele"]
    assert page.movie["year"] == 2022 and page.movie["tomatometer"] == 82
    assert page.warnings == [
        "nope-2023-na.html: its schema.org data names 3 of 3 actors 'NA', not a name; "
        "the cast comes from the markup"
    ]


def test_na_names_and_no_cast_in_the_markup_import_without_cast():
    text = (HTML / "nope-2023-na.html").read_text(encoding="utf-8")
    start, end = text.index('<section id="cast-and-crew"'), text.index("</body>")
    page = parse_html_page((text[:start] + text[end:]).encode(), "nope.html")
    assert page.cast == [] and page.directors == ["Jordan Peele"]
    assert any("imported without cast" in w for w in page.warnings)


def test_a_layout_not_known_yet_is_read_from_its_schema_org_data():
    page = parse_html_page(
        b"<!DOCTYPE html><html><head><title>Heat - Rotten Tomatoes</title>"
        b'<script type="application/ld+json">{"@type":"Movie","name":"Heat",'
        b'"dateCreated":"1995-12-15","actors":[{"name":"Al Pacino"}],"character":["Hanna"],'
        b'"director":{"name":"Michael Mann"}}</script></head>'
        b'<body><new-scorecard score="83"></new-scorecard></body></html>',
        "future.html",
    )
    assert page.label == "Heat (1995)" and page.layout.endswith("unknown layout")
    assert page.cast[0]["actor"] == "Al Pacino" and page.directors == ["Michael Mann"]
    assert "layout is none movie knows" in page.warnings[0]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("other-site.html", "is a saved page of imdb.com, not a Rotten Tomatoes movie page"),
        ("rt-tv-page.html", "is a TV page, not a Rotten Tomatoes movie page"),
        ("rt-celebrity-page.html", "is a celebrity page, not a Rotten Tomatoes movie page"),
        ("rt-browse-page.html", "is a browse list, not a Rotten Tomatoes movie page"),
    ],
)
def test_pages_that_are_not_movie_pages_are_refused(name, why):
    with pytest.raises(MovieError) as refused:
        read(name)
    assert refused.value.message == f"{name} {why}"


def test_truncated_and_binary_downloads_are_refused():
    data = (HTML / "heat-2024.html").read_bytes()
    with pytest.raises(MovieError, match="cut off before its end"):
        parse_html_page(data[: len(data) // 2], "heat.html")
    with pytest.raises(MovieError, match="binary file"):
        parse_html_page(data[:200] + b"\x00\x01" + data[200:], "heat.html")


def test_html_is_told_by_content_not_by_name():
    assert is_html((HTML / "heat-2024.html").read_bytes())
    assert is_html(b"\xef\xbb\xbf\n  <!-- saved from url=(0040)https://x -->\n<html><body>")
    assert not is_html((FIXTURES / "leaving-las-vegas.rt.txt").read_bytes())
    assert not is_html(b"<b>Leaving Las Vegas (1995)</b>")


# ---------------------------------------------------------------- through the command line


def test_import_html_pages_as_saved(movie, empty_catalog, tmp_path):
    disguised = tmp_path / "heat.txt"  # HTML under any name
    disguised.write_bytes((HTML / "heat-2024.html").read_bytes())
    result = movie("import", str(HTML / "12-angry-men-2016.html"), str(disguised))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert [line.split("\t")[:7] for line in movie("movies").stdout.splitlines()] == [
        ["12 Angry Men", "1957", "NR", "4", "2", "0", "0"],
        ["Heat", "1995", "R", "4", "2", "1", "0"],
    ]
    assert movie("cast", "Heat", "-n", "1").stdout == "Al Pacino\tLt. Vincent Hanna\n"
    top = movie("reviews", "12 Angry Men", "--top").stdout
    assert top == (
        "1957-04-15\tAda Whitlock\tThe Morning Ledger\tyes\tfresh\t4/4\t"
        "Twelve men, one table and not a wasted word & not a wasted glance.\n"
    )


def test_import_html_from_stdin(movie, empty_catalog):
    result = movie("import", "-", input=(HTML / "et-2022.html").read_text(encoding="utf-8"))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert movie("cast", "E.T.", "-n", "1").stdout == "Henry Thomas\tElliott\n"


def test_a_page_saved_twice_is_one_movie_updated_in_place(movie, empty_catalog):
    assert movie("import", str(HTML / "et-2019.html")).exit_code == ExitStatus.OK
    assert json.loads(movie("card", "E.T.", "-f", "json").stdout)["critics"]["tomatometer"] == 98
    assert movie("import", str(HTML / "et-2022.html")).exit_code == ExitStatus.OK
    assert movie("movies").stdout.count("\n") == 1
    card = json.loads(movie("card", "E.T.", "-f", "json").stdout)
    assert card["critics"]["tomatometer"] == 99 and card["critics"]["reviews"] == 143
    assert [c["actor"] for c in card["cast"]][-1] == "Robert MacNaughton"


def test_dry_run_shows_the_card_and_the_layout(movie, empty_catalog, monkeypatch):
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    before = file_digest(empty_catalog)
    result = movie("import", "--dry-run", "-f", "tsv", str(HTML / "heat-2024.html"))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout.startswith("title\tHeat\nyear\t1995\n")
    assert result.stderr == (
        "Read Heat (1995) from a Rotten Tomatoes page, 2024 onward (media-scorecard).\n"
    )
    assert file_digest(empty_catalog) == before
    imported = movie("import", str(HTML / "et-2022.html"))
    assert imported.stderr.startswith(
        "Imported E.T. the Extra-Terrestrial (1982) from a Rotten Tomatoes page, 2021-2023 "
        "(score-board): 3 cast, 3 critic reviews"
    )


@pytest.mark.parametrize("name", ["rt-tv-page.html", "other-site.html"])
def test_refusals_are_one_line_and_change_nothing(seeded, tmp_path, name):
    before = dump(seeded)
    done = movie_run("import", str(HTML / name), db=seeded)
    assert done.returncode == ExitStatus.ERROR
    assert done.stderr.count("\n") == 1 and "not a Rotten Tomatoes movie page" in done.stderr
    assert dump(seeded) == before


def test_a_cut_download_through_the_cli(seeded, tmp_path):
    cut = tmp_path / "cut.html"
    data = (HTML / "et-2019.html").read_bytes()
    cut.write_bytes(data[: data.index(b"Audience Reviews")])
    before = dump(seeded)
    done = movie_run("import", str(cut), db=seeded)
    assert done.returncode == ExitStatus.ERROR
    assert done.stderr == (
        f"movie: {cut} is cut off before its end (no </html>): a truncated download? "
        "Save the page again\n"
    )
    assert dump(seeded) == before
