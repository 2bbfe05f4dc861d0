"""Property tests: a mangled HTML page (tags dropped, attributes renamed, text cut at any byte)
imports cleanly or is refused in one line, never half-way and never with a traceback."""

from __future__ import annotations

import re

import pytest
from helpers import FIXTURES, cli_import_is_clean, import_whole_or_not_at_all
from hypothesis import given, settings
from hypothesis import strategies as st

from movie.errors import ExitStatus
from movie.sources.html_page import parse_html_page

PAGES = {
    path.name: path.read_bytes()
    for path in sorted((FIXTURES / "html").glob("*.html"))
    if not path.name.startswith(("rt-", "other-"))
}
PIECES = re.compile(rb"(<[^<>]*>)")  # the test's own split of a page into tags and text
ATTRIBUTE = re.compile(rb"(\s)([A-Za-z][A-Za-z0-9_:-]*)(=)")


@st.composite
def mangled_pages(draw: st.DrawFn) -> bytes:
    pieces = PIECES.split(PAGES[draw(st.sampled_from(sorted(PAGES)))])
    tags = [i for i, piece in enumerate(pieces) if piece.startswith(b"<")]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["drop", "rename", "retext", "duplicate", "cut"]))
        i = draw(st.sampled_from(tags))
        if kind == "drop":
            pieces[i] = b""
        elif kind == "rename":
            found = list(ATTRIBUTE.finditer(pieces[i]))
            if found:
                match = draw(st.sampled_from(found))
                name = draw(st.sampled_from([b"x", b"class", b"data-qa", b"slot", b"title"]))
                pieces[i] = pieces[i][: match.start(2)] + name + pieces[i][match.end(2) :]
        elif kind == "retext":
            text = draw(st.text(max_size=40)).encode("utf-8", "surrogatepass")
            pieces[min(i + 1, len(pieces) - 1)] = text
        elif kind == "duplicate":
            pieces.insert(i, pieces[i])
        else:
            data = b"".join(pieces)
            return data[: draw(st.integers(0, len(data)))]
    return b"".join(pieces)


def attempt(data: bytes) -> None:
    import_whole_or_not_at_all(parse_html_page, data, "mangled.html")


@settings(max_examples=150)
@given(mangled_pages())
def test_mangled_html_imports_whole_or_is_refused(data):
    attempt(data)


@pytest.mark.slow
@settings(max_examples=1500)
@given(mangled_pages())
def test_mangled_html_imports_whole_or_is_refused_at_length(data):
    attempt(data)


@settings(max_examples=300)
@given(st.sampled_from(sorted(PAGES)), st.integers(0, 2**20))
def test_a_page_cut_at_any_byte(name, at):
    attempt(PAGES[name][: at % (len(PAGES[name]) + 1)])


@settings(max_examples=25)
@given(mangled_pages())
def test_mangled_html_through_the_cli_never_shows_a_traceback(movie, tmp_path, data):
    page = tmp_path / "page.html"
    page.write_bytes(data)
    result = movie("import", str(page))
    cli_import_is_clean(result)
    if result.exit_code == ExitStatus.ERROR:
        assert result.stderr.count("\n") == 1
