"""IMDb imports that add and never take away: extracts imported one after the other, files out of
title order, every alternate title with its region, and credits from either credits file.

The extracts are cut from the fixture files (tests/fixtures/imdb, IMDb's headers and quirks) the
way people share them: a few titles' rows of every file, with the people those rows credit."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import FIXTURES, dump, lines_run

from movie.errors import ExitStatus
from movie.store.schema import SCHEMA_VERSION

IMDB = FIXTURES / "imdb"
HEAT_AND_FRIENDS = {"tt0113277", "tt0113627", "tt0211915", "tt0087363", "tt4536608"}
THE_SIMPSONS = {
    *("tt0096697", "tt0348034", "tt0701063", "tt0701228", "tt0756593", "tt0011130", "tt0000009")
}


def extract(titles: set[str], folder: Path, source: Path = IMDB) -> Path:
    """The rows of these titles in every file, and the people those rows credit."""
    folder.mkdir()
    credited: set[str] = set()
    for path in source.iterdir():
        if path.name.startswith("name."):
            continue
        header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [row for row in rows if row.split("\t", 1)[0].lstrip("\ufeff") in titles]
        for row in kept:
            credited.update(
                field for field in row.replace(",", "\t").split("\t") if field[:2] == "nm"
            )
        (folder / path.name).write_text(header + "".join(kept), encoding="utf-8")
    header, *rows = (source / "name.basics.tsv").read_text(encoding="utf-8").splitlines(True)
    people = [row for row in rows if row.split("\t", 1)[0] in credited]
    (folder / "name.basics.tsv").write_text(header + "".join(people), encoding="utf-8")
    return folder


def import_each(imported, *folders: Path, options: tuple[str, ...] = (), db: Path | None = None):
    for folder in folders:
        imported("--imdb", folder, *options, db=db)


def at(path: Path) -> str:
    return dump(path, with_fts=False)


@pytest.fixture
def extracts(tmp_path):
    return (
        extract(HEAT_AND_FRIENDS, tmp_path / "heat"),
        extract(THE_SIMPSONS, tmp_path / "simpsons"),
    )


def test_two_extracts_in_either_order_keep_every_title_whole(
    imported, movie, seeded, extracts, tmp_path
):
    heat, simpsons = extracts
    whole = tmp_path / "whole.db"
    shutil.copy(seeded, whole)
    import_each(imported, IMDB, db=whole)
    for order in ((heat, simpsons), (simpsons, heat)):
        db = tmp_path / f"{order[0].name}-first.db"
        shutil.copy(seeded, db)
        run = lambda *a, db=db: movie("--db", str(db), *a)  # noqa: E731
        import_each(imported, *order, db=db)
        # Every title's cast, crew, genres and other titles, as one import of both would have.
        assert at(db) == at(whole), order
        assert run("cast", "tt0113277").stdout.startswith("Al Pacino\tLt. Vincent Hanna\n")
        assert run("person", "Dan Castellaneta").stdout.startswith("actor\tThe Simpsons\t1989")
        assert run("person", "Michael Mann").stdout.count("\tHeat\t1995") == 3
        assert "genres\tAnimation, Comedy" in run("card", "The Simpsons").stdout
        assert len(run("akas", "tt0211915").stdout.splitlines()) == 4
        # Importing either extract again changes nothing.
        before = at(db)
        import_each(imported, heat, simpsons, db=db)
        assert at(db) == before


def test_a_later_import_by_type_or_votes_keeps_the_other_titles(imported, movie, seeded):
    import_each(imported, IMDB)
    before = dump(os.environ["MOVIE_DB"], with_fts=False)
    import_each(imported, IMDB, options=("--types", "movie", "--min-votes", "100000"))
    assert dump(os.environ["MOVIE_DB"], with_fts=False) == before
    assert movie("cast", "The Simpsons").stdout.startswith("Dan Castellaneta\t")
    assert "Dr. Jekyll" in movie("person", "John Barrymore").stdout


def test_a_newer_extract_replaces_only_its_own_titles(imported, movie, seeded, extracts, tmp_path):
    """A newer extract of Heat's titles (De Niro's credit gone, a genre changed) replaces those
    titles' rows; The Simpsons, absent from it, keeps everything, and no title is deleted."""
    heat, simpsons = extracts
    import_each(imported, heat, simpsons)
    titles = movie("sql", "SELECT count(*) FROM movies").stdout
    newer = tmp_path / "newer"
    shutil.copytree(heat, newer)
    principals = newer / "title.principals.tsv"
    lines = principals.read_text(encoding="utf-8").splitlines(keepends=True)
    principals.write_text("".join(line for line in lines if "Neil McCauley" not in line))
    basics = newer / "title.basics.tsv"
    basics.write_text(basics.read_text().replace("Action,Crime,Drama", "Crime,Thriller"))
    import_each(imported, newer)
    assert "De Niro" not in movie("cast", "tt0113277").stdout
    assert "genres\tCrime, Thriller" in movie("card", "tt0113277").stdout
    assert movie("sql", "SELECT count(*) FROM movies").stdout == titles
    assert movie("cast", "The Simpsons").stdout.startswith("Dan Castellaneta\t")
    assert len(movie("cast", "tt0113627").stdout.splitlines()) == 36  # the page's, untouched


