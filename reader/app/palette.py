"""The colours of the article view: entities by label, annotations, selection and caret.

Entities are coloured text (foreground); annotations are a tinted, underlined background; so
where a passage is both, both show. The selection and the caret sit on top of everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rich.style import Style
from textual.app import App
from textual.color import Color

#: spaCy's OntoNotes labels, in the order the label lists show them. Each is given one of the
#: theme's colours (by name of a theme variable) and a hue turn, so neighbouring labels differ.
ENTITY_SOURCES: dict[str, tuple[str, float]] = {
    "PERSON": ("warning", 0.0),
    "NORP": ("warning", -0.06),
    "FAC": ("success", 0.0),
    "ORG": ("primary", 0.0),
    "GPE": ("accent", 0.0),
    "LOC": ("accent", 0.08),
    "PRODUCT": ("secondary", 0.0),
    "EVENT": ("error", 0.0),
    "WORK_OF_ART": ("secondary", 0.08),
    "LAW": ("success", 0.08),
    "LANGUAGE": ("primary", 0.08),
    "DATE": ("primary", -0.08),
    "TIME": ("primary", -0.08),
    "PERCENT": ("error", 0.06),
    "MONEY": ("success", -0.08),
    "QUANTITY": ("error", -0.06),
    "ORDINAL": ("warning", 0.06),
    "CARDINAL": ("warning", 0.06),
}
#: Kept for the label lists (correction dialog), which iterate the known labels.
ENTITY_COLOURS = ENTITY_SOURCES
DEFAULT_ENTITY_SOURCE = ("secondary", -0.08)
#: WCAG contrast an entity's text keeps against the background it is drawn on (text: 4.5).
TEXT_CONTRAST = 4.5

LABEL_NAMES: dict[str, str] = {
    "PERSON": "person",
    "NORP": "nationality, religious or political group",
    "FAC": "facility",
    "ORG": "organisation",
    "GPE": "country, city, state",
    "LOC": "location",
    "PRODUCT": "product",
    "EVENT": "event",
    "WORK_OF_ART": "work of art",
    "LAW": "law",
    "LANGUAGE": "language",
    "DATE": "date",
    "TIME": "time",
    "PERCENT": "percent",
    "MONEY": "money",
    "QUANTITY": "quantity",
    "ORDINAL": "ordinal",
    "CARDINAL": "number",
}


def luminance(colour: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(one: Color, other: Color) -> float:
    """WCAG contrast ratio of two opaque colours, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: Color, backgrounds: tuple[Color, ...], ratio: float = TEXT_CONTRAST) -> Color:
    """``colour`` moved towards white (dark themes) or black (light themes) until it reads at
    ``ratio`` against every background: the theme's hue stays, its legibility is ensured."""
    dark_theme = luminance(backgrounds[0]) < 0.2
    target = Color(255, 255, 255) if dark_theme else Color(0, 0, 0)
    for step in range(21):
        candidate = colour.blend(target, step / 20)
        if all(contrast(candidate, background) >= ratio for background in backgrounds):
            return candidate
    return target


@dataclass(frozen=True)
class Palette:
    """The article view's colours for one theme: entity foregrounds, annotation tints, find
    matches and the selection, all derived from the theme's own colours."""

    background: Color
    entity: dict[str, Color]
    default_entity: Color
    annotation: tuple[Style, Style]
    match: Style
    selection: Style

    def entity_style(self, label: str) -> Style:
        return Style(color=self.entity.get(label, self.default_entity).rich_color, bold=True)


def opaque(value: str, under: Color) -> Color:
    """A theme colour (maybe translucent, as ``$boost``) as drawn over ``under``."""
    return under + Color.parse(value)


def theme_grounds(css: Mapping[str, str]) -> tuple[Color, Color]:
    """The theme's background (as drawn, over black) and its ``$panel`` over that (the background
    again where the theme names no panel): the grounds every colour of the app is made readable on."""
    background = opaque(css["background"], Color(0, 0, 0))
    return background, opaque(css.get("panel", css["background"]), background)


def turned(value: str, turn: float, background: Color) -> Color:
    """A theme colour as drawn over ``background``, its hue turned by ``turn`` (a share of the
    circle): how neighbouring entity labels and the codebook's colour choices differ in one theme."""
    hue, saturation, lightness = opaque(value, background).hsl
    return Color.from_hsl((hue + turn) % 1.0, saturation, lightness)


@lru_cache(maxsize=16)
def _palette(variables: tuple[tuple[str, str], ...]) -> Palette:
    css = dict(variables)
    background, panel = theme_grounds(css)
    tint = [background.blend(opaque(css["warning"], background), share) for share in (0.25, 0.4)]
    # Entities are drawn on the plain background and on both annotation tints: readable on all.
    grounds = (background, panel, *tint)

    def colour(source: tuple[str, float]) -> Color:
        name, turn = source
        return readable(turned(css[name], turn, background), grounds)

    entity = {label: colour(source) for label, source in ENTITY_SOURCES.items()}
    return Palette(
        background=background,
        entity=entity,
        default_entity=colour(DEFAULT_ENTITY_SOURCE),
        annotation=(
            Style(bgcolor=tint[0].rich_color, underline=True),
            Style(bgcolor=tint[1].rich_color, underline=True, underline2=True),
        ),
        match=Style(
            bgcolor=background.blend(opaque(css["accent"], background), 0.35).rich_color, bold=True, italic=True
        ),
        selection=Style(bgcolor=background.blend(opaque(css["primary"], background), 0.45).rich_color),
    )


def palette_of(app: App) -> Palette:
    """The palette of the app's running theme (cached per set of theme variables), so a change
    of theme changes every colour drawn."""
    variables = app.get_css_variables()
    keys = ("background", "panel", "primary", "secondary", "accent", "warning", "error", "success")
    return _palette(tuple((key, variables[key]) for key in keys if key in variables))


def entity_style(label: str, app: App) -> Style:
    """Bold text in the label's colour under the app's current theme."""
    return palette_of(app).entity_style(label)


CARET_STYLE = Style(reverse=True, blink=False)
TITLE_STYLE = Style(bold=True)
DATE_STYLE = Style(dim=True, italic=True)
