"""The movie command line, a package by command group: `app` (the Typer app and its one error
edge), `common` (messages, options and the catalog as commands open it), and one module per
group of commands, which the app registers (`reading`, `writing`, `charts`, `other`)."""

from movie.cli.app import app, keep_only_the_command_in
from movie.cli.common import PROG

__all__ = ["PROG", "app", "keep_only_the_command_in"]
