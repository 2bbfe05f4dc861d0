"""Entry point for `python -m movie` and the `movie` console script."""

from __future__ import annotations


def main() -> None:
    from movie.cli import app

    app(prog_name="movie")


if __name__ == "__main__":
    main()
