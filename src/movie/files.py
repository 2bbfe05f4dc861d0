"""Opening the user's input files safely: regular files only, and pages read with a size bound.

A FIFO would block the open itself and /dev/zero or /dev/urandom never end, so a path is opened
without blocking and checked before a byte is read. Imports only errors.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from movie.errors import MovieError

MAX_PAGE_ENV = "MOVIE_MAX_PAGE_MB"
MAX_PAGE_MB = 16  # a saved page is a few MB at most; past this it is not a page


def max_page_bytes() -> int:
    try:
        megabytes = float(os.environ.get(MAX_PAGE_ENV, MAX_PAGE_MB))
    except ValueError:
        megabytes = MAX_PAGE_MB
    return max(1, int(megabytes * 1024 * 1024))


def describe_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path, what: str) -> BinaryIO:
    """The file at path (links followed), opened for reading; MovieError unless it is a regular
    file. `what` names what the file should be, for the message."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise MovieError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise MovieError(f"{path} is a directory, not {what}") from None
    except OSError as exc:
        raise MovieError(f"cannot read {path}: {exc.strerror}") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise MovieError(f"{path} is {describe_kind(mode)}, not {what}; give a regular file")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _bounded(handle: BinaryIO, name: str, what: str) -> bytes:
    limit = max_page_bytes()
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise MovieError(
            f"{name} is larger than {limit / 1024 / 1024:g} MB, too large for {what} "
            f"(set {MAX_PAGE_ENV} to allow more)"
        )
    return data


def read_page(name: str, what: str = "a saved movie page") -> bytes:
    """A saved page's bytes, from a regular file or - (stdin), at most max_page_bytes()."""
    if name == "-":
        return _bounded(sys.stdin.buffer, "<stdin>", what)
    with open_regular(Path(name), what) as handle:
        return _bounded(handle, name, what)


_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """UTF-16 or UTF-32 (as Windows tools save text), by its byte-order mark or, without one, by
    where the zero bytes of mostly-ASCII text fall: (codec, length of the mark); None for text
    in a one-byte encoding or for binary data."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    head = data[:4096]
    if b"\x00" not in head or len(head) < 8:
        return None
    quarter = len(head) // 4
    zeros = [head[k : quarter * 4 : 4].count(0) / quarter for k in range(4)]
    # Which of the four byte positions are mostly zero: 'z' mostly, '.' hardly ever.
    shape = "".join("z" if z > 0.6 else "." if z < 0.1 else "?" for z in zeros)
    return {
        ".zzz": ("utf-32-le", 0),
        "zzz.": ("utf-32-be", 0),
        ".z.z": ("utf-16-le", 0),
        "z.z.": ("utf-16-be", 0),
    }.get(shape)


def decode_page(data: bytes, name: str, warnings: list[str]) -> str:
    """Page bytes as text: UTF-8 (with or without a byte-order mark), UTF-16 or UTF-32 (with or
    without one), else Windows-1252."""
    wide = wide_encoding(data)
    if wide is not None:
        codec, mark = wide
        try:
            text = data[mark:].decode(codec)
        except UnicodeDecodeError:
            raise MovieError(f"{name} is a binary file, not a saved movie page") from None
        if "\x00" in text:
            raise MovieError(f"{name} is a binary file, not a saved movie page")
        return text
    if b"\x00" in data:
        raise MovieError(f"{name} is a binary file, not a saved movie page")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise MovieError(f"{name} is neither UTF-8 nor Windows-1252 text ({exc.reason})") from exc
    warnings.append(f"{name}: not UTF-8; read it as Windows-1252 (cp1252)")
    return text
