"""Source: IMDb's non-commercial datasets (title.basics.tsv.gz and six more), read as streams.

Each file is tab-separated UTF-8 with one header row; `\\N` means missing; fields are never
quoted (a bare `"` is just a character), so lines are split on tabs, never parsed as CSV. A file
may be gzip-compressed (read as a stream, never unpacked to disk) or not, and may start with a
byte-order mark. A helper thread reads and decompresses (zlib lets go of the GIL while it
works), so that decompressing and parsing run on two cores.

Rows come out as tuples of plain values for the writer. Nothing odd is fatal: a bad line, an id
that is not an IMDb id, a number that cannot be read, a character list that is not a JSON array
is counted in the Report with a first example; only a file that is not the IMDb file its name
says (a wrong header) is refused, before anything is written.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from movie.errors import MovieError
from movie.files import open_regular
from movie.records import Report

# Every file, in the order the writer reads them, with its header.
HEADERS = {
    "title.basics": (
        "tconst titleType primaryTitle originalTitle isAdult startYear endYear runtimeMinutes "
        "genres"
    ),
    "title.ratings": "tconst averageRating numVotes",
    "title.episode": "tconst parentTconst seasonNumber episodeNumber",
    "title.akas": "titleId ordering title region language types attributes isOriginalTitle",
    "name.basics": "nconst primaryName birthYear deathYear primaryProfession knownForTitles",
    "title.crew": "tconst directors writers",
    "title.principals": "tconst ordering nconst category job characters",
}
NULL = "\\N"
# IMDb's ids have 7 or 8 digits today; up to 10 leaves room to grow. Longer ones are bad ids.
MAX_DIGITS = 10
# The longest line a file may have: real lines are a few KB at most (a title's genres, a
# person's known-for titles). A longer one means the file is not a dataset file.
MAX_LINE = 1 << 20
CHUNK = 1 << 20  # bytes the reader thread hands over at a time
# Credits that go to the cast; every other category is crew (director, writer, producer, ...).
CAST_CATEGORIES = frozenset({"actor", "actress", "self", "archive_footage", "archive_sound"})
YEARS = range(1870, 2201)  # what the catalog accepts (schema.sql)


@dataclass(frozen=True)
class ImdbFile:
    name: str  # title.basics
    path: Path
    size: int  # bytes on disk, compressed or not: what progress is measured against

    @property
    def compressed(self) -> bool:
        return self.path.name.endswith(".gz")


def _header(handle: BinaryIO, compressed: bool) -> bytes:
    if compressed:
        import gzip

        with gzip.GzipFile(fileobj=handle) as unpacked:
            return unpacked.readline(64 * 1024)
    return handle.readline(64 * 1024)


def find_files(directory: Path) -> dict[str, ImdbFile]:
    """The IMDb files a folder holds (NAME.tsv.gz or NAME.tsv), each checked by its header, so
    that a wrong file is refused before anything is written."""
    if not directory.is_dir():
        raise MovieError(f"{directory} is not a folder of IMDb dataset files")
    found: dict[str, ImdbFile] = {}
    for name, header in HEADERS.items():
        for path in (directory / f"{name}.tsv.gz", directory / f"{name}.tsv"):
            if not (path.exists() or path.is_symlink()):
                continue
            with open_regular(path, "an IMDb dataset file") as handle:
                size = path.stat().st_size
                try:
                    first = _header(handle, path.name.endswith(".gz"))
                except (OSError, EOFError) as exc:
                    raise MovieError(f"{path} is not a readable gzip file ({exc})") from exc
            got = first.decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r\n").split("\t")
            if got != header.split():
                shown = "\t".join(got)[:80]
                raise MovieError(
                    f"{path} is not IMDb's {name} file: its header is {shown!r}, expected "
                    f"{header.replace(' ', ',')}; nothing was imported"
                )
            found[name] = ImdbFile(name, path, size)
            break
    if not found:
        names = ", ".join(f"{name}.tsv.gz" for name in HEADERS)
        raise MovieError(f"{directory} holds none of IMDb's dataset files ({names})")
    return found


class Lines:
    """One file's lines, split into fields, read and decompressed by a helper thread. `done`
    is how many bytes of the file on disk have been read (for progress)."""

    def __init__(self, file: ImdbFile, report: Report) -> None:
        self.file = file
        self.report = report
        self.done = 0
        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._read, name=f"read {file.name}", daemon=True)

    def _put(self, item: bytes | BaseException | None) -> bool:
        while not self.stopping.is_set():
            try:
                self.chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            with open_regular(self.file.path, "an IMDb dataset file") as raw:
                source: Any = raw
                if self.file.compressed:
                    import gzip

                    source = gzip.GzipFile(fileobj=raw)
                while True:
                    chunk = source.read(CHUNK)
                    self.done = raw.tell()
                    if not chunk:
                        break
                    if not self._put(chunk):
                        return
            self._put(None)
        except (OSError, EOFError) as exc:  # EOFError: a gzip file cut short
            self._put(exc)

    def _decode(self, block: bytes) -> str:
        try:
            return block.decode("utf-8")
        except UnicodeDecodeError:
            text = block.decode("utf-8", "replace")
            bad = next(line for line in text.split("\n") if "\ufffd" in line)
            self.report.note("bad_text", f"{self.file.name}: {bad[:60]}")
            return text

    def __iter__(self) -> Iterator[list[list[str]]]:
        """The file's rows, split into fields, a block (some thousands) at a time."""
        self.thread.start()
        try:
            yield from self._blocks()
        finally:
            self.stopping.set()

    def _blocks(self) -> Iterator[list[list[str]]]:
        width = len(HEADERS[self.file.name].split())
        carry = b""
        header = True
        while True:
            item = self.chunks.get()
            if isinstance(item, BaseException):
                raise MovieError(f"{self.file.path} could not be read to the end ({item})")
            if item is None:
                block, carry = carry, b""
            else:
                cut = item.rfind(b"\n")
                if cut < 0:
                    # A line carried over from chunk to chunk is bounded, so that a file with
                    # no line breaks (a gzip bomb of zeros) costs linear time and no memory.
                    if len(carry) + len(item) > MAX_LINE:
                        raise self._too_long()
                    carry += item
                    continue
                block, carry = carry + item[: cut + 1], item[cut + 1 :]
                if len(carry) > MAX_LINE:
                    raise self._too_long()
            lines = self._decode(block).split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if header and lines:
                lines = lines[1:]  # checked by find_files
                header = False
            rows = [line.split("\t") for line in lines]
            if rows and set(map(len, rows)) != {width}:
                rows = self._whole(rows, width)
            yield rows
            if item is None:
                return

    def _too_long(self) -> MovieError:
        return MovieError(
            f"{self.file.path} is not an IMDb dataset file: it has a line longer than "
            f"{MAX_LINE // (1 << 20)} MB (real lines are a few KB); nothing was imported"
        )

    def _whole(self, rows: list[list[str]], width: int) -> list[list[str]]:
        """The rows with every field; the others counted and passed over."""
        kept = []
        for fields in rows:
            if len(fields) == width:
                kept.append(fields)
            elif "".join(fields).strip("\r"):
                self.report.note("bad_rows", f"{self.file.name}: {chr(9).join(fields)[:60]}")
        return kept


