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
--
-- Lists without full-text search (genres, crew, cast, akas) are WITHOUT ROWID tables: stored
-- once, in the order of their key, instead of a table plus an index of the same key (at 100
-- million credits, gigabytes less and a quicker load).
--
-- Schema 4 added IMDb's titles and people. An IMDb title's id is its IMDb number (tt0113277 is
-- movie 113277, and its slug is 'tt0113277' unless a page gave it one first), so that its rows
-- need no lookup table; movies from other sources get ids from 2^40 up once IMDb titles are in
-- the catalog. A person's id is likewise their IMDb number (nm0000115 is person 115). Credits
-- from IMDb name their person by id and leave the name column empty; credits from pages name
-- the person in text, and are linked to an IMDb person (person_id) where one matches.

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
    rt_link             TEXT,
    -- From IMDb (schema 4). title_type: movie, short, tvSeries, tvEpisode, tvMovie, ...
    title_type          TEXT,
    original_title      TEXT,
    end_year            INTEGER,       -- a series' last year
    is_adult            INTEGER CHECK (is_adult IS NULL OR is_adult IN (0, 1)),
    imdb_rating         REAL,          -- 1.0 to 10.0
    imdb_votes          INTEGER,
    -- An episode's series (the series' id, which is its IMDb number; it may not be in the
    -- catalog when the files were a partial extract), season and number.
    series_id           INTEGER,
    season              INTEGER,
    episode             INTEGER
);
CREATE INDEX IF NOT EXISTS movies_title_key ON movies (title_key, year);
CREATE INDEX IF NOT EXISTS movies_year ON movies (year);
CREATE UNIQUE INDEX IF NOT EXISTS movies_rt_link ON movies (rt_link);
-- Rated titles by votes or rating, all or of one type (`movie movies --type movie --sort votes`):
-- partial, so they hold the 1.6M rated titles, not all 12M. The year is in them (schema 9) so
-- that `movie movies --genre Drama --year 1990..1999 --sort rating` walks the rated titles in
-- order, checking year and votes in the index and the genre only of those that pass.
CREATE INDEX IF NOT EXISTS movies_votes ON movies (imdb_votes, year) WHERE imdb_votes IS NOT NULL;
CREATE INDEX IF NOT EXISTS movies_type_votes ON movies (title_type, imdb_votes)
    WHERE imdb_votes IS NOT NULL;
CREATE INDEX IF NOT EXISTS movies_rating ON movies (imdb_rating, imdb_votes, year)
    WHERE imdb_votes IS NOT NULL;
CREATE INDEX IF NOT EXISTS movies_type_rating ON movies (title_type, imdb_rating, imdb_votes)
    WHERE imdb_votes IS NOT NULL;
-- `movie chart`: titles by type and year (`chart catalog --type movie`), and the movies with a
-- Tomatometer with their other scores (`chart agreement`), each read without the table.
CREATE INDEX IF NOT EXISTS movies_type_year ON movies (title_type, year);
CREATE INDEX IF NOT EXISTS movies_tomatometer
    ON movies (tomatometer, audience_score, imdb_rating, year)
    WHERE tomatometer IS NOT NULL;
CREATE INDEX IF NOT EXISTS movies_audience ON movies (audience_score)
    WHERE audience_score IS NOT NULL;
-- A series' episodes in order (`movie episodes`).
CREATE INDEX IF NOT EXISTS movies_series ON movies (series_id, season, episode)
    WHERE series_id IS NOT NULL;

-- People from IMDb's name.basics (schema 4): the id is the IMDb number (nm0000115 -> 115).
CREATE TABLE IF NOT EXISTS people (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,          -- the name folded, as title_key
    birth_year   INTEGER,
    death_year   INTEGER,
    professions  TEXT,                   -- comma list: 'actor,producer'
    known_for    TEXT,                   -- comma list of IMDb title ids: 'tt0113277,tt0113627'
    -- How well known their work is: the IMDb votes of their known-for titles (schema 7), worked
    -- out by the writer once the titles are in; `movie find` ranks people by it.
    fame         INTEGER
);
CREATE INDEX IF NOT EXISTS people_name_key ON people (name_key);

