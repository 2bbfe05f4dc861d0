"""Source: a folder of catalog CSV files (movies.csv, cast.csv, ...), read and written.

Reading and writing live together because they must round-trip: export, load and export again
give the same bytes. Rows are in public columns (a row's movie is its slug).
"""

from __future__ import annotations

import collections
import csv
import io
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from movie.errors import MovieError
from movie.files import open_regular
from movie.tables import MINE, TABLES, Table
from movie.text import csv_line, whole_number

FLAG_VALUES = {"1": 1, "0": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


def check_folder(directory: Path) -> list[tuple[Table, Path]]:
    """The tables a folder holds, with their files; MovieError if it holds none."""
    if not directory.is_dir():
        raise MovieError(f"{directory} is not a directory of CSV files")
    found = [(table, directory / table.file) for table in (*TABLES, *MINE)]
    found = [(table, path) for table, path in found if path.exists() or path.is_symlink()]
    if not [table for table, _ in found if table in TABLES]:
        names = ", ".join(table.file for table in TABLES)
        raise MovieError(f"{directory} holds none of the catalog's CSV files ({names})")
    return found


def _convert(spec: Table, path: Path, line: int, name: str, raw: str) -> Any:
    if raw == "":
        if name in spec.required:
            raise MovieError(f"{path}, line {line}: {name} is empty; it is required")
        return None
    if name in spec.integers:
        number = whole_number(raw)
        if number is None:
            raise MovieError(
                f"{path}, line {line}: {name} {raw[:40]!r} is not a whole number "
                "(ASCII digits, at most 19 of them)"
            )
        return _within(spec, path, line, name, number)
    if name in spec.reals:
        try:
            value = float(raw) if raw.strip().isascii() else None
        except ValueError:
            value = None
        if value is None or not math.isfinite(value):
            raise MovieError(f"{path}, line {line}: {name} {raw[:40]!r} is not a number")
        return _within(spec, path, line, name, value)
    if name in spec.flags:
        flag = FLAG_VALUES.get(raw.strip().lower())
        if flag is None:
            raise MovieError(f"{path}, line {line}: {name} {raw!r} is not 1 or 0")
        return flag
    return raw


def _within(spec: Table, path: Path, line: int, name: str, value: float) -> Any:
    for column, low, high in spec.bounds:
        if column == name and not low <= value <= high:
            raise MovieError(
                f"{path}, line {line}: {name} {value:g} is out of range ({low:g} to {high:g})"
            )
    return value


def read_csv(spec: Table, path: Path) -> Iterator[dict[str, Any]]:
    """The rows of one CSV file, checked and converted; a MovieError names the first bad one."""

    handle = io.TextIOWrapper(
        open_regular(path, f"a {spec.file} file"), encoding="utf-8-sig", newline=""
    )
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header or header == [""] * len(header):
                raise MovieError(
                    f"{path} is empty; it needs a header row: {','.join(spec.columns)}"
                )
            header = [name.strip() for name in header]
            repeated = sorted(c for c, n in collections.Counter(header).items() if n > 1)
            if repeated:
                raise MovieError(
                    f"{path}, line 1: column(s) {', '.join(repeated)} appear more than once"
                )
            missing = [c for c in spec.columns if c not in header and c not in spec.optional]
            absent = dict.fromkeys(c for c in spec.columns if c not in header)
            unknown = [c for c in header if c not in spec.columns]
            if missing or unknown:
                problems = []
                if missing:
                    problems.append(f"missing column(s) {', '.join(missing)}")
                if unknown:
                    problems.append(f"unknown column(s) {', '.join(unknown)}")
                raise MovieError(
                    f"{path}: {'; '.join(problems)} (expected: {','.join(spec.columns)})"
                )
            for values in reader:
                line = reader.line_num
                if not values:
                    continue
                if len(values) != len(header):
                    raise MovieError(
                        f"{path}, line {line}: {len(values)} fields, the header has {len(header)}"
                    )
                row = {
                    name: _convert(spec, path, line, name, raw)
                    for name, raw in zip(header, values, strict=True)
                }
                row.update(absent)
                yield row
        except UnicodeDecodeError as exc:
            raise MovieError(
                f"{path} is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
                f"{exc.start}); save it as UTF-8 and load it again"
            ) from exc
        except csv.Error as exc:
            raise MovieError(f"{path}, line {reader.line_num}: not valid CSV: {exc}") from exc


def _umask() -> int:
    """The process umask (mkstemp makes files 0600; an export gets the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_folder(
    directory: Path, rows_of: Callable[[Table], Iterable[Sequence[Any]]]
) -> dict[str, int]:
    """Write every table's CSV file into directory: the header, then rows_of(table) (public
    columns, in the order the rows should appear); returns rows per file.

    Each file is written under a fresh name of its own (never a link someone planted) and
    renamed into place."""
    if directory.exists() and not directory.is_dir():
        raise MovieError(f"{directory} exists and is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MovieError(f"cannot create {directory}: {exc.strerror}") from exc
    counts: dict[str, int] = {}
    for spec in (*TABLES, *MINE):
        rows = rows_of(spec)
        if spec in MINE:  # your films: a file only where you have entries
            rows = list(rows)
            if not rows:
                continue
        target = directory / spec.file
        count = 0
        temporary: Path | None = None
        try:
            # A new file of our own (O_EXCL, a random name): never a link someone planted.
            fd, name = tempfile.mkstemp(prefix=f".{spec.file}.", suffix=".part", dir=directory)
            temporary = Path(name)
            with open(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(csv_line(spec.columns))
                for row in rows:
                    handle.write(csv_line(["" if value is None else str(value) for value in row]))
                    count += 1
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except OSError as exc:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise MovieError(f"cannot write {target}: {exc.strerror}") from exc
        except BaseException:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise
        counts[spec.file] = count
    return counts
