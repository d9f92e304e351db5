"""PagedTable: a FittedTable that shows a long list a page of rows at a time.

A DataTable row costs its adding and, when idle, the measuring of its cells: about a fifth of a
millisecond, so the 2,000 rows of an entity index list held the screen for most of a second each
time they were shown (a cursor move, a letter typed in the filter). Here only the first
:data:`PAGE` rows are added when a list is shown, and the next page when the cursor comes within
:data:`MARGIN` rows of the last row added (or :meth:`PagedTable.reveal` asks for a row further
down): the rows are the same, in the same places, and a row of the list is its item's index.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import RenderableType
from textual import on
from textual.widgets import DataTable

from reader.app.widgets.fitted_table import FittedTable

#: Rows added at a time.
PAGE = 100

#: How close to the last row added the cursor comes before the next page is added.
MARGIN = 10


class PagedTable(FittedTable):
    """A FittedTable of a list of items (:meth:`show`), its rows added a page at a time."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._items: Sequence[Any] = ()
        self._row_of: Callable[[Any], Sequence[RenderableType]] = lambda item: ()
        self._adding = False  # adding a row moves the cursor: that is not the user coming near the end

    def show(self, items: Sequence[Any], row_of: Callable[[Any], Sequence[RenderableType]]) -> None:
        """Show ``items``, a row each made by ``row_of``: the first page now, the rest as needed."""
        self._items, self._row_of = items, row_of
        self._adding = True  # clearing moves the cursor too
        try:
            self.clear()
        finally:
            self._adding = False
        self._add_page()

    @property
    def items(self) -> Sequence[Any]:
        """The items of the list shown (rows for all of them or not yet)."""
        return self._items

    def reveal(self, index: int) -> None:
        """Add rows down to the one of item ``index`` (when there is such an item)."""
        while self.row_count <= index < len(self._items):
            self._add_page()

    def _add_page(self) -> None:
        start, self._adding = self.row_count, True
        try:
            for item in self._items[start : start + PAGE]:
                self.add_row(*self._row_of(item))
        finally:
            self._adding = False

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        """The next page when the cursor comes near the last row added (the message goes on to
        the screen as well)."""
        near_the_end = event.cursor_row >= self.row_count - MARGIN
        if near_the_end and not self._adding and self.row_count < len(self._items):
            self._add_page()