-- Other titles of a movie: every row of IMDb's title.akas (schema 6; before, only the titles
-- that differed from the movie's own), and the other title a page gives in parentheses.
CREATE TABLE IF NOT EXISTS akas (
    movie_id     INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,       -- IMDb's ordering
    title        TEXT NOT NULL,
    -- The title folded, where it finds the movie by a text nothing else does: '' where it
    -- folds to the movie's own title or to an earlier row's (the US title of an American film,
    -- a spelling without accents), so the lookup index below holds each text once.
    title_key    TEXT NOT NULL,
    region       TEXT,
    language     TEXT,
    types        TEXT,
    attributes   TEXT,
    is_original  INTEGER NOT NULL DEFAULT 0 CHECK (is_original IN (0, 1)),
    PRIMARY KEY (movie_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS akas_title_key ON akas (title_key) WHERE title_key <> '';

CREATE TABLE IF NOT EXISTS genres (
    movie_id  INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    genre     TEXT NOT NULL,
    PRIMARY KEY (movie_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS genres_genre ON genres (genre);

-- Each genre's rated titles and the sum of their scores, by title type and score: what `movie
-- chart catalog --by genre` reads, instead of pairing 1.6 million rated titles with their 2.7
-- million genres. Kept by the triggers below, rebuilt after bulk loads (which drop them).
-- Totals are whole numbers: tenths of an IMDb point, or percent.
CREATE TABLE IF NOT EXISTS genre_scores (
    genre       TEXT NOT NULL,
    title_type  TEXT NOT NULL,   -- '' for titles with no type (pages, the RT dataset)
    score       TEXT NOT NULL,   -- imdb, tomatometer or audience
    titles      INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    PRIMARY KEY (genre, title_type, score)
) WITHOUT ROWID;
-- A movie's genre added, removed or changed: its scores join or leave the genre's totals.
CREATE TRIGGER IF NOT EXISTS genres_scores_ai AFTER INSERT ON genres BEGIN
    INSERT INTO genre_scores (genre, title_type, score, titles, total)
    SELECT NEW.genre, coalesce(m.title_type, ''), 'imdb', 1,
           CAST(round(m.imdb_rating * 10) AS INTEGER)
      FROM movies m
      WHERE m.id = NEW.movie_id AND m.imdb_votes IS NOT NULL AND m.imdb_rating IS NOT NULL
    UNION ALL
    SELECT NEW.genre, coalesce(m.title_type, ''), 'tomatometer', 1, m.tomatometer
      FROM movies m WHERE m.id = NEW.movie_id AND m.tomatometer IS NOT NULL
    UNION ALL
    SELECT NEW.genre, coalesce(m.title_type, ''), 'audience', 1, m.audience_score
      FROM movies m WHERE m.id = NEW.movie_id AND m.audience_score IS NOT NULL
    ON CONFLICT (genre, title_type, score)
      DO UPDATE SET titles = titles + excluded.titles, total = total + excluded.total;
END;
CREATE TRIGGER IF NOT EXISTS genres_scores_ad AFTER DELETE ON genres BEGIN
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT CAST(round(m.imdb_rating * 10) AS INTEGER) FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'imdb' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.imdb_votes IS NOT NULL AND m.imdb_rating IS NOT NULL);
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT m.tomatometer FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'tomatometer' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.tomatometer IS NOT NULL);
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT m.audience_score FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'audience' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.audience_score IS NOT NULL);
    DELETE FROM genre_scores WHERE genre = OLD.genre AND titles <= 0;
END;
CREATE TRIGGER IF NOT EXISTS genres_scores_au AFTER UPDATE OF movie_id, genre ON genres BEGIN
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT CAST(round(m.imdb_rating * 10) AS INTEGER) FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'imdb' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.imdb_votes IS NOT NULL AND m.imdb_rating IS NOT NULL);
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT m.tomatometer FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'tomatometer' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.tomatometer IS NOT NULL);
    UPDATE genre_scores SET titles = titles - 1, total = total - (
        SELECT m.audience_score FROM movies m WHERE m.id = OLD.movie_id)
    WHERE genre = OLD.genre AND score = 'audience' AND title_type = (
        SELECT coalesce(m.title_type, '') FROM movies m
        WHERE m.id = OLD.movie_id AND m.audience_score IS NOT NULL);
    DELETE FROM genre_scores WHERE genre = OLD.genre AND titles <= 0;
    INSERT INTO genre_scores (genre, title_type, score, titles, total)
    SELECT NEW.genre, coalesce(m.title_type, ''), 'imdb', 1,
           CAST(round(m.imdb_rating * 10) AS INTEGER)
      FROM movies m
      WHERE m.id = NEW.movie_id AND m.imdb_votes IS NOT NULL AND m.imdb_rating IS NOT NULL
    UNION ALL
    SELECT NEW.genre, coalesce(m.title_type, ''), 'tomatometer', 1, m.tomatometer
      FROM movies m WHERE m.id = NEW.movie_id AND m.tomatometer IS NOT NULL
    UNION ALL
    SELECT NEW.genre, coalesce(m.title_type, ''), 'audience', 1, m.audience_score
      FROM movies m WHERE m.id = NEW.movie_id AND m.audience_score IS NOT NULL
    ON CONFLICT (genre, title_type, score)
      DO UPDATE SET titles = titles + excluded.titles, total = total + excluded.total;
END;
-- A movie deleted: its genres go first, while the movie is still there to say what they added.
CREATE TRIGGER IF NOT EXISTS movies_scores_bd BEFORE DELETE ON movies BEGIN
    DELETE FROM genres WHERE movie_id = OLD.id;
END;
-- A movie's scores or type changed: its old values leave its genres' totals, the new join.
CREATE TRIGGER IF NOT EXISTS movies_scores_au
AFTER UPDATE OF imdb_rating, imdb_votes, tomatometer, audience_score, title_type ON movies
WHEN OLD.imdb_rating IS NOT NEW.imdb_rating
    OR (OLD.imdb_votes IS NULL) IS NOT (NEW.imdb_votes IS NULL)
    OR OLD.tomatometer IS NOT NEW.tomatometer OR OLD.audience_score IS NOT NEW.audience_score
    OR OLD.title_type IS NOT NEW.title_type
BEGIN
    UPDATE genre_scores
    SET titles = titles - (SELECT count(*) FROM genres g
                           WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre),
        total = total - CAST(round(OLD.imdb_rating * 10) AS INTEGER)
                        * (SELECT count(*) FROM genres g
                           WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre)
    WHERE OLD.imdb_votes IS NOT NULL AND OLD.imdb_rating IS NOT NULL AND score = 'imdb'
      AND title_type = coalesce(OLD.title_type, '')
      AND genre IN (SELECT genre FROM genres WHERE movie_id = OLD.id);
    UPDATE genre_scores
    SET titles = titles - (SELECT count(*) FROM genres g
                           WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre),
        total = total - OLD.tomatometer * (SELECT count(*) FROM genres g
                                   WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre)
    WHERE OLD.tomatometer IS NOT NULL AND score = 'tomatometer'
      AND title_type = coalesce(OLD.title_type, '')
      AND genre IN (SELECT genre FROM genres WHERE movie_id = OLD.id);
    UPDATE genre_scores
    SET titles = titles - (SELECT count(*) FROM genres g
                           WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre),
        total = total - OLD.audience_score * (SELECT count(*) FROM genres g
                                   WHERE g.movie_id = OLD.id AND g.genre = genre_scores.genre)
    WHERE OLD.audience_score IS NOT NULL AND score = 'audience'
      AND title_type = coalesce(OLD.title_type, '')
      AND genre IN (SELECT genre FROM genres WHERE movie_id = OLD.id);
    DELETE FROM genre_scores WHERE titles <= 0
      AND genre IN (SELECT genre FROM genres WHERE movie_id = OLD.id);
    INSERT INTO genre_scores (genre, title_type, score, titles, total)
    SELECT g.genre, coalesce(NEW.title_type, ''), 'imdb', 1,
           CAST(round(NEW.imdb_rating * 10) AS INTEGER)
      FROM genres g
      WHERE g.movie_id = NEW.id AND NEW.imdb_votes IS NOT NULL AND NEW.imdb_rating IS NOT NULL
    UNION ALL
    SELECT g.genre, coalesce(NEW.title_type, ''), 'tomatometer', 1, NEW.tomatometer
      FROM genres g WHERE g.movie_id = NEW.id AND NEW.tomatometer IS NOT NULL
    UNION ALL
    SELECT g.genre, coalesce(NEW.title_type, ''), 'audience', 1, NEW.audience_score
      FROM genres g WHERE g.movie_id = NEW.id AND NEW.audience_score IS NOT NULL
    ON CONFLICT (genre, title_type, score)
      DO UPDATE SET titles = titles + excluded.titles, total = total + excluded.total;
END;

-- Directors, writers and (from IMDb) producers, composers, editors, ...: the person by name
-- (pages), by IMDb id (IMDb), or both (a page's credit linked to its IMDb person).
CREATE TABLE IF NOT EXISTS crew (
    movie_id   INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,           -- director, writer, producer, composer, editor, ...
    position   INTEGER NOT NULL,
    name       TEXT,
    job        TEXT,                    -- IMDb's detail: 'screenplay', 'executive producer'
    person_id  INTEGER,                 -- people.id (it may be missing from a partial extract)
    PRIMARY KEY (movie_id, role, position),
    CHECK (name IS NOT NULL OR person_id IS NOT NULL)
) WITHOUT ROWID;
-- Names typed on pages (IMDb credits have none): partial, so they stay small beside IMDb's.
CREATE INDEX IF NOT EXISTS crew_name ON crew (name) WHERE name IS NOT NULL;
CREATE INDEX IF NOT EXISTS crew_person ON crew (person_id) WHERE person_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS cast_credits (
    movie_id             INTEGER NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,      -- billing order, from 1
    actor                TEXT,
    character            TEXT,                  -- several characters joined by ' / '
    character_truncated  INTEGER NOT NULL DEFAULT 0 CHECK (character_truncated IN (0, 1)),
    category             TEXT,                  -- IMDb's: actor, actress, self, archive_footage
    person_id            INTEGER,
    PRIMARY KEY (movie_id, position),
    CHECK (actor IS NOT NULL OR person_id IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cast_credits_actor ON cast_credits (actor) WHERE actor IS NOT NULL;
CREATE INDEX IF NOT EXISTS cast_credits_person ON cast_credits (person_id)
    WHERE person_id IS NOT NULL;

-- Every credit with the names it refers to, for `movie sql` and Datasette: the movie (id,
-- slug, title, year), the person (IMDb id where known, and the name: the one a page gave, else
-- IMDb's), the role (actor, actress, self, ... for the cast; director, writer, ... for the
-- crew), the character, IMDb's job, and the billing within the role.
CREATE VIEW IF NOT EXISTS credits (movie_id, slug, title, year, person_id, name, role,
                                   character, job, billing) AS
    SELECT c.movie_id, m.slug, m.title, m.year, c.person_id,
        coalesce(c.actor, p.name, printf('nm%07d', c.person_id)),
        coalesce(c.category, 'actor'), c.character, NULL, c.position
    FROM cast_credits c JOIN movies m ON m.id = c.movie_id LEFT JOIN people p ON p.id = c.person_id
    UNION ALL
    SELECT w.movie_id, m.slug, m.title, m.year, w.person_id,
        coalesce(w.name, p.name, printf('nm%07d', w.person_id)), w.role, NULL, w.job, w.position
    FROM crew w JOIN movies m ON m.id = w.movie_id LEFT JOIN people p ON p.id = w.person_id;

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

-- Trigram indexes of titles and names, for typo suggestions and for names by a part of them:
-- contentless, without positions (detail=none) and without each row's size (columnsize=0:
-- nothing ranks by it), so they cost a fraction of the text they index and build in two thirds
-- of the time (a catalog made before keeps row sizes until a bulk import rebuilds them); they hold
-- the folded keys (title_key, name_key), one row per movie or person. Being contentless without
-- sizes, they can be searched (MATCH) but not read whole.
CREATE VIRTUAL TABLE IF NOT EXISTS titles_trigrams USING fts5 (
    title_key, content='', detail=none, columnsize=0, tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS titles_trigrams_ai AFTER INSERT ON movies BEGIN
    INSERT INTO titles_trigrams (rowid, title_key) VALUES (new.id, new.title_key);
END;
CREATE TRIGGER IF NOT EXISTS titles_trigrams_ad AFTER DELETE ON movies BEGIN
    INSERT INTO titles_trigrams (titles_trigrams, rowid, title_key)
        VALUES ('delete', old.id, old.title_key);
END;
CREATE TRIGGER IF NOT EXISTS titles_trigrams_au AFTER UPDATE OF id, title_key ON movies
    WHEN old.title_key IS NOT new.title_key OR old.id IS NOT new.id BEGIN
    INSERT INTO titles_trigrams (titles_trigrams, rowid, title_key)
        VALUES ('delete', old.id, old.title_key);
    INSERT INTO titles_trigrams (rowid, title_key) VALUES (new.id, new.title_key);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS names_trigrams USING fts5 (
    name_key, content='', detail=none, columnsize=0, tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS names_trigrams_ai AFTER INSERT ON people BEGIN
    INSERT INTO names_trigrams (rowid, name_key) VALUES (new.id, new.name_key);
END;
CREATE TRIGGER IF NOT EXISTS names_trigrams_ad AFTER DELETE ON people BEGIN
    INSERT INTO names_trigrams (names_trigrams, rowid, name_key)
        VALUES ('delete', old.id, old.name_key);
END;
CREATE TRIGGER IF NOT EXISTS names_trigrams_au AFTER UPDATE OF name_key ON people
    WHEN old.name_key IS NOT new.name_key BEGIN
    INSERT INTO names_trigrams (names_trigrams, rowid, name_key)
        VALUES ('delete', old.id, old.name_key);
    INSERT INTO names_trigrams (rowid, name_key) VALUES (new.id, new.name_key);
END;

-- `movie find`: the words of every title (its own, its original and each alternate title with a
-- key of its own) and of every person's name. Contentless and without positions, like the
-- trigram indexes. A document's rowid puts the best known first, so that a search reads only
-- as many documents as it shows: for a title, (4194303 minus its IMDb votes, else its critic
-- count) << 40, then its id << 9 (ids from 2^40 counted from 2^30), then 0 for its own title,
-- 1 for its original title, position + 1 for an alternate title (the first 510); for a person,
-- (4194303 minus their fame) << 31, then their id. Nothing ranks by a document's size, so none
-- is kept (columnsize=0), as in the trigram indexes. Apostrophes are dropped ("Schindler's" is
-- one word); the tokenizer folds case and accents and splits at punctuation.
CREATE VIRTUAL TABLE IF NOT EXISTS title_words USING fts5 (
    words, content='', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
-- The documents of title_words, as they are now (its triggers and its rebuild read them here).
-- The id ranges are filters (+m.id), not index ranges: as ranges, the rebuild's ORDER BY doc
-- read each part through a MULTI-INDEX OR, whose set of rowids seen held every title's id
-- (1 GB at IMDb's full size, three parts of 12 million); a trigger's movie_id = ? still looks
-- its title up by id.
CREATE VIEW IF NOT EXISTS title_docs (doc, movie_id, slot, words) AS
    SELECT ((4194303 - max(0, min(coalesce(m.imdb_votes, m.critic_count, 0), 4194303))) << 40)
        + ((m.id - CASE WHEN m.id >= 1099511627776 THEN 1098437885952 ELSE 0 END) << 9),
        m.id, 0, replace(replace(m.title, '''', ''), '’', '')
    FROM movies m WHERE (+m.id BETWEEN 1 AND 1073741823 OR +m.id BETWEEN 1099511627776 AND 1100585369599)
    UNION ALL
    SELECT ((4194303 - max(0, min(coalesce(m.imdb_votes, m.critic_count, 0), 4194303))) << 40)
        + ((m.id - CASE WHEN m.id >= 1099511627776 THEN 1098437885952 ELSE 0 END) << 9) + 1,
        m.id, 1, replace(replace(m.original_title, '''', ''), '’', '')
    FROM movies m WHERE (+m.id BETWEEN 1 AND 1073741823 OR +m.id BETWEEN 1099511627776 AND 1100585369599)
        AND m.original_title IS NOT NULL AND m.original_title IS NOT m.title
    UNION ALL
    SELECT ((4194303 - max(0, min(coalesce(m.imdb_votes, m.critic_count, 0), 4194303))) << 40)
        + ((m.id - CASE WHEN m.id >= 1099511627776 THEN 1098437885952 ELSE 0 END) << 9) + a.position + 1,
        m.id, a.position + 1, replace(replace(a.title, '''', ''), '’', '')
    FROM akas a JOIN movies m ON m.id = a.movie_id WHERE (+m.id BETWEEN 1 AND 1073741823 OR +m.id BETWEEN 1099511627776 AND 1100585369599)
        AND a.title_key <> '' AND a.position BETWEEN 1 AND 510;
-- A movie's documents are taken out before it changes (BEFORE: its old values are still in the
-- view) and put back after; an alternate title's likewise.
CREATE TRIGGER IF NOT EXISTS title_words_ai AFTER INSERT ON movies BEGIN
    INSERT INTO title_words (rowid, words) SELECT doc, words FROM title_docs
        WHERE movie_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS title_words_bd BEFORE DELETE ON movies BEGIN
    INSERT INTO title_words (title_words, rowid, words) SELECT 'delete', doc, words
        FROM title_docs WHERE movie_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS title_words_bu
    BEFORE UPDATE OF id, title, original_title, imdb_votes, critic_count ON movies
    WHEN old.id IS NOT new.id OR old.title IS NOT new.title
        OR old.original_title IS NOT new.original_title OR old.imdb_votes IS NOT new.imdb_votes
        OR old.critic_count IS NOT new.critic_count BEGIN
    INSERT INTO title_words (title_words, rowid, words) SELECT 'delete', doc, words
        FROM title_docs WHERE movie_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS title_words_au
    AFTER UPDATE OF id, title, original_title, imdb_votes, critic_count ON movies
    WHEN old.id IS NOT new.id OR old.title IS NOT new.title
        OR old.original_title IS NOT new.original_title OR old.imdb_votes IS NOT new.imdb_votes
        OR old.critic_count IS NOT new.critic_count BEGIN
    INSERT INTO title_words (rowid, words) SELECT doc, words FROM title_docs
        WHERE movie_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS title_words_akas_ai AFTER INSERT ON akas BEGIN
    INSERT INTO title_words (rowid, words) SELECT doc, words FROM title_docs
        WHERE movie_id = new.movie_id AND slot = new.position + 1;
END;
CREATE TRIGGER IF NOT EXISTS title_words_akas_bd BEFORE DELETE ON akas BEGIN
    INSERT INTO title_words (title_words, rowid, words) SELECT 'delete', doc, words
        FROM title_docs WHERE movie_id = old.movie_id AND slot = old.position + 1;
END;
CREATE TRIGGER IF NOT EXISTS title_words_akas_bu
    BEFORE UPDATE OF movie_id, position, title, title_key ON akas BEGIN
    INSERT INTO title_words (title_words, rowid, words) SELECT 'delete', doc, words
        FROM title_docs WHERE movie_id = old.movie_id AND slot = old.position + 1;
END;
CREATE TRIGGER IF NOT EXISTS title_words_akas_au
    AFTER UPDATE OF movie_id, position, title, title_key ON akas BEGIN
    INSERT INTO title_words (rowid, words) SELECT doc, words FROM title_docs
        WHERE movie_id = new.movie_id AND slot = new.position + 1;
END;

CREATE VIRTUAL TABLE IF NOT EXISTS people_words USING fts5 (
    words, content='', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIEW IF NOT EXISTS people_docs (doc, person_id, words) AS
    SELECT ((4194303 - max(0, min(coalesce(p.fame, 0), 4194303))) << 31) + p.id,
        p.id, replace(replace(p.name, '''', ''), '’', '')
    FROM people p WHERE p.id BETWEEN 1 AND 2147483647;
CREATE TRIGGER IF NOT EXISTS people_words_ai AFTER INSERT ON people BEGIN
    INSERT INTO people_words (rowid, words) SELECT doc, words FROM people_docs
        WHERE person_id = new.id;
END;
CREATE TRIGGER IF NOT EXISTS people_words_bd BEFORE DELETE ON people BEGIN
    INSERT INTO people_words (people_words, rowid, words) SELECT 'delete', doc, words
        FROM people_docs WHERE person_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS people_words_bu BEFORE UPDATE OF id, name, fame ON people
    WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.fame IS NOT new.fame BEGIN
    INSERT INTO people_words (people_words, rowid, words) SELECT 'delete', doc, words
        FROM people_docs WHERE person_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS people_words_au AFTER UPDATE OF id, name, fame ON people
    WHEN old.id IS NOT new.id OR old.name IS NOT new.name OR old.fame IS NOT new.fame BEGIN
    INSERT INTO people_words (rowid, words) SELECT doc, words FROM people_docs
        WHERE person_id = new.id;
END;

-- Your films (schema 8): what you watched, rated, want to watch and wrote, from your Letterboxd
-- or IMDb export or from `movie rate`, `movie seen` and `movie watchlist`. Catalog imports never
-- touch these tables; `load --rebuild` and upgrades keep them, `movie export` writes them. Each
-- entry names its film as its source did (name, year, link: the film's Letterboxd or IMDb
-- address) and refers to the catalog's movie where one matched (movie_id, and how: matched_by
-- is 'id', 'title', 'alternate title', 'neighbouring year' or 'added from the export'); an
-- entry no movie matched keeps movie_id NULL and is matched again after every import. `key`
-- is the entry's natural key, so that importing a newer export updates instead of adding.
-- Ratings are on IMDb's 10-point scale; `scale` is the one they were given in (5: stars).
CREATE TABLE IF NOT EXISTS my_viewings (
    key          TEXT PRIMARY KEY,
    source       TEXT NOT NULL,          -- letterboxd, imdb or movie (your own entries)
    movie_id     INTEGER REFERENCES movies (id) ON DELETE SET NULL,
    matched_by   TEXT,
    name         TEXT NOT NULL,
    year         INTEGER,
    link         TEXT,
    watched_on   TEXT,                   -- ISO date; NULL for a film marked watched, undated
    rewatch      INTEGER NOT NULL DEFAULT 0 CHECK (rewatch IN (0, 1)),
    tags         TEXT,                   -- comma list, as Letterboxd writes it
    rating       REAL CHECK (rating IS NULL OR rating BETWEEN 1 AND 10),  -- that day's
    scale        INTEGER CHECK (scale IS NULL OR scale IN (5, 10)),
    logged_on    TEXT                    -- ISO date the entry was made
);
CREATE TABLE IF NOT EXISTS my_ratings (
    key          TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    movie_id     INTEGER REFERENCES movies (id) ON DELETE SET NULL,
    matched_by   TEXT,
    name         TEXT NOT NULL,
    year         INTEGER,
    link         TEXT,
    rating       REAL NOT NULL CHECK (rating BETWEEN 1 AND 10),
    scale        INTEGER NOT NULL CHECK (scale IN (5, 10)),
    rated_on     TEXT
);
CREATE TABLE IF NOT EXISTS my_watchlist (
    key          TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    movie_id     INTEGER REFERENCES movies (id) ON DELETE SET NULL,
    matched_by   TEXT,
    name         TEXT NOT NULL,
    year         INTEGER,
    link         TEXT,
    added_on     TEXT
);
CREATE TABLE IF NOT EXISTS my_reviews (
    key          TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    movie_id     INTEGER REFERENCES movies (id) ON DELETE SET NULL,
    matched_by   TEXT,
    name         TEXT NOT NULL,
    year         INTEGER,
    link         TEXT,
    written_on   TEXT,
    watched_on   TEXT,
    rating       REAL CHECK (rating IS NULL OR rating BETWEEN 1 AND 10),
    scale        INTEGER CHECK (scale IS NULL OR scale IN (5, 10)),
    tags         TEXT,
    text         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS my_likes (
    key          TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    movie_id     INTEGER REFERENCES movies (id) ON DELETE SET NULL,
    matched_by   TEXT,
    name         TEXT NOT NULL,
    year         INTEGER,
    link         TEXT,
    liked_on     TEXT
);
-- A movie's entries (the card, --seen, --rated, --watchlist), and the unmatched ones.
CREATE INDEX IF NOT EXISTS my_viewings_movie ON my_viewings (movie_id, watched_on);
CREATE INDEX IF NOT EXISTS my_ratings_movie ON my_ratings (movie_id, rated_on);
CREATE INDEX IF NOT EXISTS my_watchlist_movie ON my_watchlist (movie_id);
CREATE INDEX IF NOT EXISTS my_reviews_movie ON my_reviews (movie_id);
CREATE INDEX IF NOT EXISTS my_likes_movie ON my_likes (movie_id);

PRAGMA user_version = 10;
