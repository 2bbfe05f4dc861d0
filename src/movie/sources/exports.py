"""Your history as Letterboxd and IMDb export it, read into entries: what you watched, rated,
put on your watchlist, liked and wrote. Told apart by content (each file's header), like pages.

- Letterboxd's export is a zip (or the folder it unpacks to) of CSV files: diary.csv (a row per
  viewing: Date, Name, Year, Letterboxd URI, Rating, Rewatch, Tags, Watched Date), ratings.csv
  (0.5 to 5 stars), watched.csv, watchlist.csv, reviews.csv (the diary's columns and Review)
  and likes/films.csv; the rest (profile, comments, lists, deleted/, likes of lists and reviews)
  is named as not read. In diary.csv and reviews.csv the Letterboxd URI is the entry's own
  address; in the other files it is the film's.
- IMDb's exports: "Your Ratings" (Const, Your Rating, Date Rated, Title, [Original Title,] URL,
  Title Type, IMDb Rating, Runtime (mins), Year, Genres, Num Votes, Release Date, Directors),
  a list or the watchlist (Position, Const, Created, Modified, Description, Title, ...), and
  the export before 2017 ("position","const","created",...,"You rated",...). Title Type is
  'movie' in some years, 'Movie' / 'TV Series' in others, or in the user's language.

Only reads and yields; matching the entries to the catalog's movies is the writer's.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from movie.dates import read_date
from movie.errors import MovieError
from movie.tables import MY_LIKES, MY_RATINGS, MY_REVIEWS, MY_VIEWINGS, MY_WATCHLIST, Table

LETTERBOXD = "letterboxd"
IMDB = "imdb"
# In Export.complete: the undated viewings of watched.csv (keys letterboxd:watched:...).
WATCHED = "my_viewings:watched"
# Past this a "CSV" is not an export anyone made by hand or by a site (a life of films is a few
# thousand rows; a review may be long).
MAX_EXPORT_BYTES = 256 * 1024 * 1024
HEAD_BYTES = 64 * 1024

_LB_FILM = ("Date", "Name", "Year", "Letterboxd URI")
_LB_DIARY = (*_LB_FILM, "Rating", "Rewatch", "Tags", "Watched Date")
# The Letterboxd files read, by their path in the export, and the table each fills.
LETTERBOXD_FILES: dict[str, Table] = {
    "diary.csv": MY_VIEWINGS,
    "watched.csv": MY_VIEWINGS,
    "ratings.csv": MY_RATINGS,
    "watchlist.csv": MY_WATCHLIST,
    "reviews.csv": MY_REVIEWS,
    "likes/films.csv": MY_LIKES,
}

# IMDb's Title Type as its exports have written it, in English and in the languages its site
# offers ('|' between names), and the type title.basics gives the same titles.
_TYPES = {
    "movie": "movie|feature film|film|filme|película|pelicula|spielfilm|фильм|映画|电影|영화",
    "tvSeries": "tvseries|tv series|serie tv|série tv|serie de tv|série de tv|fernsehserie|serie",
    "tvMiniSeries": (
        "tvminiseries|tv mini series|miniserie tv|tv mini-series|mini serie tv|"
        "miniserie de tv|mini-série|minisérie|miniserie|mini-serie"
    ),
    "tvEpisode": "tvepisode|tv episode|episodio tv|episodio de tv|épisode tv|folge|episódio",
    "tvMovie": "tvmovie|tv movie|film tv|película de tv|fernsehfilm|téléfilm|telefilme",
    "tvSpecial": "tvspecial|tv special|speciale tv|especial de tv",
    "tvShort": "tvshort|tv short",
    "short": "short|corto|cortometraggio|cortometraje|court métrage|court-métrage|kurzfilm|curta",
    "video": "video|vidéo",
    "videoGame": "videogame|video game|videogioco|videojuego|jeu vidéo",
    "tvPilot": "tvpilot|tv pilot",
}
TYPE_NAMES = {name: kind for kind, names in _TYPES.items() for name in names.split("|")}


def imdb_type(text: str) -> str | None:
    """IMDb's type for a Title Type as an export wrote it ('Movie', 'TV Series', 'movie',
    'Serie TV'); None for one it does not know (IMDb's own files fill it later)."""
    return TYPE_NAMES.get(" ".join(text.split()).lower())


@dataclass
class Entry:
    """One entry of your history: the table it goes to and its public columns but the movie's
    (the writer matches that); for an IMDb entry, the title's IMDb number and what the export
    says of the film (so that a title the catalog lacks can be added)."""

    table: Table
    values: dict[str, Any]
    imdb_id: int | None = None
    film: dict[str, Any] | None = None


@dataclass
class Export:
    """What an export holds: its entries, the files read (path, entries) and not read, and the
    (table, source) pairs whose entries the files now say in full (a rating gone from the newer
    export is gone from the catalog)."""

    source: str
    entries: list[Entry] = field(default_factory=list)
    read: list[tuple[str, int]] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)
    complete: set[tuple[str, str]] = field(default_factory=set)


