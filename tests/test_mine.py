"""Your films (issue 22): Letterboxd and IMDb exports imported and matched, your own entries,
and the listings of them. The fixtures are made up, in the exact shape of real exports: a
Letterboxd export folder (tests/fixtures/letterboxd: its CSV files, quoting, multi-line
reviews, the files not read) and IMDb's ratings exports of 2023 (no Original Title, types
'movie'), 2024 ('Movie', 'TV Series'), in Italian, its list export, and the one before 2017
(quoted lower-case headers, C-style dates, Windows-1252)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from helpers import FIXTURES, dump, movie_run

from movie.errors import ExitStatus

LETTERBOXD = FIXTURES / "letterboxd"
EXPORTS = FIXTURES / "exports"


@pytest.fixture
def imdb(imported, seeded):
    """The seed with the IMDb fixture: Heat twice, Leaving Las Vegas, Amélie, The Simpsons."""
    imported("--imdb", FIXTURES / "imdb")
    return seeded


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def lines(result) -> list[list[str]]:
    assert result.exit_code == ExitStatus.OK, result.stderr
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_a_letterboxd_export_folder_is_matched_entry_by_entry(movie, imdb):
    result = movie("import", str(LETTERBOXD))
    assert result.exit_code == ExitStatus.OK, result.stderr
    # Not on a terminal the summary is quiet; the films no movie matched are always named.
    assert result.stderr == (
        "movie: warning: 1 film matched no movie in the catalog (kept, and matched again after "
        "each import): A Film Nobody Has (2019)\n"
    )
    viewings = query(
        imdb,
        "SELECT name, year, movie_id, matched_by, watched_on, rewatch, rating, tags "
        "FROM my_viewings ORDER BY watched_on IS NULL, watched_on",
    )
    assert viewings == [
        ("Heat", 1995, 113277, "title", "2021-02-27", 0, 9.0, "crime, on-dvd"),
        ("Leaving Las Vegas", 1996, 113627, "title, neighbouring year", "2021-06-13", 0, 8.0, None),
        ("Heat", 1995, 113277, "title", "2022-01-08", 1, 10.0, "in-theaters"),
        # Amélie's original title, which IMDb's akas hold.
        ("Le Fabuleux Destin d'Amélie Poulain", 2001, 211915, "alternate title", "2022-04-30",
         0, 7.0, None),
        # '"Swing it" magistern' in IMDb: the same letters, other punctuation.
        ("Swing It, Magistern!", 1940, 9, "title", "2023-10-30", 0, None, "in-black-and-white"),
        ("A Film Nobody Has", 2019, None, None, "2023-11-01", 0, 2.0, None),
        # In watched.csv only: a film seen, undated (those in the diary are not counted twice).
        ("Dr. Jekyll and Mr. Hyde", 1920, 11130, "title", None, 0, None, None),
    ]  # fmt: skip
    assert query(imdb, "SELECT name, rating, scale, rated_on FROM my_ratings ORDER BY key") == [
        ("Heat", 10.0, 5, "2022-01-09"),
        ("Leaving Las Vegas", 8.0, 5, "2021-06-14"),
        ("Le Fabuleux Destin d'Amélie Poulain", 7.0, 5, "2022-05-01"),
        ("A Film Nobody Has", 1.0, 5, "2023-11-02"),
    ]
    # Heat (1986) is the film on the watchlist, not the 1995 one or the episode of that name.
    assert query(imdb, "SELECT name, movie_id FROM my_watchlist ORDER BY added_on") == [
        ("Heat", 87363),
        ("ゾンビマックス！怒りのデス・ゾンビ", 4536608),
    ]
    review = query(imdb, "SELECT movie_id, watched_on, rating, text FROM my_reviews")
    assert review == [
        (
            113277,
            "2022-01-08",
            10.0,
            'The diner scene again, on a big screen this time.\n\nStill the best "two men at a '
            'table" scene I know.',
        )
    ]
    assert query(imdb, "SELECT movie_id, liked_on FROM my_likes") == [(113277, "2022-01-09")]


def test_the_summary_on_a_terminal_says_how_each_matched_and_what_was_not_read(
    movie, imdb, monkeypatch
):
    from movie.output import Terminal

    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    result = movie("import", str(LETTERBOXD))
    assert result.exit_code == ExitStatus.OK, result.stderr
    said = result.stderr.splitlines()
    assert said[0] == (
        f"Imported your Letterboxd history from {LETTERBOXD}: 7 viewings, 4 ratings, "
        "2 watchlist entries, 1 review, 1 like."
    )
    assert said[1] == (
        "Matched 13 of 15 entries to the catalog's movies (2 by an alternate title, 2 by a "
        "neighbouring year)."
    )
    assert said[2] == (
        "Not read (not your films): comments.csv, deleted/diary.csv, lists/crime-nights.csv, "
        "profile.csv."
    )


def test_the_zip_itself_and_a_zip_with_a_top_folder_read_the_same(movie, imdb, tmp_path):
    flat, nested = tmp_path / "flat.zip", tmp_path / "nested.zip"
    with zipfile.ZipFile(flat, "w") as zf, zipfile.ZipFile(nested, "w") as zn:
        for path in sorted(LETTERBOXD.rglob("*.csv")):
            name = path.relative_to(LETTERBOXD).as_posix()
            zf.write(path, name)
            zn.write(path, f"letterboxd-filmfan-2024-01-01-00-00-utc/{name}")
    movie("import", str(flat))
    first = query(imdb, "SELECT * FROM my_viewings ORDER BY key")
    assert len(first) == 7
    movie("import", str(nested))
    assert query(imdb, "SELECT * FROM my_viewings ORDER BY key") == first


def test_importing_a_newer_export_updates_without_doubling(movie, imdb, tmp_path):
    newer = tmp_path / "newer"
    shutil.copytree(LETTERBOXD, newer)
    movie("import", str(newer))
    before = query(imdb, "SELECT count(*) FROM my_viewings")[0][0]
    # The newer export: a rating changed, one gone, one film off the watchlist.
    (newer / "ratings.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2024-02-01,Heat,1995,https://boxd.it/1Yjk,4\n"
        "2021-06-14,Leaving Las Vegas,1996,https://boxd.it/2aFp,4\n",
        encoding="utf-8",
    )
    (newer / "watchlist.csv").write_text(
        "Date,Name,Year,Letterboxd URI\n2020-12-24,Heat,1986,https://boxd.it/1m4E\n",
        encoding="utf-8",
    )
    movie("import", str(newer))
    assert query(imdb, "SELECT count(*) FROM my_viewings")[0][0] == before
    assert query(imdb, "SELECT name, rating FROM my_ratings ORDER BY name") == [
        ("Heat", 8.0),
        ("Leaving Las Vegas", 8.0),
    ]
    assert query(imdb, "SELECT name FROM my_watchlist") == [("Heat",)]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "ratings.csv",
            "Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,https://boxd.it/x,11\n",
            "ratings.csv line 2: rating '11' is not 0.5 to 5 stars in half stars",
        ),
        (
            "diary.csv",
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
            "2020-01-01,Heat,1995,https://boxd.it/x,4,,,yesterday\n",
            "diary.csv line 2: 'yesterday' is not a date",
        ),
        (
            "ratings.csv",
            "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year\n"
            "tt0113277,11,2023-02-11,Heat,https://www.imdb.com/title/tt0113277/,movie,8.3,170,"
            "1995\n",
            "ratings.csv line 2: rating '11' is not a whole number from 1 to 10",
        ),
        (
            "ratings.csv",
            "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year\n"
            "nm0000115,8,2023-02-11,Heat,https://www.imdb.com/title/tt0113277/,movie,8.3,170,"
            "1995\n",
            "ratings.csv line 2: 'nm0000115' is not an IMDb title id (tt...)",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(imdb, tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = dump(imdb)
    result = movie_run("import", str(path), db=imdb)
    assert result.returncode == ExitStatus.ERROR
    assert result.stderr == f"movie: {tmp_path}/{message}\n"
    assert dump(imdb) == before


def test_a_zip_with_no_export_in_it_is_refused(imdb, tmp_path):
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("holiday.txt", "not films")
    before = dump(imdb)
    result = movie_run("import", str(archive), db=imdb)
    assert result.returncode == ExitStatus.ERROR
    assert result.stderr == (
        f"movie: {archive}: a zip with none of the files of a Letterboxd export (diary.csv, "
        "watched.csv, ratings.csv, watchlist.csv, reviews.csv, likes/films.csv)\n"
    )
    assert dump(imdb) == before


@pytest.mark.parametrize(
    ("export", "expected"),
    [
        (
            "imdb-ratings-2023.csv",
            [(96697, 7.0, "id"), (113277, 9.0, "id"), (9876543, 6.0, "added from the export")],
        ),
        ("imdb-ratings-2024.csv", [(96697, 7.0, "id"), (113277, 10.0, "id"), (211915, 8.0, "id")]),
        ("imdb-ratings-it.csv", [(113277, 9.0, "id"), (8765432, 5.0, "added from the export")]),
        ("imdb-ratings-2015.csv", [(113627, 8.0, "id"), (211915, 9.0, "id")]),
    ],
)
def test_the_imdb_ratings_exports_of_every_year_match_by_id(movie, imdb, export, expected):
    result = movie("import", str(EXPORTS / export))
    assert result.exit_code == ExitStatus.OK, result.stderr
    found = query(imdb, "SELECT movie_id, rating, matched_by FROM my_ratings ORDER BY movie_id")
    assert found == expected


def test_a_title_the_catalog_lacks_is_added_from_the_export(movie, imdb):
    movie("import", str(EXPORTS / "imdb-ratings-2023.csv"))
    assert json.loads(movie("card", "tt9876543", "-f", "json").stdout)["yours"]["rating"] == 6.0
    movie("import", str(EXPORTS / "imdb-ratings-it.csv"))  # (your ratings as it says them)
    assert query(
        imdb,
        "SELECT id, slug, title, year, title_type, imdb_rating, imdb_votes, runtime_minutes "
        "FROM movies WHERE id IN (9876543, 8765432) ORDER BY id",
    ) == [
        (8765432, "tt8765432", "La casa sul lago", 2021, "tvMiniSeries", 7.1, 2100, 50),
        (9876543, "tt9876543", "The Quiet Orchard", 2020, "movie", 6.4, 1234, 98),
    ]
    card = json.loads(movie("card", "tt9876543", "-f", "json").stdout)
    assert card["genres"] == ["Drama", "Romance"]
    assert card["directors"] == ["Ana Lindqvist", "Tomas Berg"]
    assert card["yours"] is None


def test_the_imdb_old_export_and_windows_encoding(movie, imdb):
    movie("import", str(EXPORTS / "imdb-ratings-2015.csv"))
    assert query(imdb, "SELECT name, rated_on FROM my_ratings ORDER BY rated_on") == [
        ("Leaving Las Vegas", "2015-01-20"),
        ("Amélie", "2015-03-01"),
    ]


def test_an_imdb_watchlist_export_fills_the_watchlist(movie, imdb):
    movie("import", str(EXPORTS / "imdb-watchlist.csv"))
    assert query(imdb, "SELECT movie_id, added_on FROM my_watchlist ORDER BY added_on") == [
        (87363, "2024-01-03"),
        (4536608, "2024-02-10"),
    ]


def test_entries_no_movie_matched_are_matched_after_a_later_import(movie, seeded):
    movie("import", str(LETTERBOXD))
    assert query(seeded, "SELECT count(*) FROM my_viewings WHERE movie_id IS NULL")[0][0] == 6
    movie("import", "--imdb", str(FIXTURES / "imdb"))
    assert query(seeded, "SELECT name FROM my_viewings WHERE movie_id IS NULL") == [
        ("A Film Nobody Has",)
    ]


def test_your_own_entries_and_what_each_says(movie, imdb):
    rated = movie("rate", "Heat (1995)", "4.5/5", "--on", "2024-05-01")
    assert rated.exit_code == 0, rated.stderr
    assert rated.stderr == "Rated Heat (1995) 4.5/5 on 2024-05-01.\n"
    assert movie("rate", "tt0113277", "8").stderr == (
        f"Rated Heat (1995) 8/10 on {__import__('datetime').date.today().isoformat()}.\n"
    )
    assert query(imdb, "SELECT rating, scale FROM my_ratings") == [(8.0, 10)]  # replaced
    seen = movie("seen", "tt0113277", "--on", "2024-05-02", "--tag", "cinema", "--rating", "3.5★")
    assert seen.stderr == "Logged a viewing of Heat (1995) on 2024-05-02, rated 3.5/5.\n"
    again = movie("seen", "tt0113277", "--on", "2024-06-01")
    assert again.stderr == "Logged a viewing of Heat (1995) on 2024-06-01 (a rewatch).\n"
    assert movie("watchlist", "add", "tt0087363").stderr == "Added Heat (1986) to your watchlist.\n"
    assert movie("watchlist", "add", "tt0087363").stderr == (
        "Already there: Heat (1986) is on your watchlist.\n"
    )
    assert movie("watchlist", "remove", "tt0087363").stderr == (
        "Removed Heat (1986) from your watchlist.\n"
    )
    gone = movie("watchlist", "remove", "tt0087363")
    assert gone.exit_code == ExitStatus.ERROR
    assert gone.stderr == "movie: Heat (1986) is not on your watchlist\n"


@pytest.mark.parametrize("typed", ["11", "0", "6/5", "4.3/5", "ten", "", "10.5", "4.5 stars"])
def test_a_rating_that_is_not_one_changes_nothing(movie, imdb, typed):
    before = dump(imdb)
    result = movie("rate", "tt0113277", typed)
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == (
        f"movie: {typed!r} is not a rating: give 1 to 10 (8, 7.5, 8/10) or stars out of 5 "
        "(4/5, 3.5★)\n"
    )
    assert dump(imdb) == before


def test_watchlist_usage_errors(movie, imdb):
    assert movie("watchlist", "add").exit_code == ExitStatus.USAGE
    wrong = movie("watchlist", "delete", "Heat")
    assert wrong.exit_code == ExitStatus.USAGE
    assert "give add or remove" in wrong.stderr
    assert movie("seen", "tt0113277", "--on", "someday").exit_code == ExitStatus.USAGE


def test_diary_ratings_and_watchlist_list_every_entry(movie, imdb):
    movie("import", str(LETTERBOXD))
    diary = lines(movie("diary"))
    assert [row[:5] for row in diary[:3]] == [
        ["2023-11-01", "A Film Nobody Has", "2019", "2.0", "no"],
        ["2023-10-30", '"Swing it" magistern', "1940", "", "no"],
        ["2022-04-30", "Amélie", "2001", "7.0", "no"],
    ]
    assert diary[-1][:2] == ["", "Dr. Jekyll and Mr. Hyde"]  # undated last
    assert [row[1] for row in lines(movie("diary", "--year", "2022"))] == ["Amélie", "Heat"]
    assert [row[0] for row in lines(movie("diary", "--tag", "ON-DVD"))] == ["2021-02-27"]
    assert lines(movie("diary", "--tag", "on"))[:1] == []  # a whole tag, not a part of one
    ratings = lines(movie("ratings", "--sort", "difference"))
    assert [(r[1], r[3], r[4], r[5]) for r in ratings] == [
        ("Heat", "10.0", "8.3", "1.7"),
        ("Leaving Las Vegas", "8.0", "7.5", "0.5"),
        ("Amélie", "7.0", "8.3", "-1.3"),
        ("A Film Nobody Has", "1.0", "", ""),
    ]
    listed = json.loads(movie("watchlist", "--sort", "votes", "-f", "json").stdout)
    assert [(w["title"], w["id"], w["type"], w["votes"]) for w in listed] == [
        ("Heat", "tt0087363", "movie", 4120),
        ("ゾンビマックス！怒りのデス・ゾンビ", "tt4536608", "movie", None),
    ]
    rows = json.loads(movie("diary", "-f", "json").stdout)
    assert rows[2]["matched_by"] == "alternate title"
    assert rows[2]["link"] == "https://boxd.it/2kPq1x"
    for fmt in ("csv", "jsonl", "markdown", "tsv", "table"):
        assert movie("diary", "-f", fmt).exit_code == 0


def test_movies_filters_by_your_films(movie, imdb):
    movie("import", str(LETTERBOXD))
    seen = {row[0] for row in lines(movie("movies", "--seen"))}
    assert seen == {'"Swing it" magistern', "Amélie", "Dr. Jekyll and Mr. Hyde", "Heat",
                    "Leaving Las Vegas"}  # fmt: skip
    unseen = {(r[0], r[1]) for r in lines(movie("movies", "--unseen", "--type", "movie"))}
    assert ("Heat", "1986") in unseen and ("Heat", "1995") not in unseen
    assert [r[0] for r in lines(movie("movies", "--rated", "--sort", "rating"))] == [
        "Amélie",
        "Heat",
        "Leaving Las Vegas",
    ]
    assert [r[1] for r in lines(movie("movies", "--watchlist", "--sort", "year"))] == [
        "2015",
        "1986",
    ]


def test_the_card_shows_yours(movie, imdb):
    movie("import", str(LETTERBOXD))
    fields = dict(row for row in lines(movie("card", "tt0113277")) if len(row) == 2)
    assert fields["yours"] == (
        "rated 10/10 on 2022-01-09; seen twice (last 2022-01-08); liked; 1 review"
    )
    card = json.loads(movie("card", "tt0113277", "-f", "json").stdout)
    assert card["yours"]["viewings"] == ["2022-01-08", "2021-02-27"]
    assert card["yours"]["reviews"][0]["written"] == "2022-01-09"
    assert json.loads(movie("card", "tt0087363", "-f", "json").stdout)["yours"] == {
        "rating": None,
        "rated_on": None,
        "viewings": [],
        "watchlist": True,
        "liked": False,
        "reviews": [],
    }
    assert json.loads(movie("card", "tt0096697", "-f", "json").stdout)["yours"] is None


def test_me_sums_up_your_films(movie, imdb):
    movie("import", str(LETTERBOXD))
    rows = json.loads(movie("me", "-f", "json").stdout)
    you = {row["item"]: row["value"] for row in rows if row["section"] == "you"}
    assert you["films seen"] == 6
    assert you["viewings"] == 7
    assert you["films rated"] == 4
    assert you["your average rating"] == 6.5
    assert you["entries no movie matched"] == 2
    years = {row["item"]: row["value"] for row in rows if row["section"].startswith("viewings")}
    assert years == {"2021": 2, "2022": 2, "2023": 2}
    above = [row for row in rows if row["section"] == "above IMDb's users"]
    assert above[0]["item"] == "Heat (1995)" and above[0]["value"] == 1.7
    for fmt in ("csv", "tsv", "table", "markdown"):
        assert movie("me", "-f", fmt).exit_code == 0


def test_me_with_no_films_says_how_to_begin(movie, imdb):
    table = movie("me", "-f", "table")
    assert "films seen" in table.stdout


def test_export_writes_your_films_and_load_reads_them_back(movie, imdb, tmp_path, catalog):
    movie("import", str(LETTERBOXD))
    movie("export", str(tmp_path / "out"), "--all")
    assert (
        (tmp_path / "out" / "my_viewings.csv")
        .read_text(encoding="utf-8")
        .startswith(
            "key,source,movie,matched_by,name,year,link,watched_on,rewatch,tags,rating,scale,"
            "logged_on\n"
        )
    )
    other = tmp_path / "other.db"
    loaded = movie_run("load", str(tmp_path / "out"), db=other)
    assert loaded.returncode == 0, loaded.stderr
    movie_run("export", str(tmp_path / "again"), "--all", db=other)
    for name in ("my_viewings.csv", "my_ratings.csv", "my_watchlist.csv", "my_reviews.csv"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "out" / name).read_bytes()


def test_load_rebuild_keeps_your_films(movie, imdb):
    movie("import", str(LETTERBOXD))
    rebuilt = movie_run("load", "--rebuild", db=imdb)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Kept your films: 15 entries from the old catalog." in rebuilt.stderr
    assert query(imdb, "SELECT count(*) FROM my_viewings")[0][0] == 7
    # Only the seed is left: what matched IMDb's titles waits for them, Leaving Las Vegas not.
    assert query(imdb, "SELECT name FROM my_viewings WHERE movie_id IS NOT NULL") == [
        ("Leaving Las Vegas",)
    ]


def test_next_ranks_unseen_films_with_their_reason(movie, imdb):
    movie("import", str(LETTERBOXD))
    movie("watchlist", "add", "tt0096697")
    found = lines(movie("next", "--from", "watchlist", "--type", "movie,tvSeries"))
    # Quality and consensus (votes over the floor), then your taste: Heat has 4k votes.
    assert [row[0] for row in found] == [
        "The Simpsons",
        "Heat",
        "ゾンビマックス！怒りのデス・ゾンビ",
    ]
    assert found[1][3] == "you rated an Action film 10.0; IMDb 5.4 from 4k votes"
    rows = json.loads(movie("next", "--from", "watchlist", "-f", "json").stdout)
    assert {row["id"] for row in rows} == {"tt0087363", "tt4536608"}
    assert movie("next", "--genre", "western").exit_code == ExitStatus.ERROR


def test_chart_me_draws_each_view_and_gives_its_rows(movie, imdb):
    movie("import", str(LETTERBOXD))
    ratings = [row.split(",") for row in movie("chart", "me", "-f", "csv").stdout.splitlines()]
    assert ratings[0] == ["title", "year", "imdb", "yours", "difference"]
    assert ratings[1] == ["Heat", "1995", "8.3", "10.0", "1.7"]  # the widest gap first
    months = lines(movie("chart", "me", "--view", "months"))
    assert months[0] == ["2021-02", "1"] and months[-1] == ["2023-11", "1"]
    assert len(months) == 34  # every month between the first and the last, empty ones too
    histogram = lines(movie("chart", "me", "--view", "histogram"))
    assert histogram == [[str(n), c] for n, c in enumerate("1000001101", start=1)]
    assert lines(movie("chart", "me", "--view", "decades")) == [
        ["1920s", "1"], ["1940s", "1"], ["1990s", "2"], ["2000s", "1"],
    ]  # fmt: skip


def test_chart_me_with_nothing_to_draw_says_so(movie, imdb):
    result = movie("chart", "me")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == (
        "movie: none of the films you rated has an IMDb rating in the catalog\n"
    )
    assert movie("chart", "me", "--view", "months").stderr == (
        "movie: you have no dated viewings (movie seen, or your Letterboxd diary)\n"
    )


@pytest.mark.parametrize("view", ["ratings", "months", "histogram", "decades"])
def test_chart_me_images(movie, imdb, tmp_path, view):
    pytest.importorskip("matplotlib")
    movie("import", str(LETTERBOXD))
    image = tmp_path / f"{view}.png"
    result = movie("chart", "me", "--view", view, "-o", str(image))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_what_is_not_an_export_says_what_reads_it(imdb, tmp_path):
    other = tmp_path / "sales.csv"
    other.write_text("region,total\nnorth,12\n", encoding="utf-8")
    result = movie_run("import", str(other), db=imdb)
    assert result.returncode == ExitStatus.ERROR
    assert result.stderr == (
        f"movie: {other}: a CSV file, but not a Letterboxd or IMDb export (its header: region, "
        "total); catalog CSV folders are read by `movie load`\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    result = movie_run("import", str(empty), db=imdb)
    assert result.returncode == ExitStatus.ERROR
    assert result.stderr.startswith(f"movie: {empty} is a directory, not a saved movie page or ")


@pytest.mark.parametrize(
    "args",
    [
        ["diary"],
        ["ratings", "--sort", "date"],
        ["watchlist", "--sort", "runtime"],
        ["me"],
        ["next", "--from", "watchlist"],
        ["chart", "me", "--view", "decades"],
    ],
)
@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "json", "jsonl", "markdown"])
def test_every_listing_in_every_format(movie, imdb, args, fmt):
    movie("import", str(LETTERBOXD))
    result = movie(*args, "--format", fmt)
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout.strip()
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), list)
    if fmt == "jsonl":
        assert all(json.loads(line) for line in result.stdout.splitlines())


def test_an_added_titles_directors_give_way_to_imdbs(movie, seeded):
    """Amélie added from the export names its director; IMDb's files, imported later, credit
    their own (nm0000466 in the fixture), and the export's stand-in goes."""
    movie("import", str(EXPORTS / "imdb-ratings-2015.csv"))
    card = json.loads(movie("card", "tt0211915", "-f", "json").stdout)
    assert card["directors"] == ["Jean-Pierre Jeunet"]
    movie("import", "--imdb", str(FIXTURES / "imdb"))
    assert query(seeded, "SELECT position, name, person_id FROM crew WHERE movie_id = 211915 "
                 "AND role = 'director'") == [(1, None, 466)]  # fmt: skip


