"""Hardening, round two: what hostile or unlucky input broke in the IMDb import, HTML pages,
charts and upgrades. Each test failed before its fix (issue 19's items are named)."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import sqlite3
from pathlib import Path

import pytest
from helpers import dump

from movie.errors import ExitStatus
from movie.sources.imdb import HEADERS


def write_imdb(folder: Path, **files: list[str]) -> Path:
    """IMDb files (title_basics=[rows]) with their real headers."""
    folder.mkdir(exist_ok=True)
    for name, rows in files.items():
        name = name.replace("_", ".")
        header = "\t".join(HEADERS[name].split())
        (folder / f"{name}.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def basics(tconst: str, title: str = "A Film", genres: str = "Drama") -> str:
    return f"{tconst}\tmovie\t{title}\t{title}\t0\t1999\t\\N\t90\t{genres}"


def rows_of(sql: str) -> list[tuple]:
    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------- 2. long and odd ids


def test_long_and_odd_ids_are_bad_ids_and_cost_no_memory(tmp_path):
    """tt9999999999 (10 digits) is an id; 11 or 20 digits, tt², tt٣ and tt0 are bad ids; none
    grows a bitmap to gigabytes (the import's peak memory stays small)."""
    import tracemalloc

    from movie import catalog
    from movie.sources.imdb import find_files
    from movie.sources.records import Report
    from movie.writer_imdb import import_imdb

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


# ---------------------------------------------------------------- 3. a line without end


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


# ---------------------------------------------------------------- 9. ratings out of range


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


# ---------------------------------------------------------------- 19. odd values reported


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


# ---------------------------------------------------------------- pages (8, 15, 16, 17, 20)

HTML = Path(__file__).resolve().parent / "fixtures" / "html"


def page(title: str = "A Film (1999)", data: str = "", url: str = "m/a_film") -> bytes:
    """A small saved page of the 2024 layout, with schema.org data as given."""
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title} - Rotten Tomatoes</title>"
        f'<link rel="canonical" href="https://www.rottentomatoes.com/{url}">'
        f'<script type="application/ld+json">{data}</script></head><body>'
        '<media-scorecard><rt-text slot="criticsScore">50%</rt-text></media-scorecard>'
        "</body></html>"
    ).encode()


def test_json_ld_of_any_shape_is_read_defensively():
    from movie.sources.html_page import parse_html_page

    for data in ('{"@graph": 5}', '{"@graph": true}', '[{"@graph": "x"}, 7]', '{"@graph": {}}'):
        assert parse_html_page(page(data=data), "x.html").label == "A Film (1999)"
    shaped = (
        '{"@type":"Movie","name":"A Film","review":[5,{"reviewBody":3}],"actor":7,'
        '"director":{"name":["x"]},"genre":[1,null],"aggregateRating":[1],"character":"x"}'
    )
    assert parse_html_page(page(data=shaped), "x.html").label == "A Film (1999)"


def test_a_page_whose_address_now_shows_another_title_updates_its_film(movie, empty_catalog):
    first = tmp_page(empty_catalog.parent, "a.html", page("A Film (1999)"))
    renamed = tmp_page(empty_catalog.parent, "b.html", page("A Film, Renamed (2000)"))
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

    evil = page().replace(b"www.rottentomatoes.com", b"evil-rottentomatoes.com")
    with pytest.raises(MovieError, match=re.escape("is a saved page of evil-rottentomatoes.com")):
        parse_html_page(evil, "x.html")
    elsewhere = page().replace(b"https://www.rottentomatoes.com/m/a_film", b"https://x.org/a")
    with pytest.raises(MovieError, match=re.escape("is a saved page of x.org, not a Rotten")):
        parse_html_page(elsewhere, "x.html")
    sub = page().replace(b"www.rottentomatoes.com", b"editorial.rottentomatoes.com")
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
        read = parse_html_page(page(f"A Film ({year})"), "x.html")
        assert read.movie["year"] is None
        said = f"its title gives the year {year}, which no film has"
        assert any(said in warning for warning in read.warnings), read.warnings
        path = tmp_page(empty_catalog.parent, f"{year}.html", page(f"A Film ({year})"))
        result = movie("import", str(path))
        assert result.exit_code == ExitStatus.OK, result.stderr
        assert "which no film has" in result.stderr and "CHECK" not in result.stderr


