"""The code's shape: imports run one way, and sources import only leaves and record types."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "movie"

# Lower ranks are imported by higher ones, never the other way round.
RANKS = {
    "movie": 0,
    "movie.errors": 0,
    "movie.tables": 0,
    "movie.text": 0,
    "movie.dates": 0,
    "movie.interrupts": 0,
    "movie.results": 0,
    "movie.sources": 0,
    "movie.files": 1,
    "movie.sources.records": 1,
    "movie.sources.html_tree": 0,
    "movie.sources.csv_folder": 2,
    "movie.sources.text_page": 2,
    "movie.sources.schema_org": 2,
    "movie.sources.rt_reviews": 2,
    "movie.sources.rt_markup": 3,
    "movie.sources.html_page": 4,
    "movie.sources.rt_dataset": 2,
    "movie.sources.imdb": 2,
    "movie.db": 2,
    "movie.schema": 3,
    "movie.choose": 4,
    "movie.user_sql": 4,
    "movie.writer": 4,
    "movie.writer_imdb_parts": 5,
    "movie.writer_imdb_pages": 6,
    "movie.writer_imdb": 7,
    "movie.listings": 5,
    "movie.charts": 5,
    "movie.plots": 5,
    "movie.card": 5,
    "movie.output": 5,
    "movie.output_card": 6,
    "movie.catalog": 6,
    "movie.completion": 7,
    "movie.imports": 8,
    "movie.vocabulary": 0,
    # The command line: shared parts, then the command modules (which never import the app),
    # then the app that registers them, then the package that offers the app.
    "movie.cli.common": 9,
    "movie.cli.reading": 10,
    "movie.cli.writing": 10,
    "movie.cli.charts": 10,
    "movie.cli.other": 10,
    "movie.cli.app": 11,
    "movie.cli": 12,
    "movie.__main__": 13,
    "movie.reference": 13,
}
LEAVES = {name for name, rank in RANKS.items() if rank <= 1 and name != "movie.sources.records"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every movie module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in RANKS}


def test_every_module_has_a_rank():
    assert {module_name(p) for p in SRC.rglob("*.py")} == set(RANKS)


def test_imports_run_one_way():
    for path in SRC.rglob("*.py"):
        name = module_name(path)
        for imported in imports_of(path) - {"movie", "movie.sources"}:
            assert RANKS[imported] < RANKS[name], f"{name} imports {imported}"


# A source made of parts: the parts, like any source, import only leaves and records.
PARTS = {
    "movie.sources.html_page": {"movie.sources.schema_org", "movie.sources.rt_markup"},
    "movie.sources.rt_markup": {"movie.sources.rt_reviews"},
}


def test_sources_import_only_leaves_and_records():
    for path in (SRC / "sources").glob("*.py"):
        name = module_name(path)
        allowed = LEAVES | {"movie.sources.records"} | PARTS.get(name, set())
        assert imports_of(path) <= allowed | {name}, name
