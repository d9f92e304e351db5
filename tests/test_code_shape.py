"""The shape that keeps the code safe to change: small modules, no import cycles, a pure core.

- No module of ``reader/`` or ``annotations/`` is over :data:`MAX_LINES` lines: a module that big
  holds more than one idea, and the next engineer has to read all of it to change any of it.
- No import cycle among those modules, counting the imports Python runs when a module is first
  imported (module level and class bodies, also inside ``try``/``if``; not those under
  ``if TYPE_CHECKING:`` nor those inside functions, which run later). A cycle makes the import
  order matter, and a name used before its module finished loading fails only at run time.
- ``annotations/`` (the domain core) imports nothing from reader, Textual, spaCy or Rich,
  anywhere: it must stay usable without the UI or the model.

The imports are read with :mod:`ast`, never executed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("reader", "annotations")
MAX_LINES = 400
#: What the domain core must never import (top-level package names).
FORBIDDEN_IN_CORE = ("reader", "textual", "spacy", "rich")


def module_files() -> dict[str, Path]:
    """Every module of the checked packages, by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = module_files()


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``: a block the interpreter never runs."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _import_time_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of ``body`` run when the module is imported, nested blocks included:
    class bodies run then, function bodies later, and ``if TYPE_CHECKING:`` bodies never."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(statement, ast.If) and _is_type_checking(statement.test):
            yield from _import_time_statements(statement.orelse)
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _import_time_statements(getattr(statement, field, []) or [])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _import_time_statements(handler.body)
        for case in getattr(statement, "cases", []) or []:
            yield from _import_time_statements(case.body)


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute module named by ``from ... import`` in ``module`` (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(module: str, path: Path, nodes: Iterable[ast.AST] | None = None) -> set[str]:
    """Dotted names ``module`` imports: anywhere in it, or in the ``nodes`` given.

    ``from package import name`` counts as importing ``package.name`` when that is a module of
    ours, else as importing ``package`` (the name comes from its ``__init__``)."""
    if nodes is None:
        nodes = ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, path.name == "__init__.py")
            for alias in node.names:
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source)
    return found


def import_time_graph() -> dict[str, set[str]]:
    """Each of our modules -> those of ours it imports while being imported."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        statements = _import_time_statements(ast.parse(path.read_text(encoding="utf-8")).body)
        graph[module] = {name for name in imported_modules(module, path, statements) if name in MODULES} - {module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted: every
    import cycle lies inside one of them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines()) for path in MODULES.values()
    }
    assert len(sizes) > 50, "the walk found too few modules: the package layout changed?"
    offenders = {name: lines for name, lines in sorted(sizes.items()) if lines > MAX_LINES}
    assert not offenders, f"modules over {MAX_LINES} lines (split them by idea): " + ", ".join(
        f"{name} ({lines})" for name, lines in offenders.items()
    )


def test_no_import_cycle_at_import_time() -> None:
    graph = import_time_graph()
    assert sum(len(targets) for targets in graph.values()) > 100, "the walk found too few imports"
    found = cycles(graph)
    assert not found, "import cycles among these modules (imports run at import time): " + "; ".join(
        " <-> ".join(group) for group in found
    )


@pytest.mark.parametrize("module", sorted(name for name in MODULES if name.split(".")[0] == "annotations"))
def test_the_domain_core_imports_no_ui_model_or_reader(module: str) -> None:
    imported = imported_modules(module, MODULES[module])
    forbidden = sorted(name for name in imported if name.split(".")[0] in FORBIDDEN_IN_CORE)
    assert not forbidden, f"{module} imports {', '.join(forbidden)}: annotations/ must stay plain Python"


def test_the_cycle_finder_sees_a_cycle_and_type_checking_imports_are_left_out() -> None:
    """The checks above can fail: a two-module cycle is found, and an import under
    ``if TYPE_CHECKING:`` or inside a function does not count as an import-time one."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = (
        "from typing import TYPE_CHECKING\n"
        "import os\n"
        "if TYPE_CHECKING:\n    import json\nelse:\n    import re\n"
        "try:\n    import csv\nexcept ImportError:\n    import io\n"
        "class C:\n    import ast\n    def f(self):\n        import sys\n"
    )
    statements = _import_time_statements(ast.parse(source).body)
    names = {alias.name for node in statements if isinstance(node, ast.Import) for alias in node.names}
    assert names == {"os", "re", "csv", "io", "ast"}
