"""What a hostile or unlucky user could break: each test here failed before its fix (issue 9)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import (
    AS_USER,
    FIXTURES,
    ROOT,
    SEED,
    dump,
    file_digest,
    movie_process,
    movie_run,
    seed_copy,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from movie import dates, interrupts
from movie.db import write_transaction
from movie.errors import ExitStatus
from movie.sources import text_page as pages

PAGE = FIXTURES / "leaving-las-vegas.rt.txt"
FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


# ---------------------------------------------------------------- data that is not the catalog


def test_a_fifo_as_the_catalog_is_refused_and_left_alone(movie, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path / "link-to-fifo"):
        if path != fifo:
            path.symlink_to(fifo)
        result = movie("--db", str(path), "cast")
        assert result.exit_code == ExitStatus.ERROR
        assert "named pipe (FIFO), not a catalog file" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert fifo.is_fifo()


def test_a_device_as_the_catalog_is_refused(movie, tmp_path):
    before = os.stat("/dev/null")
    result = movie("--db", "/dev/null", "cast")
    assert result.exit_code == ExitStatus.ERROR
    assert "/dev/null is a device, not a catalog file" in result.stderr
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.parametrize("target_exists", [False, True], ids=["dangling", "to-an-empty-file"])
def test_a_symlinked_catalog_is_built_at_its_target_and_stays_a_link(
    movie, tmp_path, target_exists
):
    target = tmp_path / "real.db"
    if target_exists:
        target.touch()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    result = movie("--db", str(link), "cast", "--limit", "1")
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout == "Nicolas Cage\tBen Sanderson\n"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.stat().st_size > 0


def test_rebuild_moves_a_symlinks_target_aside_and_keeps_the_link(movie, tmp_path):
    target = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(target)
    assert movie("--db", str(link), "movies").exit_code == ExitStatus.OK
    assert movie("--db", str(link), "load", "--rebuild").exit_code == ExitStatus.OK
    assert link.is_symlink()
    assert list(tmp_path.glob("real.db.broken-*"))


def test_export_never_writes_through_a_planted_symlink(movie, seeded, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    for spec_file in ("movies.csv", "cast.csv", "quotes.csv"):
        (out / f".{spec_file}.part").symlink_to(victim)
    assert movie("export", str(out)).exit_code == ExitStatus.OK
    assert victim.read_text() == "precious\n"
    assert (out / "movies.csv").read_text(encoding="utf-8").startswith("slug,title")
    assert not [p for p in out.iterdir() if p.name.endswith(".part") and not p.is_symlink()]


# ---------------------------------------------------------------- work that can be stopped


def test_sql_stops_at_its_time_limit_and_names_the_option(seeded):
    started = time.monotonic()
    result = movie_run("sql", FOREVER, "--timeout", "0.5", db=seeded)
    assert result.returncode == ExitStatus.ERROR
    assert time.monotonic() - started < 60
    assert result.stderr == (
        "movie: stopped after 0.5 s, the time limit; allow longer with --timeout SECONDS "
        "(0 for no limit) or MOVIE_TIMEOUT\n"
    )
    result = movie_run("sql", FOREVER, db=seeded, MOVIE_TIMEOUT="0.3")
    assert result.returncode == ExitStatus.ERROR and "after 0.3 s" in result.stderr


def test_the_time_limit_counts_work_not_the_reader(seeded):
    """A slow reader of many quick rows is not stopped: only SQLite's time counts."""
    script = (
        f"{sys.executable} -m movie sql --timeout 0.5 "
        "'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 8) "
        "SELECT x FROM c' | while read -r line; do sleep 0.15; echo $line; done"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "MOVIE_DB": str(seeded)},
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    assert done.stdout.split() == [str(n) for n in range(1, 9)]


@pytest.mark.parametrize(
    "args",
    [["sql", FOREVER, "--timeout", "0"], ["sql", FOREVER]],
    ids=["no-limit", "default-limit"],
)
def test_ctrl_c_interrupts_a_running_statement(seeded, args):
    process = movie_process(*args, db=seeded)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == ExitStatus.INTERRUPTED, stderr
    assert stderr == "movie: interrupted\n"


def test_searches_have_the_time_limit_too(movie, seeded, monkeypatch):
    monkeypatch.setattr(interrupts, "STEPS", 1)  # the seed is too small to reach the check
    for args in (["search", "love"], ["reviews", "--search", "drink"], ["quotes", "-s", "pear"]):
        result = movie(*args, "--timeout", "0.000001")
        assert result.exit_code == ExitStatus.ERROR, (args, result.stderr)
        assert "the time limit; allow longer with --timeout" in result.stderr