# ---------------------------------------------------------------- finding the files


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252: IMDb's older exports."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header(text: str) -> tuple[str, ...]:
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    return tuple(cell.strip() for cell in first)


def _kind_of(header: tuple[str, ...]) -> str | None:
    """Which export file a header is: 'letterboxd-diary', 'letterboxd-reviews',
    'letterboxd-ratings', 'letterboxd-films', 'imdb-ratings', 'imdb-list', or None."""
    names = set(header)
    lowered = {name.lower() for name in header}
    if header[:4] == _LB_FILM:
        if "Review" in names and set(_LB_DIARY) <= names:
            return "letterboxd-reviews"
        if set(_LB_DIARY) <= names:
            return "letterboxd-diary"
        if header == (*_LB_FILM, "Rating"):
            return "letterboxd-ratings"
        if header == _LB_FILM:
            return "letterboxd-films"
        return None
    if {"const", "title"} <= lowered and ("your rating" in lowered or "position" in lowered):
        return "imdb-list" if "position" in lowered else "imdb-ratings"
    return None


def _looks_like_csv(data: bytes) -> bool:
    head = data[:4096]
    return b"\x00" not in head and b"," in head.split(b"\n", 1)[0]


def read_export(path: Path) -> Export | None:
    """Your history from a Letterboxd zip or folder, or a single CSV of either site; None when
    the path is none of these (a saved page, say). MovieError for an export that cannot be
    read (a zip with no known file, a bad rating), naming the file and line."""
    from movie.files import open_regular

    if path.is_dir():
        found = _read_folder(path)
        if found is None:
            raise MovieError(
                f"{path} is a directory, not a saved movie page or a Letterboxd export (none "
                f"of {', '.join(LETTERBOXD_FILES)}); catalog CSV folders are read by "
                "`movie load`, IMDb's files by `movie import --imdb`"
            )
        return found
    if not path.is_file():
        return None  # (a device, a FIFO, nothing there: the page reader says what it is)
    with open_regular(path, "an export") as handle:
        head = handle.read(HEAD_BYTES)  # enough to tell: a zip, or a CSV by its header
        if head[:4] != b"PK\x03\x04":
            if not _looks_like_csv(head):
                return None
            header = _header(_decode(head.split(b"\n", 1)[0]))
            if _kind_of(header) is None:
                if path.suffix.lower() != ".csv":
                    return None
                shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
                raise MovieError(
                    f"{path}: a CSV file, but not a Letterboxd or IMDb export (its header: "
                    f"{shown}); catalog CSV folders are read by `movie load`"
                )
        data = head + handle.read(MAX_EXPORT_BYTES + 1 - len(head))
    if len(data) > MAX_EXPORT_BYTES:
        raise MovieError(f"{path}: larger than any export ({MAX_EXPORT_BYTES // 2**20} MiB)")
    if data[:4] == b"PK\x03\x04":
        return _read_zip(path, data)
    text = _decode(data)
    kind = _kind_of(_header(text))
    if kind is None:  # (a header that changed past the first read: not an export after all)
        return None
    export = Export(IMDB if kind.startswith("imdb") else LETTERBOXD)
    _read_file(export, str(path), _name_in_export(path), text, kind)
    return export


