-- The movie catalog: the single source of its schema.
-- Applied in one transaction by movie.schema; PRAGMA user_version records the schema version
-- (kept in step with SCHEMA_VERSION in src/movie/schema.py).
--
-- Inside the catalog every row refers to its movie by the movie's integer id (movie_id): small and
-- quick to join at a hundred million rows. Outside it (CSV files, the command line) a movie is
-- known by its slug ('leaving-las-vegas-1995'), its natural key, so that CSVs from several
-- sources merge. Child rows are keyed by (movie_id, position): the order the source lists them.
-- src/movie/tables.py lists each table's columns for the code; a test keeps the two in step.
-- Schema 3 introduced the integer ids (schema 2 keyed rows by the slug).

CREATE TABLE IF NOT EXISTS movies (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    year                INTEGER CHECK (year IS NULL OR year BETWEEN 1870 AND 2200),
    -- title folded to lower case without accents: what title lookups match against
    title_key           TEXT NOT NULL,
    consensus           TEXT,
    synopsis            TEXT,
    synopsis_by         TEXT,          -- the synopsis' author, where the source names one
    rating              TEXT,          -- MPAA rating: 'R', 'PG-13', ...
    rating_reason       TEXT,
    -- Dates are ISO (1998-02-24) where the source's date could be read, else its text as given.
    theatrical_release  TEXT,          -- ISO date
    dvd_release         TEXT,          -- ISO date
    streaming_release   TEXT,          -- ISO date
    studio              TEXT,
    runtime_minutes     INTEGER,
    critic_count        INTEGER,       -- all critic reviews the source counts, not only those on file
    top_critic_count    INTEGER,
    fresh_count         INTEGER,
    rotten_count        INTEGER,
    tomatometer         INTEGER,       -- percent
    tomatometer_status  TEXT,
    audience_score      INTEGER,       -- percent
    audience_status     TEXT,
    audience_count      INTEGER,
    -- The movie's Rotten Tomatoes link ('m/leaving_las_vegas'), where the source gives it:
    -- how the public dataset's review file refers to its movies. Added in schema 2.
    rt_link             TEXT
);
CREATE INDEX IF NOT EXISTS movies_title_key ON movies (title_key, year);
CREATE INDEX IF NOT EXISTS movies_year ON movies (year);
CREATE UNIQUE INDEX IF NOT EXISTS movies_rt_link ON movies (rt_link);

CREATE TABLE IF NOT EXISTS genres (
    movie_id  INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    genre     TEXT NOT NULL,
    PRIMARY KEY (movie_id, position)
);
CREATE INDEX IF NOT EXISTS genres_genre ON genres (genre);

-- Directors and writers.
CREATE TABLE IF NOT EXISTS crew (
    movie_id  INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('director', 'writer')),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (movie_id, role, position)
);
CREATE INDEX IF NOT EXISTS crew_name ON crew (name);

CREATE TABLE IF NOT EXISTS cast_credits (
    movie_id             INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,      -- billing order, from 1
    actor                TEXT NOT NULL,
    character            TEXT,
    character_truncated  INTEGER NOT NULL DEFAULT 0 CHECK (character_truncated IN (0, 1)),
    PRIMARY KEY (movie_id, position)
);
CREATE INDEX IF NOT EXISTS cast_credits_actor ON cast_credits (actor);

CREATE TABLE IF NOT EXISTS critic_reviews (
    movie_id     INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    critic       TEXT,
    publication  TEXT,
    top_critic   INTEGER NOT NULL DEFAULT 0 CHECK (top_critic IN (0, 1)),
    verdict      TEXT CHECK (verdict IS NULL OR verdict IN ('fresh', 'rotten')),
    score        TEXT,                  -- as the critic gave it: '3.5/4', 'B+'
    review_date  TEXT,                  -- ISO date
    quote        TEXT
);
-- The key is a unique index rather than a PRIMARY KEY so that a bulk import (a million
-- reviews) can drop it and build it once at the end. Schema 2 made it so.
CREATE UNIQUE INDEX IF NOT EXISTS critic_reviews_key ON critic_reviews (movie_id, position);
-- One movie's reviews newest first (`movie reviews`): read in index order, no sort. Its Top
-- Critics (`--top`) are picked out along the same range; a separate index for them cost 2 s
-- per million reviews imported and saved nothing measurable (a movie has thousands at most).
CREATE INDEX IF NOT EXISTS critic_reviews_by_date
    ON critic_reviews (movie_id, review_date DESC, position);

