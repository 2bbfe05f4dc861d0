"""The catalog's tables as the code sees them: each table's columns, listed once.

INSERTs, CSV headers, exports and checks are all built from these lists; a test holds them to
`PRAGMA table_info` of a catalog made from schema.sql, the one source of the schema itself.

Inside the catalog every row refers to its movie by an integer id (`movie_id`); outside it (CSV
files, the command line) a movie is known by its slug, so a table's public columns say `movie`
where the table has `movie_id`. A leaf: imports nothing of movie's own.
"""

from typing import NamedTuple


class Table(NamedTuple):
    """One table and the CSV file that holds it outside the catalog."""

    name: str
    file: str
    columns: tuple[str, ...]  # public columns, in CSV order; `movie` is the movie's slug
    key: tuple[str, ...]  # the natural key, in public columns
    integers: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()  # 0/1 columns shown as yes/no
    required: frozenset[str] = frozenset()
    internal: tuple[str, ...] = ()  # columns only the catalog has
    # Columns added by a later schema, which a CSV file written before them may lack: missing,
    # they are empty, and loading such a file leaves what the catalog has in them.
    optional: frozenset[str] = frozenset()
    reals: frozenset[str] = frozenset()  # decimal numbers: an IMDb rating
    # The values a column may hold, (column, lowest, highest): a CSV file's are checked on load.
    bounds: tuple[tuple[str, float, float], ...] = ()

    @property
    def is_movies(self) -> bool:
        return self.name == "movies"

    @property
    def stored(self) -> tuple[str, ...]:
        """The table's columns in SQLite: the public ones (with movie_id for movie) plus the
        internal ones."""
        return tuple("movie_id" if c == "movie" else c for c in self.columns) + self.internal

    @property
    def child_columns(self) -> tuple[str, ...]:
        """The public columns but the movie's slug: what a source gives for one movie's row."""
        return tuple(c for c in self.columns if c != "movie")


MANY = 10**15  # a count no list reaches, far below SQLite's largest integer

# The movies columns IMDb brought (schema 4).
IMDB_MOVIE_COLUMNS = (
    "title_type",
    "original_title",
    "end_year",
    "is_adult",
    "imdb_rating",
    "imdb_votes",
    "series_id",
    "season",
    "episode",
)
MOVIES = Table(
    name="movies",
    file="movies.csv",
    columns=(
        "slug",
        "title",
        "year",
        "consensus",
        "synopsis",
        "synopsis_by",
        "rating",
        "rating_reason",
        "theatrical_release",
        "dvd_release",
        "streaming_release",
        "studio",
        "runtime_minutes",
        "critic_count",
        "top_critic_count",
        "fresh_count",
        "rotten_count",
        "tomatometer",
        "tomatometer_status",
        "audience_score",
        "audience_status",
        "audience_count",
        "rt_link",
        *IMDB_MOVIE_COLUMNS,
    ),
    key=("slug",),
    integers=frozenset(
        {
            "year",
            "runtime_minutes",
            "critic_count",
            "top_critic_count",
            "fresh_count",
            "rotten_count",
            "tomatometer",
            "audience_score",
            "audience_count",
            "end_year",
            "imdb_votes",
            "series_id",
            "season",
            "episode",
        }
    ),
    flags=frozenset({"is_adult"}),
    required=frozenset({"slug", "title"}),
    internal=("id", "title_key"),
    optional=frozenset(IMDB_MOVIE_COLUMNS),
    reals=frozenset({"imdb_rating"}),
    bounds=(
        ("year", 1870, 2200),
        ("end_year", 1870, 2200),
        ("runtime_minutes", 0, 100_000),
        ("critic_count", 0, MANY),
        ("top_critic_count", 0, MANY),
        ("fresh_count", 0, MANY),
        ("rotten_count", 0, MANY),
        ("tomatometer", 0, 100),
        ("audience_score", 0, 100),
        ("audience_count", 0, MANY),
        ("imdb_rating", 1, 10),
        ("imdb_votes", 0, MANY),
        ("series_id", 1, MANY),
        ("season", 0, MANY),
        ("episode", 0, MANY),
    ),
)
GENRES = Table(
    name="genres",
    file="genres.csv",
    columns=("movie", "position", "genre"),
    key=("movie", "position"),
    integers=frozenset({"position"}),
    required=frozenset({"movie", "position", "genre"}),
)
CREW = Table(
    name="crew",
    file="crew.csv",
    columns=("movie", "role", "position", "name", "job", "person_id"),
    key=("movie", "role", "position"),
    integers=frozenset({"position", "person_id"}),
    required=frozenset({"movie", "role", "position", "name"}),
    optional=frozenset({"job", "person_id"}),
)
CAST = Table(
    name="cast_credits",
    file="cast.csv",
    columns=(
        "movie",
        "position",
        "actor",
        "character",
        "character_truncated",
        "category",
        "person_id",
    ),
    key=("movie", "position"),
    integers=frozenset({"position", "person_id"}),
    flags=frozenset({"character_truncated"}),
    required=frozenset({"movie", "position", "actor"}),
    optional=frozenset({"category", "person_id"}),
)
CRITIC_REVIEWS = Table(
    name="critic_reviews",
    file="critic_reviews.csv",
    columns=(
        "movie",
        "position",
        "critic",
        "publication",
        "top_critic",
        "verdict",
        "score",
        "review_date",
        "quote",
    ),
    key=("movie", "position"),
    integers=frozenset({"position"}),
    flags=frozenset({"top_critic"}),
    required=frozenset({"movie", "position"}),
)
AUDIENCE_REVIEWS = Table(
    name="audience_reviews",
    file="audience_reviews.csv",
    columns=("movie", "position", "reviewer", "super_reviewer", "text"),
    key=("movie", "position"),
    integers=frozenset({"position"}),
    flags=frozenset({"super_reviewer"}),
    required=frozenset({"movie", "position", "text"}),
)
QUOTES = Table(
    name="quotes",
    file="quotes.csv",
    columns=("movie", "position", "character", "line", "submitted_by", "submitted_age"),
    key=("movie", "position"),
    integers=frozenset({"position"}),
    required=frozenset({"movie", "position", "line"}),
)

