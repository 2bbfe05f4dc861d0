"""Ctrl-C and time limits for work that runs inside SQLite, and a shield around COMMIT.

Python runs a signal handler only between bytecodes, so a long SQLite statement would not
notice Ctrl-C until it ended. Every connection gets `progress` as its progress handler, which
SQLite calls every few thousand steps: Python's handler runs there, and the statement stops.
The same check enforces a time limit, counted only while SQLite works (not while the rows it
has found are being written out).

Once COMMIT has started, a Ctrl-C is held back: the write is on disk, so the command reports
success rather than "interrupted". A command that goes on to more work calls `unshield()`
first, which raises the held-back interrupt there.

A leaf: imports nothing of movie's own.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

# SQLite virtual-machine steps between two checks: about a millisecond of work.
STEPS = 20_000


class _State:
    interrupted = False  # Ctrl-C arrived while work could stop
    held = False  # Ctrl-C arrived while shielded
    shielded = False
    budget: float | None = None  # seconds of SQLite time left, None for no limit
    running_since = 0.0
    paused_at: float | None = None
    stopped_at_limit: float | None = None  # the limit that stopped a statement
    limit: float | None = None


state = _State()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    if state.shielded:
        state.held = True
        return
    state.interrupted = True
    raise KeyboardInterrupt


def progress() -> int:
    """SQLite's progress handler: non-zero stops the running statement ("interrupted")."""
    if state.interrupted:
        return 1
    if state.budget is not None and time.monotonic() - state.running_since > state.budget:
        state.stopped_at_limit = state.limit
        return 1
    return 0


@contextmanager
def handling_ctrl_c() -> Iterator[None]:
    """Ctrl-C handled as above for the length of one command (main thread only)."""
    reset()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def reset() -> None:
    global state
    state = _State()


@contextmanager
def shielded() -> Iterator[None]:
    """Ctrl-C is held back from here on (for a COMMIT and the report after it)."""
    state.shielded = True
    yield


def unshield() -> None:
    """More work begins: Ctrl-C stops it again, and one held back during a COMMIT stops it now."""
    state.shielded = False
    if state.held:
        state.held = False
        state.interrupted = True
        raise KeyboardInterrupt


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop statements once SQLite has worked for `seconds` in all (None or 0: no limit)."""
    state.limit = state.budget = seconds or None
    state.running_since = time.monotonic()
    state.paused_at = None
    try:
        yield
    finally:
        state.budget = state.limit = None


def _over_time() -> bool:
    return (
        state.budget is not None
        and state.paused_at is None
        and time.monotonic() - state.running_since > state.budget
    )


@contextmanager
def watchdog(interrupt: Callable[[], None]) -> Iterator[None]:
    """Ctrl-C and the time limit, for work that may stay inside one C call for long (a user's
    printf('%.*c', 300000000, 'x') is one step of SQLite's machine, so the progress handler
    never runs): a thread watching the clock, and the signal through a wakeup pipe (Python
    runs its own handler only between bytecodes), calls `interrupt` (a connection's)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    try:
        previous = signal.set_wakeup_fd(write_end)
    except ValueError:
        os.close(read_end)
        os.close(write_end)
        yield
        return
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            ready, _, _ = select.select([read_end], [], [], 0.05)
            arrived = os.read(read_end, 64) if ready else b""
            if signal.SIGINT in arrived or _over_time():
                if signal.SIGINT not in arrived:
                    state.stopped_at_limit = state.limit
                interrupt()

    thread = threading.Thread(target=watch, name="watchdog", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        signal.set_wakeup_fd(previous)
        os.close(read_end)
        os.close(write_end)


def limited() -> bool:
    return state.budget is not None


def on_the_clock(fetch: Callable[[], Any]) -> Any:
    """Run one fetch on the clock; time between fetches (writing rows out) is not counted."""
    if state.budget is None:
        return fetch()
    if state.paused_at is not None:
        state.running_since += time.monotonic() - state.paused_at
        state.paused_at = None
    try:
        return fetch()
    finally:
        state.paused_at = time.monotonic()


def was_interrupted() -> bool:
    return state.interrupted


def timed_out() -> float | None:
    """The limit that stopped the last statement, if a time limit did."""
    return state.stopped_at_limit