BIG_TABLES = ("movies", "crew", "cast_credits", "genres", "akas", "people", "m", "c", "p", "a")


def _plans_of(db: Path, run) -> list[tuple[str, list[str]]]:
    """Every statement `run(conn)` executes, with its query plan."""
    conn = sqlite3.connect(db)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        run(conn)
    finally:
        conn.set_trace_callback(None)
    plans = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        plans.append((sql, plan))
    conn.close()
    return plans


def test_me_next_and_matching_read_the_catalog_through_indexes(movie, imdb):
    """Your entries are thousands of rows and may be read whole; the catalog (12 million
    titles, 100 million credits) only through its keys and indexes."""
    from movie.read.me import summary
    from movie.read.recommend import recommend
    from movie.writer.mine import match_title

    movie("import", str(LETTERBOXD))
    runs = [
        lambda conn: list(summary(conn)),
        lambda conn: recommend(conn, min_votes=0),
        lambda conn: match_title(conn, "Swing It, Magistern!", 1940),
        lambda conn: match_title(conn, "Le Fabuleux Destin d'Amélie Poulain", 2001),
    ]
    for run in runs:
        plans = _plans_of(imdb, run)
        assert plans  # (the trace saw the statements: the test reads real plans)
        for sql, plan in plans:
            scans = [
                step
                for step in plan
                if step.startswith("SCAN") and "INDEX" not in step and step.split()[1] in BIG_TABLES
            ]
            assert not scans, (sql, plan)


