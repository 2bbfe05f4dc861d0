"""Every output format, the header rules, --limit, colour and escaping."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from movie.errors import ExitStatus
from movie.output import Format, Terminal, cut, display_width, escape_tsv, write_rows
from movie.results import Result

TERM = Terminal(is_tty=False, color=False, width=100)


def render(rows, fmt, header=None, columns=("name", "note"), flags=frozenset(), term=TERM):
    out = io.StringIO()
    count = write_rows(Result(list(columns), iter(rows), flags), fmt, out, term, header)
    return out.getvalue(), count


AWKWARD = [("Tab\there", "line one\nline two"), ("back\\slash", None), ("pipe | bar", "ok")]


def test_tsv_escapes_so_one_row_is_one_line():
    text, count = render(AWKWARD, Format.tsv)
    assert count == 3
    assert text.splitlines() == [
        "Tab\\there\tline one\\nline two",
        "back\\\\slash\t",
        "pipe | bar\tok",
    ]


def test_tsv_header_only_when_asked():
    assert render([], Format.tsv)[0] == ""
    assert render([], Format.tsv, header=True)[0] == "name\tnote\n"


def test_csv_round_trips_awkward_values():
    text, _ = render(AWKWARD, Format.csv)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["name", "note"]
    assert rows[1] == ["Tab\there", "line one\nline two"]
    assert rows[2] == ["back\\slash", ""]
    assert render(AWKWARD, Format.csv, header=False)[0].startswith("Tab")


def test_json_is_an_array_with_nulls_and_booleans():
    text, _ = render([("a", 1), ("b", 0), ("c", None)], Format.json, flags=frozenset({"note"}))
    assert json.loads(text) == [
        {"name": "a", "note": True},
        {"name": "b", "note": False},
        {"name": "c", "note": None},
    ]
    assert json.loads(render([], Format.json)[0]) == []


def test_jsonl_is_one_object_per_line():
    text, _ = render(AWKWARD, Format.jsonl)
    lines = text.splitlines()
    assert len(lines) == 3
    assert json.loads(lines[1]) == {"name": "back\\slash", "note": None}


def test_markdown_escapes_pipes_and_newlines():
    text, _ = render(AWKWARD, Format.markdown)
    lines = text.splitlines()
    assert lines[0] == "| name | note |"
    assert lines[1] == "|---|---|"
    assert lines[2] == "| Tab\there | line one<br>line two |"
    assert lines[4] == "| pipe \\| bar | ok |"
    assert not render(AWKWARD, Format.markdown, header=False)[0].startswith("| name")


def test_table_is_aligned_with_a_header_and_wraps_to_the_width():
    long = "word " * 60
    text, _ = render(
        [("a", long.strip()), ("bb", "short")],
        Format.table,
        term=Terminal(is_tty=True, color=False, width=60),
    )
    lines = text.splitlines()
    assert lines[0].split() == ["name", "note"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert max(len(line) for line in lines) <= 60
    assert sum("word" in line for line in lines) > 3  # wrapped, nothing cut
    assert text.count("word") == 60


def test_table_drops_columns_empty_in_every_row():
    text, _ = render([("a", None), ("b", None)], Format.table)
    assert "note" not in text


# What the helpers must remove or show escaped, as a regular expression: the text helpers pass
# text that isprintable() unchanged and use it only for the rest.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CHARACTERS = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("\t\n\r\x1b\x7f\x85\xa0\u2028\u2029\u202e\u2066\u200b\\"),
    )
)


@given(CHARACTERS)
def test_text_is_escaped_and_cleaned_of_exactly_the_unsafe_characters(text):
    from movie.text import visible, without_controls

    def code(char):
        named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char)
        return named or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")

    assert escape_tsv(text) == UNSAFE.sub(lambda m: code(m[0]), text.replace("\\", "\\\\"))
    assert visible(text, keep="") == UNSAFE.sub(lambda m: code(m[0]), text)
    assert visible(text) == UNSAFE.sub(lambda m: m[0] if m[0] == "\n" else code(m[0]), text)
    cleaned, removed = without_controls(text)
    assert removed == len(UNSAFE.findall(text))
    assert cleaned == (" ".join(UNSAFE.sub(" ", text).split()) if removed else text)


def test_a_kept_pattern_is_compiled_on_first_use_and_works_as_one():
    from movie.text import pattern

    lazy = pattern(r"(\w+)@(\w+)", re.IGNORECASE)
    assert "_pattern" not in vars(lazy)  # nothing compiled yet
    assert lazy.search("mail ME@home")[2] == "home"
    assert "_pattern" in vars(lazy) and "search" in vars(lazy)  # the method, kept
    assert lazy.sub(r"\2", "a@b c@d") == "b d"
    assert lazy.findall("X@Y") == [("X", "Y")] and lazy.flags & re.IGNORECASE
    assert lazy.pattern == r"(\w+)@(\w+)"


def test_escape_tsv_handles_carriage_returns():
    assert escape_tsv("a\r\nb") == "a\\r\\nb"


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_every_command_prints_every_format(movie, fmt):
    for args in (
        ["cast"],
        ["reviews"],
        ["reviews", "--audience"],
        ["quotes"],
        ["movies"],
        ["search", "drinking"],
        ["person", "nicolas cage"],
        ["sql", "SELECT title FROM movies"],
        ["card"],
    ):
        result = movie(*args, "-f", fmt)
        assert result.exit_code == ExitStatus.OK, (args, result.stderr)
        assert result.stdout.strip(), args
        if fmt == "json":
            json.loads(result.stdout)
        if fmt == "jsonl":
            for line in result.stdout.splitlines():
                json.loads(line)


def test_format_is_case_insensitive(movie):
    assert movie("cast", "-f", "JSON", "-n", "1").exit_code == ExitStatus.OK


def test_limit(movie):
    assert movie("cast", "-n", "3").stdout.count("\n") == 3
    assert movie("cast", "--limit", "0").stdout == ""
    assert movie("reviews", "-n", "1", "-f", "jsonl").stdout.count("\n") == 1
    assert movie("cast", "-n", "-1").exit_code == ExitStatus.USAGE


def test_headers(movie):
    assert (
        movie("cast", "--header", "-n", "1").stdout
        == "actor\tcharacter\nNicolas Cage\tBen Sanderson\n"
    )
    assert movie("cast", "-f", "csv", "-n", "1").stdout.startswith("actor,character\n")
    assert (
        movie("cast", "-f", "csv", "--no-header", "-n", "1").stdout
        == "Nicolas Cage,Ben Sanderson\n"
    )


def test_search_highlights_only_with_colour(movie, monkeypatch):
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, stream=None: Terminal(True, True, 100))
    )
    out = movie("quotes", "--search", "pear").stdout
    assert "\x1b[1;33mpear\x1b[0m" in out
    assert "prickly \x1b[1;33mpear\x1b[0m..." in out
    monkeypatch.setattr(
        Terminal, "detect", classmethod(lambda cls, stream=None: Terminal(True, False, 100))
    )
    assert "\x1b" not in movie("quotes", "--search", "pear").stdout


def test_no_color_turns_colour_off(monkeypatch):
    class FakeTTY(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert Terminal.detect(FakeTTY()).color is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert Terminal.detect(FakeTTY()).color is False
    assert Terminal.detect(io.StringIO()).is_tty is False
    assert Terminal.detect(io.StringIO()).default_format() is Format.tsv
    assert Terminal.detect(FakeTTY()).default_format() is Format.table


def test_card_in_other_formats(movie):
    rows = list(csv.reader(io.StringIO(movie("card", "-f", "csv").stdout)))
    assert rows[0] == ["field", "value"] and ["title", "Leaving Las Vegas"] in rows
    md = movie("card", "-f", "markdown").stdout
    assert "| critics | 48 reviews, 12 top critics, 6 on file |" in md
    assert json.loads(movie("card", "-f", "jsonl").stdout)["year"] == 1995


def test_wrapping_ignores_colour_codes():
    from movie.output import visible_len, wrap_visible

    marked = "I'm like a prickly \x1b[1;33mpear\x1b[0m... I'm a prickly \x1b[1;33mpear\x1b[0m!"
    lines = wrap_visible(marked, 27).split("\n")
    assert [visible_len(line) for line in lines] == [26, 19]
    assert wrap_visible("abcdefghij klm", 4).split("\n") == ["abcd", "efgh", "ij", "klm"]
    assert wrap_visible("one\n\ntwo", 10) == "one\n\ntwo"


def test_highlighted_table_rows_stay_aligned():
    term = Terminal(is_tty=True, color=True, width=60)
    text = "I'm like a prickly \x1b[1;33mpear\x1b[0m... I'm a prickly \x1b[1;33mpear\x1b[0m! " * 2
    out, _ = render([(text, "Ross H"), ("plain", "Alex K")], Format.table, term=term)
    from movie.output import visible_len

    lines = out.splitlines()
    assert len({visible_len(line.rstrip()) for line in lines[:2]}) <= 2
    ross = next(line for line in lines if "Ross H" in line)
    alex = next(line for line in lines if "Alex K" in line)
    assert visible_len(ross[: ross.index("Ross H")]) == visible_len(alex[: alex.index("Alex K")])


def test_a_long_table_streams_with_the_same_layout():
    out = io.StringIO()
    seen_output_before_the_end = []

    def rows():
        for n in range(2000):
            if n == 1500:
                seen_output_before_the_end.append(out.getvalue().count("\n"))
            yield (f"movie {n:04d}", "x" * (n % 7))

    term = Terminal(is_tty=True, color=False, width=80)
    count = write_rows(Result(["title", "note"], rows()), Format.table, out, term)
    assert count == 2000
    assert seen_output_before_the_end and seen_output_before_the_end[0] > 1000
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["title", "note"] and set(lines[1].replace(" ", "")) == {"-"}
    assert len(lines) == 2002
    assert lines[2] == "movie 0000"
    assert lines[3] == "movie 0001  x"
    small, _ = render([("movie 1", "x")], Format.table, columns=("title", "note"))
    assert small.splitlines()[2] == "movie 1  x"


JAPANESE = "ゾンビマックス！怒りのデス・ゾンビ"  # 17 characters, 34 columns


def test_display_width_counts_wide_characters_twice_and_marks_not_at_all():
    assert len(JAPANESE) == 17 and display_width(JAPANESE) == 34
    assert display_width("Magalhães") == 9
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert cut(JAPANESE, 5) == ("ゾン", JAPANESE[2:])


@pytest.mark.parametrize("many", [False, True], ids=["tabulate", "streamed"])
def test_table_columns_stay_aligned_with_wide_characters(many):
    rows = [(JAPANESE, "1985"), ("Heat", "1995"), ("Amélie", "2001")] * (200 if many else 1)
    text, _ = render(rows, Format.table, term=Terminal(is_tty=True, color=False, width=120))
    starts = {display_width(line[: line.rindex(" ") + 1]) for line in text.splitlines()[2:]}
    assert len(starts) == 1, text[:400]


def test_the_card_box_holds_wide_characters(movie, seeded):
    import sqlite3

    conn = sqlite3.connect(seeded)
    conn.execute("UPDATE movies SET title = ?, studio = ?", (JAPANESE, JAPANESE * 4))
    conn.execute("UPDATE cast_credits SET actor = ? WHERE position = 1", (JAPANESE,))
    conn.commit()
    conn.close()
    for width in (40, 80, 200):
        card = write_card_text(movie, width)
        widths = {display_width(line) for line in card.splitlines()}
        assert len(widths) == 1, (width, card)
        assert JAPANESE in card


def write_card_text(movie, width):
    from movie.catalog import catalog_path, open_catalog
    from movie.output.card import write_card
    from movie.read.card import card_of
    from movie.read.choose import default_movie

    conn = open_catalog(catalog_path(), lambda message: None)
    try:
        data = card_of(conn, default_movie(conn))
    finally:
        conn.close()
    out = io.StringIO()
    write_card(data, Format.table, out, Terminal(is_tty=True, color=False, width=width))
    return out.getvalue()


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


def test_json_rows_carry_the_ids_a_pipe_leaves_out(movie, seeded):
    """JSON and JSON lines name each row's title by id (a page movie's is its slug) and type;
    a table, TSV and CSV keep the columns they always had."""
    rows = json.loads(movie("cast", "-f", "json", "-n", "1").stdout)
    assert rows == [
        {
            "actor": "Nicolas Cage",
            "character": "Ben Sanderson",
            "person_id": None,  # a page's credit, linked to no IMDb person
            "title_id": "leaving-las-vegas-1995",
            "type": None,
        }
    ]
    line = json.loads(movie("quotes", "-f", "jsonl", "-n", "1").stdout)
    assert line["title_id"] == "leaving-las-vegas-1995"
    assert movie("cast", "-n", "1").stdout == "Nicolas Cage\tBen Sanderson\n"
    assert movie("cast", "-n", "1", "-f", "csv").stdout.startswith("actor,character\n")
