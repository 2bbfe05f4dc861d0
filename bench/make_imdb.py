"""Write the seven IMDb non-commercial dataset files, synthetic, deterministically, offline.

Same names, headers and format as the real downloads (`NAME.tsv.gz`: tab-separated UTF-8, one
header row, `\\N` for a missing value, fields never quoted), with the quirks real files have:
bare double quotes inside titles, character lists as JSON arrays (several characters, escaped
quotes, non-ASCII names), a title's principals not in ordering order, ids that point at nothing
(the extracts people share are partial), and a byte-order mark on title.ratings (a re-saved
file). At --scale 1 the row counts are the 2026 files' (about 200 million rows in all); most
titles are episodes, and votes follow a long tail.

    python bench/make_imdb.py OUT_DIR [--scale S] [--seed N]

Scale 1 takes most of an hour and some 7 GB; --scale 0.01 a minute.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

# Rows at scale 1: the 2026 files.
TITLES = 12_300_000
NAMES = 15_100_000
RATED_SHARE = 1_600_000 / TITLES
PRINCIPALS_PER_TITLE = 97_600_000 / TITLES
AKAS_PER_TITLE = 55_000_000 / TITLES
# titleType shares, episodes first: 9.5M of 12.3M titles are episodes.
TYPES = [
    ("tvEpisode", 0.772),
    ("short", 0.080),
    ("movie", 0.058),
    ("video", 0.030),
    ("tvSeries", 0.024),
    ("tvMovie", 0.013),
    ("tvSpecial", 0.006),
    ("tvMiniSeries", 0.005),
    ("videoGame", 0.004),
    ("tvShort", 0.002),
    ("tvPilot", 0.001),
]
GENRES = (
    "Drama Comedy Documentary Action Romance Thriller Crime Horror Adventure Family Animation "
    "Reality-TV Mystery Music Talk-Show Fantasy Sci-Fi Biography History Sport Game-Show News "
    "War Western Musical Film-Noir Adult Short"
).split()
CATEGORIES = [
    ("actor", 0.30),
    ("actress", 0.20),
    ("self", 0.14),
    ("director", 0.08),
    ("writer", 0.08),
    ("producer", 0.08),
    ("composer", 0.03),
    ("cinematographer", 0.03),
    ("editor", 0.03),
    ("production_designer", 0.01),
    ("casting_director", 0.01),
    ("archive_footage", 0.007),
    ("archive_sound", 0.003),
]
PROFESSIONS = (
    "actor actress producer writer director miscellaneous camera_department editor "
    "cinematographer composer sound_department art_department self"
).split()
REGIONS = "US GB FR DE JP IT ES IN BR CA MX RU SE KR AU XWW".split()
LANGUAGES = "en fr de ja it es hi pt ru sv ko".split()
AKA_TYPES = ["\\N", "\\N", "\\N", "imdbDisplay", "original", "working", "alternative", "dvd"]
FIRST = (
    "John Mary James Anna Robert Maria Michael Elena David Sofia Jean Chloé José Zoë Søren "
    "Hiroshi Yuki Ngozi Olga Giulia Ahmed Priya Björn Łukasz Renée"
).split()
LAST = (
    "Smith Johnson Garcia Müller Rossi Dubois Tanaka Suzuki Kowalski Silva Andersen Novak "
    "O'Brien Nguyen Kim Okafor Ivanova Haddad Patel Magalhães López Øberg"
).split()
WORDS = (
    "night love house dead city last blood man woman story war day return life dark sea "
    "heart king girl boy road home fire summer winter game secret shadow dream gold river"
).split()
FOREIGN = [
    "Le fabuleux destin",
    "Das Boot",
    "ゾンビマックス！怒りのデス・ゾンビ",
    "La vita",
    "Ödipus",
]
NULL = "\\N"
# Titles and people planted at their real ids, so that the benchmark asks what users ask:
# `movie cast tt0113277`, `movie person "Nicolas Cage"`, a long series' episodes.
PLANTED_TITLES = {
    113277: ("movie", "Heat", "Heat", 1995, 170, "Action,Crime,Drama"),
    113627: ("movie", "Leaving Las Vegas", "Leaving Las Vegas", 1995, 111, "Drama,Romance"),
    211915: ("movie", "Amélie", "Le fabuleux destin d'Amélie Poulain", 2001, 122, "Comedy,Romance"),
    96697: ("tvSeries", "The Simpsons", "The Simpsons", 1989, 22, "Animation,Comedy"),
}
CAGE = 115  # nm0000115
SIMPSONS = 96697
PLANTED_PEOPLE = {CAGE: ("Nicolas Cage", 1964), 223: ("Elisabeth Shue", 1963)}

FILES = {
    "title.basics": "tconst titleType primaryTitle originalTitle isAdult startYear endYear "
    "runtimeMinutes genres",
    "title.akas": "titleId ordering title region language types attributes isOriginalTitle",
    "title.principals": "tconst ordering nconst category job characters",
    "name.basics": "nconst primaryName birthYear deathYear primaryProfession knownForTitles",
    "title.crew": "tconst directors writers",
    "title.episode": "tconst parentTconst seasonNumber episodeNumber",
    "title.ratings": "tconst averageRating numVotes",
}


def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    point = rng.random() * sum(share for _, share in table)
    for value, share in table:
        point -= share
        if point <= 0:
            return value
    return table[-1][0]


def tconst(n: int) -> str:
    return f"tt{n:07d}"


def nconst(n: int) -> str:
    return f"nm{n:07d}"


def _title(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return rng.choice(FOREIGN)
    if roll < 0.04:
        return f'"{rng.choice(WORDS).title()} it" {rng.choice(WORDS)}'  # a bare quote
    words = rng.sample(WORDS, rng.randint(1, 4))
    return " ".join(w.title() for w in words)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _characters(rng: random.Random, category: str) -> str:
    if category == "self":
        return json.dumps(["Self"])
    if category not in ("actor", "actress") or rng.random() < 0.08:
        return NULL
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(1 + (rng.random() < 0.06))]
    if rng.random() < 0.01:
        names[0] = 'Frank "The Tank" ' + names[0].split()[-1]
    return json.dumps(names, ensure_ascii=False)


class Writers:
    """The seven gzip files, written in large chunks; mtime 0 so that output is byte-stable."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.handles: dict[str, TextIO] = {}
        self.pending: dict[str, list[str]] = {}
        self.rows: dict[str, int] = {}
        for name, header in FILES.items():
            raw = gzip.GzipFile(out / f"{name}.tsv.gz", "wb", compresslevel=1, mtime=0)
            handle = _text(raw)
            if name == "title.ratings":
                handle.write("\ufeff")  # a re-saved file starts with a byte-order mark
            handle.write("\t".join(header.split()) + "\n")
            self.handles[name] = handle
            self.pending[name] = []
            self.rows[name] = 0

    def row(self, name: str, *fields: object) -> None:
        batch = self.pending[name]
        batch.append("\t".join(str(f) for f in fields))
        if len(batch) >= 20_000:
            self.flush(name)

    def flush(self, name: str) -> None:
        batch = self.pending[name]
        if batch:
            self.handles[name].write("\n".join(batch) + "\n")
            self.rows[name] += len(batch)
            batch.clear()

    def close(self) -> None:
        for name, handle in self.handles.items():
            self.flush(name)
            handle.close()


