"""Everyday use: completion, one search for everything, people, the manual, sharing the file."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT

from movie.errors import ExitStatus
from movie.output import Terminal

MORE = str(FIXTURES / "more-movies")


@pytest.fixture
def five(movie, catalog):
    assert movie("load", MORE).exit_code == ExitStatus.OK
    return catalog


def complete(catalog: Path | None, shell: str, line: str, **extra: str) -> list[str]:
    """Ask movie for completions the way each shell's completion script does."""
    env = {k: v for k, v in os.environ.items() if k != "MOVIE_DB"}
    if catalog is not None:
        env["MOVIE_DB"] = str(catalog)
    env["_MOVIE_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    env.update(extra)
    done = subprocess.run(
        [sys.executable, "-m", "movie"], env=env, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr
    if shell != "zsh":
        return [line for line in done.stdout.splitlines() if line]
    if done.stdout.strip() == "_files":  # zsh's answer for "nothing to offer"
        return []
    # zsh gets an _arguments spec: '*: :(("value":"help" "value" ...))'
    assert done.stdout.startswith("_arguments '*: :((")
    items = re.findall(r'^"((?:[^"]|"")*)"', done.stdout[len("_arguments '*: :((") :], re.M)
    return [item.replace('""', '"').replace("''", "'") for item in items]


# ---------------------------------------------------------------- completion


def test_titles_complete_case_and_accent_blind_in_every_shell(five):
    assert complete(five, "bash", "movie cast lea") == ["Leaving\\ Las\\ Vegas"]
    assert complete(five, "bash", "movie card LEAVING") == ["Leaving\\ Las\\ Vegas"]
    assert complete(five, "zsh", "movie cast lea") == ["Leaving Las Vegas"]
    assert complete(five, "fish", "movie quotes lea") == ["Leaving Las Vegas"]
    assert complete(five, "bash", "movie reviews ame") == ["Amélie"]
    assert complete(five, "zsh", "movie cast AMÉ") == ["Amélie"]


def test_a_title_with_several_movies_offers_each_year(five):
    assert complete(five, "zsh", "movie cast hea") == ["Heat (1986)", "Heat (1995)"]
    assert complete(five, "bash", "movie cast hea") == ["Heat\\ (1986)", "Heat\\ (1995)"]


def test_every_title_when_nothing_is_typed(five):
    assert len(complete(five, "zsh", "movie cast ")) == 5


def test_completion_reads_the_db_option_before_the_command(five, tmp_path):
    other = tmp_path / "elsewhere.db"
    shutil.copy(five, other)
    conn = sqlite3.connect(other)
    conn.execute(
        "UPDATE movies SET title = 'Leaving Reno', title_key = 'leaving reno' "
        "WHERE slug = 'leaving-las-vegas-1995'"
    )
    conn.commit()
    conn.close()
    assert complete(five, "zsh", f"movie --db {other} cast lea") == ["Leaving Reno"]
    assert complete(None, "bash", f"movie --db {other} cast lea") == ["Leaving\\ Reno"]


def test_actor_and_character_complete_from_the_chosen_movie(five):
    assert complete(five, "zsh", "movie cast heat --year 1995 --actor al") == ["Al Pacino"]
    assert complete(five, "zsh", "movie cast leaving --actor NIC") == ["Nicolas Cage"]
    assert complete(five, "zsh", "movie cast --all --actor nic") == ["Nicolas Cage"]
    assert complete(five, "zsh", "movie cast amelie --character ame") == ["Amélie Poulain"]
    assert complete(five, "zsh", "movie quotes leaving --character ben") == ["Ben Sanderson"]
    assert complete(five, "zsh", "movie cast leaving --character mobster") == [
        "Mobster No. 1",
        "Mobster No. 2",
        "Mobster No. 3",
    ]


def test_completion_without_a_catalog_offers_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "missing.db"
    assert complete(missing, "zsh", "movie cast lea") == []
    assert not missing.exists()


def test_completion_of_commands_still_works(five):
    offered = complete(five, "zsh", "movie ca")
    assert any(line.startswith("card") for line in offered)
    assert any(line.startswith("cast") for line in offered)


@pytest.mark.parametrize(
    ("shell", "installed"),
    [
        ("bash", ".bash_completions/movie.sh"),
        ("zsh", ".zfunc/_movie"),
        ("fish", ".config/fish/completions/movie.fish"),
    ],
)
def test_install_completion_for_each_shell(tmp_path, shell, installed):
    # Typer's documented switch for testing: name the shell instead of detecting it.
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "movie", "--install-completion", shell],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == ExitStatus.OK, done.stderr
    script = (tmp_path / installed).read_text()
    assert "_MOVIE_COMPLETE" in script


# ---------------------------------------------------------------- search


def test_search_everything_best_match_first(movie, five):
    rows = json.loads(movie("search", "drinking", "leaving", "-f", "json").stdout)
    assert rows and set(rows[0]) == {"kind", "movie", "who", "snippet"}
    kinds = {row["kind"] for row in rows}
    assert "quote" in kinds  # "drinking" in a quote; stemmed, so "drink" counts too
    assert any(r["who"] == "Ben Sanderson" and "drinking" in r["snippet"] for r in rows)


def test_search_kinds_phrases_prefixes_and_accents(movie, five):
    assert (
        movie("search", "--all", "prickly pear", "--kind", "quote", "-f", "jsonl").stdout.count(
            "\n"
        )
        == 1
    )
    critic = movie("search", "--all", "delicieux").stdout.splitlines()
    assert critic == ["critic\tAmélie (2001)\tLe Monde\tUn film délicieux."]
    assert movie("search", "--all", '"prickly pear"').stdout.count("\n") == 1
    assert movie("search", "--all", "pric*").stdout.count("\n") == 1
    both = movie("search", "--all", "shootout OR riveting", "-k", "critic", "-k", "audience").stdout
    assert {line.split("\t")[0] for line in both.splitlines()} == {"critic", "audience"}
    assert movie("search", "--all", "pear", "--kind", "critic").stdout == ""
    assert movie("search", "--all", "pear", "--kind", "poem").exit_code == ExitStatus.USAGE


def test_search_marks_matches_only_on_a_terminal(movie, five, monkeypatch):
    plain = movie("search", "--all", "pear").stdout
    assert "\x1b" not in plain
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, s=None: Terminal(True, True, 120))
    )
    marked = movie("search", "--all", "pear").stdout
    assert "\x1b[1;33mpear\x1b[0m" in marked


