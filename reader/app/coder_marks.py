"""The marks of other coders' passages in the article view: one per coder, from the theme.

Your own passages keep the palette's annotation tint (:mod:`reader.app.palette`). Each other
coder's passages get a tint of another of the theme's colours with an underline (single for the
first five coders, double for the next five), so layers differ from your own work and from each
other, and follow the theme when it changes. Past ten coders the marks repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.style import Style
from textual.app import App
from textual.color import Color

from reader.app.palette import opaque

#: The theme variables whose colours tint other coders' passages, in the order coders get them.
SOURCES = ("primary", "accent", "success", "secondary", "error")
#: How much of the coder's colour is blended into the background.
SHARE = 0.3


@lru_cache(maxsize=64)
def _mark(background: str, colour: str, index: int) -> Style:
    ground = opaque(background, Color(0, 0, 0))
    tint = ground.blend(opaque(colour, ground), SHARE)
    double = (index // len(SOURCES)) % 2 == 1
    return Style(bgcolor=tint.rich_color, underline=not double, underline2=double, italic=True)


def coder_marks(app: App, coders: Sequence[str]) -> dict[str, Style]:
    """The mark of each of ``coders`` (other coders, in the order given) under the app's theme."""
    variables = app.get_css_variables()
    background = variables["background"]
    marks: dict[str, Style] = {}
    for index, coder in enumerate(coders):
        source = SOURCES[index % len(SOURCES)]
        marks[coder] = _mark(background, variables[source], index)
    return marks
