"""The colours of text in bars, lists and dialogs (tags, warnings, keys, quiet details), taken
from the running theme and made readable on it.

The theme names each hue: ``$warning`` for tags and things to look at, ``$error`` for what went
wrong, ``$accent`` for keys and filter names, ``$primary`` for the selection, and the
foreground, half-way to the background, for quiet details. Each is then moved towards the
theme's contrast (:func:`reader.app.palette.readable`) until it reads at 4.5:1 on every ground
such text sits on: the screen's background, ``$panel`` (title and status bars, the footer) and
``$surface`` (dialogs). No colour is written here, and a change of theme changes them all.

:meth:`TextColours.css_variables` gives the same colours to Textual CSS: ``$reader-tag`` and
the others, and a readable ``$footer-key-foreground`` (some built-in themes draw the footer's
keys at under 3:1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.style import Style
from textual.app import App
from textual.color import Color

from reader.app.palette import TEXT_CONTRAST, opaque, readable, theme_grounds

#: Added to a colour's style where the text is a heading or a value to find at a glance.
BOLD = Style(bold=True)

#: The theme variables the colours are derived from.
SOURCES = (
    *("background", "panel", "surface", "foreground", "footer-background", "footer-key-foreground"),
    *("warning", "error", "accent", "primary"),
)


@dataclass(frozen=True)
class TextColours:
    """Readable text colours of one theme, as Rich styles of a colour only (add :data:`BOLD`...)."""

    tag: Style
    alert: Style
    key: Style
    selected: Style
    muted: Style
    #: Textual's footer key colour of the theme, made readable on the footer.
    footer_key: Style

    def css_variables(self) -> dict[str, str]:
        """The colours as Textual CSS variables (``$reader-tag``...), and the footer's key colour."""
        variables = {
            f"reader-{name}": _hex(getattr(self, name)) for name in ("tag", "alert", "key", "selected", "muted")
        }
        variables["footer-key-foreground"] = _hex(self.footer_key)
        return variables


def _hex(style: Style) -> str:
    assert style.color is not None  # every style here is made from a colour
    return style.color.get_truecolor().hex


@lru_cache(maxsize=16)
def _text_colours(variables: tuple[tuple[str, str], ...]) -> TextColours:
    css = dict(variables)
    background, panel = theme_grounds(css)
    footer = opaque(css.get("footer-background", css.get("panel", css["background"])), background)
    grounds = (background, panel, opaque(css.get("surface", css["background"]), background), footer)
    foreground = opaque(css["foreground"], background)

    def text(colour: Color, on: tuple[Color, ...] = grounds) -> Style:
        return Style(color=readable(colour, on, TEXT_CONTRAST).rich_color)

    return TextColours(
        tag=text(opaque(css["warning"], background)),
        alert=text(opaque(css["error"], background)),
        key=text(opaque(css["accent"], background)),
        selected=text(opaque(css["primary"], background)),
        muted=text(foreground.blend(background, 0.45)),
        footer_key=text(opaque(css.get("footer-key-foreground", css["accent"]), footer), (footer,)),
    )


def theme_text_colours(variables: dict[str, str]) -> TextColours:
    """The text colours for a theme's CSS variables (cached per set of them)."""
    return _text_colours(tuple((key, variables[key]) for key in SOURCES if key in variables))


def text_colours(app: App[Any]) -> TextColours:
    """The text colours of the app's running theme."""
    return theme_text_colours(app.get_css_variables())
