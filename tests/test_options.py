"""Options: whole numbers, time limits and widths within bounds, empty paths refused, and what a
message quotes from the data escaped."""

from __future__ import annotations

from movie.errors import ExitStatus


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
    from movie.output import Terminal
    from movie.store.db import busy_timeout

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
