"""FittedTable: a DataTable whose columns fit the screen, the long one cut with an ellipsis.

Textual's DataTable makes every column as wide as its widest cell, so one long passage or title
pushes every column after it off the right edge, headers and all. Here the columns are sized to
the table's width instead: each column but one is as wide as its content up to a cap, and the
``flexible`` column (the passage, the title, the file name) takes what is left, so every header
stays on screen and the long cells end in "…" (their Text must be ``no_wrap`` with
``overflow="ellipsis"``, see :func:`cut`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import StyleType
from rich.text import Text
from textual import events
from textual.widgets import DataTable


def cut(text: str | Text, style: StyleType = "") -> Text:
    """A cell that ends in an ellipsis where its column is narrower than it."""
    cell = text.copy() if isinstance(text, Text) else Text(text, style=style)
    cell.no_wrap = True
    cell.overflow = "ellipsis"
    return cell


class FittedTable(DataTable[Any]):
    """A DataTable whose ``flexible`` column takes the width the others leave; the others are
    as wide as their content, at most their cap in ``caps`` (by column key)."""

    def __init__(self, *, flexible: str, caps: Mapping[str, int] | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.flexible = flexible
        self.caps = dict(caps or {})

    def widths(self, available: int) -> dict[str, int]:
        """The content width of each column (by key) for a table ``available`` cells wide."""
        padding = 2 * self.cell_padding
        natural = {
            str(key.value): max(column.content_width, column.label.cell_len) for key, column in self.columns.items()
        }
        widths = {key: min(width, self.caps.get(key, width)) for key, width in natural.items() if key != self.flexible}
        if self.flexible in natural:
            label = self.columns[self._column_key(self.flexible)].label.cell_len
            rest = available - sum(widths.values()) - padding * len(natural)
            widths[self.flexible] = max(rest, label, 1)
        return widths

    def _column_key(self, key: str) -> Any:
        return next(column_key for column_key in self.columns if column_key.value == key)

    def fit(self) -> None:
        """Size the columns to the table's width now (after rows arrive, or a resize)."""
        region = self.scrollable_content_region.width
        if region <= 0 or not self.columns:
            return
        # Leave room for the vertical scrollbar before it shows, so rows arriving do not push
        # the last column half off the edge.
        available = region - (0 if self.show_vertical_scrollbar else self.styles.scrollbar_size_vertical)
        changed = False
        for key, width in self.widths(available).items():
            column = self.columns[self._column_key(key)]
            if column.auto_width or column.width != width:
                column.auto_width, column.width = False, width
                changed = True
        if changed:
            self._require_update_dimensions = True
            self._clear_caches()
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    async def _on_idle(self, event: events.Idle) -> None:
        # DataTable measures new cells when idle; the widths follow right after.
        await super()._on_idle(event)
        self.fit()
