"""`movie search`: one search for quotes and reviews, best match first."""

from __future__ import annotations

import json

from movie.errors import ExitStatus
from movie.output import Terminal


def test_search_everything_best_match_first(movie, five):
    rows = json.loads(movie("search", "drinking", "leaving", "-f", "json").stdout)
    assert rows and set(rows[0]) == {"kind", "movie", "who", "snippet", "title_id", "type"}
    assert rows[0]["title_id"] == "leaving-las-vegas-1995"  # a page movie's id is its slug
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
