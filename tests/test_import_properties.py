"""Property tests: a mangled page imports cleanly or fails cleanly, never half-way."""

from __future__ import annotations

import pytest
from helpers import FIXTURES, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from movie.catalog import load_folders, scratch_catalog
from movie.errors import MovieError
from movie.sources.text_page import parse_page
from movie.writer import import_record

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


def snapshot(conn) -> list[str]:
    return list(conn.iterdump())


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages())
def test_mangled_pages_import_whole_or_not_at_all(data):
    conn = scratch_catalog()
    load_folders(conn, [SEED])
    before = snapshot(conn)
    try:
        page = parse_page(data, "mangled.txt")
        import_record(conn, page)
    except MovieError as exc:
        assert "\n" not in exc.message
        assert snapshot(conn) == before
        return
    movie_id = conn.execute("SELECT id FROM movies WHERE slug = ?", (page.slug,)).fetchone()[0]
    for table, rows in page.rows().items():
        count = conn.execute(f"SELECT count(*) FROM {table} WHERE movie_id = ?", (movie_id,))
        assert count.fetchone()[0] == len(rows), table
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for fts in ("quotes_fts", "critic_reviews_fts", "audience_reviews_fts"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutated_pages())
def test_mangled_pages_through_the_cli_never_show_a_traceback(movie, tmp_path, data):
    page = tmp_path / "page.txt"
    page.write_bytes(data)
    result = movie("import", str(page))
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stderr
    assert all(
        line.startswith(("movie: ", "Created the movie catalog"))
        for line in result.stderr.splitlines()
    )