def test_listings_without_a_search_have_no_default_limit(movie, seeded, monkeypatch):
    monkeypatch.setattr(interrupts, "STEPS", 1)
    monkeypatch.setenv("MOVIE_TIMEOUT", "0.000001")
    assert movie("reviews", "--all").exit_code == ExitStatus.OK
    assert movie("quotes").exit_code == ExitStatus.OK
    assert movie("reviews", "--search", "drink").exit_code == ExitStatus.ERROR
    assert movie("reviews", "--timeout", "0.000001").exit_code == ExitStatus.ERROR


def test_too_many_search_terms_are_refused_before_sqlite_sees_them(movie, seeded):
    many = " ".join(["a*"] * 800)
    for args in (["search", many], ["reviews", "--all", "--search", many]):
        result = movie(*args)
        assert result.exit_code == ExitStatus.ERROR
        assert "the search has 800 terms; at most 32" in result.stderr
    # The same word typed many times is one term.
    assert movie("quotes", "--search", " ".join(["pear"] * 100)).exit_code == ExitStatus.OK


PATHOLOGICAL = [
    " " * 200_000,
    "x" + " " * 200_000 + "y",
    "~" * 200_000,
    "~ " * 100_000,
    "(" * 200_000,
    " (" * 100_000,
    "1" * 200_000,
    "1 " * 100_000,
    "a:" * 100_000,
    "All Critics (" + "9" * 200_000,
    "– Submitted by " + " (" * 100_000,
    "– Submitted by " + "(a) " * 50_000,
    "Jan 1, " * 30_000,
    "R (" + "(" * 200_000,
    "Rating: " + "R " * 100_000,
]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    from movie import choose, listings
    from movie.sources import rt_dataset

    found = []
    for module in (pages, dates, rt_dataset, listings, choose):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__}.{name}", value))
    return found


@pytest.mark.parametrize("name,pattern", _patterns(), ids=[n for n, _ in _patterns()])
def test_every_parser_pattern_is_linear_on_pathological_lines(name, pattern):
    """Each line is 200,000 characters: a quadratic pattern would take minutes here, where a
    linear one takes milliseconds. A child process with a deadline keeps a regression from
    hanging the suite."""
    code = (
        "import json, re, sys\n"
        f"pattern = re.compile({pattern.pattern!r}, {int(pattern.flags)})\n"
        "for line in json.load(sys.stdin):\n"
        "    pattern.match(line); pattern.search(line)\n"
    )
    try:
        subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(PATHOLOGICAL),
            text=True,
            check=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} is not linear: {pattern.pattern!r}")


def test_a_synopsis_of_many_spaces_parses_quickly_and_right(tmp_path):
    text = PAGE.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(text) if line.startswith("Movie Info")) + 2
    text[at] = "x" + " " * 100_000 + "y ~ Someone"
    page = pages.parse_page("\n".join(text).encode(), "page.txt")
    assert page.movie["synopsis"] == "x" + " " * 100_000 + "y"
    assert page.movie["synopsis_by"] == "Someone"


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


def test_csv_files_that_are_devices_or_fifos_are_refused(movie, seeded, tmp_path):
    before = dump(seeded)
    zero = seed_copy(tmp_path, "zero")
    (zero / "movies.csv").unlink()
    (zero / "movies.csv").symlink_to("/dev/zero")
    result = movie("load", str(zero))
    assert result.exit_code == ExitStatus.ERROR
    assert "movies.csv is a device, not a movies.csv file" in result.stderr
    fifo = seed_copy(tmp_path, "fifo")
    (fifo / "cast.csv").unlink()
    os.mkfifo(fifo / "cast.csv")
    result = movie_run("load", str(fifo), db=seeded)  # a FIFO opened for reading would block
    assert result.returncode == ExitStatus.ERROR
    assert "cast.csv is a named pipe (FIFO)" in result.stderr
    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", dataset)
    (dataset / "rotten_tomatoes_critic_reviews.csv").unlink()
    os.mkfifo(dataset / "rotten_tomatoes_critic_reviews.csv")
    result = movie_run("import", "--dataset", str(dataset), db=seeded)
    assert result.returncode == ExitStatus.ERROR
    assert "named pipe (FIFO)" in result.stderr
    assert dump(seeded) == before


