"""Finding titles and people by the words people type, best known first.

Every title's own, original and alternate titles and every person's name are in word indexes
(title_words, people_words in schema.sql) whose rowids put the best known first, so a search
reads documents in that order and stops once it has what it shows: a common word costs what a
rare one does. Words match whole, in any order, ignoring case, accents, punctuation and leading
articles; the last word may be the start of one ("shaw" finds Shawshank). When the words match
nothing, titles and names that look like them (a misspelling) are found by their trigrams.
"""

import heapq
import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from movie.errors import MovieError
from movie.store.schema import title_doc_movie
from movie.text import fold, pattern

# Articles a title may start with, in the languages titles come in most: left out of a search
# (when other words remain), so "the road" and "road" find the same titles.
ARTICLES = frozenset(
    "the a an le la les l der die das dem den des el los las il lo gli un une ein eine het".split()
)
MAX_WORDS = 32
MAX_TEXT = 500  # characters: a title or a name, not a page
TOP = 4194303  # the votes (or fame) a rowid can tell apart: 2^22 - 1
WORD = pattern(r"[^\W_]+")


class Found(NamedTuple):
    """A title or a person found: kind ('title' or 'person'), the catalog's id (None for a
    name page credits give in text), name, year(s), type (a title's; a person's professions),
    votes (a person's: their fame), and the alternate title that matched, with its region."""

    kind: str
    id: int | None
    slug: str | None
    name: str
    year: str
    type: str
    votes: int | None
    matched: str
    region: str

    @property
    def ref(self) -> str:
        """The id to show: tt0113277, nm0000199, else a page movie's slug."""
        if self.kind == "person":
            return f"nm{self.id:07d}" if self.id is not None else ""
        return f"tt{self.id:07d}" if self.type and self.id is not None else self.slug or ""


def words_of(text: str) -> list[str]:
    """The words to search for: folded, apostrophes dropped, articles left out when others
    remain. Raises MovieError when there is no word, or too many."""
    if len(text) > MAX_TEXT:
        raise MovieError(
            f"the words to find are too long ({len(text):,} characters; at most {MAX_TEXT})"
        )
    words = WORD.findall(_lower(text))
    if len(words) > MAX_WORDS:
        raise MovieError(f"too many words to find ({len(words)}; at most {MAX_WORDS})")
    kept = [word for word in words if word not in ARTICLES] or words
    if not kept:
        raise MovieError(f"nothing to find in {text!r}: give a word of a title or a name")
    return kept


def match_of(words: Sequence[str]) -> str:
    """The FTS5 query: every word whole, the last also as the start of a longer one."""
    last = words[-1]
    prefix = "*" if len(last) >= 3 or not last.isascii() else ""
    return " ".join([*(f'"{w}"' for w in words[:-1]), f'"{last}"{prefix}'])


def _lower(text: str) -> str:
    """Text as the word index's tokenizer reads it, but for Latin accents (which it drops
    itself, on both sides): apostrophes out, case folded."""
    import unicodedata

    return unicodedata.normalize("NFC", text.replace("'", "").replace("\u2019", "")).casefold()


def has_words(text: str, words: Sequence[str]) -> bool:
    """Whether a text holds the words as the index matches them: whole, the last (of three
    letters or more) also as the start of a word; accents aside."""
    own = [fold(word) or "" for word in WORD.findall(_lower(text))]
    *whole, last = [fold(word) or "" for word in words]
    if not set(whole) <= set(own):
        return False
    if len(last) >= 3 or not last.isascii():
        return any(word.startswith(last) for word in own)
    return last in own


def _docs(conn: sqlite3.Connection, index: str, match: str) -> Iterator[tuple[int, bool]]:
    """The documents of a word index that match, as (rowid, whole): first those where the last
    word is whole, best known first, then those where it only begins a word. A word index reads
    one word's documents in order and stops as soon as enough are found; a prefix query merges
    every word that begins so before the first row (half a second for "love*" at 12 million
    titles), so it runs only when the whole words have been read."""
    sql = f"SELECT rowid FROM {index} WHERE {index} MATCH ? ORDER BY rowid"
    whole = match[:-1] if match.endswith("*") else None
    if whole is None:
        for (rowid,) in conn.execute(sql, (match,)):
            yield rowid, True
        return
    done: set[int] = set()
    for (rowid,) in conn.execute(sql, (whole,)):
        done.add(rowid)
        yield rowid, True
    for (rowid,) in conn.execute(sql, (match,)):
        if rowid not in done:
            yield rowid, False


