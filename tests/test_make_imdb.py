"""bench/make_imdb.py writes the IMDb files in their real format, quirks included, repeatably."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
from helpers import ROOT

from movie.sources.imdb import HEADERS  # what the reader expects


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("imdb")
    for name in ("a", "b"):
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "make_imdb.py"),
                str(out / name),
                "--scale",
                "0.0003",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def rows(files, name):
    with gzip.open(files / "a" / f"{name}.tsv.gz", "rt", encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    assert lines[-1] == ""
    return [line.split("\t") for line in lines[:-1]]


def test_every_file_has_its_real_header_and_tab_separated_rows(files):
    for name, header in HEADERS.items():
        table = rows(files, name)
        assert [c.lstrip("\ufeff") for c in table[0]] == header.split(), name
        assert all(len(row) == len(table[0]) for row in table), name
    assert rows(files, "title.ratings")[0][0].startswith("\ufeff")  # a re-saved file's BOM


def test_the_quirks_real_files_have(files):
    basics = rows(files, "title.basics")[1:]
    assert any('"' in row[2] for row in basics)  # a bare quote, never CSV-quoted
    assert any(r"\N" in row for row in basics)
    assert sum(row[1] == "tvEpisode" for row in basics) > len(basics) / 2
    principals = rows(files, "title.principals")[1:]
    orderings: dict[str, list[int]] = {}
    for row in principals:
        orderings.setdefault(row[0], []).append(int(row[1]))
    assert any(order != sorted(order) for order in orderings.values())
    characters = [json.loads(row[5]) for row in principals if row[5] != r"\N"]
    assert any(len(names) > 1 for names in characters)
    assert any(any(not name.isascii() for name in names) for names in characters)
    names = {row[0] for row in rows(files, "name.basics")[1:]}
    assert any(row[2] not in names for row in principals)  # a dangling nconst
    titles = {row[0] for row in basics}
    assert any(row[1] not in titles for row in rows(files, "title.episode")[1:])
    # A title's directors and writers in title.principals are on its title.crew lists, as
    # in IMDb's files (tt0000001's director nm0005690 is both), bar a few.
    lists = {
        (row[0], role): set(people.split(","))
        for row in rows(files, "title.crew")[1:]
        for role, people in (("director", row[1]), ("writer", row[2]))
        if people != r"\N"
    }
    listed = [row for row in principals if (row[0], row[3]) in lists]
    on_list = sum(row[2] in lists[row[0], row[3]] for row in listed)
    assert listed and 0.9 * len(listed) < on_list < len(listed)


def test_the_same_seed_gives_the_same_bytes(files):
    for name in HEADERS:
        first = (files / "a" / f"{name}.tsv.gz").read_bytes()
        assert first == (files / "b" / f"{name}.tsv.gz").read_bytes(), name