def _name_in_export(path: Path) -> str:
    """A lone file's path in its export ('likes/films.csv' for .../likes/films.csv)."""
    return f"likes/{path.name}" if path.parent.name == "likes" else path.name


# An unpacked export is two levels deep (likes/films.csv, lists/NAME.csv): a folder is looked
# at no deeper, and at no more entries than an export has (a home folder is not walked).
MAX_FOLDER_ENTRIES = 10_000


def _read_folder(folder: Path) -> Export | None:
    files: dict[str, Path] = {}
    pending = [(folder, "")]
    while pending and len(files) < MAX_FOLDER_ENTRIES:
        here, prefix = pending.pop()
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries[:MAX_FOLDER_ENTRIES]:
            name = f"{prefix}{entry.name}"
            if entry.is_file():
                files[name] = Path(entry.path)
            elif entry.is_dir(follow_symlinks=False) and not prefix:
                pending.append((Path(entry.path), f"{name}/"))
    readers = {name: (lambda p=p: _read_bounded(p)) for name, p in sorted(files.items())}
    return _read_files(str(folder), readers)


def _read_bounded(path: Path) -> bytes:
    """A file of the export: a regular file, at most MAX_EXPORT_BYTES."""
    from movie.files import open_regular

    with open_regular(path, "a file of an export") as handle:
        data = handle.read(MAX_EXPORT_BYTES + 1)
    if len(data) > MAX_EXPORT_BYTES:
        raise MovieError(f"{path}: larger than any export ({MAX_EXPORT_BYTES // 2**20} MiB)")
    return data


def _read_zip(path: Path, data: bytes) -> Export:
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {
            info.filename: info
            for info in archive.infolist()
            if not info.is_dir() and info.file_size <= MAX_EXPORT_BYTES
        }
    except (zipfile.BadZipFile, ValueError) as exc:
        raise MovieError(f"{path}: not a zip file that can be read ({exc})") from exc

    def reader(info: zipfile.ZipInfo) -> Any:
        return lambda: archive.read(info)

    found = _read_files(str(path), {name: reader(info) for name, info in members.items()})
    if found is None:
        raise MovieError(
            f"{path}: a zip with none of the files of a Letterboxd export "
            f"({', '.join(LETTERBOXD_FILES)})"
        )
    return found


def _read_files(where: str, files: dict[str, Any]) -> Export | None:
    """The files of an unpacked export, by their path in it (a zip's single top folder
    ignored)."""
    tops = {name.split("/", 1)[0] for name in files}
    if len(tops) == 1 and all("/" in name for name in files):
        files = {name.split("/", 1)[1]: read for name, read in files.items()}
    known = [name for name in LETTERBOXD_FILES if name in files]
    if not known:
        return None
    export = Export(LETTERBOXD)
    # The diary first: watched.csv adds only the films the diary has no viewing of.
    for name in known:
        data = files[name]()
        text = _decode(data)
        kind = _kind_of(_header(text))
        if kind is None or not kind.startswith("letterboxd"):
            raise MovieError(f"{where}: {name} is not the {name} of a Letterboxd export")
        _read_file(export, f"{where}/{name}", name, text, kind)
    export.not_read = sorted(
        name for name in files if name not in LETTERBOXD_FILES and not name.startswith(".")
    )
    return export


# ---------------------------------------------------------------- reading rows


