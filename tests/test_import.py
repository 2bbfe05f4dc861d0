"""`movie import` of saved pages and `movie export` back to CSV."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import (
    FIXTURES,
    SEED,
    SEED_PAGE,
    dump,
    file_digest,
    movie_run,
)

from movie.errors import ExitStatus
from movie.output import Terminal
from movie.store.schema import apply_schema

PAGES = FIXTURES / "pages"


def csv_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv"))}


def test_seed_page_imports_and_exports_to_the_seed_byte_for_byte(movie, empty_catalog, tmp_path):
    result = movie("import", str(SEED_PAGE))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == ""  # nothing odd on the seed page
    exported = tmp_path / "out"
    assert movie("export", str(exported)).exit_code == ExitStatus.OK
    assert csv_files(exported) == csv_files(SEED)


def test_export_load_export_round_trip(movie, tmp_path):
    movie("load", str(FIXTURES / "more-movies"))
    movie("import", str(PAGES / "heat-1995-later-generation.rt.txt"))
    first = tmp_path / "first"
    assert movie("export", str(first), "--all").exit_code == ExitStatus.OK
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    apply_schema(conn)
    conn.close()
    assert movie("--db", str(other), "load", str(first)).exit_code == ExitStatus.OK
    second = tmp_path / "second"
    assert movie("--db", str(other), "export", str(second), "--all").exit_code == ExitStatus.OK
    assert csv_files(first) == csv_files(second)
    assert len(csv_files(first)) == 7


def test_export_one_movie_and_messages(movie, tmp_path):
    movie("load", str(FIXTURES / "more-movies"))
    result = movie("export", str(tmp_path / "heat"), "Heat (1995)")
    assert result.exit_code == ExitStatus.OK
    assert "Exported Heat (1995)" in result.stderr and "1 movie in 7 files" in result.stderr
    movies = (tmp_path / "heat" / "movies.csv").read_text().splitlines()
    assert len(movies) == 2 and movies[1].startswith("heat-1995,Heat,1995,")
    assert (tmp_path / "heat" / "quotes.csv").read_text().count("\n") == 2
    assert movie("export", str(tmp_path / "x"), "Heat", "--all").exit_code == ExitStatus.USAGE


def test_export_into_a_file_path_fails_cleanly(movie, empty_catalog, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("x")
    result = movie("export", str(target), "--all")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == f"movie: {target} exists and is not a directory\n"


def test_import_again_updates_in_place(movie, tmp_path):
    assert movie("import", str(SEED_PAGE)).exit_code == ExitStatus.OK
    assert movie("import", str(SEED_PAGE)).exit_code == ExitStatus.OK
    assert movie("movies").stdout.count("\n") == 1
    assert movie("cast").stdout.count("\n") == 36
    changed = tmp_path / "changed.txt"
    changed.write_text(
        SEED_PAGE.read_text(encoding="utf-8").replace(
            "Small, searing film.", "Small, fierce film."
        ),
        encoding="utf-8",
    )
    assert movie("import", str(changed)).exit_code == ExitStatus.OK
    # A later save never loses what it does not show: the review as the first save had it is
    # kept beside the one the second save shows (same critic, other text: two entries).
    assert movie("reviews", "--search", "fierce").stdout.count("\n") == 1
    assert movie("reviews", "--search", "searing").stdout.count("\n") == 1
    assert movie("reviews").stdout.count("\n") == 7


def test_summary_on_a_terminal(movie, empty_catalog, monkeypatch):
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, False, 80))
    )
    result = movie("import", str(SEED_PAGE))
    assert result.stderr == (
        "Imported Leaving Las Vegas (1995): "
        "36 cast, 6 critic reviews, 3 audience reviews, 4 quotes.\n"
    )


def test_import_from_stdin(movie, empty_catalog):
    result = movie("import", "-", input=SEED_PAGE.read_text(encoding="utf-8"))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert movie("cast", "-n", "1").stdout == "Nicolas Cage\tBen Sanderson\n"


def test_dry_run_writes_nothing(movie, empty_catalog):
    before = file_digest(empty_catalog)
    result = movie("import", "--dry-run", str(PAGES / "heat-1995-later-generation.rt.txt"))
    assert result.exit_code == ExitStatus.OK
    assert result.stdout.startswith("title\tHeat\nyear\t1995\n")
    card = json.loads(
        movie(
            "import", "--dry-run", "-f", "json", str(PAGES / "heat-1995-later-generation.rt.txt")
        ).stdout
    )
    assert card["directors"] == ["Michael Mann"] and card["runtime_minutes"] == 170
    table = movie("import", "--dry-run", "-f", "table", str(SEED_PAGE)).stdout
    assert table.startswith("╭") and "48 reviews, 12 top critics, 6 on file" in table
    assert file_digest(empty_catalog) == before
    assert movie("movies").stdout == ""


def test_several_pages_one_bad_does_not_undo_the_good(movie, empty_catalog):
    result = movie(
        "import",
        str(PAGES / "heat-1986.rt.txt"),
        str(PAGES / "not-a-movie-page.txt"),
        str(PAGES / "heat-1995-later-generation.rt.txt"),
        str(PAGES / "missing.txt"),
    )
    assert result.exit_code == ExitStatus.ERROR
    assert "not-a-movie-page.txt is not a saved Rotten Tomatoes movie page" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert result.stderr.count("\n") == 2
    titles = movie("movies").stdout.splitlines()
    assert [line.split("\t")[:2] for line in titles] == [["Heat", "1986"], ["Heat", "1995"]]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-a-movie-page.txt", "is not a saved Rotten Tomatoes movie page"),
        ("binary.bin", "is a binary file"),
        ("empty.txt", "is empty"),
        (".", "is a directory"),
    ],
)
def test_not_a_movie_page(movie, catalog, name, message):
    movie("movies")
    before = dump(catalog)
    result = movie("import", str(PAGES / name))
    assert result.exit_code == ExitStatus.ERROR
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert dump(catalog) == before


def test_missing_sections(imported, movie, empty_catalog, tmp_path):
    """Each page into a catalog of its own: the same film saved again would merge with what
    the catalog has (test_a_later_save_keeps_the_sections_it_lacks)."""
    pristine = tmp_path / "pristine.db"
    shutil.copy(empty_catalog, pristine)
    imported(PAGES / "no-quotes.rt.txt")
    assert movie("quotes").stdout == "" and movie("cast").stdout.count("\n") == 36
    for name, command, kept in [
        ("no-audience-reviews.rt.txt", ["reviews", "--audience"], ["quotes"]),
        ("no-critic-reviews.rt.txt", ["reviews"], ["reviews", "--audience"]),
        ("no-cast.rt.txt", ["cast"], ["reviews"]),
    ]:
        own = ("--db", str(tmp_path / f"{name}.db"))
        shutil.copy(pristine, own[1])
        assert movie(*own, "import", str(PAGES / name)).exit_code == ExitStatus.OK
        assert movie(*own, *command).stdout == "", name
        assert movie(*own, *kept).stdout != "", name
        card = json.loads(movie(*own, "card", "-f", "json").stdout)
    assert card["critics"]["reviews"] == 48 and card["cast"] == []


def test_a_later_save_keeps_the_sections_it_lacks(imported, movie, empty_catalog):
    imported(PAGES / "no-quotes.rt.txt")
    for name in ("no-audience-reviews.rt.txt", "no-critic-reviews.rt.txt", "no-cast.rt.txt"):
        imported(PAGES / name)
    assert movie("cast").stdout.count("\n") == 36
    assert movie("reviews").stdout.count("\n") == 6
    assert movie("reviews", "--audience").stdout != "" and movie("quotes").stdout != ""


def test_page_cut_off_in_audience_reviews(imported, movie, empty_catalog):
    result = imported(PAGES / "cut-off-in-audience-reviews.rt.txt")
    assert "dropped a half-read audience review" in result.stderr
    assert "cut off" in result.stderr and "no quotes" in result.stderr
    reviewers = movie("reviews", "--audience").stdout.splitlines()
    assert [r.split("\t")[0] for r in reviewers] == ["Carlos Magalh„es", "jay nixon"]
    assert movie("reviews").stdout.count("\n") == 6
    assert movie("cast").stdout.count("\n") == 36


def test_page_cut_off_in_cast(imported, movie, empty_catalog):
    result = imported(PAGES / "cut-off-in-cast.rt.txt")
    assert "dropped the half-read credit 'Waldemar Kalinowski'" in result.stderr
    cast = movie("cast").stdout.splitlines()
    assert len(cast) == 19 and cast[-1] == "Mike Figgis\tMobster No. 1"


def test_later_page_generation(imported, movie, empty_catalog):
    result = imported(PAGES / "heat-1995-later-generation.rt.txt")
    assert result.stderr == ""
    card = json.loads(movie("card", "-f", "json").stdout)
    assert card["consensus"].startswith("Though Al Pacino and Robert De Niro")
    assert card["synopsis"].endswith("Robbery/Homicide police division.")
    assert card["synopsis_by"] == "Hal Erickson, Rovi"
    assert "~ Hal Erickson, Rovi" in movie("card", "-f", "table").stdout
    assert "synopsis_by\tHal Erickson, Rovi" in movie("card").stdout
    assert card["genres"] == ["Action & Adventure", "Drama", "Mystery & Suspense"]
    assert card["directors"] == ["Michael Mann"]
    assert card["theatrical_release"] == "1995-12-15" and card["dvd_release"] == "1999-07-29"
    assert card["studio"] == "Warner Bros. Pictures" and card["runtime_minutes"] == 170
    row = movie(
        "sql", "SELECT critic_count, top_critic_count, fresh_count, rotten_count FROM movies"
    )
    assert row.stdout == "72\t18\t63\t9\n"
    cast = movie("cast").stdout.splitlines()
    assert cast[0] == "Al Pacino\tLt. Vincent Hanna" and cast[-1] == "Danny Trejo\t"
    reviews = json.loads(movie("reviews", "-f", "json").stdout)
    assert reviews[1] == {
        "date": "1995-12-15",
        "critic": "Roger Ebert",
        "publication": "Chicago Sun-Times",
        "top_critic": True,
        "verdict": None,
        "score": "4/4",
        "quote": "It's a crime drama of uncommon ambition and grace.",
        "title_id": "heat-1995",
        "type": None,
    }
    assert reviews[0]["date"] == "1996-01-03" and reviews[0]["score"] == "2/5"
    audience = json.loads(movie("reviews", "--audience", "-f", "json").stdout)
    assert [(a["reviewer"], a["super_reviewer"]) for a in audience] == [
        ("Pat M", False),
        ("Super Fan", True),
    ]
    assert (
        audience[1]["text"]
        == "The bank robbery shootout is the best ever put on film.\n\nIt still holds up."
    )
    quotes = json.loads(movie("quotes", "-f", "json").stdout)
    assert quotes[1]["character"] == "Vincent Hanna"
    assert quotes[1]["line"] == "Don't waste my time!\nNeil McCauley: I'm not."


def test_real_consensus_directors_and_an_empty_label(imported, movie, empty_catalog):
    imported(PAGES / "heat-1986.rt.txt")
    card = json.loads(movie("card", "-f", "json").stdout)
    assert card["directors"] == ["Dick Richards", "Jerry Jameson"]
    assert card["theatrical_release"] == "1987-03-13"
    assert card["dvd_release"] is None  # "On DVD:" with nothing after it
    assert card["rating"] == "R" and card["rating_reason"] is None
    assert card["consensus"] is None


def test_same_title_different_years_stay_two_movies(imported, movie, empty_catalog):
    imported(PAGES / "heat-1986.rt.txt")
    imported(PAGES / "heat-1995-later-generation.rt.txt")
    assert movie("sql", "SELECT slug FROM movies ORDER BY slug").stdout == "heat-1986\nheat-1995\n"


@pytest.mark.parametrize(
    "name",
    [
        "extra-blank-lines.rt.txt",
        "windows-line-endings.rt.txt",
        "byte-order-mark.rt.txt",
        "cp1252.rt.txt",
    ],
)
def test_layout_and_encoding_variations_give_the_seed(
    imported, movie, empty_catalog, tmp_path, name
):
    result = imported(PAGES / name)
    if name == "cp1252.rt.txt":
        assert "read it as Windows-1252 (cp1252)" in result.stderr
    else:
        assert result.stderr == ""
    movie("export", str(tmp_path / "out"))
    assert csv_files(tmp_path / "out") == csv_files(SEED)


def test_odd_field_values_are_kept_and_reported(imported, movie, empty_catalog):
    result = imported(PAGES / "odd-field-values.rt.txt")
    assert "On DVD 'sometime in 1998' is not a date" in result.stderr
    assert "Rating 'Rated R for adult situations' is not like" in result.stderr
    assert "Runtime 'about two hours'" in result.stderr
    card = json.loads(movie("card", "-f", "json").stdout)
    assert card["dvd_release"] == "sometime in 1998"
    assert card["rating"] == "Rated R for adult situations"


def test_a_device_or_an_endless_stdin_is_not_read_without_bound(seeded, tmp_path):
    result = movie_run("import", "/dev/urandom", db=seeded)
    assert result.returncode == ExitStatus.ERROR
    assert result.stderr == (
        "movie: /dev/urandom is a device, not a saved movie page; give a regular file\n"
    )
    big = "a" * (2 * 1024 * 1024 + 1)
    result = movie_run("import", "-", db=seeded, stdin=big, MOVIE_MAX_PAGE_MB="2")
    assert result.returncode == ExitStatus.ERROR
    assert "<stdin> is larger than 2 MB" in result.stderr
    assert "MOVIE_MAX_PAGE_MB" in result.stderr


def _page_with(tmp_path: Path, name: str, old: str, new: str, page: Path = SEED_PAGE) -> Path:
    text = page.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_numbers_too_large_for_sqlite_are_reported_and_left_out(movie, tmp_path):
    bigint = _page_with(
        tmp_path, "bigint.txt", "All Critics (48)", "All Critics (" + "9" * 40 + ")"
    )
    heat = FIXTURES / "pages" / "heat-1995-later-generation.rt.txt"
    runtime = _page_with(
        tmp_path, "runtime.txt", "Runtime: 2 hr. 50 min.", "Runtime: " + "9" * 30 + " min.", heat
    )
    result = movie(
        "import", str(bigint), str(runtime), str(SEED_PAGE), str(tmp_path / "missing.txt")
    )
    assert result.exit_code == ExitStatus.ERROR
    lines = result.stderr.splitlines()
    assert any("All Critics count '999" in line and "left out" in line for line in lines)
    assert any("Runtime '999" in line and "left out" in line for line in lines)
    assert lines[-1] == f"movie: {tmp_path / 'missing.txt'}: no such file"
    assert "internal error" not in result.stderr
    card = json.loads(movie("card", "Leaving Las Vegas", "-f", "json").stdout)
    assert card["critics"]["reviews"] == 48
    heat = json.loads(movie("card", "Heat (1995)", "-f", "json").stdout)
    assert heat["runtime_minutes"] is None and heat["critics"]["reviews"] == 72
