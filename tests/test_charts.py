"""`movie chart`: the data behind each chart, exactly, and its picture at 40, 80 and 200 columns.

The catalog is made here, small and of our own making: eight films of one actor (Nora Vance)
with known years, scores, genres and reviews, so that every point, bar and label is known."""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
import sqlite3
import sys

import pytest

from movie.catalog import load_folders, open_catalog
from movie.errors import ExitStatus, MovieError
from movie.output import Terminal, plots
from movie.read import charts
from movie.read.choose import find_movie
from movie.tables import CAST, CRITIC_REVIEWS, GENRES, MOVIES

FILMS = [
    # slug, title, year, type, tomatometer, audience, imdb rating, votes
    ("quiet-harbor-2001", "Quiet Harbor", 2001, "movie", 90, 40, 7.1, 5000),
    ("paper-moon-river-1999", "Paper Moon River", 1999, "movie", 35, 88, 6.2, 1200),
    ("long-winter-2005", "Long Winter", 2005, "movie", 70, 72, 8.4, 20000),
    ("small-hours-2010", "Small Hours", 2010, "tvMovie", 55, 50, 4.9, 300),
    ("glass-coast-2015", "Glass Coast", 2015, "movie", None, None, 5.5, 800),
    ("harbor-lights-2015", "Harbor Lights", 2015, "tvEpisode", None, None, 9.0, 100),
    ("unrated-days-1988", "Unrated Days", 1988, "movie", None, None, None, None),
    ("old-house-1962", "Old House", 1962, None, 80, 60, None, None),
]
GENRE_ROWS = [
    ("quiet-harbor-2001", "Drama"),
    ("paper-moon-river-1999", "Drama"),
    ("paper-moon-river-1999", "Comedy"),
    ("long-winter-2005", "Drama"),
    ("small-hours-2010", "Comedy"),
    ("glass-coast-2015", "Thriller"),
    ("old-house-1962", "Drama"),
]
REVIEWS = [  # of Quiet Harbor: verdict, score, date
    ("fresh", "3.5/4", "2001-05-01"),
    ("fresh", "B+", "2001-06-01"),
    ("rotten", "2/5", "2001-07-01"),
    ("fresh", "7/10", "2002-01-01"),
    (None, "A", "2002-02-01"),
    ("rotten", "bad", "2010-03-01"),
    ("fresh", "4/4", "2010-04-01"),
    ("fresh", "3/4", None),
]


