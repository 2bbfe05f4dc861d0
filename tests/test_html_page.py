"""Pages as browsers save them (HTML): every Rotten Tomatoes layout since 2015, field by field.

The fixtures in fixtures/html are of our own making: each reproduces one layout's markup (its
markers, nesting and attributes) around made-up reviews."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
from helpers import FIXTURES, dump, file_digest, movie_run, rows_of, small_page

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
    """Built on the structure of a real page saved in 2019 (quote bubbles holding the whole
    card, the date line inside the quote's blockquote, the original score in the verdict icon's
    tooltip, "Top Critic" under the critic, the counts in links over the reviews)."""
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
        "synopsis_by": "Kira Vance, Rovi",
        "rating": "PG",
        "rating_reason": "for language and mild peril",
        "theatrical_release": "1982-06-11",
        "dvd_release": "2002-10-22",
        "studio": "Universal Pictures",
        "runtime_minutes": 115,
        "critic_count": 131,  # All Critics (131); the page shows no Fresh or Rotten counts
        "top_critic_count": 33,  # Top Critics (33)
        "tomatometer": 98,
        "tomatometer_status": "Certified-Fresh",
        "audience_score": 72,
        "audience_status": "Upright",
        "audience_count": 32619,
        "rt_link": "m/et_the_extraterrestrial",
    }
    assert page.genres == ["Kids & Family", "Science Fiction & Fantasy"]
    assert page.directors == ["Steven Spielberg"] and page.writers == ["Melissa Mathison"]
    assert page.crew == [] and page.akas == []
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Henry Thomas", "Elliott"),
        ("Dee Wallace", "Mary"),
        ("Drew Barrymore", "Gertie"),
        ("Peter Coyote", "Keys"),
        ("C. Thomas Howell", None),
    ]
    # Each review once, the page's values over the data's; the date line is never a review.
    assert page.critic_reviews == [
        {
            "critic": "June Okafor",
            "publication": "The Morning Ledger",
            "top_critic": 1,
            "verdict": "fresh",
            "score": None,
            "review_date": "2016-09-23",
            "quote": "A small story about a lonely boy, told with a very big heart.",
        },
        {
            "critic": "Ken Saito",
            "publication": "Lantern Daily",
            "top_critic": 1,
            "verdict": "fresh",
            "score": "3.5/4",
            "review_date": "2015-09-22",
            "quote": "The bicycles still fly, and so does every minute around them.",
        },
        {
            "critic": "Bram Holt",
            "publication": "Reel Weekly",
            "top_critic": 0,
            "verdict": "rotten",
            "score": "C-",
            "review_date": "2007-06-28",
            "quote": "Sentiment poured on with a ladle.",
        },
        {  # only in the page's data: its critic is "NA", not a name
            "critic": None,
            "publication": "Film Quarterly Notes",
            "top_critic": 0,
            "verdict": "fresh",
            "score": None,
            "review_date": "2006-02-09",
            "quote": "Only in the data: a review the page does not show as a card.",
        },
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
    assert page.quotes == [
        {
            "character": "Elliott",
            "line": "He came to me. He's staying.",
            "submitted_by": None,
            "submitted_age": None,
        },
        {
            "character": "Gertie / Michael",
            "line": "Gertie: Is he a boy or a girl? / Michael: Ask him.",
            "submitted_by": None,
            "submitted_age": None,
        },
    ]
    assert page.warnings == []


ET_2021_2023 = {
    "slug": "e-t-the-extra-terrestrial-1982",
    "title": "E.T. the Extra-Terrestrial",
    "year": 1982,
    "consensus": "Playing as both an exciting sci-fi adventure and a remarkable portrait of "
    "childhood, E.T. remains a piece of movie magic for young and old.",
    "synopsis": "After a gentle alien becomes stranded on Earth, the being is discovered and "
    "befriended by a young boy named Elliott. Bringing the extraterrestrial into his suburban "
    "California house, Elliott introduces E.T. to his brother and his little sister, Gertie.",
    "rating": "PG",
    "rating_reason": "Language|Mild Peril",
    "theatrical_release": "1982-06-11",
    "streaming_release": "2002-10-22",
    "studio": "Universal Pictures",  # the page's Distributor, not the data's production company
    "runtime_minutes": 115,
    "critic_count": 143,
    "top_critic_count": 37,
    "fresh_count": 142,
    "rotten_count": 1,
    "tomatometer": 99,
    "tomatometer_status": "Certified-Fresh",
    "audience_score": 72,
    "audience_status": "Upright",
    "audience_count": 250000,
    "rt_link": "m/et_the_extraterrestrial",
}
ET_2021_2023_REVIEWS = [
    {
        "critic": "Rosa Delgado",
        "publication": "Northside Review",
        "top_critic": 1,
        "verdict": "fresh",
        "score": "4/5",
        "review_date": "2014-11-18",
        "quote": "Forty years on, the bicycle still flies, and so does the film.",
    },
    {
        "critic": "Nils Berg",
        "publication": "The Flicker",
        "top_critic": 0,
        "verdict": "rotten",
        "score": None,
        "review_date": "2023-03-11",
        "quote": "Sentimental to a fault, and the fault is showing.",
    },
    {
        "critic": "Ken Saito",
        "publication": "Lantern Daily",
        "top_critic": 0,
        "verdict": "fresh",
        "score": "A-",
        "review_date": "2022-01-13",
        "quote": "The kind of film that makes a grown critic call his mother.",
    },
]
ET_CREW = [
    {"role": "producer", "name": "Kathleen Kennedy", "job": "Producer"},
    {"role": "producer", "name": "Steven Spielberg", "job": "Producer"},
    {"role": "composer", "name": "John Williams", "job": "Original Music"},
    {"role": "editor", "name": "Carol Littleton", "job": "Film Editing"},
    {"role": "cinematographer", "name": "Allen Daviau", "job": "Cinematographer"},
]


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("et-2021.html", "2021 (score-board)"),
        ("et-2022.html", "2022-2023 (score-board-deprecated)"),
    ],
)
def test_2021_2023_layouts_score_board(name, layout):
    """Built on the structure of a real page saved in the 2022-2023 layout (custom elements
    named ...-deprecated, speech balloons whose attributes hold each review, critic and
    publication links inside them, the crew after the actors in one list, the counts in links
    over the reviews); the 2021 variant has the same elements without the suffix, a cast box
    whose title attribute holds the actor's name, and schema.org data naming the director as a
    writer too, which the page's Writer row does not."""
    page = read(name)
    assert page.layout == f"a Rotten Tomatoes page, {layout}"
    assert known(page) == ET_2021_2023
    assert page.genres == ["Kids & family", "Sci-fi", "Adventure"]
    assert page.directors == ["Steven Spielberg"] and page.writers == ["Melissa Mathison"]
    assert page.crew == ET_CREW  # never in the cast
    assert [(c["actor"], c["character"]) for c in page.cast] == [
        ("Henry Thomas", "Elliott"),
        ("Dee Wallace", "Mary"),
        ("Robert MacNaughton", "Michael"),
        ("Drew Barrymore", "Gertie"),
    ]
    assert page.critic_reviews == ET_2021_2023_REVIEWS
    assert page.audience_reviews == [] and page.quotes == [] and page.warnings == []


