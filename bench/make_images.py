"""Write the README's chart images, deterministically, from a synthetic catalog.

    python bench/make_images.py [OUT_DIR]      # docs/images by default; needs the charts extra

The catalog is the synthetic Rotten Tomatoes dataset the README's chart examples use
(`bench/make_dataset.py --movies 3000`, its default seed), imported into a temporary file; each
chart is written with `movie chart ... --output`, as a user would.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHARTS = {
    "career.png": ["career", "Pelren Fenispel"],
    "reviews.png": ["reviews", "Temfenton Stokais Loshuis"],
    "scores.png": ["reviews", "Temfenton Stokais Loshuis", "--scores"],
    "agreement.png": ["agreement"],
    "catalog-decade.png": ["catalog", "--by", "decade"],
    "catalog-genre.png": ["catalog", "--by", "genre"],
}


def movie(catalog: Path, *args: str) -> None:
    env = {**os.environ, "MOVIE_DB": str(catalog)}
    subprocess.run([sys.executable, "-m", "movie", *args], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=HERE.parent / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        data, catalog = Path(work) / "dataset", Path(work) / "catalog.db"
        subprocess.run(
            [sys.executable, str(HERE / "make_dataset.py"), str(data), "--movies", "3000"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        movie(catalog, "import", "--dataset", str(data))
        for name, chart in CHARTS.items():
            movie(catalog, "chart", *chart, "--output", str(args.out / name))
            print(args.out / name)


if __name__ == "__main__":
    main()
