"""A second process that writes a part file beside the catalog while the first process goes on
with its own share of an import: both cores work, and rows never pass between the processes
(each writes SQLite pages itself; the first copies the part into the catalog with SQLite's C
code). The part file is deleted whether the import lands or not; an interrupted or failed
import stops the second process, and a second process whose first is killed deletes the file
itself. Used by the IMDb import (writer/imdb_part.py) and the RT dataset's (writer/rt_words.py).
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from movie.errors import MovieError

INTERRUPTED = "interrupted"
PREFIX = ".movie-part-"


class Orphaned(Exception):
    """The first process is gone (killed): the part is of no use to anyone."""


# The work: (path, done, parent, *args) -> None, where `done` is a shared number the work
# keeps up (bytes or rows read, for the progress line) and `parent` the first process's pid,
# gone if os.getppid() differs (then the work raises Orphaned).
Work = Callable[..., None]


def _run(
    work: Work, args: tuple[Any, ...], path: str, done: Any, errors: Any, parent: int, what: str
) -> None:
    """The second process: write the part, or say in one line why it could not. A part
    written stays until the first process has copied it and ends this one; if the first is
    killed meanwhile, this one deletes it."""
    try:
        work(path, done, parent, *args)
    except Orphaned:
        _remove(path)
        return
    except KeyboardInterrupt:
        errors.put(INTERRUPTED)
        return
    except MovieError as exc:  # the file itself: said as the first process says it
        errors.put(str(exc))
        return
    except BaseException as exc:  # said by the first process, not printed here
        errors.put(f"{what} could not be imported: the rows could not be set aside ({exc})")
        return
    errors.put("")
    try:
        while os.getppid() == parent:
            time.sleep(0.2)
    except KeyboardInterrupt:  # Ctrl-C: the first process ends too, and deletes the part
        return
    _remove(path)


def _remove(path: str) -> None:
    for leftover in (path, path + "-journal"):
        Path(leftover).unlink(missing_ok=True)


def _remove_stale(folder: str) -> None:
    """Part files of imports whose process is gone (killed before it could delete them)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not name.startswith(PREFIX) or not name.endswith(".db"):
            continue
        pid = name[len(PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(os.path.join(folder, name))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def part_path(beside: str) -> str:
    """A new part file's path, beside the catalog at `beside` (in the temporary folder for a
    catalog in memory); part files of killed imports there are deleted first."""
    folder = (os.path.dirname(beside) or ".") if beside else tempfile.gettempdir()
    _remove_stale(folder)
    return os.path.join(folder, f"{PREFIX}{os.getpid()}-{secrets.token_hex(8)}.db")


def detach_and_remove(conn: sqlite3.Connection, name: str, path: str) -> None:
    """A part file detached from `conn` (after its transaction) if attached, and deleted."""
    if any(row[1] == name for row in conn.execute("PRAGMA database_list")):
        conn.execute(f"DETACH DATABASE {name}")
    _remove(path)


class Helper:
    """The second process and its part file: `start`, then `wait` for the file's path, `close`
    in every case. `what` names the files it reads, for its errors ("x could not be
    imported: ..."); `them` is how those say it ("them" or "it")."""

    attached = "part"  # the part's name in the catalog's connection

    def __init__(
        self, work: Work, args: tuple[Any, ...], beside: str, what: str, them: str = "it"
    ) -> None:
        self.what, self.them = what, them
        # Named here, made by the second process: a first process killed before it starts
        # one leaves no file behind.
        self.path = part_path(beside)
        # fork where it is safe and quick (Linux); elsewhere a fresh interpreter.
        context: Any = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.done = context.Value("q", 0, lock=False)
        self.errors = context.SimpleQueue()
        self.process = context.Process(
            target=_run,
            args=(work, args, self.path, self.done, self.errors, os.getpid(), what),
            name="movie: " + what,
            daemon=True,
        )
        self.running = False  # until the part is read back

    def start(self) -> None:
        self.process.start()
        self.running = True

    def read(self) -> int:
        """What the work has read so far (its own measure: bytes, rows)."""
        return int(self.done.value)

    def wait(self, waiting: Callable[[int], None]) -> str:
        """The part file once the second process has written it whole (`waiting` is told
        what it has read, now and then, meanwhile); MovieError if it could not."""
        while self.errors.empty() and self.process.is_alive():
            waiting(self.read())
            self.process.join(0.25)
        if self.errors.empty():
            raise MovieError(
                f"{self.what} could not be imported: the process reading {self.them} "
                f"stopped (exit status {self.process.exitcode})"
            )
        said = self.errors.get()
        self.running = False
        if said == INTERRUPTED:
            raise KeyboardInterrupt
        if said:
            raise MovieError(said)
        return self.path

    def close(self, conn: sqlite3.Connection) -> None:
        """The part detached from `conn` (after its transaction), the second process ended and
        the file deleted."""
        if self.process.is_alive():
            self.process.terminate()
        if self.process.pid is not None:
            self.process.join()
        detach_and_remove(conn, self.attached, self.path)