def test_control_characters_never_reach_titles_and_names(movie, empty_catalog):
    data = (
        '{"@type":"Movie","name":"Evil\\u001b[2J Film\\u0007\\u202e",'
        '"actor":[{"name":"Bad\\u001b]0;owned\\u0007 Actor"}],"director":[{"name":"Di\\nrector"}]}'
    )
    path = tmp_page(empty_catalog.parent, "evil.html", page("Evil Film (1999)", data=data))
    result = movie("import", str(path))
    assert result.exit_code == ExitStatus.OK, result.stderr
    # ESC, BEL and the bidi override in the title, ESC and BEL in the name (the line break
    # in the director's name is white space, made one space as all white space is).
    assert "removed 5 control characters" in result.stderr
    assert rows_of("SELECT title FROM movies") == [("Evil [2J Film",)]
    assert rows_of("SELECT actor FROM cast_credits") == [("Bad ]0;owned Actor",)]
    assert rows_of("SELECT name FROM crew") == [("Di rector",)]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# ---------------------------------------------------------------- 12, 18, 21: options


def test_whole_number_options_are_bounded(movie):
    for args in (
        ("cast", "-n", str(2**63)),
        ("cast", "-y", str(2**63)),
        ("reviews", "--limit", str(2**64)),
        ("movies", "-n", "-1"),
        ("episodes", "x", "--season", str(2**63)),
        ("chart", "catalog", "-n", str(2**63)),
        ("chart", "career", "x", "-n", str(2**63)),
        ("import", "--imdb", ".", "--min-votes", str(2**63)),
    ):
        result = movie(*args)
        assert result.exit_code == ExitStatus.USAGE, (args, result.stderr)
        assert "is not in the range" in result.stderr and "Traceback" not in result.stderr


def test_time_limits_and_widths_are_clamped(movie, monkeypatch):
    for value in ("nan", "inf", "-1", "1e300"):
        result = movie("reviews", "--timeout", value)
        assert result.exit_code == ExitStatus.USAGE, value
        assert "--timeout takes seconds from 0 to 86400" in result.stderr
    monkeypatch.setenv("MOVIE_TIMEOUT", "nan")
    assert movie("reviews", "-s", "x").exit_code == ExitStatus.USAGE
    monkeypatch.delenv("MOVIE_TIMEOUT")
    from movie.db import busy_timeout
    from movie.output import Terminal

    monkeypatch.setenv("MOVIE_BUSY_TIMEOUT", "99999999999999")
    assert busy_timeout() == 3_600_000
    monkeypatch.setenv("MOVIE_BUSY_TIMEOUT", "-5")
    assert busy_timeout() == 0
    monkeypatch.setenv("COLUMNS", "1000000")

    class Tty:
        def isatty(self) -> bool:
            return True

    assert Terminal.detect(Tty()).width == 1000  # type: ignore[arg-type]


def test_an_empty_path_is_a_usage_error(movie, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (
        ("--db=", "cast"),
        ("import", ""),
        ("export", ""),
        ("import", "--imdb", ""),
        ("import", "--dataset", ""),
        ("load", ""),
    ):
        result = movie(*args)
        assert result.exit_code == ExitStatus.USAGE, (args, result.stderr)
        assert "needs a path" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


def test_messages_show_a_line_break_from_the_data_escaped(movie, empty_catalog, tmp_path):
    """A title from a CSV folder may hold any character, a line break too: a message quoting it
    stays one line."""
    folder = tmp_path / "csvs"
    folder.mkdir()
    from movie.tables import MOVIES

    columns = [c for c in MOVIES.columns if c not in MOVIES.optional]
    row = ["two-lines", '"Two\nLines\x1b[31m"', "1999"] + [""] * (len(columns) - 3)
    (folder / "movies.csv").write_text(",".join(columns) + "\n" + ",".join(row) + "\n")
    loaded = movie("load", str(folder))
    assert loaded.exit_code == ExitStatus.OK, loaded.stderr
    result = movie("use", "two-lines")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stderr == "Default movie: Two\\nLines\\x1b[31m (1999)\n"


# ---------------------------------------------------------------- 6. movie sql's own bounds

HEAVY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
    "SELECT sum(length(printf('%.*c', 99000000 - i, 'x'))) FROM n"
)  # each row one long C call: the progress handler hardly ever runs (200 s of work)


def test_a_query_of_few_costly_steps_stops_at_its_time_limit(seeded):
    from helpers import movie_process

    process = movie_process("sql", HEAVY, "--timeout", "1", db=seeded)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.ERROR, stderr
    assert stderr == (
        "movie: stopped after 1 s, the time limit; allow longer with --timeout SECONDS "
        "(0 for no limit) or MOVIE_TIMEOUT\n"
    )


