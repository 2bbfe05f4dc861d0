"""`movie import --imdb`: IMDb's seven dataset files, from hand-written fixtures with the real
headers and quirks (tests/fixtures/imdb), and what every command answers afterwards."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from helpers import (
    FIXTURES,
    ROOT,
    ctrl_c_changes_nothing,
    dump,
    file_digest,
    movie_process,
    movie_run,
    rows_in,
    rows_of,
    write_imdb,
)

from movie import catalog as catalog_module
from movie.errors import ExitStatus
from movie.read import choose, listings, movies
from movie.sources.imdb import HEADERS
from movie.tables import IMDB_MOVIE_COLUMNS

IMDB = FIXTURES / "imdb"


@pytest.fixture
def imdb_catalog(imported, seeded):
    """The seed catalog (Leaving Las Vegas from its page) with every fixture file imported: the
    import's result."""
    return imported("--imdb", IMDB)


def test_import_reports_every_oddity_with_an_example(imdb_catalog):
    warnings = imdb_catalog.stderr
    assert "3 numbers that could not be read (left empty), e.g. 'numVotes abc'" in warnings
    assert "1 lines with the wrong number of fields (skipped)" in warnings
    assert "ids that are not IMDb ids (skipped), e.g. 'title.basics: tx0000001'" in warnings
    assert "4 rows of titles that are not in title.basics (skipped)" in warnings
    assert "1 people credited but not in name.basics (kept, shown by their id)" in warnings
    assert "character lists that are not JSON arrays (kept as text), e.g. '[Broken'" in warnings
    assert "1 duplicate rows (skipped)" in warnings
    assert "Traceback" not in warnings


def test_titles_by_id_and_cast_in_billing_order(movie, imdb_catalog):
    """Rows of one title come unsorted by ordering; the cast is shown in billing order, a bare
    quote and escaped quotes survive."""
    result = movie("cast", "tt0113277")
    assert result.stdout.splitlines()[:3] == [
        "Al Pacino\tLt. Vincent Hanna",
        "Robert De Niro\tNeil McCauley",
        'John Smith\tFrank "The Tank" Jones',
    ]
    assert movie("card", "tt0000009").stdout.startswith('title\t"Swing it" magistern\n')
    missing = movie("cast", "tt0000001")
    assert missing.exit_code == ExitStatus.ERROR
    assert "no title in the catalog has the IMDb id tt0000001" in missing.stderr


def test_a_shared_title_picks_the_only_film_else_lists_the_best_known(movie, imdb_catalog):
    # "Heat (1995)" is a movie and a Simpsons episode: the film is meant.
    assert movie("cast", "Heat (1995)").stdout.startswith("Al Pacino\t")
    # "Heat" alone is two films: listed best-known first, with year, type and votes.
    several = movie("cast", "heat")
    assert several.exit_code == ExitStatus.ERROR
    assert (
        "'heat' matches 2 titles: Heat (1995; movie; 712,345 votes), Heat (1986; movie; "
        "4,120 votes); add the year, e.g. 'Heat (1995)', or use --year, or the IMDb id, e.g. "
        "tt0113277"
    ) in several.stderr


def test_an_alternate_title_finds_its_film(movie, imdb_catalog):
    for typed in ("Le fabuleux destin d'Amélie Poulain", "die fabelhafte welt der amelie"):
        result = movie("card", typed)
        assert result.exit_code == ExitStatus.OK, result.stderr
        assert result.stdout.startswith("title\tAmélie\nyear\t2001\n")
    fields = dict(line.split("\t", 1) for line in movie("card", "Amélie").stdout.splitlines())
    assert fields["original_title"] == "Le fabuleux destin d'Amélie Poulain"
    assert fields["imdb"] == "8.3/10 from 800,102 votes (tt0211915)"
    conn = sqlite3.connect(movie_db())
    # Every row IMDb gives, the primary title's and spellings that fold the same included.
    assert conn.execute("SELECT count(*) FROM akas WHERE movie_id = 211915").fetchone()[0] == 4
    conn.close()


def movie_db():

    return os.environ["MOVIE_DB"]


