"""Names used in several places, defined once. A leaf: imports nothing of movie's own."""

from __future__ import annotations

# IMDb's title types, as title.basics spells them (and --type/--types take them, in any case).
TITLE_TYPES = (
    "movie short tvSeries tvEpisode tvMovie tvMiniSeries tvSpecial tvShort video videoGame tvPilot"
).split()