def _text(raw: gzip.GzipFile) -> TextIO:
    import io

    return io.TextIOWrapper(raw, encoding="utf-8", newline="\n")


def _votes(rng: random.Random) -> int:
    return max(5, int(5 * rng.paretovariate(0.9)))


def titles(rng: random.Random, count: int, names: int, out: Writers) -> Iterator[int]:
    """Write every title file; yields as it goes (for progress)."""
    series: list[int] = []
    for n in range(1, count + 1):
        kind = _pick(rng, TYPES)
        tid = tconst(n)
        year = rng.randint(1894, 2026) if rng.random() < 0.92 else None
        primary = _title(rng)
        original = primary if rng.random() < 0.85 else _title(rng)
        runtime = rng.randint(1, 240) if rng.random() < 0.65 else None
        genres = (
            ",".join(sorted(rng.sample(GENRES, rng.randint(1, 3)))) if rng.random() < 0.9 else NULL
        )
        planted = PLANTED_TITLES.get(n)
        if planted:
            kind, primary, original, year, runtime, genres = planted
        end = NULL
        if kind in ("tvSeries", "tvMiniSeries"):
            series.append(n)
            if year is not None and rng.random() < 0.5:
                end = str(min(2026, year + rng.randint(0, 15)))
        out.row(
            "title.basics",
            tid,
            kind,
            primary,
            original,
            1 if rng.random() < 0.02 else 0,
            NULL if year is None else year,
            end,
            NULL if runtime is None else runtime,
            genres,
        )
        if kind == "tvEpisode":
            parent = rng.choice(series) if series and rng.random() < 0.998 else count + n
            if n > SIMPSONS and rng.random() < 0.0001:  # some 900 episodes at scale 1
                parent = SIMPSONS
            season = rng.randint(1, 30) if rng.random() < 0.9 else None
            episode = rng.randint(1, 200) if season is not None else None
            out.row(
                "title.episode",
                tid,
                tconst(parent),
                NULL if season is None else season,
                NULL if episode is None else episode,
            )
        people = [rng.randint(1, names) for _ in range(int(rng.expovariate(1 / 3)) + 1)]
        directors = ",".join(nconst(p) for p in people[:1]) if rng.random() < 0.8 else NULL
        writers = ",".join(nconst(p) for p in people[1:3]) or NULL
        out.row("title.crew", tid, directors, writers)
        credits = max(0, round(rng.gauss(PRINCIPALS_PER_TITLE, 3)))
        order = list(range(1, credits + 1))
        rng.shuffle(order)  # a title's rows are not sorted by ordering
        for ordering in order:
            category = _pick(rng, CATEGORIES)
            person = rng.randint(1, names) if rng.random() < 0.999 else names + rng.randint(1, 99)
            if category == "actor" and rng.random() < 0.000005:
                person = CAGE  # a long filmography: some 150 credits at scale 1
            characters = _characters(rng, category)
            # As in IMDb's files, a title's directors and writers in title.principals are
            # (nearly always) the people on its title.crew lists; one in 40 is someone else.
            # Chosen without the random stream, which the rest of the files keep as it was.
            listed = people[:1] if category == "director" and directors != NULL else []
            if category == "writer" and writers != NULL:
                listed = people[1:3]
            if listed and (n + ordering) % 40:
                person = listed[(n + ordering) % len(listed)]
            if n == 113627 and ordering == 1:
                category, person, characters = "actor", CAGE, '["Ben Sanderson"]'
            job = NULL
            if category in ("writer", "producer", "director") and rng.random() < 0.5:
                job = rng.choice(["screenplay", "novel", "producer", "executive producer", "story"])
            out.row(
                "title.principals",
                tid,
                ordering,
                nconst(person),
                category,
                job,
                characters,
            )
        akas = max(0, round(rng.gauss(AKAS_PER_TITLE, 2)))
        for ordering in range(1, akas + 1):
            original_aka = ordering == 1
            out.row(
                "title.akas",
                tid,
                ordering,
                original
                if original_aka
                else (rng.choice(FOREIGN) if rng.random() < 0.3 else primary),
                NULL if original_aka else rng.choice(REGIONS),
                rng.choice(LANGUAGES) if rng.random() < 0.2 else NULL,
                "original" if original_aka else rng.choice(AKA_TYPES),
                NULL,
                1 if original_aka else 0,
            )
        if rng.random() < RATED_SHARE * (0.4 if kind == "tvEpisode" else 3.0) or planted:
            votes = 700_000 + n if planted else _votes(rng)
            out.row("title.ratings", tid, f"{rng.uniform(1, 10):.1f}", votes)
        if n % 100_000 == 0:
            yield n


