"""Texts that look like a misspelt one, by the trigram indexes of titles and names."""

from __future__ import annotations

import sqlite3


def trigram_matches(conn: sqlite3.Connection, index: str, key: str, limit: int = 200) -> list[int]:
    """Ids whose folded text shares the most trigrams with `key` (a typo's suggestions). Only
    the rarest of its trigrams are looked up (their document counts come from the index's
    vocabulary), so a search among 12 million titles reads thousands of ids, not millions."""
    grams = list(dict.fromkeys(key[i : i + 3] for i in range(len(key) - 2)))
    if not grams:
        return []
    vocab = f"{index}_vocab"
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab(main, {index}, 'row')"
    )
    marks = ", ".join("?" * len(grams))
    counts = conn.execute(f"SELECT doc, term FROM temp.{vocab} WHERE term IN ({marks})", grams)
    chosen: list[str] = []
    total = 0
    for docs, gram in sorted(counts):
        if len(chosen) >= MAX_LOOKED_UP or (chosen and total + docs > MAX_READ):
            break
        chosen.append(gram)
        total += docs
    if not chosen:
        return []
    parts = " UNION ALL ".join(f"SELECT rowid FROM {index} WHERE {index} MATCH ?" for _ in chosen)
    sql = f"SELECT rowid FROM ({parts}) GROUP BY rowid ORDER BY count(*) DESC LIMIT {limit}"
    quoted = ['"' + gram.replace('"', '""') + '"' for gram in chosen]
    return [row[0] for row in conn.execute(sql, quoted)]


MAX_LOOKED_UP = 8  # trigrams of a misspelt text looked up: enough to outlast a typo or two
MAX_READ = 300_000  # ids read for them at most (beyond the rarest trigram's own)