def test_ctrl_c_stops_a_query_of_few_costly_steps(seeded):
    import signal
    import time

    from helpers import movie_process

    process = movie_process("sql", HEAVY, "--timeout", "0", db=seeded)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr == "movie: interrupted\n"


def test_no_value_a_query_makes_grows_past_100_mb(movie, seeded):
    blob = movie("sql", "SELECT length(randomblob(2000000000))")
    assert blob.exit_code == ExitStatus.ERROR
    assert blob.stderr == "movie: SQL error: string or blob too big\n"
    # printf gives up on a text over the limit: no value (NULL), not 300 MB.
    text = movie("sql", "SELECT length(printf('%.*c', 300000000, 'x'))")
    assert text.exit_code == ExitStatus.OK and text.stdout == "\n"


# ---------------------------------------------------------------- 1. load --rebuild


def test_rebuilds_in_the_same_second_keep_every_catalog_set_aside(movie, seeded, monkeypatch):
    import time

    monkeypatch.setattr(time, "strftime", lambda *a: "20261201-120000")  # one second, frozen
    sizes = []
    for round in range(3):
        conn = sqlite3.connect(seeded)
        conn.execute("INSERT INTO settings (key, value) VALUES (?, 'x')", (f"round {round}",))
        conn.commit()
        conn.close()
        sizes.append(dump(seeded))
        assert movie("load", "--rebuild").exit_code == ExitStatus.OK
    aside = sorted(
        p.name for p in seeded.parent.iterdir() if ".broken-" in p.name and p.name[-4] != "-"
    )  # the catalogs; each one's -wal and -shm went with it
    assert aside == [
        "catalog.db.broken-20261201-120000",
        "catalog.db.broken-20261201-120000-2",
        "catalog.db.broken-20261201-120000-3",
    ]
    kept = [dump(seeded.parent / name) for name in aside]
    assert kept == sizes  # each one as it was, none overwritten