def test_a_cast_list_keeps_an_actor_whose_character_is_named_like_a_job():
    """Only the crew at the end of the list is crew: an actor playing "Producer" stays cast."""
    text = (
        (HTML / "et-2022.html")
        .read_text(encoding="utf-8")
        .replace("                    Mary\n", "                    Producer\n", 1)
    )
    page = parse_html_page(text.encode(), "et.html")
    assert ("Dee Wallace", "Producer") in [(c["actor"], c["character"]) for c in page.cast]
    assert len(page.cast) == 4 and len(page.crew) == 5


def test_2024_layout_media_scorecard():
    """The score card's data block (counts of all, top, fresh and rotten critics) and review
    cards whose slots hold each part, as a 2026 description of the site's markup shows them
    (no page saved in this layout was found to compare against)."""
    page = read("heat-2024.html")
    assert page.layout == "a Rotten Tomatoes page, 2024 onward (media-scorecard)"
    assert known(page) == {
        "slug": "heat-1995",
        "title": "Heat",
        "year": 1995,
        "consensus": "Though Al Pacino and Robert De Niro share just a handful of scenes, "
        "Michael Mann's crime epic is an intricate and elegant duel.",
        "synopsis": "Obsessive master thief Neil McCauley leads a top-notch crew on various "
        "daring heists throughout Los Angeles.",  # the page's, not the data's description
        "rating": "R",
        "rating_reason": "Violence|Language",
        "theatrical_release": "1995-12-15",
        "studio": "Warner Bros. Pictures",
        "runtime_minutes": 170,
        "critic_count": 88,
        "top_critic_count": 21,
        "fresh_count": 73,
        "rotten_count": 15,
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
            "review_date": "2024-07-02",  # the site writes it month first: 07/02/2024
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


def test_a_page_saved_twice_merges_and_never_loses_what_the_later_save_lacks(
    movie, empty_catalog, monkeypatch
):
    """E.T. saved in 2019 (5 actors, 4 reviews, 2 audience reviews, 2 quotes), then in 2022 (4
    actors, 3 reviews, one the same critic's other review): one movie, the newer page's values,
    reviews from both, the longer cast, and a summary of what was kept."""
    piped = Terminal.__dict__["detect"]
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    assert movie("import", str(HTML / "et-2019.html")).exit_code == ExitStatus.OK
    again = movie("import", str(HTML / "et-2022.html"))
    assert again.exit_code == ExitStatus.OK, again.stderr
    assert again.stderr == (
        "Imported E.T. the Extra-Terrestrial (1982) from a Rotten Tomatoes page, 2022-2023 "
        "(score-board-deprecated): 4 cast, 3 critic reviews, 0 audience reviews, 0 quotes; "
        "saved before, merged (updated: scores, counts, consensus, synopsis, rating, dates, "
        "3 new reviews, crew; kept: 4 reviews, 2 audience reviews, 2 quotes, 1 more cast from "
        "the earlier save).\n"
    )
    monkeypatch.setattr(Terminal, "detect", piped)  # piped from here on
    assert movie("movies").stdout.count("\n") == 1
    card = json.loads(movie("card", "E.T.", "-f", "json").stdout)
    assert card["critics"]["tomatometer"] == 99 and card["critics"]["reviews"] == 143
    assert card["critics"]["top_critics"] == 37 and card["critics"]["on_file"] == 7
    assert card["synopsis_by"] is None  # the 2022 synopsis has no author; the 2019 one's went
    assert card["audience"]["on_file"] == 2 and card["quote_count"] == 2
    cast = movie("cast", "E.T.").stdout.splitlines()
    assert len(cast) == 5 and cast[-1] == "C. Thomas Howell\t"
    critics = movie("reviews", "E.T.", "-n", "100").stdout
    assert critics.count("Ken Saito") == 2 and critics.count("June Okafor") == 1
    assert "composer\tE.T. the Extra-Terrestrial\t1982" in movie("person", "John Williams").stdout
    # The same page again adds nothing.
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    before = dump(empty_catalog, with_fts=False)
    third = movie("import", str(HTML / "et-2022.html"))
    assert "kept: 4 reviews, 2 audience reviews, 2 quotes, 1 more cast" in third.stderr
    assert "updated" not in third.stderr
    assert dump(empty_catalog, with_fts=False) == before


def test_an_earlier_save_imported_last_adds_what_it_shows(movie, empty_catalog):
    assert movie("import", str(HTML / "et-2022.html")).exit_code == ExitStatus.OK
    assert movie("import", str(HTML / "et-2019.html")).exit_code == ExitStatus.OK
    card = json.loads(movie("card", "E.T.", "-f", "json").stdout)
    assert card["critics"]["tomatometer"] == 98  # the page imported last shows 98
    assert card["critics"]["on_file"] == 7 and card["cast_count"] == 5
    assert card["synopsis_by"] == "Kira Vance, Rovi"
    assert movie("person", "John Williams").stdout.startswith("composer\tE.T.")  # 2022's crew


def test_an_alternate_title_on_the_page_is_kept_as_one(movie, empty_catalog):
    assert movie("import", str(HTML / "12-angry-men-2016.html")).exit_code == ExitStatus.OK
    for typed in ("12 Angry Men", "Twelve Angry Men"):
        assert movie("card", typed).stdout.startswith("title\t12 Angry Men\nyear\t1957\n")
    assert movie("akas", "12 Angry Men").stdout == "\t\tTwelve Angry Men\t\t\n"


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
        "Imported E.T. the Extra-Terrestrial (1982) from a Rotten Tomatoes page, 2022-2023 "
        "(score-board-deprecated): 4 cast, 3 critic reviews"
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


HTML = Path(__file__).resolve().parent / "fixtures" / "html"


def test_json_ld_of_any_shape_is_read_defensively():
    from movie.sources.html_page import parse_html_page

    for data in ('{"@graph": 5}', '{"@graph": true}', '[{"@graph": "x"}, 7]', '{"@graph": {}}'):
        assert parse_html_page(small_page(data=data), "x.html").label == "A Film (1999)"
    shaped = (
        '{"@type":"Movie","name":"A Film","review":[5,{"reviewBody":3}],"actor":7,'
        '"director":{"name":["x"]},"genre":[1,null],"aggregateRating":[1],"character":"x"}'
    )
    assert parse_html_page(small_page(data=shaped), "x.html").label == "A Film (1999)"


def test_a_page_whose_address_now_shows_another_title_updates_its_film(movie, empty_catalog):
    first = tmp_page(empty_catalog.parent, "a.html", small_page("A Film (1999)"))
    renamed = tmp_page(empty_catalog.parent, "b.html", small_page("A Film, Renamed (2000)"))
    assert movie("import", str(first)).exit_code == ExitStatus.OK
    result = movie("import", str(renamed))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert rows_of("SELECT title, year, rt_link FROM movies") == [
        ("A Film, Renamed", 2000, "m/a_film")
    ]


def tmp_page(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_only_rotten_tomatoes_itself_is_rotten_tomatoes():
    import pytest

    from movie.errors import MovieError
    from movie.sources.html_page import parse_html_page

    evil = small_page().replace(b"www.rottentomatoes.com", b"evil-rottentomatoes.com")
    with pytest.raises(MovieError, match=re.escape("is a saved page of evil-rottentomatoes.com")):
        parse_html_page(evil, "x.html")
    elsewhere = small_page().replace(b"https://www.rottentomatoes.com/m/a_film", b"https://x.org/a")
    with pytest.raises(MovieError, match=re.escape("is a saved page of x.org, not a Rotten")):
        parse_html_page(elsewhere, "x.html")
    sub = small_page().replace(b"www.rottentomatoes.com", b"editorial.rottentomatoes.com")
    assert parse_html_page(sub, "x.html").label == "A Film (1999)"


def test_utf16_and_utf32_pages_are_read_with_or_without_a_mark(movie, empty_catalog):
    from movie.sources.html_page import parse_html_page
    from movie.sources.text_page import parse_page

    html = (HTML / "et-2022.html").read_text(encoding="utf-8")
    text = (Path(__file__).parent / "fixtures" / "leaving-las-vegas.rt.txt").read_text("utf-8")
    for codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"):
        assert parse_html_page(html.encode(codec), "p.html").label.startswith("E.T.")
        assert parse_page(text.encode(codec), "p.txt").label == "Leaving Las Vegas (1995)"
    path = tmp_page(empty_catalog.parent, "wide.html", html.encode("utf-16"))
    assert movie("import", str(path)).exit_code == ExitStatus.OK


def test_a_year_no_film_has_is_left_out_and_said(movie, empty_catalog):
    from movie.sources.html_page import parse_html_page

    for year in ("0000", "9999"):
        read = parse_html_page(small_page(f"A Film ({year})"), "x.html")
        assert read.movie["year"] is None
        said = f"its title gives the year {year}, which no film has"
        assert any(said in warning for warning in read.warnings), read.warnings
        path = tmp_page(empty_catalog.parent, f"{year}.html", small_page(f"A Film ({year})"))
        result = movie("import", str(path))
        assert result.exit_code == ExitStatus.OK, result.stderr
        assert "which no film has" in result.stderr and "CHECK" not in result.stderr


def test_control_characters_never_reach_titles_and_names(movie, empty_catalog):
    data = (
        '{"@type":"Movie","name":"Evil\\u001b[2J Film\\u0007\\u202e",'
        '"actor":[{"name":"Bad\\u001b]0;owned\\u0007 Actor"}],"director":[{"name":"Di\\nrector"}]}'
    )
    path = tmp_page(empty_catalog.parent, "evil.html", small_page("Evil Film (1999)", data=data))
    result = movie("import", str(path))
    assert result.exit_code == ExitStatus.OK, result.stderr
    # ESC, BEL and the bidi override in the title, ESC and BEL in the name (the line break
    # in the director's name is white space, made one space as all white space is).
    assert "removed 5 control characters" in result.stderr
    assert rows_of("SELECT title FROM movies") == [("Evil [2J Film",)]
    assert rows_of("SELECT actor FROM cast_credits") == [("Bad ]0;owned Actor",)]
    assert rows_of("SELECT name FROM crew") == [("Di rector",)]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


WRAP = (
    "<!DOCTYPE html><html><head><title>A Film (1999) - Rotten Tomatoes</title>"
    '<link rel="canonical" href="https://www.rottentomatoes.com/m/a_film"></head><body>'
    "{}</body></html>"
)


NESTED = {
    "review cards": '<review-card-critic top-critic><rt-link slot="name">C{i}</rt-link>'
    '<span slot="review">Quote {i}</span>',
    "open divs, unmatched spans": None,
    "cast items": '<div class="cast-item"><a href="/celebrity/x"><span title="A{i}">A{i}</span></a>'
    '<span class="characters" title="C{i}">C{i}</span>',
    "critic reviews": '<div data-qa="critic-review"><review-speech-balloon reviewquote="Q{i}">',
    "audience reviews": '<div data-qa="audience-review"><p data-qa="review-text">T{i}</p>',
    "tomato meters": '<span class="meter-tomato fresh"><b class="x">',
    "info rows": '<li class="meta-row"><div class="meta-label">Genre:</div>'
    '<div class="meta-value">G{i}',
    "quote bubbles": '<div class="quote_bubble top_critic"><p>Quote {i}</p>'
    '<a href="/critic/c{i}">C{i}</a><table><tr><td class="line">L{i}</td></tr></table>',
}


def hostile_page(kind: str, n: int) -> bytes:
    if NESTED[kind] is None:
        body = "<div>" * n + "</span>" * n
    else:
        body = "".join(NESTED[kind].format(i=i) for i in range(n))
    return WRAP.format(body).encode()


def work_of_reading(data: bytes) -> int:
    """Lines of movie's own Python run to read a page: the work, counted without a clock."""
    from helpers import lines_run

    from movie.errors import MovieError
    from movie.sources.html_page import parse_html_page

    def read() -> None:
        with contextlib.suppress(MovieError):
            parse_html_page(data, "hostile.html")

    return lines_run(read)


@pytest.mark.parametrize("kind", list(NESTED))
def test_pages_that_nest_deep_are_read_in_linear_work(kind):
    small, large = (work_of_reading(hostile_page(kind, n)) for n in (400, 800))
    assert large <= 2.3 * small, (kind, small, large)


def test_a_page_of_too_many_elements_is_refused_before_it_costs_much():
    from movie.errors import MovieError
    from movie.sources.html_page import parse_html_page

    with pytest.raises(MovieError, match="has more than 300,000 HTML elements"):
        parse_html_page(WRAP.format("<i></i>" * 400_000).encode(), "flat.html")