def test_search_scope_and_errors(movie, five):
    assert (
        movie("search", "pear").exit_code == ExitStatus.ERROR
    )  # several movies and no default: say how
    assert movie("search", "pear", "leaving").stdout.count("\n") == 1
    assert movie("search", '"pear', "--all").exit_code == ExitStatus.ERROR


# ---------------------------------------------------------------- people


def test_person_has_roles_credits_and_their_characters_quotes(movie, five):
    rows = json.loads(movie("person", "nicolas cage", "-f", "json").stdout)
    assert rows[0] == {
        "credit": "actor",
        "movie": "Leaving Las Vegas",
        "year": 1995,
        "detail": "Ben Sanderson",
    }
    quotes = [r for r in rows if r["credit"] == "quote"]
    assert len(quotes) == 5  # four as Ben Sanderson, one as Castor Troy
    assert rows[-2] == {
        "credit": "actor",
        "movie": "Face/Off",
        "year": 1997,
        "detail": "Castor Troy",
    }
    assert rows[-1]["detail"] == "Castor Troy: I'd like to take his face... off."


def test_person_director_and_writer_credits(movie, five):
    lines = movie("person", "MICHAEL MANN").stdout.splitlines()
    assert lines == ["director\tHeat\t1995\t", "writer\tHeat\t1995\t"]
    figgis = movie("person", "figgis").stdout.splitlines()
    assert figgis == [
        "actor\tLeaving Las Vegas\t1995\tMobster No. 1",
        "writer\tLeaving Las Vegas\t1995\t",
    ]


def test_person_accents_several_and_none(movie, five):
    assert movie("person", "audrey tautou").stdout.startswith("actor\tAmélie\t2001")
    several = movie("person", "john")
    assert several.exit_code == ExitStatus.ERROR
    assert "matches 3 people: John O'Brien, John Travolta, John Woo" in several.stderr
    none = movie("person", "Nicolas Kage")
    assert none.exit_code == ExitStatus.ERROR and "did you mean Nicolas Cage?" in none.stderr


# ---------------------------------------------------------------- manual and sharing


def test_reference_manual_is_up_to_date():
    from movie.reference import render

    manual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert manual == render(), "docs/cli.md is stale: python -m movie.reference > docs/cli.md"


def test_every_command_help_ends_with_examples(movie):
    import typer.main

    from movie.cli import app

    for name in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        text = movie(name, "--help").stdout.rstrip().splitlines()
        at = text.index("  Examples:")
        assert at > 0 and all(line.startswith("    ") for line in text[at + 1 :]), name
        assert 1 <= len(text) - at - 1 <= 4, name
        assert text.index("Options:") < at, name


def test_path_prints_the_catalog_location(movie, catalog):
    assert movie("path").stdout == f"{catalog}\n"


def test_the_catalog_opens_the_way_datasette_opens_it(movie, five):
    import sqlite_utils

    conn = sqlite3.connect(f"file:{five}?mode=ro", uri=True)
    db = sqlite_utils.Database(conn)
    for table in ("quotes", "critic_reviews", "audience_reviews"):
        assert db[table].detect_fts() == f"{table}_fts"
    rows = conn.execute(
        "select line from quotes where rowid in "
        "(select rowid from quotes_fts where quotes_fts match :search) order by rowid",
        {"search": "pear"},
    ).fetchall()
    assert rows == [("I'm like a prickly pear... I'm a prickly pear!",)]
    conn.close()


def test_an_upgraded_catalog_is_found_by_datasette_too(movie, tmp_path):
    import sqlite_utils

    old = tmp_path / "v1.db"
    shutil.copy(FIXTURES / "catalog-v1.db", old)
    assert movie("--db", str(old), "movies").exit_code == ExitStatus.OK
    db = sqlite_utils.Database(sqlite3.connect(old))
    assert db["quotes"].detect_fts() == "quotes_fts"
    assert movie("--db", str(old), "quotes", "--all", "--search", "pear").stdout.count("\n") == 1
