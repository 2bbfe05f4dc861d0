"""Names used in several places, defined once. A leaf: imports nothing of movie's own."""

from __future__ import annotations

import enum

# The years a title may have (schema.sql's CHECK on movies.year says the same).
YEARS = range(1870, 2201)
# IMDb's title types, as title.basics spells them (and --type/--types take them, in any case).
TITLE_TYPES = (
    "movie short tvSeries tvEpisode tvMovie tvMiniSeries tvSpecial tvShort video videoGame tvPilot"
).split()
# The types a typed title means first ("Heat (1995)" is the film, not the episode), and the ones
# a page's movie may be when an IMDb import meets it: films and series.
FILMS_AND_SERIES = ("movie", "tvMovie", "tvSeries", "tvMiniSeries")
# The types a person's career chart draws by default: films, made for cinemas, TV or video.
FILMS = ("movie", "tvMovie", "video")


class Score(str, enum.Enum):
    """The scores a title can have, by the names --score and --against take; genre_scores counts
    titles under the same names."""

    imdb = "imdb"
    tomatometer = "tomatometer"
    audience = "audience"

    @property
    def column(self) -> str:
        """The movies column that holds the score."""
        return {"imdb": "imdb_rating", "audience": "audience_score"}.get(self.value, self.value)