def with_lines(source: Path, folder: Path, **extra: list[str]) -> Path:
    """A copy of the fixture files with lines added (file name with _ for .: title_crew)."""
    shutil.copytree(source, folder)
    for name, lines in extra.items():
        path = folder / f"{name.replace('_', '.')}.tsv"
        path.write_text(path.read_text(encoding="utf-8") + "".join(f"{line}\n" for line in lines))
    return folder


def test_a_writer_only_principals_names_is_kept_once_with_the_job(
    imported, movie, seeded, tmp_path
):
    """title.crew lists Jeunet as Amélie's writer but not Laurant; principals credits both, with
    IMDb's job. Both stay, each once, whichever of the two files is imported, in any order."""
    files = with_lines(
        IMDB,
        tmp_path / "both",
        title_principals=[
            "tt0211915\t2\tnm0000466\twriter\tscreenplay\t\\N",
            "tt0211915\t3\tnm0490551\twriter\tscreenplay\t\\N",
            "tt0211915\t4\tnm0490551\twriter\tdialogue\t\\N",
            "tt0211915\t5\tnm0000466\tdirector\t\\N\t\\N",
        ],
        name_basics=["nm0490551\tGuillaume Laurant\t1961\t\\N\twriter,actor\ttt0211915"],
    )
    import_each(imported, files)
    writers = (
        "SELECT position, person_id, job FROM crew WHERE movie_id = 211915 AND role = 'writer' "
        "ORDER BY position"
    )
    expected = "1\t466\tscreenplay\n2\t490551\tscreenplay\n"
    assert movie("sql", writers).stdout == expected
    assert movie("sql", "SELECT count(*) FROM crew WHERE movie_id = 211915").stdout == "3\n"
    assert "written_by\tJean-Pierre Jeunet, Guillaume Laurant" in movie("card", "Amélie").stdout
    assert "writer\tAmélie\t2001" in movie("person", "Guillaume Laurant").stdout
    # Each file alone, again, and both again: nothing lost, nothing doubled.
    for name in ("title.crew.tsv", "title.principals.tsv"):
        alone = tmp_path / name
        alone.mkdir()
        shutil.copy(files / name, alone)
        import_each(imported, alone)
        assert movie("sql", writers).stdout.count("\n") == 2, name
        assert "Guillaume Laurant" in movie("card", "Amélie").stdout
    import_each(imported, files)
    assert movie("sql", writers).stdout.count("\n") == 2


def test_a_title_without_a_title_crew_row_keeps_its_principals_writer(
    imported, movie, seeded, tmp_path
):
    files = with_lines(
        IMDB,
        tmp_path / "files",
        title_principals=["tt0087363\t1\tnm0000520\twriter\tnovel\t\\N"],
    )
    import_each(imported, files)
    assert "written_by\tMichael Mann" in movie("card", "Heat (1986)").stdout


# ---------------------------------------------------------------- every alternate title