def test_a_page_movie_becomes_its_imdb_title_and_keeps_its_cast(movie, imdb_catalog):
    """Leaving Las Vegas came from its page; IMDb fills what the page lacked (director,
    rating, id) and the page's 36-strong cast stays, Nicolas Cage linked to nm0000115."""
    fields = movie("card", "Leaving Las Vegas").stdout.splitlines()
    assert "directed_by\tMike Figgis" in fields
    assert "imdb\t7.5/10 from 130,211 votes (tt0113627)" in fields
    assert "rating\tR (adult situations/language, sex)" in fields  # the page's, kept
    assert len(movie("cast", "tt0113627").stdout.splitlines()) == 36
    assert movie("movies").stdout.count("Leaving Las Vegas") == 1
    for typed in ("Nicolas Cage", "nm0000115"):
        credits = movie("person", typed).stdout.splitlines()
        assert credits[0] == "actor\tLeaving Las Vegas\t1995\tBen Sanderson\ttt0113627\tmovie"
        assert sum(line.startswith("actor\t") for line in credits) == 1
    figgis = movie("person", "Mike Figgis").stdout.splitlines()
    tail = "\t\ttt0113627\tmovie"
    assert "writer\tLeaving Las Vegas\t1995" + tail in figgis  # the page's credit, linked
    assert "director\tLeaving Las Vegas\t1995" + tail in figgis  # IMDb's, filling a gap
    assert "composer\tLeaving Las Vegas\t1995" + tail in figgis


def test_namesakes_stay_two_people(movie, imdb_catalog):
    both = movie("person", "John Smith")
    assert both.exit_code == ExitStatus.ERROR
    assert (
        "2 people are named 'John Smith': John Smith (nm0810001; 1930-2001; Heat (1995)), "
        "John Smith (nm0810002; 1975-; The Simpsons (1989), Bart the Genius (1990)); use the "
        "IMDb id, e.g. `movie person nm0810001`"
    ) in both.stderr
    assert (
        movie("person", "nm0810002").stdout
        == "self\tThe Simpsons\t1989\tSelf\ttt0096697\ttvSeries\n"
    )
    homer = movie("person", "Dan Castellaneta").stdout.splitlines()
    assert (
        'actor\tThe Simpsons S1E2 "Bart the Genius"\t1990\tHomer Simpson\ttt0701063\ttvEpisode'
        in homer
    )
    assert movie("person", "nm0810001").stdout.startswith("actor\tHeat\t1995\tFrank")


def test_a_part_of_a_name_and_a_typo(movie, imdb_catalog):
    assert movie("person", "castellan").stdout.startswith("actor\tThe Simpsons\t1989\tHomer")
    typo = movie("person", "Dan Castelaneta")
    assert typo.exit_code == ExitStatus.ERROR and "did you mean Dan Castellaneta?" in typo.stderr
    misspelt = movie("card", "Leaving Las Vehas")
    assert "did you mean Leaving Las Vegas (1995)?" in misspelt.stderr


def test_every_character_of_a_credit_is_found_through_either_name(movie, imdb_catalog):
    for name in ("jekyll", "HYDE"):
        result = movie("cast", "--all", "--character", name)
        assert result.stdout == (
            "Dr. Jekyll and Mr. Hyde (1920)\tJohn Barrymore\tDr. Henry Jekyll / Mr. Edward Hyde\n"
        )
    assert movie("cast", "The Simpsons").stdout.splitlines()[0] == (
        "Dan Castellaneta\tHomer Simpson / Abe Simpson / Barney Gumble"
    )


def test_a_person_name_basics_lacks_is_shown_by_id(movie, imdb_catalog):
    conn = sqlite3.connect(movie_db())
    conn.execute("DELETE FROM people WHERE id = 199")  # as a partial extract would have it
    conn.commit()
    conn.close()
    assert movie("cast", "tt0113277").stdout.startswith("nm0000199\tLt. Vincent Hanna\n")