CREATE TABLE IF NOT EXISTS audience_reviews (
    movie_id        INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    reviewer        TEXT,
    super_reviewer  INTEGER NOT NULL DEFAULT 0 CHECK (super_reviewer IN (0, 1)),
    text            TEXT NOT NULL,         -- paragraphs separated by a blank line
    PRIMARY KEY (movie_id, position)
);

CREATE TABLE IF NOT EXISTS quotes (
    movie_id       INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    character      TEXT,
    line           TEXT NOT NULL,
    submitted_by   TEXT,
    submitted_age  TEXT,                   -- as the page shows it: '2 years ago'
    PRIMARY KEY (movie_id, position)
);

-- Catalog-wide settings, such as the default movie chosen with `movie use`.
CREATE TABLE IF NOT EXISTS settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT
);

-- Full-text indexes: external content, kept in step by triggers. An update that leaves the
-- text as it was (a reload of the same data) leaves the index alone. content=[table] is
-- spelled the way sqlite-utils and Datasette look for it, so they find the index too.
CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5 (
    line, content=[quotes], content_rowid=[rowid],
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS quotes_fts_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, line) VALUES (new.rowid, new.line);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, line) VALUES ('delete', old.rowid, old.line);
END;
CREATE TRIGGER IF NOT EXISTS quotes_fts_au AFTER UPDATE OF line ON quotes
    WHEN old.line IS NOT new.line BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, line) VALUES ('delete', old.rowid, old.line);
    INSERT INTO quotes_fts (rowid, line) VALUES (new.rowid, new.line);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS critic_reviews_fts USING fts5 (
    quote, content=[critic_reviews], content_rowid=[rowid],
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS critic_reviews_fts_ai AFTER INSERT ON critic_reviews BEGIN
    INSERT INTO critic_reviews_fts (rowid, quote) VALUES (new.rowid, new.quote);
END;
CREATE TRIGGER IF NOT EXISTS critic_reviews_fts_ad AFTER DELETE ON critic_reviews BEGIN
    INSERT INTO critic_reviews_fts (critic_reviews_fts, rowid, quote) VALUES ('delete', old.rowid, old.quote);
END;
CREATE TRIGGER IF NOT EXISTS critic_reviews_fts_au AFTER UPDATE OF quote ON critic_reviews
    WHEN old.quote IS NOT new.quote BEGIN
    INSERT INTO critic_reviews_fts (critic_reviews_fts, rowid, quote) VALUES ('delete', old.rowid, old.quote);
    INSERT INTO critic_reviews_fts (rowid, quote) VALUES (new.rowid, new.quote);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS audience_reviews_fts USING fts5 (
    text, content=[audience_reviews], content_rowid=[rowid],
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS audience_reviews_fts_ai AFTER INSERT ON audience_reviews BEGIN
    INSERT INTO audience_reviews_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER IF NOT EXISTS audience_reviews_fts_ad AFTER DELETE ON audience_reviews BEGIN
    INSERT INTO audience_reviews_fts (audience_reviews_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER IF NOT EXISTS audience_reviews_fts_au AFTER UPDATE OF text ON audience_reviews
    WHEN old.text IS NOT new.text BEGIN
    INSERT INTO audience_reviews_fts (audience_reviews_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO audience_reviews_fts (rowid, text) VALUES (new.rowid, new.text);
END;

PRAGMA user_version = 3;
