"""Codes' colours: the small palette a colour is chosen from, and the tint a passage gets.

The choices are the theme's own colours (and two turns of them), resolved to ``#rrggbb`` when
chosen, because a codebook keeps (and REFI-QDA exchanges) colours in that form. Drawn, a code's
colour is never used as is: it is blended into the background only as far as the theme's text
stays readable on it (WCAG 4.5), so any colour, from any theme or file, reads on any theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rich.style import Style
from textual.app import App
from textual.color import Color

from annotations import Annotation
from annotations.codebook import Code
from annotations.codebook_store import Codebook, code_key
from annotations.errors import StoreError
from reader.app.palette import TEXT_CONTRAST, contrast, opaque, theme_grounds, turned

#: The colours offered, by the key that picks each: a theme variable and a hue turn.
CHOICES: dict[str, tuple[str, float]] = {
    "1": ("primary", 0.0),
    "2": ("secondary", 0.0),
    "3": ("accent", 0.0),
    "4": ("success", 0.0),
    "5": ("warning", 0.0),
    "6": ("error", 0.0),
    "7": ("primary", 0.5),
    "8": ("success", 0.25),
}
#: How far a colour is blended into the background, at most, for a passage (nested: the second).
SHARES = (0.35, 0.5)


def choices_of(app: App) -> dict[str, str]:
    """Each choice's colour under the app's running theme, as ``#rrggbb``, by its key."""
    variables = app.get_css_variables()
    background, _ = theme_grounds(variables)
    return {key: turned(variables[name], turn, background).hex6 for key, (name, turn) in CHOICES.items()}


@lru_cache(maxsize=256)
def _tint(background: str, foreground: str, colour: str, nested: bool) -> Style:
    ground = Color.parse(background)
    text = opaque(foreground, ground)
    wanted = Color.parse(colour)
    share = SHARES[nested]
    tint = ground.blend(wanted, share)
    while share > 0.05 and contrast(text, tint) < TEXT_CONTRAST:
        share -= 0.05
        tint = ground.blend(wanted, share)
    return Style(bgcolor=tint.rich_color, underline=True, underline2=nested)


def code_tint(app: App, colour: str, nested: bool = False) -> Style:
    """The background a passage of a code coloured ``colour`` is drawn on, readable in the theme."""
    variables = app.get_css_variables()
    background, _ = theme_grounds(variables)
    return _tint(background.hex6, variables["foreground"], colour, nested)


def colours_of_store(codebook: Codebook) -> dict[str, str]:
    """:func:`colours_by_tag` of the store's codebook; none when its file cannot be read (the
    passages are then tinted as uncoloured, and the codebook screen says what is wrong)."""
    try:
        return colours_by_tag(codebook.codes())
    except StoreError:
        return {}


def colours_by_tag(codes: list[Code]) -> dict[str, str]:
    """The colour of each coloured code, by tag key; children inherit their parent's colour."""
    own = {code.key: code.colour for code in codes if code.colour}
    found: dict[str, str] = {}
    for code in codes:
        parts = code.key.split("/")
        for depth in range(len(parts), 0, -1):
            colour = own.get("/".join(parts[:depth]))
            if colour:
                found[code.key] = colour
                break
    return found


def colour_of(annotation: Annotation, colours: Mapping[str, str]) -> str | None:
    """The colour of the first of the passage's codes that has one."""
    for tag in annotation.tags:
        colour = colours.get(code_key(tag))
        if colour:
            return colour
    return None
