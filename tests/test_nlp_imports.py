"""reader.nlp has no import cycle: Entity lives in reader/nlp/model.py and every module of the
package takes it from there, so no module needs to import another that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import reader.nlp

PACKAGE = Path(reader.nlp.__file__).parent


def _imports_within_package(path: Path) -> set[str]:
    """Modules of reader.nlp that ``path`` imports anywhere (top level, in functions, under TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reader.nlp."):
            found.add(node.module.removeprefix("reader.nlp."))
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("reader.nlp.") for a in node.names if a.name.startswith("reader.nlp.")}
    return found


def test_reader_nlp_modules_import_each_other_without_a_cycle() -> None:
    graph = {p.stem: _imports_within_package(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}

    def cycle_from(start: str, path: list[str]) -> list[str] | None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == start:
                return [*path, nxt]
            if nxt not in path:
                found = cycle_from(start, [*path, nxt])
                if found:
                    return found
        return None

    cycles = [c for name in graph if (c := cycle_from(name, [name]))]
    assert cycles == [], f"import cycles in reader.nlp: {cycles}"


def test_every_module_takes_entity_from_the_model_module() -> None:
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and any(a.name == "Entity" for a in node.names):
                assert node.module == "reader.nlp.model", f"{path.name} imports Entity from {node.module}"
