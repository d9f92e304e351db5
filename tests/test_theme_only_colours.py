"""Colours in reader/app come from the running theme, never from the Python source.

A colour written in Python looks right on the theme it was picked for and unreadable on
another (a light amber tag on textual-light's grey reads at 1.5:1). So the Python under
reader/app holds no hex colour (``#rrggbb``, ``#rrggbbaa``, ``rgb(...)``) and no string that
Rich would read as a style with a colour (``"bold red"``, ``"#e0af68"``): text colours come
from :mod:`reader.app.text_colours` or :mod:`reader.app.palette` (derived from the theme's
variables with a WCAG contrast check), and widget colours from .tcss with theme variables.

No module is excepted: the palette derives every hue from the theme's own variables
(``$warning``, ``$primary``...) and needs no base colour of its own.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from rich.errors import StyleSyntaxError
from rich.style import Style

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "reader" / "app"
HEX = re.compile(r"#[0-9a-fA-F]{6}(?:[0-9a-fA-F]{2})?\b|\brgba?\(")


def hex_colours(source: str) -> list[tuple[int, str]]:
    """(line number, match) of each hex or rgb() colour written in ``source``."""
    return [(n, m.group()) for n, line in enumerate(source.splitlines(), 1) for m in HEX.finditer(line)]


def colour_styles(source: str) -> list[tuple[int, str]]:
    """(line number, string) of each string constant Rich reads as a style with a colour."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip()):
            continue
        try:
            style = Style.parse(node.value)
        except (StyleSyntaxError, ValueError):
            continue
        if any(colour is not None and not colour.is_default for colour in (style.color, style.bgcolor)):
            found.append((node.lineno, node.value))
    return found


def test_no_colour_is_written_in_the_apps_python() -> None:
    modules = sorted(APP.rglob("*.py"))
    assert len(modules) > 20
    offenders = []
    for path in modules:
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        offenders += [f"{where}:{line}: {text!r}" for line, text in hex_colours(source) + colour_styles(source)]
    assert not offenders, "colours written in Python (take them from the theme):\n" + "\n".join(offenders)


def test_the_check_finds_hex_and_named_colours() -> None:
    source = 'a = Text("x", style="bold #e0af68")\nb = "on red"\nc = "bold"\nd = "#articles"\ne = "rgb(1,2,3)"\n'
    assert [line for line, _ in hex_colours(source)] == [1, 5]
    assert sorted(line for line, _ in colour_styles(source)) == [1, 2, 5]