def test_episodes_in_order_and_series_cards(movie, imdb_catalog):
    assert movie("episodes", "The Simpsons", "--header").stdout.splitlines() == [
        "season\tepisode\ttitle\tyear\timdb_rating\tvotes\timdb_id",
        "1\t1\tSimpsons Roasting on an Open Fire\t1989\t8.1\t6100\ttt0348034",
        "1\t2\tBart the Genius\t1990\t7.9\t\ttt0701063",
        "6\t12\tHeat\t1995\t7.0\t2500\ttt0701228",
    ]
    assert movie("episodes", "tt0096697", "--season", "6").stdout.count("\n") == 1
    series = movie("card", "The Simpsons").stdout.splitlines()
    assert "seasons\t3 episodes in 2 seasons" in series
    assert "type\ttvSeries" in series
    episode = movie("card", "Bart the Genius").stdout.splitlines()
    assert "episode_of\tThe Simpsons (1989), season 1, episode 2" in episode
    orphan = movie("card", "Lost Episode").stdout.splitlines()
    assert "episode_of\ttt7777777" in orphan  # its series is not in the files
    not_a_series = movie("episodes", "Amélie")
    assert not_a_series.exit_code == ExitStatus.ERROR
    assert "Amélie (2001) has no episodes in the catalog" in not_a_series.stderr


def test_movies_by_type_votes_and_rating(movie, imdb_catalog):
    by_votes = movie("movies", "--type", "movie", "--sort", "votes", "-n", "3").stdout
    assert [line.split("\t")[0] for line in by_votes.splitlines()] == [
        "Amélie",
        "Heat",
        "Leaving Las Vegas",
    ]
    top = movie("movies", "--sort", "rating", "-n", "1").stdout.split("\t")
    assert top[0] == "The Simpsons" and top[-2:] == ["8.7", "421000\n"]
    bad = movie("movies", "--type", "film")
    assert bad.exit_code == ExitStatus.USAGE and "unknown title type film" in bad.stderr


def test_japanese_title_keeps_its_columns(movie, imdb_catalog):
    shown = movie("card", "tt4536608", "-f", "json").stdout
    assert "ゾンビマックス！怒りのデス・ゾンビ" in shown


def test_importing_the_same_files_again_changes_nothing(movie, imdb_catalog):
    before = dump(movie_db(), with_fts=False)
    again = movie("import", "--imdb", str(IMDB))
    assert again.exit_code == ExitStatus.OK, again.stderr
    assert dump(movie_db(), with_fts=False) == before


def test_title_basics_alone_leaves_ratings_and_episodes_as_they_are(movie, imdb_catalog, tmp_path):
    """A newer title.basics imported alone updates the titles, and keeps what title.ratings and
    title.episode gave them (it once emptied both)."""
    query = "SELECT id, imdb_rating, imdb_votes, series_id, season, episode FROM movies"
    before = rows_of(query)
    assert any(row[2] for row in before) and any(row[3] for row in before)
    alone = tmp_path / "alone"
    alone.mkdir()
    basics = (IMDB / "title.basics.tsv").read_text(encoding="utf-8")
    (alone / "title.basics.tsv").write_text(basics.replace("Heat\tHeat", "Heat\tHeat (new)"))
    assert movie("import", "--imdb", str(alone)).exit_code == ExitStatus.OK
    assert rows_of(query) == before
    assert "712,345 votes" in movie("card", "tt0113277").stdout


def test_a_newer_dump_updates_in_place(movie, imdb_catalog, tmp_path):
    newer = tmp_path / "newer"
    shutil.copytree(IMDB, newer)
    ratings = newer / "title.ratings.tsv"
    ratings.write_text(
        ratings.read_text(encoding="utf-8").replace("712345", "712999"), encoding="utf-8"
    )
    principals = newer / "title.principals.tsv"
    lines = principals.read_text(encoding="utf-8").splitlines(keepends=True)
    principals.write_text("".join(line for line in lines if "Neil McCauley" not in line))
    assert movie("import", "--imdb", str(newer)).exit_code == ExitStatus.OK
    assert "712,999 votes" in movie("card", "tt0113277").stdout
    assert "De Niro" not in movie("cast", "tt0113277").stdout
    assert len(movie("cast", "tt0113627").stdout.splitlines()) == 36  # the page's, untouched


def test_compressed_files_read_as_streams(movie, tmp_path, seeded):
    packed = tmp_path / "packed"
    packed.mkdir()
    for path in IMDB.iterdir():
        with gzip.open(packed / f"{path.name}.gz", "wb") as out:
            out.write(path.read_bytes())
    plain = tmp_path / "plain.db"
    zipped = tmp_path / "zipped.db"
    shutil.copy(seeded, plain)
    shutil.copy(seeded, zipped)
    assert movie("--db", str(plain), "import", "--imdb", str(IMDB)).exit_code == ExitStatus.OK
    assert movie("--db", str(zipped), "import", "--imdb", str(packed)).exit_code == ExitStatus.OK
    assert dump(plain, with_fts=False) == dump(zipped, with_fts=False)


