"""The code's shape: imports run one way, part by part, and never in a circle.

The parts, top to bottom: the entry points (python -m movie, the reference generator), the CLI,
the library that runs whole jobs (imports, catalog, completion), then the writer, the read side
and output side by side, then the sources and the store, and the leaves at the bottom. A module's
part is its package; a module at the top of `movie` is a leaf when it imports only leaves, an
entry point when it imports the CLI, else the library. So a new module needs no edit here.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "movie"

LEVELS = {
    "leaves": 0,
    "sources": 1,
    "store": 1,
    "writer": 2,
    "read": 2,
    "output": 2,
    "library": 3,
    "cli": 4,
    "entry": 5,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in SRC.rglob("*.py")}
PACKAGES = {path.parent.name for path in SRC.glob("*/__init__.py")}


@cache
def imports_of(name: str) -> frozenset[str]:
    """Every movie module a module imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return frozenset(found & set(MODULES) - {name, "movie"})


@cache
def part_of(name: str) -> str:
    return _part(name, frozenset())


def _part(name: str, visiting: frozenset[str]) -> str:
    pieces = name.split(".")
    if len(pieces) > 2 or (len(pieces) == 2 and pieces[1] in PACKAGES):
        return pieces[1]
    if name == "movie" or name in visiting:  # (a circle is test_no_import_cycles' to report)
        return "leaves"
    parts = {_part(other, visiting | {name}) for other in imports_of(name)}
    if "cli" in parts:
        return "entry"
    return "leaves" if parts <= {"leaves"} else "library"


def test_every_package_is_a_part():
    assert set(LEVELS) >= PACKAGES, PACKAGES - set(LEVELS)


def test_imports_run_down_the_parts():
    for name in MODULES:
        for other in imports_of(name):
            mine, theirs = part_of(name), part_of(other)
            assert mine == theirs or LEVELS[theirs] < LEVELS[mine], (
                f"{name} ({mine}) imports {other} ({theirs})"
            )


def test_no_import_cycles():
    """Within a part modules import each other, but never round in a circle."""
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join([*path[path.index(name) :], name])
        if name in done:
            return
        for other in sorted(imports_of(name)):
            visit(other, (*path, name))
        done.add(name)

    for name in sorted(MODULES):
        visit(name, ())


def test_the_parts_hold_what_they_should():
    """A check on the rule above: the modules everyone relies on are where they belong."""
    expected = {
        "movie.errors": "leaves",
        "movie.tables": "leaves",
        "movie.text": "leaves",
        "movie.records": "leaves",
        "movie.vocabulary": "leaves",
        "movie.imports": "library",
        "movie.catalog": "library",
        "movie.__main__": "entry",
        "movie.cli.app": "cli",
        "movie.writer.imdb": "writer",
        "movie.read.listings": "read",
    }
    assert {name: part_of(name) for name in expected} == expected


def test_the_cli_reads_no_source():
    """The CLI maps options onto the library and prints: it reads no file itself."""
    for name in MODULES:
        if part_of(name) in ("cli", "entry"):
            assert "sources" not in {part_of(o) for o in imports_of(name)}, name


def test_command_modules_never_import_the_app():
    for name in MODULES:
        if name.startswith("movie.cli.") and name != "movie.cli.app":
            assert "movie.cli.app" not in imports_of(name), name


def test_sources_import_only_leaves_and_each_other():
    for name in MODULES:
        if part_of(name) == "sources":
            assert {part_of(o) for o in imports_of(name)} <= {"leaves", "sources"}, name


def test_no_module_grows_past_its_size():
    """One job per module: none over 600 lines, and a CLI module, which only maps options onto
    the library, none over 400 (issue 20)."""
    for name, path in MODULES.items():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        limit = 400 if part_of(name) == "cli" else 600
        assert lines <= limit, (name, lines)
