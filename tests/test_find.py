"""`movie find` and the finder every TITLE and NAME falls back on: words in any order, case,
accents, punctuation and leading articles aside, best known first, typos by trigrams."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3

import pytest
from helpers import FIXTURES, rows_in, small_page, write_imdb
from hypothesis import given, settings
from hypothesis import strategies as st

from movie.errors import ExitStatus

N = "\\N"


def title(tconst, kind, name, original, year, end=N):
    return f"{tconst}\t{kind}\t{name}\t{original}\t0\t{year}\t{end}\t100\tDrama"


TITLES = [
    title("tt0111161", "movie", "The Shawshank Redemption", "The Shawshank Redemption", 1994),
    title("tt2535470", "movie", "Wyrmwood: Road of the Dead", "Wyrmwood", 2014),
    title("tt9000001", "tvPilot", "Wyrmwood", "Wyrmwood", 2019),
    title("tt0460791", "movie", "The Fall", "The Fall", 2006),
    title("tt9000002", "tvSeries", "Starting From... Now", "Starting From... Now", 2014, 2015),
    title("tt9000003", "movie", "Road House", "Road House", 1989),
    title("tt9000004", "movie", "Les Misérables", "Les Misérables", 2012),
    title("tt9000005", "movie", "Schindler's List", "Schindler's List", 1993),
]
RATINGS = [
    "tt0111161\t9.3\t2900000",
    "tt2535470\t6.0\t30000",
    "tt0460791\t7.8\t120000",
    "tt9000002\t7.1\t300",
    "tt9000003\t6.6\t90000",
    "tt9000004\t7.5\t350000",
    "tt9000005\t9.0\t1500000",
]
AKAS = [
    "tt2535470\t1\tWyrmwood: Road of the Dead\tUS\t\\N\timdbDisplay\t\\N\t0",
    "tt2535470\t2\tゾンビマックス！怒りのデス・ロード\tJP\tja\timdbDisplay\t\\N\t0",
    "tt0111161\t1\tDie Verurteilten\tDE\t\\N\timdbDisplay\t\\N\t0",
]
NAMES = [
    "nm0000001\tJean Smith\t1950\t\\N\tactor\ttt0111161",
    "nm0000002\tJoe Smith\t1960\t2020\tdirector,writer\ttt9000005",
    "nm0000003\tAnn Smith-Jones\t\\N\t\\N\tactress\ttt9000002",
    "nm0000004\tKiah Roache-Turner\t1981\t\\N\tdirector\ttt2535470",
]


@pytest.fixture
def found(imported, seeded, tmp_path):
    """The seed (Leaving Las Vegas, from its page) with these titles and people from IMDb."""
    folder = write_imdb(
        tmp_path / "imdb",
        title_basics=TITLES,
        title_ratings=RATINGS,
        title_akas=AKAS,
        name_basics=NAMES,
    )
    imported("--imdb", folder)
    return seeded


def ids(result):
    return [line.split("\t")[1] for line in result.stdout.splitlines()]


def test_words_in_any_order_whatever_the_case_accents_and_punctuation(movie, found):
    assert ids(movie("find", "shawshank"))[0] == "tt0111161"
    assert ids(movie("find", "REDEMPTION", "the", "Shawshank")) == ["tt0111161"]
    assert ids(movie("find", "starting from now")) == ["tt9000002"]
    assert ids(movie("find", "miserables")) == ["tt9000004"]  # "les" and the accent aside
    assert ids(movie("find", "schindlers list")) == ["tt9000005"]
    assert ids(movie("find", "shaw", "--titles")) == ["tt0111161"]  # the last word may start one
    assert movie("find", "shaw", "--people").stdout.startswith("person\t\tShawnee Smith\t")


def test_an_alternate_title_finds_its_film_and_says_which(movie, found):
    rows = json.loads(movie("find", "ゾンビマックス", "-f", "json").stdout)
    assert rows == [
        {
            "kind": "title",
            "id": "tt2535470",
            "name": "Wyrmwood: Road of the Dead",
            "year": "2014",
            "type": "movie",
            "votes": 30000,
            "also_known_as": "ゾンビマックス！怒りのデス・ロード",
            "region": "JP",
        }
    ]
    assert ids(movie("find", "verurteilten")) == ["tt0111161"]


def test_films_by_votes_then_people_by_the_votes_of_their_work(movie, found):
    result = movie("find", "road")
    assert ids(result) == ["tt9000003", "tt2535470"]
    people = movie("find", "smith", "--people")
    assert [line.split("\t")[2] for line in people.stdout.splitlines()] == [
        "Jean Smith",
        "Joe Smith",
        "Ann Smith-Jones",
        "Shawnee Smith",  # the seed's page names her; after IMDb's people, by her one credit
    ]
    assert people.stdout.splitlines()[1].split("\t")[3:6] == [
        "1960-2020",
        "director, writer",
        "1500000",
    ]


def test_titles_people_types_and_limits(movie, found):
    kinds = [line.split("\t")[0] for line in movie("find", "wyrmwood").stdout.splitlines()]
    assert kinds == ["title", "title"]
    assert ids(movie("find", "wyrmwood", "--type", "tvPilot")) == ["tt9000001"]
    assert ids(movie("find", "wyrmwood", "--titles", "-n", "1")) == ["tt2535470"]
    assert movie("find", "smith", "--people", "-n", "0").stdout == ""
    both = movie("find", "x", "--titles", "--people")
    assert both.exit_code == ExitStatus.USAGE and "not both" in both.stderr
    assert movie("find", "smith", "--people", "--type", "movie").exit_code == ExitStatus.USAGE


def test_names_page_credits_give_are_found_too(movie, found):
    result = movie("find", "cage", "nicolas")
    assert result.stdout == "person\t\tNicolas Cage\t\t\t\t\t\n"


def test_a_typo_finds_the_closest_titles_the_film_with_votes_first(movie, found):
    assert ids(movie("find", "wyrmwod", "--titles")) == ["tt2535470", "tt9000001"]
    nothing = movie("find", "qqqqqq")
    assert nothing.exit_code == ExitStatus.OK and nothing.stdout == ""


def test_words_that_are_no_words_are_refused(movie, found):
    result = movie("find", "...")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "movie: nothing to find in '...': give a word of a title or a name\n"
    many = movie("find", *["word"] * 40)
    assert many.exit_code == ExitStatus.ERROR and "too many words" in many.stderr
    long = movie("find", "x" * 100_000)
    assert long.exit_code == ExitStatus.ERROR and "too long" in long.stderr
    newer = movie("find", "ߨᦵⱪ")  # one word to Python, two tokens to FTS5's older tables
    assert newer.exit_code == ExitStatus.OK and "Traceback" not in newer.stderr
    hostile = movie("find", "\x1b]0;owned\x07 heat")
    assert hostile.exit_code == ExitStatus.OK and "\x1b" not in hostile.stderr


def test_a_title_the_words_clearly_mean_is_taken_and_said(movie, found):
    result = movie("cast", "shawshank")
    assert result.exit_code == ExitStatus.OK
    assert result.stderr == "movie: taking \"The Shawshank Redemption\" (1994) for 'shawshank'\n"
    card = movie("card", "the fall")  # exact: no notice
    assert card.exit_code == ExitStatus.OK and card.stderr == ""
    assert 'taking "Les Misérables" (2012)' in movie("card", "miserables").stderr


def test_titles_the_words_do_not_clearly_mean_are_listed_with_ids(movie, found):
    result = movie("card", "road")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith(
        "movie: 'road' matches 2 titles by its words: Road House (1989; movie; 90,000 votes; "
        "tt9000003), Wyrmwood: Road of the Dead (2014; movie; 30,000 votes; tt2535470)"
    )
    assert result.stdout == ""


def test_a_name_the_words_clearly_mean_is_taken_else_listed(movie, found):
    taken = movie("person", "roache")  # (taken; the IMDb files here credit no one)
    assert taken.stderr.splitlines() == [
        "movie: taking \"Kiah Roache-Turner\" for 'roache'",
        "movie: Kiah Roache-Turner (nm0000004) has no credits in the catalog",
    ]
    listed = movie("person", "smith")
    assert listed.exit_code == ExitStatus.ERROR
    assert "'smith' matches 4 people: Jean Smith (1950-; actor; 2,900,000 votes; nm0000001)" in (
        listed.stderr
    )
    assert "movie person nm0000001" in listed.stderr


def test_the_word_indexes_stay_in_step_with_every_write(movie, found, tmp_path, imported):
    """After imports that add, rename and re-rank titles, every document of the views is found
    by each of its words, at its rank, and nothing else is."""
    folder = write_imdb(
        tmp_path / "later",
        title_basics=[TITLES[0].replace("The Shawshank Redemption", "Shawshank Again")],
        title_ratings=["tt0111161\t9.3\t10", "tt9000003\t6.6\t5000000"],
        title_akas=[AKAS[0].replace("Road of the Dead", "Highway of the Dead")],
    )
    imported("--imdb", folder)
    imported(FIXTURES / "pages" / "heat-1986.rt.txt")  # a page's movie
    assert movie("load", str(FIXTURES / "more-movies")).exit_code == ExitStatus.OK  # a CSV's
    assert_indexes_match_their_views(found)
    assert ids(movie("find", "road"))[0] == "tt9000003"
    assert ids(movie("find", "shawshank again")) == ["tt0111161"]
    assert ids(movie("find", "redemption")) == []


def assert_indexes_match_their_views(db):
    conn = sqlite3.connect(db)
    try:
        for index, view in (("title_words", "title_docs"), ("people_words", "people_docs")):
            expected: dict[str, set[int]] = {}
            for doc, words in conn.execute(f"SELECT doc, words FROM {view}"):
                for word in re.findall(r"[^\W_]+", words.lower()):
                    expected.setdefault(word, set()).add(doc)
            for word, docs in expected.items():
                if not word.isascii():
                    continue  # (the tokenizer folds accents; the view keeps them)
                got = {r[0] for r in conn.execute(
                    f"SELECT rowid FROM {index} WHERE {index} MATCH ?", (f'"{word}"',)
                )}  # fmt: skip
                assert got == docs, (index, word)
    finally:
        conn.close()


def test_find_reads_the_indexes_and_stops_at_its_limit(found):
    """Best known first is the order of the index itself: the plan reads the word index in
    rowid order (no sort) and each title by its key."""
    conn = sqlite3.connect(found)
    try:
        plan = " ".join(
            r[3]
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM title_words WHERE title_words MATCH ? "
                "ORDER BY rowid",
                ("road",),
            )
        )
        assert "VIRTUAL TABLE INDEX" in plan and "TEMP B-TREE" not in plan
    finally:
        conn.close()
    assert rows_in(found, "SELECT count(*) FROM people WHERE fame IS NOT NULL") == [(4,)]


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=40))
def test_any_words_find_something_or_say_why_in_one_line(found, text):
    """Any text, in any script (some newer than FTS5's Unicode tables), as words to find, as a
    title and as a name: rows, or one line on stderr; never an internal error."""
    from movie.catalog import open_catalog
    from movie.errors import MovieError
    from movie.read.choose import find_movie, find_person
    from movie.read.find import find

    conn = open_catalog(found, lambda message: None, False)
    try:
        for look in (find, find_movie, find_person):
            with contextlib.suppress(MovieError):  # a refusal or an ambiguity: one line
                look(conn, text)
    finally:
        conn.close()


def test_whole_words_come_before_words_they_begin():
    """'love' finds Love Story before the better-known Lovely Day: a word typed whole ranks
    whole-word matches first (read without the prefix query, which at 12 million titles costs
    half a second), then the titles where it only begins a word."""
    from movie.catalog import scratch_catalog
    from movie.read.find import find

    conn = scratch_catalog()
    with conn:
        for movie_id, title, votes in ((1, "Lovely Day", 90000), (2, "Love Story", 10)):
            conn.execute(
                "INSERT INTO movies (id, slug, title, title_key, year, title_type, imdb_votes) "
                "VALUES (?, ?, ?, lower(?), 2000, 'movie', ?)",
                (movie_id, f"tt{movie_id:07d}", title, title, votes),
            )
    assert [f.name for f in find(conn, "love", people=False)] == ["Love Story", "Lovely Day"]
    assert [f.name for f in find(conn, "lov", people=False)] == ["Lovely Day", "Love Story"]
    conn.close()


def test_word_and_trigram_indexes_made_with_row_sizes_work_until_a_rebuild_drops_them(
    movie, found, tmp_path
):
    """A catalog made before the word and trigram indexes lost their row sizes (columnsize=0)
    answers the same, takes a page import (its triggers), and the next bulk import makes the
    indexes anew without them: the same answers again, from indexes that match their views."""
    from movie.store.schema import LEAN_INDEXES, TRIGRAMS, WORDS

    asked = (("find", "road"), ("find", "shawshank again"), ("find", "leavng las vegas"),
             ("find", "nicolas"), ("find", "redemption"), ("person", "nicolas"))  # fmt: skip
    before = [movie(*args).stdout for args in asked]

    def sized() -> list[str]:
        conn = sqlite3.connect(found)
        try:
            return [
                name
                for name in LEAN_INDEXES
                if conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = ?", (f"{name}_docsize",)
                ).fetchone()[0]
            ]
        finally:
            conn.close()

    assert sized() == []
    conn = sqlite3.connect(found)
    for name in LEAN_INDEXES:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        conn.execute(f"DROP TABLE {name}")
        conn.execute(sql.replace(" columnsize=0,", ""))  # as the release before made it
    for index, docs, _ in WORDS:
        conn.execute(f"INSERT INTO {index} (rowid, words) SELECT doc, words FROM {docs}")
    for index, table, key, column in TRIGRAMS:
        conn.execute(f"INSERT INTO {index} (rowid, {column}) SELECT {key}, {column} FROM {table}")
    conn.commit()
    conn.close()
    assert sized() == list(LEAN_INDEXES)
    assert [movie(*args).stdout for args in asked] == before
    assert_indexes_match_their_views(found)
    page = tmp_path / "page.html"
    page.write_bytes(small_page("The Long Road Home (2001)", url="m/long_road_home"))
    assert movie("import", str(page)).exit_code == 0
    assert_indexes_match_their_views(found)
    folder = write_imdb(tmp_path / "again", title_basics=TITLES, title_akas=AKAS, name_basics=NAMES)
    assert movie("import", "--imdb", str(folder)).exit_code == 0
    assert sized() == []
    assert_indexes_match_their_views(found)
    after = [movie(*args).stdout for args in asked]
    assert after[1:] == before[1:] and "The Long Road Home" in after[0]


def test_the_titles_documents_are_read_without_a_set_of_every_id(found):
    """The word index's rebuild reads title_docs in document order: each part a scan of the
    titles, not a MULTI-INDEX OR over the two id ranges (whose set of rowids seen held every
    title's id: 1 GB at IMDb's full size); a trigger's lookup of one title stays a search by
    id in every part."""
    conn = sqlite3.connect(found)
    try:
        rebuild = [r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT doc, words FROM title_docs ORDER BY doc"
        )]  # fmt: skip
        assert not any("MULTI-INDEX OR" in step for step in rebuild), rebuild
        one = [r[3] for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT doc, words FROM title_docs WHERE movie_id = ?", (1,)
        )]  # fmt: skip
        assert sum("USING INTEGER PRIMARY KEY (rowid=?)" in step for step in one) == 3, one
        assert not any(step.startswith("SCAN") for step in one), one
    finally:
        conn.close()


def test_a_schema_9_catalog_gets_the_view_without_the_set_of_every_id(
    movie, found, imported, tmp_path
):
    """Schema 9 -> 10 makes title_docs anew: a catalog whose view reads the id ranges as index
    ranges (as before schema 10) is upgraded in place; the triggers that read the view keep
    the word index in step after it, and find answers as before."""
    conn = sqlite3.connect(found)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'title_docs'").fetchone()
    assert "+m.id BETWEEN" in sql
    conn.executescript(
        f"DROP VIEW title_docs; {sql.replace('+m.id BETWEEN', 'm.id BETWEEN')}; "
        "PRAGMA user_version = 9;"
    )
    old = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN SELECT doc FROM title_docs ORDER BY doc")]
    assert any("MULTI-INDEX OR" in step for step in old), old  # the view as schema 9 made it
    conn.close()
    upgraded = movie("find", "road")
    assert upgraded.exit_code == ExitStatus.OK, upgraded.stderr
    assert "from schema 9 to 10" in upgraded.stderr
    assert rows_in(found, "PRAGMA user_version") == [(10,)]
    assert rows_in(found, "SELECT sql FROM sqlite_master WHERE name = 'title_docs'") == [(sql,)]
    test_the_titles_documents_are_read_without_a_set_of_every_id(found)
    assert ids(movie("find", "road")) == ids(upgraded)
    folder = write_imdb(
        tmp_path / "renamed", title_basics=[TITLES[5].replace("Road House", "Road Lodge")]
    )
    imported("--imdb", folder)
    assert ids(movie("find", "lodge")) == ["tt9000003"]
    assert_indexes_match_their_views(found)