def _score(rank: int, whole: bool) -> int:
    """What a document ranks by: how well known (TOP minus the rank its rowid holds), below
    every whole-word match when its last word only begins a word."""
    return TOP - rank if whole else -rank - 1


def _titles(
    conn: sqlite3.Connection, match: str, types: frozenset[str] | None, year: int | None
) -> Iterator[tuple[int, Found]]:
    """Titles whose words match, best known first (whole words before beginnings), each once;
    with the score they rank by."""
    seen: set[int] = set()
    for rowid, whole in _docs(conn, "title_words", match):
        movie_id = title_doc_movie(rowid)
        if movie_id in seen:
            continue
        seen.add(movie_id)
        for found in _titles_by_id(conn, movie_id, types, year, slot=rowid & 511):
            yield _score(rowid >> 40, whole), found


def _people(conn: sqlite3.Connection, match: str) -> Iterator[tuple[int, Found]]:
    """IMDb people whose names match, best known first (whole words before beginnings; by the
    votes of their known-for titles)."""
    for rowid, whole in _docs(conn, "people_words", match):
        for person in _person_by_id(conn, rowid & 0x7FFFFFFF):
            yield _score(rowid >> 31, whole), person


def _page_names(conn: sqlite3.Connection, words: Sequence[str]) -> list[tuple[int, Found]]:
    """Names page credits give in text and link to no IMDb person (the seed's cast), with all
    the words; ranked by their number of credits. Read through the partial indexes of names,
    which hold page credits only."""
    likes = " AND ".join(["fold(CAST({col} AS BLOB)) LIKE ? ESCAPE '\\'"] * len(words))
    folded = [fold(w) or "" for w in words]
    patterns = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                for w in folded]  # fmt: skip
    sql = (
        f"SELECT actor, count(*) FROM cast_credits INDEXED BY cast_credits_actor "
        f"WHERE actor IS NOT NULL AND person_id IS NULL AND {likes.format(col='actor')} "
        "GROUP BY actor UNION ALL "
        f"SELECT name, count(*) FROM crew INDEXED BY crew_name "
        f"WHERE name IS NOT NULL AND person_id IS NULL AND {likes.format(col='name')} "
        "GROUP BY name"
    )
    counts: dict[str, int] = {}
    for name, credits in conn.execute(sql, [*patterns, *patterns]):
        if has_words(name, words):
            counts[name] = counts.get(name, 0) + credits
    return [
        (credits, Found("person", None, None, name, "", "", None, "", ""))
        for name, credits in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def find(
    conn: sqlite3.Connection,
    text: str,
    titles: bool = True,
    people: bool = True,
    types: frozenset[str] | None = None,
    year: int | None = None,
    limit: int = 20,
    similar_too: bool = True,
) -> Iterator[Found]:
    """Titles and people whose words contain all of `text`'s, best known first, streamed; when
    none match (and `similar_too`), the titles and names that look most like it. The words are
    checked at once (MovieError), before any row is read."""
    words = words_of(text)
    return _found(conn, words, titles, people, types, year, limit, similar_too)


def _found(
    conn: sqlite3.Connection,
    words: list[str],
    titles: bool,
    people: bool,
    types: frozenset[str] | None,
    year: int | None,
    limit: int,
    similar_too: bool,
) -> Iterator[Found]:
    match = match_of(words)
    streams: list[Iterator[tuple[int, Found]]] = []
    if titles:
        streams.append(_titles(conn, match, types, year))
    if people and types is None and year is None:
        streams.append(_people(conn, match))
        streams.append(iter(_page_names(conn, words)))
    merged = heapq.merge(*streams, key=lambda scored: -scored[0])
    count = 0
    try:
        for _, item in itertools.islice(merged, max(limit, 0)):
            count += 1
            yield item
    except sqlite3.OperationalError as exc:
        # A word of a script newer than the tokenizer's Unicode tables is two tokens to it (a
        # phrase, which an index without positions cannot match): found by its trigrams.
        if "phrase queries" not in str(exc) or count:
            raise
    if count or limit <= 0 or not similar_too:
        return
    key = " ".join(fold(word) or "" for word in words)
    yield from similar(conn, key, titles, people and types is None, types, year, limit)


def similar(
    conn: sqlite3.Connection,
    key: str,
    titles: bool,
    people: bool,
    types: frozenset[str] | None,
    year: int | None,
    limit: int,
) -> list[Found]:
    """Titles and people whose folded text shares most trigrams with `key` and reads close to
    it (a misspelling): the closest first, then the best known."""
    import difflib

    from movie.read.trigrams import trigram_matches

    def closeness(name: str) -> float:
        """How close the typed text reads to the name, or to its closest run of as many words
        ("wyrmwod" is close to "Wyrmwood: Road of the Dead")."""
        folded = fold(name) or ""
        own = WORD.findall(folded)
        size = len(key.split())
        runs = [" ".join(own[i : i + size]) for i in range(max(len(own) - size + 1, 1))]
        return max(difflib.SequenceMatcher(None, key, text).ratio() for text in [folded, *runs])

    scored: list[tuple[float, int, Found]] = []
    if titles:
        for movie_id in trigram_matches(conn, "titles_trigrams", key):
            for item in _titles_by_id(conn, movie_id, types, year):
                scored.append((closeness(item.name), item.votes or 0, item))
    if people:
        for person in trigram_matches(conn, "names_trigrams", key, limit=100):
            for item in _person_by_id(conn, person):
                scored.append((closeness(item.name), item.votes or 0, item))
    close = [s for s in scored if s[0] >= 0.6]
    close.sort(key=lambda s: (-round(s[0], 1), -s[1], s[2].name))
    return [item for *_, item in close[:limit]]


def _titles_by_id(
    conn: sqlite3.Connection,
    movie_id: int,
    types: frozenset[str] | None,
    year: int | None,
    slot: int = 0,
) -> Iterator[Found]:
    """The title with this id, if it is of the types and year asked for; with the other
    title the word index matched (`slot`: 1 its original title, 2 on an alternate title)."""
    row = conn.execute(
        "SELECT slug, title, year, end_year, title_type, imdb_votes, critic_count, "
        "original_title FROM movies WHERE id = ?",
        (movie_id,),
    ).fetchone()
    if row is None:  # (an index out of step with its table finds nothing rather than fail)
        return
    slug, title, made, ended, kind, votes, critics, original = row
    if (types is not None and (kind or "movie") not in types) or (
        year is not None and made != year
    ):
        return
    matched, region = "", ""
    if slot == 1:
        matched = original or ""
    elif slot > 1:
        aka = conn.execute(
            "SELECT title, region FROM akas WHERE movie_id = ? AND position = ?",
            (movie_id, slot - 1),
        ).fetchone()
        matched, region = (aka[0], aka[1] or "") if aka else ("", "")
    years = "" if made is None else str(made)
    if made is not None and (ended is not None or kind in ("tvSeries", "tvMiniSeries")):
        years += f"-{ended if ended is not None else ''}"  # a series: 1989-, 2014-2015
    shown = votes if votes is not None else critics
    yield Found("title", movie_id, slug, title, years, kind or "", shown, matched, region)


def _person_by_id(conn: sqlite3.Connection, person: int) -> Iterator[Found]:
    row = conn.execute(
        "SELECT name, birth_year, death_year, professions, fame FROM people WHERE id = ?",
        (person,),
    ).fetchone()
    if row is not None:
        name, born, died, professions, fame = row
        years = f"{born or ''}-{died or ''}" if born or died else ""
        kinds = (professions or "").replace(",", ", ")
        yield Found("person", person, None, name, years, kinds, fame, "", "")