# ---------------------------------------------------------------- promises kept


class CommitWithCtrlC:
    """A connection whose COMMIT is hit by a Ctrl-C the moment it starts."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # the handler runs at the next bytecode: during the commit
        return self.conn.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction


def test_ctrl_c_during_commit_is_held_back_and_the_write_reported(tmp_path):
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    with interrupts.handling_ctrl_c():
        with write_transaction(CommitWithCtrlC(conn)):  # type: ignore[arg-type]
            conn.execute("INSERT INTO t VALUES (1)")
        # No KeyboardInterrupt: the write is on disk, and the command goes on to report it.
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
        # Work that starts after it is stopped by the held-back Ctrl-C.
        with pytest.raises(KeyboardInterrupt):
            interrupts.unshield()
    conn.close()


def _page_with(tmp_path: Path, name: str, old: str, new: str, page: Path = PAGE) -> Path:
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
    result = movie("import", str(bigint), str(runtime), str(PAGE), str(tmp_path / "missing.txt"))
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


@pytest.mark.parametrize(
    "year,why", [("9" * 23, "not a whole number"), ("١٩٩٥", "not a whole number")]
)
def test_load_refuses_unreadable_years_with_file_and_line(movie, seeded, tmp_path, year, why):
    folder = seed_copy(tmp_path)
    rows = list(csv.reader((folder / "movies.csv").open(encoding="utf-8", newline="")))
    rows[1][rows[0].index("year")] = year
    with (folder / "movies.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = movie("load", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert f"movies.csv, line 2: year {year!r} is {why}" in result.stderr


def test_load_refuses_a_repeated_header_column(movie, seeded, tmp_path):
    folder = seed_copy(tmp_path)
    text = (folder / "genres.csv").read_text(encoding="utf-8").split("\n")
    text[0] += ",genre"
    text[1:] = [line + ",x" if line else line for line in text[1:]]
    (folder / "genres.csv").write_text("\n".join(text), encoding="utf-8")
    result = movie("load", str(folder))
    assert result.exit_code == ExitStatus.ERROR
    assert "genres.csv, line 1: column(s) genre appear more than once" in result.stderr


AWKWARD_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
).map(lambda s: s.strip() or "x")


@settings(max_examples=12)
@given(
    texts=st.lists(
        st.one_of(
            AWKWARD_TEXT, st.sampled_from(["a\rb", "\r", "=1+2", "+x", "-y", "@z", "\x1b[2J"])
        ),
        min_size=3,
        max_size=3,
    )
)
def test_export_load_export_gives_the_same_bytes_for_any_text(movie, tmp_path_factory, texts):
    work = tmp_path_factory.mktemp("roundtrip")
    db = work / "a.db"
    assert movie("--db", str(db), "movies").exit_code == ExitStatus.OK
    conn = sqlite3.connect(db)
    conn.execute("UPDATE movies SET synopsis = ?, studio = ?", texts[:2])
    conn.execute("UPDATE quotes SET line = ? WHERE position = 1", texts[2:])
    conn.commit()
    conn.close()
    assert movie("--db", str(db), "export", str(work / "one")).exit_code == ExitStatus.OK
    other = work / "b.db"
    loaded = movie("--db", str(other), "load", str(work / "one"))
    assert loaded.exit_code == ExitStatus.OK, loaded.stderr
    assert movie("--db", str(other), "export", str(work / "two")).exit_code == ExitStatus.OK
    for name in sorted(p.name for p in (work / "one").iterdir()):
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name


# ---------------------------------------------------------------- terminal escapes from data

ESCAPES = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x1b[8m", "\u202e", "\x9b31m"]


@pytest.fixture
def hostile(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.execute(
        "UPDATE movies SET title = title || ?, synopsis = ?", (ESCAPES[0], "".join(ESCAPES))
    )
    conn.execute("UPDATE cast_credits SET actor = actor || ? WHERE position = 1", (ESCAPES[1],))
    conn.execute("UPDATE cast_credits SET character = ? WHERE position = 2", (ESCAPES[2],))
    conn.execute("UPDATE quotes SET line = line || ?", (ESCAPES[3],))
    conn.execute("UPDATE critic_reviews SET quote = quote || ' drink' || ?", (ESCAPES[4],))
    conn.execute("UPDATE audience_reviews SET text = text || ?", (ESCAPES[1],))
    conn.execute("INSERT INTO critic_reviews_fts (critic_reviews_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO audience_reviews_fts (audience_reviews_fts) VALUES ('rebuild')")
    conn.commit()
    conn.close()
    return seeded


HOSTILE_COMMANDS = [
    ["card"],
    ["cast"],
    ["quotes"],
    ["reviews"],
    ["reviews", "--audience"],
    ["movies"],
    ["search", "drink"],
    ["person", "Nicolas Cage"],
]


@pytest.mark.parametrize("fmt", ["table", "tsv", "markdown"])
@pytest.mark.parametrize("args", HOSTILE_COMMANDS, ids=lambda a: "-".join(a))
def test_control_characters_never_reach_the_terminal_raw(movie, hostile, args, fmt):
    result = movie(*args, "-f", fmt)
    assert result.exit_code == ExitStatus.OK, result.stderr
    raw = [c for c in result.stdout if c not in "\n\t" and (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F)]
    assert raw == [], (args, fmt)
    assert "\u202e" not in result.stdout


def test_tsv_escapes_control_characters_reversibly(movie, hostile):
    result = movie("cast", "--limit", "2")
    first, second = result.stdout.splitlines()
    assert first == "Nicolas Cage\\x1b[2J\tBen Sanderson"
    assert second.endswith("\t\\x1b[8m")
    synopsis = movie("card").stdout.splitlines()
    line = next(s for s in synopsis if s.startswith("synopsis\t"))
    assert line == "synopsis\t\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[8m\\u202e\\x9b31m"


def test_json_and_csv_keep_the_data_exact(movie, hostile):
    data = json.loads(movie("card", "-f", "json").stdout)
    assert data["synopsis"] == "".join(ESCAPES)
    rows = list(csv.reader(io.StringIO(movie("cast", "-f", "csv").stdout)))
    assert rows[1][0] == "Nicolas Cage\x1b[2J"


def test_messages_show_control_characters_escaped(movie, hostile):
    result = movie("card", "no such\x1b[2J film")
    assert "\x1b" not in result.stderr


# ---------------------------------------------------------------- plain output, not internal errors


@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("tsv", "00ff\n"),
        ("csv", "blob\n00ff\n"),
        ("json", '[\n  {"blob": "00ff"}\n]\n'),
        ("jsonl", '{"blob": "00ff"}\n'),
        ("markdown", "| blob |\n|---|\n| 00ff |\n"),
    ],
)
def test_blobs_are_hex_in_every_format(movie, seeded, fmt, expected):
    result = movie("sql", "SELECT x'00ff' AS blob", "-f", fmt)
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert result.stdout == expected


def test_json_keys_are_unique_and_numbers_are_json(movie, seeded):
    result = movie(
        "sql", "SELECT 1 AS a, 2 AS a, 3 AS a_2, 1e999 AS big, -1e999 AS small", "-f", "json"
    )
    assert json.loads(result.stdout) == [{"a": 1, "a_3": 2, "a_2": 3, "big": None, "small": None}]
    assert "Infinity" not in result.stdout


def test_text_that_is_not_utf8_is_read_with_replacements(movie, seeded, tmp_path):
    result = movie("sql", "SELECT CAST(x'ff41' AS TEXT) AS t")
    assert result.exit_code == ExitStatus.OK and result.stdout == "\ufffdA\n"
    conn = sqlite3.connect(seeded)
    conn.execute("UPDATE movies SET studio = CAST(x'556e69746564ff' AS TEXT)")
    conn.execute("UPDATE cast_credits SET character = CAST(x'42656eff' AS TEXT) WHERE position = 1")
    conn.commit()
    conn.close()
    for args in (
        ["cast"],
        ["card"],
        ["card", "-f", "json"],
        ["person", "Nicolas Cage"],
        ["sql", "SELECT studio FROM movies"],
        ["export", str(tmp_path / "out")],
    ):
        result = movie(*args)
        assert result.exit_code == ExitStatus.OK, (args, result.stderr)
        warnings = [line for line in result.stderr.splitlines() if "not UTF-8" in line]
        assert len(warnings) == 1, (args, result.stderr)
    assert "Ben\ufffd" in movie("cast", "--limit", "1").stdout
    assert "Ben\ufffd" in (tmp_path / "out" / "cast.csv").read_text(encoding="utf-8")


def test_a_stream_that_meets_bad_text_midway_goes_on_without_repeating(movie, seeded):
    conn = sqlite3.connect(seeded)
    conn.execute("UPDATE cast_credits SET actor = CAST(x'41ff' AS TEXT) WHERE position = 20")
    conn.commit()
    conn.close()
    lines = movie("cast").stdout.splitlines()
    assert len(lines) == 36
    assert lines[19].startswith("A\ufffd\t")


@pytest.mark.parametrize("version", [1, 2])
def test_another_programs_database_is_not_taken_for_a_catalog(movie, tmp_path, version):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE movies (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO movies (name) VALUES ('mine')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    before = file_digest(other)
    for args in (["cast"], ["movies"], ["load"], ["sql", "SELECT 1"]):
        result = movie("--db", str(other), *args)
        assert result.exit_code == ExitStatus.ERROR
        assert "is a SQLite database but not a movie catalog" in result.stderr
    assert file_digest(other) == before


def test_fts3_tokenizer_is_refused(movie, seeded):
    result = movie("sql", "SELECT hex(fts3_tokenizer('porter'))")
    assert result.exit_code == ExitStatus.ERROR
    assert "not authorized to use function: fts3_tokenizer" in result.stderr


# ---------------------------------------------------------------- the dataset's own date forms


def test_dataset_dates_in_day_month_year_form_give_years(movie, seeded, tmp_path):
    dataset = tmp_path / "dataset"
    shutil.copytree(FIXTURES / "dataset", dataset)
    movies = dataset / "rotten_tomatoes_movies.csv"
    header = movies.read_text(encoding="utf-8").splitlines()[0].split(",")
    row = dict.fromkeys(header, "")
    row.update(
        rotten_tomatoes_link="m/40000_fathoms_below",
        movie_title="40,000 Fathoms Below",
        original_release_date="14/06/1956",
        streaming_release_date="2001-02-30",
    )
    with movies.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row[name] for name in header])
    result = movie("import", "--dataset", str(dataset))
    assert result.exit_code == ExitStatus.OK, result.stderr
    card = json.loads(movie("card", "40,000 Fathoms Below (1956)", "-f", "json").stdout)
    assert card["year"] == 1956
    assert card["theatrical_release"] == "1956-06-14"
    assert card["streaming_release"] == "2001-02-30"  # no such day: kept as text, and reported
    assert "e.g. '2001-02-30'" in result.stderr


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1995-12-15", ("1995-12-15", 1995)),
        ("1995-12-15 00:00:00", ("1995-12-15", 1995)),
        ("14/06/1956", ("1956-06-14", 1956)),
        ("5/6/1956", ("1956-06-05", 1956)),
        ("06/14/1956", ("1956-06-14", 1956)),
        ("14.06.1956", ("1956-06-14", 1956)),
        ("1956/06/14", ("1956-06-14", 1956)),
        ("Jun 14, 1956", ("1956-06-14", 1956)),
        ("1956", (None, 1956)),
        ("31/02/1956", (None, None)),
        ("13/13/1956", (None, None)),
        ("sometime", (None, None)),
        ("١٩٥٦-٠٦-١٤", (None, None)),
    ],
)
def test_read_date_forms(text, expected):
    assert dates.read_date(text) == expected


# ---------------------------------------------------------------- the suite on a fresh machine


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a folder nobody can read")
def test_the_unprivileged_child_runs_from_a_checkout_only_root_can_read(tmp_path, unprivileged):
    private = tmp_path / "private"
    shutil.copytree(ROOT / "src", private / "src")
    shutil.copy(ROOT / "schema.sql", private / "schema.sql")
    shutil.copytree(SEED, private / "seed")
    private.chmod(0o700)
    db = unprivileged.place / "catalog.db"
    built = subprocess.run(
        [sys.executable, "-m", "movie", "movies"],
        env={**os.environ, "MOVIE_DB": str(db), "PYTHONPATH": str(private / "src")},
        capture_output=True,
        timeout=60,
    )
    assert built.returncode == ExitStatus.OK, built.stderr
    db.chmod(0o444)
    env = {**os.environ, "MOVIE_DB": str(db), "HOME": str(unprivileged.place)}
    env["PYTHONPATH"] = str(private / "src")
    done = subprocess.run(
        [sys.executable, "-c", AS_USER, "load"],
        capture_output=True,
        text=True,
        env=env,
        cwd=unprivileged.place,
        timeout=120,
    )
    assert done.returncode == ExitStatus.ERROR, done.stderr
    assert "read-only" in done.stderr and "internal error" not in done.stderr