def test_any_subset_of_files_works(movie, tmp_path, seeded):
    only = tmp_path / "basics"
    only.mkdir()
    shutil.copy(IMDB / "title.basics.tsv", only)
    assert movie("import", "--imdb", str(only)).exit_code == ExitStatus.OK
    assert "imdb\ttt0113277" in movie("card", "Heat (1995)").stdout
    later = tmp_path / "ratings"
    later.mkdir()
    shutil.copy(IMDB / "title.ratings.tsv", later)
    result = movie("import", "--imdb", str(later))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert "8.3/10 from 712,345 votes" in movie("card", "Heat (1995)").stdout


def test_smaller_catalogs_by_type_and_votes(movie, seeded):
    result = movie(
        "import", "--imdb", str(IMDB), "--types", "movie,tvseries", "--min-votes", "5000"
    )
    assert result.exit_code == ExitStatus.OK, result.stderr
    titles = movie("sql", "SELECT title_type, count(*) FROM movies GROUP BY 1 ORDER BY 1").stdout
    assert titles == "movie\t4\ntvSeries\t1\n"  # Heat (1986) has 4,120 votes; the seed merged
    people = movie("sql", "SELECT count(*) FROM people").stdout
    assert people == "13\n"  # only the people credited on a title kept
    assert movie("import", "--types", "movie").exit_code == ExitStatus.USAGE