def people(rng: random.Random, count: int, titles_count: int, out: Writers) -> Iterator[int]:
    for n in range(1, count + 1):
        born = rng.randint(1850, 2015) if rng.random() < 0.25 else None
        died = (
            str(min(2026, born + rng.randint(20, 100)))
            if born is not None and rng.random() < 0.3
            else NULL
        )
        known = [rng.randint(1, titles_count + 1000) for _ in range(rng.randint(0, 4))]
        name = _name(rng)
        if n in PLANTED_PEOPLE:
            name, born = PLANTED_PEOPLE[n]
        out.row(
            "name.basics",
            nconst(n),
            name,
            NULL if born is None else born,
            died,
            ",".join(rng.sample(PROFESSIONS, rng.randint(1, 3))) if rng.random() < 0.8 else NULL,
            ",".join(tconst(t) for t in known) or NULL,
        )
        if n % 100_000 == 0:
            yield n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the 2026 row counts")
    parser.add_argument("--seed", type=int, default=1995)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    count = max(10, int(TITLES * args.scale))
    names = max(10, int(NAMES * args.scale))
    started = time.monotonic()
    out = Writers(args.out)
    try:
        for done in titles(rng, count, names, out):
            print(f"\r{done:,} titles", end="", flush=True)
        for done in people(rng, names, count, out):
            print(f"\r{done:,} people", end="", flush=True)
    finally:
        out.close()
    total = sum(out.rows.values())
    print(f"\rwrote {total:,} rows in {time.monotonic() - started:.0f} s to {args.out}")
    for name, rows in out.rows.items():
        print(f"  {name}.tsv.gz: {rows:,} rows")


if __name__ == "__main__":
    main()