def test_rebuild_waits_for_a_writer_and_never_moves_a_catalog_from_under_it(seeded):
    from helpers import movie_run

    writer = sqlite3.connect(seeded, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO settings (key, value) VALUES ('half', 'way')")
    try:
        result = movie_run("load", "--rebuild", db=seeded, MOVIE_BUSY_TIMEOUT="300")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.returncode == ExitStatus.ERROR
    assert "is busy: another movie is writing to it" in result.stderr
    assert not any(".broken-" in p.name for p in seeded.parent.iterdir())
    assert rows_of_db(seeded, "SELECT value FROM settings WHERE key = 'half'") == [("way",)]


def rows_of_db(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------- 5. pages that nest deep

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


# ---------------------------------------------------------------- 4. readers during an import


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
    assert rows_of_db(seeded, "PRAGMA journal_mode") == [("wal",)]
    assert rows_of_db(seeded, "SELECT count(*) FROM movies") == [(40_001,)]


# ---------------------------------------------------------------- 7, 13: upgrades


def v5_catalog(seeded: Path) -> Path:
    """The seed catalog as schema 5 left it (the full index of other titles)."""
    conn = sqlite3.connect(seeded)
    conn.executescript(
        "DROP INDEX akas_title_key; CREATE INDEX akas_title_key ON akas (title_key);"
        "PRAGMA user_version = 5;"
    )
    conn.close()
    return seeded


def test_an_upgrade_keeps_the_users_views_triggers_and_indexes(movie, tmp_path):
    """Schema 3 -> 6 rebuilds cast and crew under other names: a view over crew must still
    read crew afterwards (it was rewritten to a table the upgrade dropped), a broken view is
    kept as it was (it does not stop the upgrade), and the user's trigger and index stay."""
    import shutil

    db = tmp_path / "v3.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "catalog-v3.db", db)
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE VIEW my_crew AS SELECT * FROM crew;
        CREATE TABLE scratch (x);
        CREATE VIEW gone AS SELECT x FROM scratch;
        DROP TABLE scratch;
        CREATE TABLE my_log (what TEXT);
        CREATE TRIGGER my_movie_log AFTER INSERT ON movies BEGIN
            INSERT INTO my_log VALUES (NEW.title);
        END;
        CREATE INDEX my_cast_character ON cast_credits (character);
        """
    )
    crew_rows = conn.execute("SELECT count(*) FROM crew").fetchone()[0]
    conn.close()
    result = movie("--db", str(db), "sql", "SELECT count(*) FROM my_crew")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout == f"{crew_rows}\n"
    assert "Traceback" not in result.stderr
    names = {r[0] for r in rows_of_db(db, "SELECT name FROM sqlite_master")}
    assert {"my_crew", "my_movie_log", "my_cast_character", "gone"} <= names  # gone: as it was
    page = Path(__file__).parent / "fixtures" / "html" / "12-angry-men-2016.html"
    writes = movie("--db", str(db), "import", str(page))
    assert writes.exit_code == ExitStatus.OK, writes.stderr
    assert rows_of_db(db, "SELECT what FROM my_log") == [("12 Angry Men",)]  # still fires


def test_a_users_trigger_calling_an_unknown_function_fails_a_write_in_one_line(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.executescript(
        "CREATE TRIGGER odd AFTER INSERT ON movies BEGIN SELECT no_such_fn(NEW.title); END;"
    )
    conn.close()
    before = dump(seeded)
    page = Path(__file__).parent / "fixtures" / "html" / "heat-2024.html"
    result = movie("import", str(page))
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "something added to the catalog's schema does not work (no such function" in (
        result.stderr
    )
    assert dump(seeded) == before


def test_a_users_endless_trigger_never_runs_during_an_upgrade(movie, tmp_path):
    """Schema 4 -> 5 fills genre_scores: a user's trigger on it that never ends is set aside
    for the upgrade (and kept)."""
    import shutil

    db = tmp_path / "v4.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "catalog-v4.db", db)
    conn = sqlite3.connect(db)
    conn.executescript(
        """CREATE TABLE genre_scores (genre TEXT, title_type TEXT, score TEXT, titles INTEGER,
               total INTEGER, PRIMARY KEY (genre, title_type, score)) WITHOUT ROWID;
        CREATE TRIGGER endless AFTER INSERT ON genre_scores BEGIN
            SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
            SELECT i + 1 FROM n) SELECT i FROM n);
        END;"""
    )
    conn.close()
    result = movie("--db", str(db), "movies")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert rows_of_db(db, "PRAGMA user_version") == [(6,)]
    assert "endless" in {r[0] for r in rows_of_db(db, "SELECT name FROM sqlite_master")}


def test_an_upgrade_that_runs_too_long_stops_and_leaves_the_catalog_as_it_was(
    movie, seeded, monkeypatch
):
    from movie import schema

    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
    monkeypatch.setitem(schema.UPGRADES, 5, lambda conn: conn.execute(endless).fetchone())
    v5_catalog(seeded)
    before = dump(seeded)
    monkeypatch.setenv("MOVIE_TIMEOUT", "1")
    result = movie("cast", "-n", "1")
    assert result.exit_code == ExitStatus.ERROR
    assert "stopped after 1 s, the time limit" in result.stderr
    assert dump(seeded) == before


# ---------------------------------------------------------------- 10. CSV values checked


def test_csv_values_are_checked_against_their_type_and_range(movie, seeded, tmp_path):
    from movie.tables import MOVIES

    columns = list(MOVIES.columns)
    before = dump(seeded)
    for column, value, said in (
        ("imdb_rating", "abc", "imdb_rating 'abc' is not a number"),
        ("imdb_rating", "nan", "imdb_rating 'nan' is not a number"),
        ("imdb_rating", "11", "imdb_rating 11 is out of range (1 to 10)"),
        ("tomatometer", "-50", "tomatometer -50 is out of range (0 to 100)"),
        ("tomatometer", "99999", "tomatometer 99999 is out of range (0 to 100)"),
        ("audience_count", "-1", "audience_count -1 is out of range"),
        ("year", "1200", "year 1200 is out of range (1870 to 2200)"),
    ):
        folder = tmp_path / f"{column}-{value}"
        folder.mkdir()
        row = dict.fromkeys(columns, "")
        row.update(slug="odd-film-1999", title="Odd Film", year="1999")
        row[column] = value
        (folder / "movies.csv").write_text(
            ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"
        )
        result = movie("load", str(folder))
        assert result.exit_code == ExitStatus.ERROR, (column, value)
        assert f"movies.csv, line 2: {said}" in result.stderr, result.stderr
        assert dump(seeded) == before
    good = tmp_path / "good"
    good.mkdir()
    row = dict.fromkeys(columns, "")
    row.update(slug="fine-1999", title="Fine", year="1999", imdb_rating="7.5", tomatometer="100")
    (good / "movies.csv").write_text(
        ",".join(columns) + "\n" + ",".join(row[c] for c in columns) + "\n"
    )
    assert movie("load", str(good)).exit_code == ExitStatus.OK
    assert rows_of_db(
        seeded, "SELECT typeof(imdb_rating) FROM movies WHERE slug = 'fine-1999'"
    ) == [("real",)]