# IMDb's people and alternate titles (schema 4): filled by `movie import --imdb` only, and not
# written by `movie export` (the IMDb files are where they come from).
PEOPLE = Table(
    name="people",
    file="people.csv",
    columns=("id", "name", "birth_year", "death_year", "professions", "known_for"),
    key=("id",),
    integers=frozenset({"id", "birth_year", "death_year"}),
    required=frozenset({"id", "name"}),
    internal=("name_key", "fame"),
)
AKAS = Table(
    name="akas",
    file="akas.csv",
    columns=(
        "movie",
        "position",
        "title",
        "region",
        "language",
        "types",
        "attributes",
        "is_original",
    ),
    key=("movie", "position"),
    integers=frozenset({"position"}),
    flags=frozenset({"is_original"}),
    required=frozenset({"movie", "position", "title"}),
    internal=("title_key",),
)

# Your films (schema 8): your entries from Letterboxd, IMDb or `movie rate/seen/watchlist`. Each
# names its film as its source did and refers to a movie by slug where one matched (`movie` is
# empty where none did). `movie export` writes them and `movie load` reads them back.
_ENTRY = ("key", "source", "movie", "matched_by", "name", "year", "link")


def _mine(name: str, *columns: str, **kinds: frozenset[str]) -> Table:
    every = frozenset((*_ENTRY, *columns))
    bounds = (("year", 1870, 2200), ("rating", 1, 10), ("scale", 5, 10))
    return Table(
        name=name,
        file=f"{name}.csv",
        columns=(*_ENTRY, *columns),
        key=("key",),
        integers=frozenset({"year", "scale"}) & every,
        required=frozenset({"key", "source", "name"}) | kinds.get("required", frozenset()),
        flags=kinds.get("flags", frozenset()),
        reals=frozenset({"rating"}) & every,
        bounds=tuple(bound for bound in bounds if bound[0] in every),
    )


MY_VIEWINGS = _mine(
    "my_viewings",
    *("watched_on", "rewatch", "tags", "rating", "scale", "logged_on"),
    flags=frozenset({"rewatch"}),
)
MY_RATINGS = _mine(
    "my_ratings", "rating", "scale", "rated_on", required=frozenset({"rating", "scale"})
)
MY_WATCHLIST = _mine("my_watchlist", "added_on")
MY_REVIEWS = _mine(
    "my_reviews",
    *("written_on", "watched_on", "rating", "scale", "tags", "text"),
    required=frozenset({"text"}),
)
MY_LIKES = _mine("my_likes", "liked_on")
MINE: tuple[Table, ...] = (MY_VIEWINGS, MY_RATINGS, MY_WATCHLIST, MY_REVIEWS, MY_LIKES)

# Movies first: every other table refers to them. These are the tables CSV folders hold.
TABLES: tuple[Table, ...] = (MOVIES, GENRES, CREW, CAST, CRITIC_REVIEWS, AUDIENCE_REVIEWS, QUOTES)
CHILD_TABLES: tuple[Table, ...] = TABLES[1:]
# Every table of the catalog's data.
ALL_TABLES: tuple[Table, ...] = (*TABLES, PEOPLE, AKAS, *MINE)
SETTINGS = "settings"  # key/value pairs, such as the default movie's slug
DEFAULT_MOVIE_KEY = "default_movie"  # the settings key `movie use` writes
# The full-text indexes: (index, table, column).
FTS = (
    ("quotes_fts", "quotes", "line"),
    ("critic_reviews_fts", "critic_reviews", "quote"),
    ("audience_reviews_fts", "audience_reviews", "text"),
)
# The trigram indexes (contentless): (index, table, id column, indexed column).
TRIGRAMS = (
    ("titles_trigrams", "movies", "id", "title_key"),
    ("names_trigrams", "people", "id", "name_key"),
)
