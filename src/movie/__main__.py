"""Entry point for `python -m movie` and the `movie` console script."""

from __future__ import annotations


def main() -> None:
    import gc

    # Start-up makes tens of thousands of objects (Typer's modules, movie's, the app), none of
    # them garbage: Python's cycle collector walked them again and again as they were made,
    # and once more at exit (40 of the 301 million instructions of `movie cast`). It is paused
    # until the command itself starts: the app's callback freezes what start-up made (out of
    # every later collection's way, the one at exit too) and switches it back on.
    gc.disable()
    import sys

    from movie.cli import app, keep_only_the_command_in

    keep_only_the_command_in(sys.argv[1:])
    app(prog_name="movie")


if __name__ == "__main__":
    main()