def test_a_film_logged_in_the_diary_since_is_no_longer_also_an_undated_viewing(
    movie, imdb, tmp_path
):
    newer = tmp_path / "newer"
    shutil.copytree(LETTERBOXD, newer)
    movie("import", str(newer))
    with (newer / "diary.csv").open("a", encoding="utf-8") as diary:
        diary.write(
            "2024-03-01,Dr. Jekyll and Mr. Hyde,1920,https://boxd.it/4jKl2m,4,Yes,,2024-02-29\n"
        )
    movie("import", str(newer))
    assert query(imdb, "SELECT watched_on, rewatch FROM my_viewings WHERE movie_id = 11130") == [
        ("2024-02-29", 1)
    ]


def test_every_title_type_of_a_real_italian_export_is_read():
    """The Title Types a real Italian "Your Ratings" export holds (836 rows: Film, Serie TV,
    Mini serie TV, Corto, Speciale TV, Episodio TV, Video), each IMDb's own type."""
    from movie.sources.exports import imdb_type

    assert {name: imdb_type(name) for name in (
        "Film", "Serie TV", "Mini serie TV", "Corto", "Speciale TV", "Episodio TV", "Video",
    )} == {
        "Film": "movie", "Serie TV": "tvSeries", "Mini serie TV": "tvMiniSeries",
        "Corto": "short", "Speciale TV": "tvSpecial", "Episodio TV": "tvEpisode",
        "Video": "video",
    }  # fmt: skip