def write(path, table, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(table.columns)
        for row in rows:
            out.writerow(["" if row.get(c) is None else row.get(c) for c in table.columns])


@pytest.fixture
def films(empty_catalog, tmp_path):
    """The test catalog: Nora Vance's films, loaded as a CSV folder into an empty catalog."""
    folder = tmp_path / "films"
    folder.mkdir()
    keys = ("slug", "title", "year", "title_type", "tomatometer", "audience_score")
    write(
        folder / MOVIES.file,
        MOVIES,
        [
            {**dict(zip(keys, f[:6], strict=True)), "imdb_rating": f[6], "imdb_votes": f[7]}
            for f in FILMS
        ],
    )
    write(
        folder / CAST.file,
        CAST,
        [
            {"movie": f[0], "position": 1, "actor": "Nora Vance", "character_truncated": 0}
            for f in FILMS
            if f[0] != "old-house-1962"
        ],
    )
    write(
        folder / GENRES.file,
        GENRES,
        [{"movie": m, "position": i, "genre": g} for i, (m, g) in enumerate(GENRE_ROWS, 1)],
    )
    write(
        folder / CRITIC_REVIEWS.file,
        CRITIC_REVIEWS,
        [
            {
                "movie": "quiet-harbor-2001",
                "position": i,
                "critic": f"Critic {i}",
                "verdict": verdict,
                "score": score,
                "review_date": date,
                "quote": "A quote.",
                "top_critic": 0,
            }
            for i, (verdict, score, date) in enumerate(REVIEWS, 1)
        ],
    )
    conn = open_catalog(empty_catalog, lambda message: None, True)
    load_folders(conn, [folder])
    conn.close()
    return empty_catalog


@pytest.fixture
def conn(films):
    connection = open_catalog(films, lambda message: None, False)
    yield connection
    connection.close()


def rows(chart):
    return [tuple(r) for r in chart.data.rows]


# ---------------------------------------------------------------- the data behind each chart


def test_career_by_imdb_rating_names_the_best_and_worst(conn):
    chart = charts.career(conn, "Nora Vance")
    assert chart.title == "Nora Vance: 5 films by year and IMDb rating (0-10) (1 unrated left out)"
    assert chart.data.columns == ["year", "title", "imdb_rating", "note"]
    assert rows(chart) == [
        (1999, "Paper Moon River", 6.2, "best known"),  # the most votes, with Quiet Harbor
        (2001, "Quiet Harbor", 7.1, "best known"),
        (2005, "Long Winter", 8.4, "best"),
        (2010, "Small Hours", 4.9, "worst"),
        (2015, "Glass Coast", 5.5, ""),
    ]
    assert chart.notes == (
        "best: Long Winter (2005), 8.4",
        "worst: Small Hours (2010), 4.9",
        "best known: Paper Moon River (1999), 6.2",
        "best known: Quiet Harbor (2001), 7.1",
    )
    assert [p for p in chart.picture() if p[2]] == [  # best and worst first: named first
        (2005, 8.4, "Long Winter (2005)", "best: Long Winter (2005), 8.4"),
        (2010, 4.9, "Small Hours (2010)", "worst: Small Hours (2010), 4.9"),
        (1999, 6.2, "Paper Moon River (1999)", "best known: Paper Moon River (1999), 6.2"),
        (2001, 7.1, "Quiet Harbor (2001)", "best known: Quiet Harbor (2001), 7.1"),
    ]


def test_career_by_tomatometer_and_limited_to_the_best_known(conn):
    chart = charts.career(conn, "nora vance", "tomatometer")
    assert rows(chart) == [
        (1999, "Paper Moon River", 35, "worst"),
        (2001, "Quiet Harbor", 90, "best"),
        (2005, "Long Winter", 70, "best known"),
        (2010, "Small Hours", 55, ""),
    ]
    assert chart.title.endswith("by year and Tomatometer (%) (2 unrated left out)")
    two = charts.career(conn, "Nora Vance", limit=2)
    assert rows(two) == [(2001, "Quiet Harbor", 7.1, "worst"), (2005, "Long Winter", 8.4, "best")]
    episodes = charts.career(conn, "Nora Vance", types=["tvEpisode"])
    assert rows(episodes) == [(2015, "Harbor Lights", 9.0, "best")]  # one point: still a chart


def test_career_with_nothing_rated_is_an_error(conn):
    with pytest.raises(MovieError, match=r"^no rated films for Nora Vance \(by audience"):
        charts.career(conn, "Nora Vance", "audience", types=["short"])


def test_reviews_by_year_with_the_tomatometer_as_it_stood(conn):
    chart = charts.reviews_by_year(conn, find_movie(conn, "Quiet Harbor"))
    assert chart.title == (
        "Quiet Harbor (2001): 7 critic reviews by year, fresh and rotten, and the Tomatometer "
        "as it stood (1 undated left out)"
    )
    assert chart.data.columns == ["year", "fresh", "rotten", "reviews", "tomatometer"]
    assert rows(chart) == [(2001, 2, 1, 3, 67), (2002, 1, 0, 2, 75), (2010, 1, 1, 2, 67)]
    assert chart.picture() == [
        ("2001", 2, 1, 0, "2 fresh, 1 rotten, 67%"),
        ("2002", 1, 0, 1, "1 fresh, 0 rotten, 75%"),
        ("2010", 1, 1, 0, "1 fresh, 1 rotten, 67%"),
    ]
    everything = charts.reviews_by_year(conn, None)
    assert rows(everything) == rows(chart)


def test_review_scores_on_one_scale():
    assert charts.normalised_score("3.5/4") == 87.5
    assert charts.normalised_score(" 7 / 10 ") == 70
    assert charts.normalised_score("B+") == 75 and charts.normalised_score("a+") == 100
    assert charts.normalised_score("F") == 0 and charts.normalised_score("C") == 42
    for unreadable in ("5/4", "3/0", "bad", "", "3.5 stars"):
        assert charts.normalised_score(unreadable) is None


def test_review_scores_chart(conn):
    chart = charts.review_scores(conn, find_movie(conn, "Quiet Harbor"))
    assert chart.title == (
        "Quiet Harbor (2001): original scores of 7 critic reviews on 0-100 "
        "(1 in no known shape left out)"
    )
    assert rows(chart) == [
        (0, 9, 0),
        (10, 19, 0),
        (20, 29, 0),
        (30, 39, 0),
        (40, 49, 1),
        (50, 59, 0),
        (60, 69, 0),
        (70, 79, 3),
        (80, 89, 1),
        (90, 100, 2),
    ]


def test_agreement_names_the_widest_gaps(conn):
    chart = charts.agreement(conn)
    assert chart.title == (
        "Critics and audiences: 5 movies, Tomatometer against audience score (%)"
    )
    assert chart.data.columns == ["title", "year", "tomatometer", "audience_score", "gap"]
    assert rows(chart) == [
        ("Paper Moon River", 1999, 35, 88, 53),
        ("Quiet Harbor", 2001, 90, 40, -50),
        ("Old House", 1962, 80, 60, -20),
        ("Small Hours", 2010, 55, 50, -5),
        ("Long Winter", 2005, 70, 72, 2),
    ]
    # Named only past the threshold the chart states: Small Hours (5) and Long Winter (2) agree.
    assert chart.notes == (
        "critics liked more: Quiet Harbor (2001), Tomatometer 90%, 40%",
        "critics liked more: Old House (1962), Tomatometer 80%, 60%",
        "audiences liked more: Paper Moon River (1999), Tomatometer 35%, 88%",
    )
    assert chart.remarks == (
        "Named: the films on which they disagree most, by 20 points or more; on the line they "
        "agree.",
    )
    assert chart.guide == ((0.0, 0.0), (100.0, 100.0), "critics and audiences agree")
    points = [(35, 88, None), (90, 40, None), (80, 60, None), (55, 50, None), (70, 72, None)]
    assert sorted(chart.picture(), key=str) == sorted(
        [
            *points,
            (90, 40, "Quiet Harbor (2001)",
             "Quiet Harbor (2001): Tomatometer 90%, audience score 40%"),
            (80, 60, "Old House (1962)", "Old House (1962): Tomatometer 80%, audience score 60%"),
            (35, 88, "Paper Moon River (1999)",
             "Paper Moon River (1999): Tomatometer 35%, audience score 88%"),
        ],
        key=str,
    )  # fmt: skip


def test_agreement_by_genre_decade_and_against_imdb(conn):
    drama = charts.agreement(conn, genre="drama", limit=2)
    assert drama.title.startswith("Critics and audiences: 4 movies in Drama,")
    assert [r[0] for r in rows(drama)] == ["Paper Moon River", "Quiet Harbor"]
    noughties = charts.agreement(conn, decade="2000s")
    assert [r[0] for r in rows(noughties)] == ["Quiet Harbor", "Long Winter"]
    assert noughties.title.startswith("Critics and audiences: 2 movies of the 2000s,")
    assert charts.decade_of("90s") == 1990 and charts.decade_of("1990") == 1990
    imdb = charts.agreement(conn, against="imdb")
    assert [(r[0], round(r[4])) for r in rows(imdb)] == [
        ("Paper Moon River", 27),
        ("Quiet Harbor", -19),
        ("Long Winter", 14),
        ("Small Hours", -6),
    ]
    with pytest.raises(MovieError, match="no genre 'Western'"):
        charts.agreement(conn, genre="Western")
    with pytest.raises(MovieError, match="no movies of the 1970s have both"):
        charts.agreement(conn, decade="70s")


def test_catalog_by_year_and_decade(conn):
    decades = charts.catalog(conn, "decade")
    assert decades.title == "The catalog: 8 titles by decade"
    assert rows(decades) == [
        ("1960s", 1),
        ("1980s", 1),
        ("1990s", 1),
        ("2000s", 2),
        ("2010s", 3),
    ]
    assert rows(charts.catalog(conn, "decade", ["movie"])) == [
        ("1980s", 1),
        ("1990s", 1),
        ("2000s", 2),
        ("2010s", 1),
    ]
    years = charts.catalog(conn, "year")
    assert years.kind == "bars" and rows(years)[-1] == (2015, 2)


def test_catalog_ratings_and_genres(conn):
    ratings = charts.catalog(conn, "rating")
    assert ratings.title == "The catalog: 6 titles by IMDb rating (0-10)"
    assert rows(ratings) == [
        (float(i), float(i + 1), int(i in (4, 5, 6, 7, 8, 9))) for i in range(10)
    ]
    meter = charts.catalog(conn, "rating", score="tomatometer")
    assert [r[2] for r in rows(meter)] == [0, 0, 0, 1, 0, 1, 0, 1, 1, 1]
    assert rows(meter)[-1] == (90.0, 100.0, 1)
    genres = charts.catalog(conn, "genre")
    assert rows(genres) == [("Drama", 3, 7.23), ("Comedy", 2, 5.55), ("Thriller", 1, 5.5)]
    assert genres.picture()[0] == ("Drama", 7.23, "7.23 (3 titles)")
    assert genres.title == (
        "The catalog: average IMDb rating (0-10) per genre, 3 genres of 6 rated titles"
    )
    best = charts.catalog(conn, "genre", limit=2)
    assert rows(best) == [("Drama", 3, 7.23), ("Comedy", 2, 5.55)] and len(best.picture()) == 2


# ---------------------------------------------------------------- pictures


def every_chart(conn):
    harbor = find_movie(conn, "Quiet Harbor")
    return [
        charts.career(conn, "Nora Vance"),
        charts.career(conn, "Nora Vance", types=["tvEpisode"]),  # one point
        charts.reviews_by_year(conn, harbor),
        charts.review_scores(conn, harbor),
        charts.agreement(conn),
        charts.catalog(conn, "year"),
        charts.catalog(conn, "decade"),
        charts.catalog(conn, "rating"),
        charts.catalog(conn, "genre"),
    ]


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("unicode", [True, False])
def test_every_chart_draws_at_every_width(conn, width, unicode):
    for chart in every_chart(conn):
        text = plots.draw(chart, width, 12, False, unicode)
        lines = text.splitlines()
        assert lines[0] == chart.title
        assert "\x1b" not in text  # no colour asked for
        if not unicode:
            assert text.isascii(), chart.title
        if chart.kind in ("bars", "stacked"):
            assert all(len(line) <= width for line in lines[2:]), chart.title
            labels = [str(p[0]) for p in chart.picture()]
            assert all(any(line.startswith(label[:8]) for line in lines) for label in labels)


def test_a_scatter_shows_its_named_points(conn):
    text = plots.draw(charts.career(conn, "Nora Vance"), 100, 15, False, True)
    assert "Long Winter (2005)" in text and "Small Hours (2010)" in text
    assert "(IMDb rating (0-10))" in text and "(year)" in text
    assert text.rstrip().endswith("best known: Quiet Harbor (2001), 7.1")
    assert "worst: Small Hours (2010), 4.9" in text
    coloured = plots.draw(charts.career(conn, "Nora Vance"), 100, 15, True, True)
    assert "\x1b[" in coloured


def test_stacked_bars_add_up(conn):
    text = plots.draw(charts.reviews_by_year(conn, None), 60, 10, False, True)
    bars = {line[:4]: line for line in text.splitlines() if re.match(r"^20[01][0-9] ", line)}
    assert bars["2001"].count("█") == 2 * bars["2001"].count("░")
    assert "▒" in bars["2002"] and "█ fresh  ░ rotten  ▒ no verdict" in text
    coloured = plots.draw(charts.reviews_by_year(conn, None), 60, 10, True, True)
    assert "\x1b[32m██" in coloured and "\x1b[31m░" in coloured  # fresh green, rotten red
    plain = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert plain.splitlines()[2:] == text.splitlines()[2:]


def test_encodings():
    assert plots.can_show("utf-8") and not plots.can_show("ascii")
    assert not plots.can_show("no-such-codec") and not plots.can_show(None)


# ---------------------------------------------------------------- the command line


def test_piped_the_data_on_a_terminal_the_picture(movie, films, monkeypatch):
    piped = movie("chart", "catalog", "--by", "decade")
    assert piped.exit_code == ExitStatus.OK, piped.stderr
    assert piped.stdout == "1960s\t1\n1980s\t1\n1990s\t1\n2000s\t2\n2010s\t3\n"
    as_json = json.loads(movie("chart", "career", "Nora Vance", "-f", "json").stdout)
    assert as_json[2] == {"year": 2005, "title": "Long Winter", "imdb_rating": 8.4, "note": "best"}
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    shown = movie("chart", "catalog", "--by", "decade")
    assert shown.stdout.startswith("The catalog: 8 titles by decade\n\ndecade │ titles\n1960s  │ █")
    table = movie("chart", "catalog", "--by", "decade", "-f", "markdown").stdout
    assert table.splitlines()[2] == "| 1960s | 1 |"
    top = movie("chart", "catalog", "--by", "genre", "-n", "1", "-f", "csv").stdout
    assert top == "genre,titles,average_imdb_rating\nDrama,3,7.23\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["career", "Nora Vance", "--score", "audience", "--type", "short"], "no rated films"),
        (["agreement", "--genre", "Western"], "no genre 'Western' in the catalog"),
        (["reviews", "Glass Coast"], "no dated critic reviews for Glass Coast (2015)"),
        (["career", "Nobody At All"], "no person matches 'Nobody At All'"),
    ],
)
def test_empty_results_are_one_line_and_exit_1(movie, films, args, message):
    result = movie("chart", *args)
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_usage_errors(movie, films):
    assert movie("chart", "agreement", "--decade", "nineties").exit_code == ExitStatus.USAGE
    assert movie("chart", "catalog", "--by", "colour").exit_code == ExitStatus.USAGE
    assert movie("chart", "reviews", "Quiet Harbor", "--all").exit_code == ExitStatus.USAGE
    assert movie("chart", "career", "x", "--output", "chart.gif").exit_code == ExitStatus.USAGE


