"""FindBar: the field below the article where ``/`` types the words to find.

It keeps the last search (``/`` again starts from it, typing replaces it), hides itself once
submitted, and tells its screen what to find with a :class:`FindBar.Find` message; the screen
walks the matches (see :mod:`reader.app.matches`).
"""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Hidden until opened; Enter posts :class:`Find` and hides the bar."""

    class Find(Message):
        """Find these words in the article ("" finds nothing and clears the highlights)."""

        def __init__(self, words: str) -> None:
            super().__init__()
            self.words = words

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="find in article (Enter to jump, Esc to cancel)", id=id)
        self.last = ""
        self.border_title = "Find in article"
        self.display = False

    def open(self) -> None:
        """Show the bar holding the last search, the cursor at its end, ready to type."""
        self.value = self.last
        self.cursor_position = len(self.last)
        self.display = True
        self.focus()

    def close(self) -> None:
        self.display = False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.last = event.value
        self.close()
        self.post_message(self.Find(event.value))