def test_every_alternate_title_is_kept_with_its_region(imported, movie, seeded):
    import_each(imported, IMDB)
    assert movie("akas", "Amélie", "--header").stdout.splitlines() == [
        "region\tlanguage\ttitle\ttypes\tattributes",
        "\t\tLe fabuleux destin d'Amélie Poulain\toriginal\t",
        "US\t\tAmélie\timdbDisplay\t",
        "DE\t\tDie fabelhafte Welt der Amélie\timdbDisplay\t",
        "AT\t\tDie fabelhafte Welt der Amelie\t\talternative spelling",
    ]
    # The US row has the primary title's text, and still answers "what is it called there?".
    assert movie("akas", "tt0113277", "--region", "us").stdout == "US\t\tHeat\timdbDisplay\t\n"
    assert movie("akas", "tt0113277", "-l", "ES").stdout == "ES\tes\tFuego contra fuego\t" + (
        "imdbDisplay\t\n"
    )
    assert "also_known_as\t4 alternate titles (movie akas)" in movie("card", "Amélie").stdout


def test_akas_in_every_format(imported, movie, seeded):
    import json

    import_each(imported, IMDB)
    rows = json.loads(movie("akas", "tt0113277", "-f", "json").stdout)
    assert rows[1] == {
        "region": "ES",
        "language": "es",
        "title": "Fuego contra fuego",
        "types": "imdbDisplay",
        "attributes": None,
    }
    jsonl = movie("akas", "tt0113277", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["title"] for line in jsonl] == ["Heat", "Fuego contra fuego", "Heat"]
    csv = movie("akas", "tt0113277", "-f", "csv").stdout.splitlines()
    assert csv[0] == "region,language,title,types,attributes" and csv[2].startswith("ES,es,")
    markdown = movie("akas", "tt0113277", "-f", "markdown").stdout
    assert "| Fuego contra fuego" in markdown
    assert movie("akas", "tt0113277", "-n", "1").stdout == "\t\tHeat\toriginal\t\n"


def test_akas_errors(imported, movie, seeded):
    import_each(imported, IMDB)
    none = movie("akas", "Dr. Jekyll and Mr. Hyde")
    assert none.exit_code == ExitStatus.ERROR
    assert "Dr. Jekyll and Mr. Hyde (1920) has no alternate titles in the catalog" in none.stderr
    italy = movie("akas", "tt0113277", "--region", "IT")
    assert italy.exit_code == ExitStatus.ERROR
    assert "Heat (1995) has no alternate title for region IT (3 in all)" in italy.stderr
    assert movie("akas", "No Such Film").exit_code == ExitStatus.ERROR


def test_several_types_are_shown_with_commas(imported, movie, seeded, tmp_path):
    files = with_lines(
        IMDB,
        tmp_path / "files",
        title_akas=["tt0113277\t4\tHeat - Der Film\tDE\tde\talternative\x02video\tnew title\t0"],
    )
    import_each(imported, files)
    shown = movie("akas", "tt0113277", "-r", "DE").stdout
    assert shown == "DE\tde\tHeat - Der Film\talternative, video\tnew title\n"


# ---------------------------------------------------------------- files out of title order


def make_files(folder: Path, titles: int, planted: int, seed: int = 7) -> Path:
    """title.basics, ratings, episodes and akas for `titles` titles; the last `planted` rows
    of ratings, episodes and akas moved to the front of their files (as a hand-made subset
    may have them)."""
    rng = random.Random(seed)
    folder.mkdir()
    ids = sorted(rng.sample(range(1, 9_000_000), titles))
    tables: dict[str, list[str]] = {
        "title.basics": [
            f"tt{n:07d}\t{'tvEpisode' if n % 5 == 0 else 'movie'}\tTitle {n}\tTitle {n}\t0\t"
            f"{1900 + n % 120}\t\\N\t{60 + n % 90}\tDrama,Comedy"
            for n in ids
        ],
        "title.ratings": [f"tt{n:07d}\t{1 + n % 90 / 10:.1f}\t{n % 5000}" for n in ids],
        "title.episode": [
            f"tt{n:07d}\ttt{ids[0]:07d}\t{n % 9}\t{n % 20}" for n in ids if n % 5 == 0
        ],
        "title.akas": [
            f"tt{n:07d}\t{k}\tTítulo {n} {k}\t{region}\t\\N\timdbDisplay\t\\N\t0"
            for n in ids
            for k, region in ((1, "ES"), (2, "FR"), (3, "US"))
        ],
    }
    from movie.sources.imdb import HEADERS

    for name, rows in tables.items():
        if name != "title.basics" and planted:
            rows = rows[-planted:] + rows[:-planted]
        header = "\t".join(HEADERS[name].split())
        (folder / f"{name}.tsv").write_text(header + "\n" + "\n".join(rows) + "\n")
    return folder