def test_charts_on_the_seed(movie, seeded):
    assert movie("chart", "catalog", "--by", "decade").stdout == "1990s\t1\n"
    assert movie("chart", "reviews").stdout.splitlines()[0] == "2003\t0\t0\t1\t"
    missing = movie("chart", "career", "Nicolas Cage")
    assert missing.exit_code == ExitStatus.ERROR
    assert missing.stderr == (
        "movie: no rated films for Nicolas Cage (none has a rating or a score)\n"
    )


def test_output_without_the_charts_extra_says_what_to_install(movie, films, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    result = movie("chart", "catalog", "--output", str(tmp_path / "c.png"))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "movie: --output needs matplotlib: pip install 'movie[charts]'\n"
    assert not (tmp_path / "c.png").exists()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_image_output(movie, films, tmp_path, suffix):
    pytest.importorskip("matplotlib")
    for args in (["career", "Nora Vance"], ["reviews", "Quiet Harbor"], ["catalog"]):
        target = tmp_path / f"{args[0]}{suffix}"
        result = movie("chart", *args, "--output", str(target))
        assert result.exit_code == ExitStatus.OK, result.stderr
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data


def test_chart_queries_read_indexes(conn):
    """At IMDb's size a full scan of movies or genres takes seconds: every chart query reads
    an index (a scan in a covering or partial index's order is fine). Reviews of every movie
    (--all) read every review by design, and are left out here."""
    statements = []
    conn.set_trace_callback(statements.append)
    try:
        for chart in every_chart(conn):
            list(chart.data.rows)
            chart.picture()
        list(charts.catalog(conn, "decade", ["movie"]).data.rows)
        list(charts.catalog(conn, "genre", ["movie"], "tomatometer").data.rows)
        list(charts.catalog(conn, "rating", [], "audience").data.rows)
        list(charts.agreement(conn, genre="Drama", decade="2000s", against="imdb").data.rows)
    finally:
        conn.set_trace_callback(None)
    checked = 0
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")) or "critic_reviews" in sql:
            continue
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        scans = re.findall(r"SCAN ([\w.]+)( USING (?:COVERING )?INDEX)?", plan)
        tables = {"movies", "m", "genres", "g", "cast_credits", "crew", "people"}
        assert not [n for n, indexed in scans if not indexed and n in tables], (sql, plan)
        checked += 1
    assert checked >= 15


def test_genre_scores_stay_in_step_with_every_write(movie, seeded):
    """genre_scores (what the genre chart reads) is kept by triggers and rebuilt after bulk
    loads: after every kind of write it equals what movies and genres say."""
    from helpers import FIXTURES

    from movie.store.schema import genre_scores_now

    def in_step() -> int:
        conn = open_catalog(seeded, lambda message: None, False)
        try:
            kept = sorted(conn.execute("SELECT * FROM genre_scores"))
            assert kept == sorted(genre_scores_now(conn))
            return len(kept)
        finally:
            conn.close()

    html = FIXTURES / "html"
    steps = [
        ["load", str(FIXTURES / "more-movies")],
        ["import", str(html / "et-2019.html"), str(html / "heat-2024.html")],
        ["import", str(html / "et-2022.html")],  # the same film again: replaced in place
        ["import", "--dataset", str(FIXTURES / "dataset")],
        ["import", "--imdb", str(FIXTURES / "imdb")],
        ["import", str(html / "12-angry-men-2016.html")],
    ]
    sizes = []
    for args in steps:
        assert movie(*args).exit_code == ExitStatus.OK
        sizes.append(in_step())
    conn = open_catalog(seeded, lambda message: None, True)
    with conn:
        conn.execute(
            "UPDATE movies SET tomatometer = 10, title_type = 'tvMovie' WHERE slug = 'heat-1995'"
        )
        conn.execute(
            "UPDATE movies SET imdb_votes = NULL WHERE imdb_votes IS NOT NULL AND id % 2 = 0"
        )
        conn.execute("UPDATE genres SET genre = 'Zany' WHERE position = 1 AND movie_id % 3 = 0")
        conn.execute("DELETE FROM movies WHERE id IN (SELECT movie_id FROM genres LIMIT 2)")
    conn.close()
    sizes.append(in_step())
    assert min(sizes) > 0 and len(set(sizes)) > 1  # rows came and went
    assert movie("load", "--rebuild").exit_code == ExitStatus.OK
    in_step()


def test_image_titles_are_text_not_formulas(movie, films, tmp_path):
    """A title with dollars ("Bad $x^{$ Movie") is drawn as it is: matplotlib's mathtext never
    sees it (issue 19: 11)."""
    pytest.importorskip("matplotlib")
    from movie.text import fold

    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    for slug, title in (("quiet-harbor-2001", "Bad $x^{$ Movie"), ("old-house-1962", "A $a$ b")):
        conn.execute(
            "UPDATE movies SET title = ?, title_key = ? WHERE slug = ?", (title, fold(title), slug)
        )
    conn.commit()
    conn.close()
    for args in (["career", "Nora Vance"], ["reviews", "Bad $x^{$ Movie"]):
        target = tmp_path / "chart.svg"
        result = movie("chart", *args, "--output", str(target))
        assert result.exit_code == ExitStatus.OK, result.stderr
    assert "Bad $x^{$ Movie" in target.read_text(encoding="utf-8")


def test_image_output_replaces_a_link_and_never_leaves_a_part(movie, films, tmp_path, monkeypatch):
    """Written to a temporary file and renamed: a link at the path is replaced, its target left
    alone; a write that fails leaves the old file whole (issue 19: 14)."""
    pytest.importorskip("matplotlib")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "chart.png"
    link.symlink_to(precious)
    result = movie("chart", "catalog", "--output", str(link))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert precious.read_text() == "keep me"
    assert not link.is_symlink() and link.read_bytes().startswith(b"\x89PNG")
    old = link.read_bytes()

    def disk_full(self, target, **kwargs):  # writes half, then fails
        with open(target, "wb") as out:
            out.write(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("matplotlib.figure.Figure.savefig", disk_full)
    failed = movie("chart", "catalog", "--output", str(link))
    assert failed.exit_code == ExitStatus.ERROR
    assert failed.stderr == f"movie: cannot write {link}: No space left on device\n"
    assert link.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


@pytest.mark.parametrize("width", [40, 57, 80, 200])
def test_every_chart_fits_the_terminal_exactly(conn, width):
    """A scatter or a line is exactly as wide as the terminal, bars never wider; its notes too
    (issue 21: the career chart was 54 columns on a 40-column terminal, 209 on 200)."""
    from movie.output import visible_len

    for chart in every_chart(conn):
        for color in (False, True):
            lines = plots.draw(chart, width, 12, color, True).splitlines()
            widest = max(visible_len(line) for line in lines[2:])
            if chart.kind in ("scatter", "line"):
                picture = lines[2 : lines.index("", 2) if "" in lines[2:] else None]
                assert max(visible_len(line) for line in picture) == width, chart.title
            assert widest <= width, (chart.title, widest)


@pytest.mark.parametrize("width", [40, 63, 80, 131, 200])
def test_a_year_axis_ticks_whole_years(conn, width):
    for chart in (charts.career(conn, "Nora Vance"), charts.catalog(conn, "year")):
        chart = chart._replace(kind="scatter" if chart.kind == "scatter" else "line")
        if chart.kind == "line":
            chart = chart._replace(picture=lambda c=chart: [(y, n) for y, n in c.data.rows])
        lines = plots.draw(chart, width, 12, False, True).splitlines()
        ticks = next(line for line in lines if line.startswith("           | "))
        years = ticks[13:].split()
        assert years and all(re.fullmatch(r"\d{4}", year) for year in years), ticks
        steps = {int(b) - int(a) for a, b in itertools.pairwise(years)}
        assert len(steps) <= 1 and all(step >= 1 for step in steps), ticks


def test_every_image_keeps_names_numbers_and_points_inside(conn):
    """In an image each named point has its own marker, named with its numbers in a legend
    beside the axes; every point and every bar's text is inside the axes."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for chart in every_chart(conn):
        figure, axes = plt.subplots(figsize=(10, 6))
        try:
            plots._draw(chart, chart.picture(), axes)
            (x_low, x_high), (y_low, y_high) = axes.get_xlim(), axes.get_ylim()
            for collection in axes.collections:
                for x, y in collection.get_offsets():
                    assert x_low <= x <= x_high and y_low <= y <= y_high, chart.title
            for text in axes.texts:
                x = text.get_position()[0]
                assert x_low <= x <= x_high, (chart.title, text.get_text())
            if chart.kind == "scatter":
                legend = axes.get_legend()
                named = [p[3] if len(p) > 3 else p[2] for p in chart.picture() if p[2]]
                shown = [t.get_text() for t in legend.get_texts()] if legend else []
                assert set(named) <= set(shown), chart.title
                if chart.guide:
                    assert chart.guide[2] in shown
            assert axes.get_xlabel() == chart.x_label and axes.get_ylabel() == chart.y_label
        finally:
            plt.close(figure)


def test_images_are_written_whole_and_readable(movie, films, tmp_path):
    pytest.importorskip("matplotlib")
    for args in (["career", "Nora Vance"], ["agreement"], ["reviews", "Quiet Harbor"]):
        target = tmp_path / "chart.png"
        result = movie("chart", *args, "--output", str(target))
        assert result.exit_code == ExitStatus.OK, result.stderr
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert 700 <= width <= 1600 and 200 <= height <= 1200, (args, width, height)


def test_the_reviews_chart_says_how_its_tomatometer_is_worked_out(conn):
    harbor = find_movie(conn, "Quiet Harbor")
    chart = charts.reviews_by_year(conn, harbor)
    assert chart.remarks[0].startswith("The Tomatometer here is worked out from the ")
    assert chart.remarks[-1] == "The site's own Tomatometer: 90%."


def test_catalog_charts_say_what_they_left_out(conn):
    assert charts.catalog(conn, "year").remarks == charts.catalog(conn, "decade").remarks
    rating = charts.catalog(conn, "rating")
    assert rating.remarks and rating.remarks[0].startswith("Left out: ")


def test_names_on_a_terminal_chart_never_cover_each_other(conn):
    """Many named points close together: each name shown is whole and next to its own point,
    and the others are in the notes (issue 21: two names were drawn over each other)."""
    from movie.results import Chart, Result

    named = [(2000 + k * 0.4, 50 + (k % 3), f"Film Number {k} (200{k})") for k in range(8)]
    chart = Chart(
        "scatter", "t", "year", "score", Result([], []), lambda: named, y_range=(0, 100),
        notes=tuple(n for *_, n in named), whole_x=True,
    )  # fmt: skip
    for width in (40, 80, 120):
        picture = plots.draw(chart, width, 12, False, True).split("\n\n")[1]
        shown = [name for *_, name in named if name.split(" (")[0] in picture]
        assert shown or width < 60, width
        for name in shown:
            assert picture.count(name.split(" (")[0]) == 1
        for line in picture.splitlines():
            cleaned = line.replace("\u2800", " ")
            assert not re.search(r"Film Number \d+ \(\d+\)\S", cleaned), line  # none run on


def test_a_career_by_the_words_of_a_name_says_whom_it_took(movie, films):
    result = movie("chart", "career", "vance")
    assert result.exit_code == ExitStatus.OK
    assert result.stderr == "movie: taking \"Nora Vance\" for 'vance'\n"
