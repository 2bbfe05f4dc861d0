"""The seed movie's facts, as every command shows them."""

from __future__ import annotations

import csv
import json

from movie.errors import ExitStatus

SLUG = "leaving-las-vegas-1995"


def test_first_use_builds_the_catalog_and_says_so(movie, catalog):
    assert not catalog.exists()
    result = movie("card")
    assert result.exit_code == ExitStatus.OK
    assert catalog.exists()
    assert "Created the movie catalog" in result.stderr
    assert str(catalog) in result.stderr
    again = movie("card")
    assert again.stderr == ""


def test_cast_has_36_credits_in_billing_order(movie):
    result = movie("cast")
    lines = result.stdout.splitlines()
    assert len(lines) == 36
    assert lines[0] == "Nicolas Cage\tBen Sanderson"
    assert lines[-1] == "Gordon Michaels\tSecurity Guard"
    assert "Julian Lennon\tBartender in Biker B..." in lines


def test_truncated_characters_are_flagged(movie):
    result = movie(
        "sql", "SELECT actor FROM cast_credits WHERE character_truncated = 1 ORDER BY position"
    )
    assert result.stdout.splitlines() == ["Bill Thompson", "Julian Lennon", "Sergio Premoli"]


def test_six_critic_reviews_all_top_critics_newest_first(movie):
    rows = json.loads(movie("reviews", "-f", "json").stdout)
    assert len(rows) == 6
    assert all(row["top_critic"] is True for row in rows)
    dates = [row["date"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert rows[0]["publication"] == "Entertainment Weekly"
    assert rows[0]["date"] == "2011-09-07"
    missing = [row for row in rows if row["publication"] is None]
    assert len(missing) == 1 and missing[0]["quote"].startswith("The film pulls no punches")
    assert len(json.loads(movie("reviews", "--top", "-f", "json").stdout)) == 6


def test_audience_reviews_keep_names_and_paragraphs(movie):
    rows = json.loads(movie("reviews", "--audience", "-f", "json").stdout)
    assert [row["reviewer"] for row in rows] == ["Carlos Magalh„es", "jay nixon", "Jack Hawkins"]
    assert all(row["super_reviewer"] is True for row in rows)
    assert rows[0]["text"].startswith("An awfully bleak and depressing drama")
    assert rows[0]["text"].endswith("like most of the script.")
    paragraphs = rows[2]["text"].split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[-1] == "'Leaving Las Vegas' is dark, seedy and tragic. Recommended."


def test_audience_reviews_piped_show_carlos_text_intact(movie):
    lines = movie("reviews", "--audience").stdout.splitlines()
    assert len(lines) == 3
    reviewer, flag, text = lines[0].split("\t")
    assert (reviewer, flag) == ("Carlos Magalh„es", "yes")
    assert "heavy-handed like most of the script." in text
    assert lines[2].count("\\n\\n") == 4  # paragraphs escaped, one review per line


def test_four_quotes_with_who_and_when(movie):
    rows = list(csv.DictReader(movie("quotes", "-f", "csv").stdout.splitlines()))
    assert len(rows) == 4
    assert rows[0] == {
        "character": "Ben Sanderson",
        "line": "Interesting choice of words.",
        "submitted_by": "Pedrina G",
        "submitted": "2 years ago",
    }


def test_search_pear_finds_the_prickly_pear_line(movie):
    result = movie("quotes", "--search", "pear")
    assert (
        result.stdout
        == "Ben Sanderson\tI'm like a prickly pear... I'm a prickly pear!\tRoss H\t3 years ago\n"
    )


def test_card_json_has_every_fact(movie):
    card = json.loads(movie("card", "-f", "json").stdout)
    assert card["title"] == "Leaving Las Vegas" and card["year"] == 1995
    assert card["slug"] == SLUG
    assert card["consensus"] is None
    assert card["synopsis"].startswith("\"We both know that I'm a drunk")
    assert card["synopsis"].endswith("determined to drink himself to death.")
    assert (card["rating"], card["rating_reason"]) == ("R", "adult situations/language, sex")
    assert card["genres"] == ["Drama", "Romance"]
    assert card["directors"] == []
    assert card["writers"] == ["Mike Figgis", "John O'Brien"]
    assert card["theatrical_release"] is None
    assert card["dvd_release"] == "1998-02-24"
    assert card["studio"] == "United Artists"
    assert card["critics"]["reviews"] == 48
    assert card["critics"]["top_critics"] == 12
    assert card["critics"]["on_file"] == 6
    assert card["audience"]["on_file"] == 3
    assert card["cast"][0] == {"actor": "Nicolas Cage", "character": "Ben Sanderson"}
    assert len(card["cast"]) == 5 and card["cast_count"] == 36
    assert card["quote"]["line"] == "Interesting choice of words."


def test_card_piped_is_field_tab_value(movie):
    lines = movie("card").stdout.splitlines()
    fields = [line.split("\t", 1) for line in lines]
    assert all(len(pair) == 2 for pair in fields)
    values = {}
    for key, value in fields:
        values.setdefault(key, []).append(value)
    assert values["title"] == ["Leaving Las Vegas"]
    assert values["critics"] == ["48 reviews, 12 top critics, 6 on file"]
    assert values["cast"][0] == "Nicolas Cage as Ben Sanderson"
    assert len(values["cast"]) == 5
    assert values["on_dvd"] == ["1998-02-24"]


def test_card_on_a_terminal_is_bordered_and_leaves_out_empty_fields(movie):
    out = movie("card", "-f", "table").stdout
    lines = out.splitlines()
    assert lines[0].startswith("╭") and lines[-1].startswith("╰")
    assert all(line.startswith(("│", "├")) for line in lines[1:-1])
    assert len({len(line) for line in lines}) == 1  # every line the same width
    assert "Leaving Las Vegas (1995)" in out
    assert "48 reviews, 12 top critics, 6 on file" in out
    assert "Directed by" not in out  # empty on the page
    assert "In theaters" not in out
    assert "Written by   Mike Figgis, John O'Brien" in out
    assert "more" not in out.split("Synopsis")[1].split("├")[0].split()[-2:]


def test_movies_lists_the_catalog_with_counts(movie):
    result = movie("movies", "--header")
    assert result.stdout.splitlines() == [
        "title\tyear\trating\tcast\treviews\taudience\tquotes\tslug\ttype\timdb_rating\tvotes",
        f"Leaving Las Vegas\t1995\tR\t36\t6\t3\t4\t{SLUG}\t\t\t",
    ]


def test_every_page_fact_is_in_the_seed():
    """A second, independent read of the page: every line of substance is somewhere in seed/."""
    from helpers import FIXTURES, SEED

    seed_text = "\n".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.csv"))
    page = (FIXTURES / "leaving-las-vegas.rt.txt").read_text(encoding="utf-8").splitlines()
    chrome = (
        "Show More Cast",
        "Discussion Forum",
        "Movie Info",
        "Top Critic",
        "Super Reviewer",
        "Full Review",
        "Discuss ",
        "News & ",
        "Critic Reviews for",
        "Audience Reviews for",
        "Leaving Las Vegas",
        "All Critics",
        "Critic Consensus: No consensus yet.",
    )
    lists = ("Genre: ", "Written By: ")
    checked = 0
    for line in (raw.strip() for raw in page):
        if not line or line.startswith(chrome) or line.endswith(":"):
            continue
        if line.startswith(lists):
            parts = line.split(": ", 1)[1].split(", ")
        elif line.startswith("Rating: "):
            rating, reason = line.removeprefix("Rating: ").split(" (", 1)
            parts = [f'{rating},"{reason.rstrip(")")}"']
        elif line == "On DVD: Feb 24, 1998":
            parts = ["1998-02-24"]
        elif line.startswith("– Submitted by "):
            who, age = line.removeprefix("– Submitted by ").rstrip(")").split(" (")
            parts = [f"{who},{age}"]
        elif line.startswith("Ben Sanderson: "):
            parts = line.split(": ", 1)
        else:
            parts = [line.removeprefix("as ").removesuffix("more")]
        for part in parts:
            checked += 1
            assert part in seed_text or part.replace('"', '""') in seed_text, part
    assert checked > 100