def work_of_import(folder: Path, db: Path) -> int:
    """The work an import does, counted without a clock: lines of movie's own Python run, and
    SQLite's virtual-machine steps (in thousands)."""
    from movie import catalog
    from movie.records import Report
    from movie.sources.imdb import find_files
    from movie.writer.imdb import import_imdb

    conn = catalog.open_catalog(catalog.catalog_path(str(db)), lambda m: None, write=True)
    steps = [0]

    def counted() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(counted, 1000)
    try:
        lines = lines_run(lambda: import_imdb(conn, find_files(folder), Report()))
    finally:
        conn.close()
    return lines + steps[0]


def test_files_out_of_title_order_import_whole_in_linear_work(tmp_path):
    """A few hundred rows planted out of order at the head of each file (the whole of the
    rest then arrives after its titles): the same catalog as the sorted files, for at most twice
    their work, and twice the titles cost twice the work, not four times."""
    work = {}
    for titles in (1500, 3000):
        for planted in (0, 300):
            folder = make_files(tmp_path / f"f-{titles}-{planted}", titles, planted)
            db = tmp_path / f"{titles}-{planted}.db"
            work[titles, planted] = work_of_import(folder, db)
        assert at(tmp_path / f"{titles}-300.db") == at(tmp_path / f"{titles}-0.db")
    for titles in (1500, 3000):
        assert work[titles, 300] <= 2 * work[titles, 0], work
    assert work[3000, 300] <= 2.3 * work[1500, 300], work


def test_unsorted_rows_are_reported(movie, tmp_path):
    folder = make_files(tmp_path / "files", 50, 5)
    result = movie("import", "--imdb", str(folder))
    assert result.exit_code == ExitStatus.OK
    assert "rows out of title order" in result.stderr
    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    assert conn.execute("SELECT count(*) FROM akas").fetchone()[0] == 150
    assert (
        conn.execute(
            "SELECT count(*) FROM movies WHERE imdb_rating IS NULL AND title_type IS NOT NULL"
        ).fetchone()[0]
        == 0
    )
    conn.close()


def test_the_lookup_index_holds_each_other_title_once(imported, movie, seeded):
    """Every row is stored; only the rows whose folded text finds the film by a text nothing
    else does carry a key, and only those are in the (partial) lookup index."""
    import_each(imported, IMDB)
    keyed = movie("sql", "SELECT title, title_key FROM akas WHERE movie_id = 211915").stdout
    assert keyed.splitlines() == [
        "Le fabuleux destin d'Amélie Poulain\tle fabuleux destin d'amelie poulain",
        "Amélie\t",  # the film's own title
        "Die fabelhafte Welt der Amélie\tdie fabelhafte welt der amelie",
        "Die fabelhafte Welt der Amelie\t",  # folds like the row before
    ]
    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'akas_title_key'").fetchone()
    assert sql.endswith("WHERE title_key <> ''")
    conn.close()


def test_a_schema_5_catalog_gets_the_smaller_index(imported, movie, seeded):
    import_each(imported, IMDB)
    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    conn.executescript(
        "DROP INDEX akas_title_key; CREATE INDEX akas_title_key ON akas (title_key);"
        "PRAGMA user_version = 5;"
    )
    conn.close()
    assert movie("card", "Die fabelhafte Welt der Amelie").stdout.startswith("title\tAmélie\n")
    conn = sqlite3.connect(os.environ["MOVIE_DB"])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'akas_title_key'").fetchone()
    assert "WHERE title_key <> ''" in sql
    conn.close()