# ---------------------------------------------------------------- values


def imdb_id(text: str, prefix: str) -> int | None:
    """'tt0113277' -> 113277 (prefix tt), 'nm0000115' -> 115 (nm); None for anything else:
    other prefixes, digits that are not ASCII ('tt٣', 'tt²'), more than MAX_DIGITS of them, or
    the number 0. The writer's hot loops write this check out the same way."""
    digits = text[2:]
    if (
        text.startswith(prefix)
        and digits.isdigit()
        and digits.isascii()
        and len(digits) <= MAX_DIGITS
        and digits.strip("0")
    ):
        return int(digits)
    return None


def tconst(number: int) -> str:
    return f"tt{number:07d}"


def nconst(number: int) -> str:
    return f"nm{number:07d}"


def number(text: str, report: Report, what: str) -> int | None:
    if text == NULL or text == "":
        return None
    if text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    report.note("odd_numbers", f"{what} {text[:40]}")
    return None


def year(text: str, report: Report, what: str) -> int | None:
    value = number(text, report, what)
    if value is not None and value not in YEARS:
        report.note("odd_numbers", f"{what} {text}")
        return None
    return value


def text(value: str) -> str | None:
    return None if value == NULL else value


def characters(value: str, report: Report) -> str | None:
    """IMDb's character list (a JSON array as text) as one text: every character, ' / ' between:
    '["Dr. Henry Jekyll","Mr. Edward Hyde"]' -> 'Dr. Henry Jekyll / Mr. Edward Hyde'."""
    if value == NULL or value == "":
        return None
    if value.startswith('["') and value.endswith('"]') and "\\" not in value:
        inner = value[2:-2]
        return inner.replace('","', " / ") if '","' in inner else inner
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
        return " / ".join(parsed) or None
    report.note("bad_characters", value[:60])
    return value
