"""The colours of the article view: entities by label, annotations, selection and caret.

Entities are coloured text (foreground); annotations are a tinted, underlined background; so
where a passage is both, both show. The selection and the caret sit on top of everything.
"""

from __future__ import annotations

from rich.style import Style

#: Foreground colours for spaCy's OntoNotes labels, chosen to read on a dark background.
ENTITY_COLOURS: dict[str, str] = {
    "PERSON": "#ff9e64",
    "NORP": "#e0af68",
    "FAC": "#9ece6a",
    "ORG": "#7aa2f7",
    "GPE": "#73daca",
    "LOC": "#2ac3de",
    "PRODUCT": "#bb9af7",
    "EVENT": "#f7768e",
    "WORK_OF_ART": "#c0caf5",
    "LAW": "#b4f9f8",
    "LANGUAGE": "#cfc9c2",
    "DATE": "#a9b1d6",
    "TIME": "#a9b1d6",
    "PERCENT": "#db4b4b",
    "MONEY": "#41a6b5",
    "QUANTITY": "#ff007c",
    "ORDINAL": "#d18616",
    "CARDINAL": "#d18616",
}
DEFAULT_ENTITY_COLOUR = "#c099ff"

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


def entity_style(label: str) -> Style:
    return Style(color=ENTITY_COLOURS.get(label, DEFAULT_ENTITY_COLOUR), bold=True)


#: One annotation, then two or more overlapping: each depth a stronger tint.
ANNOTATION_STYLES: tuple[Style, ...] = (
    Style(bgcolor="#4a3b00", underline=True),
    Style(bgcolor="#7a5a00", underline=True, underline2=True),
)
SELECTION_STYLE = Style(bgcolor="#264f78")
#: Every match of a find (or mention being walked) on screen, as vim's hlsearch shows them. It
#: sets no foreground, so an entity's colour shows through, and is laid under annotations, so a
#: tagged passage keeps its tint: there a match shows by its bold italics.
MATCH_STYLE = Style(bgcolor="#6b3a7a", bold=True, italic=True)
CARET_STYLE = Style(reverse=True, blink=False)
TITLE_STYLE = Style(bold=True)
DATE_STYLE = Style(dim=True, italic=True)