def _rows(text: str, shown: str) -> Iterator[tuple[int, dict[str, str]]]:
    """A CSV's rows as {column: value}, with the line each starts on."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if None in row:  # more cells than the header has columns
                raise MovieError(f"{shown} line {reader.line_num}: more values than columns")
            yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items()}
    except csv.Error as exc:
        raise MovieError(f"{shown} line {reader.line_num}: {exc}") from exc


def _year(text: str, shown: str, line: int) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{4}", text) or not 1870 <= int(text) <= 2200:
        raise MovieError(f"{shown} line {line}: {text!r} is not a year")
    return int(text)


def _date(text: str, shown: str, line: int) -> str | None:
    """An ISO date from '2024-01-15' or, in the oldest IMDb exports, 'Sun Mar  1 00:00:00 2015'."""
    if not text:
        return None
    iso, _ = read_date(text)
    if iso is None:
        parts = text.split()
        if len(parts) == 5 and re.fullmatch(r"[0-9]{4}", parts[4]):
            iso, _ = read_date(f"{parts[1]} {parts[2]}, {parts[4]}")
    if iso is None:
        raise MovieError(f"{shown} line {line}: {text!r} is not a date")
    return iso


def stars(text: str, where: str) -> float:
    """Letterboxd's 0.5 to 5 stars on the 10-point scale (3.5 -> 7)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.5 <= value <= 5 or (value * 2) % 1:
        raise MovieError(f"{where}: rating {text!r} is not 0.5 to 5 stars in half stars")
    return value * 2


def tenths(text: str, where: str) -> float:
    """An IMDb rating: a whole number from 1 to 10."""
    if not re.fullmatch(r"[0-9]{1,2}", text) or not 1 <= int(text) <= 10:
        raise MovieError(f"{where}: rating {text!r} is not a whole number from 1 to 10")
    return float(text)


def _read_file(export: Export, shown: str, name: str, text: str, kind: str) -> None:
    before = len(export.entries)
    if kind.startswith("letterboxd"):
        _read_letterboxd(export, shown, name, text, kind)
    else:
        _read_imdb(export, shown, text, kind)
    export.read.append((shown, len(export.entries) - before))


def _read_letterboxd(export: Export, shown: str, name: str, text: str, kind: str) -> None:
    source = LETTERBOXD
    dated = {(e.values["name"], e.values["year"]) for e in export.entries if e.table is MY_VIEWINGS}
    if kind == "letterboxd-films":
        table = LETTERBOXD_FILES.get(name, MY_VIEWINGS)
    else:
        table = {
            "letterboxd-diary": MY_VIEWINGS,
            "letterboxd-reviews": MY_REVIEWS,
            "letterboxd-ratings": MY_RATINGS,
        }[kind]
    if table in (MY_RATINGS, MY_WATCHLIST, MY_LIKES):
        export.complete.add((table.name, source))
    if table is MY_VIEWINGS and kind == "letterboxd-films":
        # The films marked watched without a diary entry, as the export now says them (one
        # logged in the diary since is no longer an undated viewing besides).
        export.complete.add((WATCHED, source))
    for line, row in _rows(text, shown):
        where = f"{shown} line {line}"
        film_name = row.get("Name", "")
        if not film_name:
            raise MovieError(f"{where}: no Name")
        year = _year(row.get("Year", ""), shown, line)
        link = row.get("Letterboxd URI") or None
        date = _date(row.get("Date", ""), shown, line)
        base: dict[str, Any] = {"source": source, "name": film_name, "year": year}
        base["link"] = link
        entry_key = f"{source}:{link}" if link else f"{source}:{film_name}|{year}|{date}"
        rating = stars(row["Rating"], where) if row.get("Rating") else None
        if table is MY_VIEWINGS and kind == "letterboxd-films":
            if (film_name, year) in dated:
                continue  # the diary has its viewings
            values = {**base, "key": f"{source}:watched:{link or film_name + '|' + str(year)}"}
            values.update(watched_on=None, rewatch=0, tags=None, rating=None, scale=None)
            values["logged_on"] = date
        elif table is MY_VIEWINGS or table is MY_REVIEWS:
            watched = _date(row.get("Watched Date", ""), shown, line) or date
            values = {**base, "key": entry_key, "watched_on": watched}
            values.update(
                rating=rating,
                scale=5 if rating is not None else None,
                tags=row.get("Tags") or None,
            )
            if table is MY_VIEWINGS:
                values.update(rewatch=int(row.get("Rewatch", "").lower() == "yes"), logged_on=date)
            else:
                values.update(written_on=date, text=row.get("Review", ""))
                if not values["text"]:
                    raise MovieError(f"{where}: a review with no text")
        elif table is MY_RATINGS:
            if rating is None:
                raise MovieError(f"{where}: no Rating")
            values = {**base, "key": entry_key, "rating": rating, "scale": 5, "rated_on": date}
        elif table is MY_WATCHLIST:
            values = {**base, "key": entry_key, "added_on": date}
        else:
            values = {**base, "key": entry_key, "liked_on": date}
        export.entries.append(Entry(table, values))


