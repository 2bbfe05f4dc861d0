"""The errors movie reports to users, and the exit status each one ends with."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class MovieError(Exception):
    """A problem the user can fix: shown as one line on stderr, never as a traceback."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class UsageError(MovieError):
    """The command line itself is wrong (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ExitStatus.USAGE)
