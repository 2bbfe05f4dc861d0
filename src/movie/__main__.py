"""Entry point for `python -m movie` and the `movie` console script."""

from __future__ import annotations


def main() -> None:
    import sys

    from movie.cli import app, keep_only_the_command_in

    keep_only_the_command_in(sys.argv[1:])
    app(prog_name="movie")


if __name__ == "__main__":
    main()
