"""NoteDialog: write or edit the multi-line note of an annotation."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from reader.safe_text import inert, inert_editable, restore_controls


class NoteDialog(ModalScreen[str | None]):
    """Returns the note (possibly empty, to remove it), or None when cancelled."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self.quote = quote
        #: The note as the editor shows it: an imported note's escape sequences made inert.
        self.note = inert_editable(note)
        #: The note as stored, given back intact unless the user changes it.
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            excerpt = inert(self.quote)
            excerpt = excerpt if len(excerpt) <= 160 else excerpt[:157] + "\u2026"
            yield Label(Text(f"Note on \u201c{excerpt}\u201d"), id="note-passage")
            yield TextArea(self.note, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label(Text("ctrl+s saves \u00b7 Esc cancels \u00b7 Enter starts a new line"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """The note as written; an unedited note comes back exactly as it was (no change to save)."""
        text = restore_controls(self.query_one(TextArea).text, self.original)
        self.dismiss(self.original if text == self.original else text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
