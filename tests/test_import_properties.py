"""Property tests: a mangled page imports cleanly or fails cleanly, never half-way."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, cli_import_is_clean, import_whole_or_not_at_all
from hypothesis import given, settings
from hypothesis import strategies as st

from movie.sources.text_page import parse_page

PAGE = (FIXTURES / "leaving-las-vegas.rt.txt").read_bytes()
LINES = PAGE.split(b"\n")


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            text = draw(
                st.one_of(
                    st.text(max_size=80),
                    st.sampled_from(
                        [
                            "Movie Info",
                            "Show More Cast",
                            "Top Critic",
                            "Super Reviewer",
                            "as ",
                            "Rating:",
                            "– Submitted by",
                            "All Critics (x) | Top Critics (y)",
                            "Full Review… | ",
                            "Critic Reviews for Leaving Las Vegas",
                            "Leaving Las Vegas Quotes",
                            ": :",
                        ]
                    ),
                )
            )
            lines.insert(i, text.encode("utf-8", "surrogatepass"))
        else:
            data = b"\n".join(lines)
            return data[: draw(st.integers(0, len(data)))]
    return b"\n".join(lines)


@pytest.mark.slow
@settings(max_examples=400)
@given(mutated_pages())
def test_mangled_pages_import_whole_or_not_at_all(data):
    import_whole_or_not_at_all(parse_page, data, "mangled.txt")


@settings(max_examples=40)
@given(mutated_pages())
def test_mangled_pages_through_the_cli_never_show_a_traceback(movie, tmp_path, data):
    page = tmp_path / "page.txt"
    page.write_bytes(data)
    result = movie("import", str(page))
    cli_import_is_clean(result)
