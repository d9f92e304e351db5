"""TagTable: the tags screen's tables, which scroll with j and k beside the arrows."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable


class TagTable(DataTable[Text]):
    """A table of the tags screen (tags, or the passages of one), j and k moving the cursor."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tags.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up"),
    ]
