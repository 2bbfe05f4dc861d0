"""Shell completion: titles, years, actors and characters, commands, and installing it."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from movie.errors import ExitStatus


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