def _column(row: dict[str, str], *names: str) -> str:
    lowered = {k.lower(): v for k, v in row.items()}
    for name in names:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return ""


def _read_imdb(export: Export, shown: str, text: str, kind: str) -> None:
    source = IMDB
    before = len(export.entries)
    for line, row in _rows(text, shown):
        where = f"{shown} line {line}"
        const = _column(row, "Const")
        if not re.fullmatch(r"tt[0-9]{1,10}", const):
            raise MovieError(f"{where}: {const!r} is not an IMDb title id (tt...)")
        number = int(const[2:])
        title = _column(row, "Title")
        if not title:
            raise MovieError(f"{where}: no Title")
        year = _year(_column(row, "Year"), shown, line)
        link = f"https://www.imdb.com/title/{const}/"
        base = {"key": f"{source}:{const}", "source": source, "name": title, "year": year}
        base["link"] = link
        film = _film_of(row, title, year, shown, line)
        given = _column(row, "Your Rating", "You rated")
        if given:
            rated_on = _date(_column(row, "Date Rated", "Created", "created"), shown, line)
            values = {**base, "rating": tenths(given, where), "scale": 10, "rated_on": rated_on}
            export.entries.append(Entry(MY_RATINGS, values, number, film))
        elif kind == "imdb-list":
            values = {**base, "added_on": _date(_column(row, "Created"), shown, line)}
            export.entries.append(Entry(MY_WATCHLIST, values, number, film))
        else:
            raise MovieError(f"{where}: no Your Rating")
    # What the file says in full: your ratings (the ratings export, or a list export whose
    # every title you rated: the export before 2017), else your watchlist.
    tables = {entry.table for entry in export.entries[before:]}
    rated = kind == "imdb-ratings" or tables == {MY_RATINGS}
    export.complete.add((MY_RATINGS.name if rated else MY_WATCHLIST.name, source))


def _film_of(
    row: dict[str, str], title: str, year: int | None, shown: str, line: int
) -> dict[str, Any]:
    """What an IMDb export says of a title, in the catalog's columns (genres and directors as
    lists)."""
    from movie.text import whole_number

    rating = _column(row, "IMDb Rating")
    try:
        imdb_rating: float | None = float(rating) if rating else None
    except ValueError:
        imdb_rating = None
    if imdb_rating is not None and not 1 <= imdb_rating <= 10:
        imdb_rating = None
    original = _column(row, "Original Title")
    genres = [g.strip().title().replace("_", "-") for g in _column(row, "Genres").split(",")]
    directors = [d.strip() for d in _column(row, "Directors").split(",")]
    return {
        "title": title,
        "year": year,
        "original_title": original if original and original != title else None,
        "title_type": imdb_type(_column(row, "Title Type", "Title type")),
        "imdb_rating": imdb_rating,
        "imdb_votes": whole_number(_column(row, "Num Votes", "Num. Votes")),
        "runtime_minutes": whole_number(_column(row, "Runtime (mins)")),
        "genres": [g for g in genres if g],
        "directors": [d for d in directors if d],
    }