def test_a_file_that_is_not_imdbs_is_refused_before_anything_is_written(movie, tmp_path, seeded):
    wrong = tmp_path / "wrong"
    shutil.copytree(IMDB, wrong)
    (wrong / "title.crew.tsv").write_text("tconst\tdirector\twriters\ntt0113277\t\\N\t\\N\n")
    before = file_digest(seeded)
    result = movie("import", "--imdb", str(wrong))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.count("\n") == 1
    assert "title.crew.tsv is not IMDb's title.crew file" in result.stderr
    assert file_digest(seeded) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    none = movie("import", "--imdb", str(empty))
    assert (
        none.exit_code == ExitStatus.ERROR and "holds none of IMDb's dataset files" in none.stderr
    )
    # A file cut short fails half-way through, inside the import's transaction: rolled back.
    contents = dump(seeded)
    cut = tmp_path / "cut"
    cut.mkdir()
    data = gzip.compress((IMDB / "title.basics.tsv").read_bytes())
    (cut / "title.basics.tsv.gz").write_bytes(data[: len(data) // 2])
    short = movie("import", "--imdb", str(cut))
    assert short.exit_code == ExitStatus.ERROR and "could not be read to the end" in short.stderr
    assert dump(seeded) == contents


def test_lookups_read_indexes_not_tables(imdb_catalog):
    """At 12M titles and 100M credits every command's queries must use an index: no SCAN of a
    table in any plan (a scan of the trigram index's rows is a lookup in it, and a scan in a
    partial index's order stops at the LIMIT)."""
    conn = catalog_module.open_catalog(
        catalog_module.catalog_path(movie_db()), lambda m: None, write=True
    )
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        heat = choose.find_movie(conn, "tt0113277")
        list(listings.cast_of(conn, heat).rows)
        choose.find_movie(conn, "Heat (1995)")
        choose.find_movie(conn, "Le fabuleux destin d'Amélie Poulain")
        with pytest.raises(Exception, match="did you mean"):
            choose.find_movie(conn, "Leaving Las Vehas")
        list(listings.person_credits(conn, "Nicolas Cage").rows)
        list(listings.person_credits(conn, "nm0000134").rows)
        list(listings.episodes_of(conn, choose.find_movie(conn, "The Simpsons")).rows)
        list(movies.catalog_movies(conn, "votes", 20, ["movie"]).rows)
        list(movies.catalog_movies(conn, "rating", 20).rows)
        list(listings.akas_of(conn, heat, "es", "es").rows)
        from movie.read.card import card_of

        card_of(conn, heat)
    finally:
        conn.set_trace_callback(None)
    checked = 0
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT") or "?" in sql:
            continue
        plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        # A scan in an index's order stops at the LIMIT (the rated titles, by votes).
        scans = re.findall(r"SCAN ([\w.]+)( VIRTUAL TABLE| USING (?:COVERING )?INDEX)?", plan)
        tables = [name for name, indexed in scans if not indexed and name != "CONSTANT"]
        assert not tables, (sql, plan)
        checked += 1
    assert checked >= 15
    conn.close()


@pytest.fixture(scope="module")
def small_imdb(tmp_path_factory):
    """All seven files at scale 0.003 (600,000 rows): an import that takes a few seconds."""
    data = tmp_path_factory.mktemp("imdb")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_imdb.py"), str(data), "--scale", "0.003"],
        check=True, stdout=subprocess.DEVNULL, timeout=300,
    )  # fmt: skip
    return data


@pytest.mark.slow
def test_imdb_import_killed_at_random_moments(seeded, tmp_path, small_imdb):
    """Kill -9 at any moment of an import into an existing catalog: the catalog is as before,
    or has every file's rows."""
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    before = dump(pristine)
    finished = tmp_path / "finished.db"
    shutil.copy(pristine, finished)
    started = time.monotonic()
    done = movie_run("import", "--imdb", str(small_imdb), db=finished)
    assert done.returncode == ExitStatus.OK, done.stderr
    duration = time.monotonic() - started
    titles = sqlite3.connect(finished).execute("SELECT count(*) FROM movies").fetchone()[0]
    rng = random.Random(31)
    outcomes = {"old": 0, "new": 0}
    for attempt in range(6):
        victim = tmp_path / f"victim-{attempt}.db"
        shutil.copy(pristine, victim)
        process = movie_process("import", "--imdb", str(small_imdb), db=victim)
        time.sleep(rng.uniform(0.2, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        conn = sqlite3.connect(victim)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT count(*) FROM movies").fetchone()[0]
        conn.close()
        assert count in (1, titles), count
        if count == 1:
            assert dump(victim) == before
            outcomes["old"] += 1
        else:
            outcomes["new"] += 1
    assert outcomes["old"] > 0


@pytest.mark.slow
def test_ctrl_c_during_an_imdb_import_exits_130_and_changes_nothing(seeded, small_imdb):
    ctrl_c_changes_nothing(["import", "--imdb", str(small_imdb)], seeded)


def test_export_writes_imdb_credits_by_name_and_loads_back(movie, imdb_catalog, tmp_path):
    out = tmp_path / "out"
    assert movie("export", str(out), "tt0113277").exit_code == ExitStatus.OK
    cast = (out / "cast.csv").read_text(encoding="utf-8").splitlines()
    assert cast[1] == "tt0113277,1,Al Pacino,Lt. Vincent Hanna,0,actor,199"
    fresh = tmp_path / "fresh.db"
    loaded = movie("--db", str(fresh), "load", str(out))
    assert loaded.exit_code == ExitStatus.OK, loaded.stderr
    assert movie("--db", str(fresh), "cast", "Heat").stdout.startswith("Al Pacino\t")


def test_progress_on_a_terminal_names_the_file_and_the_time_left(seeded):
    """stderr on a terminal gets a progress line (file, rows, rows/s, time left); piped, none."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "movie", "import", "--imdb", str(IMDB)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "MOVIE_DB": str(seeded)},
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    assert process.returncode == ExitStatus.OK, text
    assert re.search(r"Importing (title|name)\.\w+: [\d,]+ rows", text), text
    assert "Imported 12 titles, 13 people and 17 credits from 7 IMDb files" in text
    piped = movie_run("import", "--imdb", str(IMDB), db=seeded)
    assert "Importing" not in piped.stderr and "rows/s" not in piped.stderr
    assert all(line.startswith("movie: warning: ") for line in piped.stderr.splitlines())


def test_progress_estimates_the_time_left():
    import io

    from movie.output import Progress

    out = io.StringIO()
    progress = Progress("Importing", out)
    progress.started -= 30  # 30 s in, a quarter done: 90 s to go
    progress.share("title.principals", 1_000_000, 0.25)
    assert "Importing title.principals: 1,000,000 rows, about 1:30 left" in out.getvalue()
    first = progress.shown
    progress.clock = lambda: first + 2  # two seconds and a million rows later
    progress.share("title.principals", 2_000_000, 0.5)
    assert "500,000 rows/s" in out.getvalue()


def basics(tconst: str, title: str = "A Film", genres: str = "Drama") -> str:
    return f"{tconst}\tmovie\t{title}\t{title}\t0\t1999\t\\N\t90\t{genres}"


def test_long_and_odd_ids_are_bad_ids_and_cost_no_memory(tmp_path):
    """tt9999999999 (10 digits) is an id; 11 or 20 digits, tt², tt٣ and tt0 are bad ids; none
    grows a bitmap to gigabytes (the import's peak memory stays small)."""
    import tracemalloc

    from movie import catalog
    from movie.records import Report
    from movie.sources.imdb import find_files
    from movie.writer.imdb import import_imdb

    folder = write_imdb(
        tmp_path / "ids",
        title_basics=[
            basics("tt0000001", "One"),
            basics("tt9999999999", "Ten Digits"),
            basics("tt99999999999", "Eleven Digits"),
            basics("tt" + "9" * 20, "Twenty Digits"),
            basics("tt\u00b2", "Superscript"),
            basics("tt\u0663", "Arabic-Indic"),
            basics("tt0000000", "Zero"),
        ],
        title_principals=[
            'tt0000001\t1\tnm9999999999\tactor\t\\N\t["Far"]',
            'tt9999999999\t1\tnm0000002\tactress\t\\N\t["Near"]',
            "tt0000001\t2\tnm\u0663\tactor\t\\N\t\\N",
            "tt0000001\t3\tnm0000003\tactor\t\\N\t\\N",
            "tt0000001\t\u00b2\tnm0000004\tactor\t\\N\t\\N",
        ],
        name_basics=["nm9999999999\tFar Away\t\\N\t\\N\tactor\t\\N"],
    )
    db = tmp_path / "ids.db"
    conn = catalog.open_catalog(db, lambda m: None, write=True)
    report = Report()
    tracemalloc.start()
    try:
        import_imdb(conn, find_files(folder), report)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        conn.close()
    assert peak < 200 * 1024 * 1024, peak  # 2.4 GB before
    titles = (
        sqlite3.connect(db)
        .execute("SELECT id, title FROM movies WHERE title_type IS NOT NULL ORDER BY id")
        .fetchall()
    )
    assert titles == [(1, "One"), (9999999999, "Ten Digits")]
    assert report.counts["bad_ids"] == 6  # 5 titles, one person
    assert report.counts["odd_numbers"] == 1  # the ordering ²
    cast = (
        sqlite3.connect(db)
        .execute("SELECT movie_id, person_id FROM cast_credits WHERE person_id IS NOT NULL")
        .fetchall()
    )
    assert sorted(cast) == [(1, 3), (1, 9999999999), (9999999999, 2)]


def test_a_gzip_bomb_without_line_breaks_is_refused_quickly(movie, seeded, tmp_path):
    folder = tmp_path / "bomb"
    folder.mkdir()
    header = "\t".join(HEADERS["title.ratings"].split()) + "\n"
    with gzip.open(folder / "title.ratings.tsv.gz", "wb", compresslevel=9) as out:
        out.write(header.encode())
        zeros = b"0" * (1 << 20)
        for _ in range(40):  # 40 MB of one line, 40 KB compressed
            out.write(zeros)
    before = dump(seeded)
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert "has a line longer than 1 MB (real lines are a few KB); nothing was imported" in (
        result.stderr
    )
    assert result.stderr.count("\n") == 1
    assert dump(seeded) == before


def test_ratings_out_of_range_are_reported_and_left_out(movie, seeded, tmp_path):
    folder = write_imdb(
        tmp_path / "ratings",
        title_basics=[basics(f"tt000000{n}", f"Film {n}") for n in range(1, 8)],
        title_ratings=[
            "tt0000001\tinf\t10",
            "tt0000002\tinf\t10",
            "tt0000003\tnan\t10",
            "tt0000004\t1e308\t10",
            "tt0000005\t-3\t10",
            "tt0000006\t0.5\t10",
            "tt0000007\t7.5\t-4",
        ],
    )
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.OK, result.stderr
    # Six ratings outside 1-10 and the votes of -4.
    assert "7 numbers that could not be read (left empty), e.g. 'averageRating inf'" in (
        result.stderr
    )
    assert rows_of("SELECT count(*) FROM movies WHERE imdb_rating IS NOT NULL") == [(1,)]
    assert rows_of("SELECT imdb_rating, imdb_votes FROM movies WHERE id = 7") == [(7.5, None)]
    chart = movie("chart", "catalog", "--by", "genre")
    assert chart.exit_code in (ExitStatus.OK, ExitStatus.ERROR)
    assert "Traceback" not in chart.stderr


def test_odd_imdb_values_are_reported_with_an_example(movie, seeded, tmp_path):
    folder = write_imdb(
        tmp_path / "odd",
        title_basics=[
            basics("tt0000000", "Zero"),
            basics("tt0000001", "First"),
            basics("tt0000001", "First Again"),
            basics("tt0000002", "\\N").replace("\t\\N\t0\t", "\tOriginal Two\t0\t", 1),
            basics("tt0000003", ""),
        ],
        title_akas=[
            "tt0000001\t1\tPremier\tFR\t\\N\t\\N\t\\N\t0",
            "tt0000001\t\u00b2\tSquared\tDE\t\\N\t\\N\t\\N\t0",
        ],
    )
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.OK, result.stderr
    warnings = result.stderr
    assert "1 ids that are not IMDb ids (skipped), e.g. 'title.basics: tt0000000'" in warnings
    assert "1 titles given twice in title.basics (the last line kept), e.g. " in warnings
    assert "'title.basics: tt0000001'" in warnings
    assert "2 titles with no primary title (named by their original title or id)" in warnings
    assert "title.akas ordering \u00b2" in warnings
    titles = rows_of("SELECT id, title FROM movies WHERE id < 10 ORDER BY id")
    assert titles == [(1, "First Again"), (2, "Original Two"), (3, "tt0000003")]
    assert rows_of("SELECT title FROM akas") == [("Premier",)]


def test_a_value_a_file_leaves_out_is_null_in_every_column(movie, seeded, tmp_path):
    """\\N is stored as NULL wherever it stands (never the text \\N, never a number): the
    import's rows hold a NaN for it (quicker to bind than None), which SQLite stores as NULL."""
    folder = write_imdb(
        tmp_path / "gaps",
        title_basics=[
            "tt0000001\tmovie\tGaps\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
            "tt0000002\ttvEpisode\tPart One\tPart One\t0\t2001\t\\N\t\\N\tDrama",
        ],
        title_episode=["tt0000002\ttt0000001\t\\N\t\\N"],
        title_crew=["tt0000001\tnm0000002\t\\N"],
        title_principals=[
            "tt0000001\t1\tnm0000001\tactor\t\\N\t\\N",
            "tt0000001\t2\tnm0000002\tdirector\t\\N\t\\N",
            "tt0000001\t3\tnm0000003\tproducer\t\\N\t\\N",
        ],
        name_basics=[f"nm000000{n}\tPerson {n}\t\\N\t\\N\t\\N\t\\N" for n in (1, 2, 3)],
    )
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.OK, result.stderr
    empty = (*(c for c in IMDB_MOVIE_COLUMNS if c != "title_type"), "year", "runtime_minutes")
    types = ", ".join(f"typeof({c})" for c in empty)
    assert rows_of(f"SELECT {types} FROM movies WHERE id = 1") == [("null",) * len(empty)]
    episode = "SELECT series_id, typeof(season), typeof(episode), typeof(runtime_minutes)"
    assert rows_of(f"{episode} FROM movies WHERE id = 2") == [(1, "null", "null", "null")]
    people = "typeof(birth_year), typeof(death_year), typeof(professions), typeof(known_for)"
    assert rows_of(f"SELECT DISTINCT {people}, typeof(fame) FROM people WHERE id < 10") == [
        ("null",) * 5
    ]
    assert rows_of("SELECT person_id, typeof(character) FROM cast_credits WHERE movie_id = 1") == [
        (1, "null")
    ]
    assert rows_of("SELECT role, typeof(job) FROM crew WHERE movie_id = 1 ORDER BY role") == [
        ("director", "null"),
        ("producer", "null"),
    ]


def test_sqlite_stores_a_nan_bound_to_a_statement_as_null():
    """What the import's MISSING rests on, held to the SQLite this Python has."""
    from movie.writer.common import MISSING

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, a, n INTEGER NOT NULL DEFAULT 0)")
    conn.execute("INSERT INTO t (i, r, s, a) VALUES (?, ?, ?, ?)", (MISSING,) * 4)
    found = conn.execute("SELECT typeof(i), typeof(r), typeof(s), typeof(a) FROM t").fetchall()
    assert found == [("null",) * 4]
    with pytest.raises(sqlite3.IntegrityError):  # a NOT NULL column refuses it as NULL
        conn.execute("INSERT INTO t (n) VALUES (?)", (MISSING,))


def test_bad_ids_among_a_titles_rows_are_each_reported(movie, seeded, tmp_path):
    """A title's rows come together, so its id is checked once for them all: an empty, a zero
    or a foreign id before, between or after them is still noted, row by row."""
    folder = write_imdb(
        tmp_path / "ids",
        title_basics=[basics("tt0000001", "First"), basics("tt0000002", "Second")],
        title_akas=[
            "\t1\tNone\tFR\t\\N\t\\N\t\\N\t0",
            "tt0000001\t1\tPremier\tFR\t\\N\t\\N\t\\N\t0",
            "tt0000000\t2\tZero\tFR\t\\N\t\\N\t\\N\t0",
            "tt0000001\t2\tErster\tDE\t\\N\t\\N\t\\N\t0",
        ],
        title_principals=[
            '\t1\tnm0000001\tactor\t\\N\t["A"]',
            'tt0000001\t1\tnm0000001\tactor\t\\N\t["A"]',
            'tt0000001\t2\tnm0000000\tactor\t\\N\t["B"]',
            'tt0000000\t1\tnm0000002\tactor\t\\N\t["C"]',
            'tt0000002\t1\tnm0000002\tactress\t\\N\t["D"]',
            'tt0000002\t2\tnm0000003\tactress\t\\N\t["E"]',
        ],
    )
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert "5 ids that are not IMDb ids (skipped)" in result.stderr
    assert rows_of("SELECT movie_id, position, title FROM akas ORDER BY 1, 2") == [
        (1, 1, "Premier"),
        (1, 2, "Erster"),
    ]
    assert rows_of("SELECT movie_id, character FROM cast_credits WHERE movie_id < 10") == [
        (1, "A"),
        (2, "D"),
        (2, "E"),
    ]


def test_readers_never_wait_for_an_imdb_import_and_the_catalog_stays_in_wal(seeded, tmp_path):
    """During an import into an existing catalog every read answers at once (no busy timeout
    to wait out), from the catalog as it was; afterwards the catalog is still in WAL mode."""
    from helpers import movie_process
    from test_imdb_merge import make_files

    folder = make_files(tmp_path / "big", 40_000, 0)
    process = movie_process("import", "--imdb", str(folder), db=seeded, MOVIE_BUSY_TIMEOUT="0")
    reads = 0
    while process.poll() is None:
        # A moment's retry is SQLite's own (a reader may meet the log mid-update); a reader
        # waiting for the import would wait the whole import, and fail here.
        reader = sqlite3.connect(f"file:{seeded}?mode=ro", uri=True, timeout=0.5)
        try:
            mode = reader.execute("PRAGMA journal_mode").fetchone()[0]
            titles = reader.execute("SELECT count(*) FROM movies").fetchone()[0]
        finally:
            reader.close()
        assert mode == "wal" and titles in (1, 40_001), (mode, titles)
        reads += 1
    _, stderr = process.communicate()
    assert process.returncode == ExitStatus.OK, stderr
    assert reads > 3  # the import took long enough to be watched
    assert rows_in(seeded, "PRAGMA journal_mode") == [("wal",)]
    assert rows_in(seeded, "SELECT count(*) FROM movies") == [(40_001,)]


def test_the_card_shows_the_crew_by_role_and_every_id(movie, imdb_catalog):
    lines = movie("card", "tt0113627").stdout.splitlines()
    assert "directed_by\tMike Figgis" in lines
    assert "music_by\tMike Figgis" in lines  # a composer from title.principals
    assert "ids\ttt0113627, leaving-las-vegas-1995" in lines  # the seed's page movie, merged
    heat = movie("card", "tt0113277").stdout.splitlines()
    assert "produced_by\tMichael Mann" in heat and "ids\ttt0113277" in heat
    data = json.loads(movie("card", "tt0113277", "-f", "json").stdout)
    assert data["crew"] == {"producer": ["Michael Mann"]}
