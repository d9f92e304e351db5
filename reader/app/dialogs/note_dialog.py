"""NoteDialog: write or edit the multi-line note of an annotation.

Esc on a changed note does not throw it away: :class:`UnsavedNoteDialog` asks whether to save
it, discard it, or keep editing.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, TextArea

from reader.app.base import ReaderModal
from reader.safe_text import inert, inert_editable, restore_controls


class UnsavedNoteDialog(ReaderModal[str]):
    """Asked when Esc would close a changed note: returns "save", "discard" or "edit"."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="note-dialog.save"),
        Binding("d", "answer('discard')", "Discard", id="note-dialog.discard"),
        Binding("escape,k", "answer('edit')", "Keep editing", id="note-dialog.keep-editing"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-dialog"):
            yield Label(Text("The note has changed. Save it?"))
            with Horizontal(id="unsaved-buttons"):
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Keep editing (Esc)", id="edit")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "edit")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)


class NoteDialog(ReaderModal[str | None]):
    """Returns the note (possibly empty, to remove it), or None when cancelled."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True, id="note-dialog.save-note"),
        Binding("escape", "cancel", "Cancel", id="note-dialog.cancel"),
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
            yield Label(
                Text("ctrl+s saves \u00b7 Esc closes (asks if changed) \u00b7 Enter starts a new line"), id="note-help"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """The note as written; an unedited note comes back exactly as it was (no change to save)."""
        text = restore_controls(self.query_one(TextArea).text, self.original)
        self.dismiss(self.original if text == self.original else text.strip())

    def action_cancel(self) -> None:
        """Close; a changed note is kept, dropped or edited further as the user answers."""
        if self.query_one(TextArea).text == self.note:
            self.dismiss(None)
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.action_save()
            elif answer == "discard":
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(UnsavedNoteDialog(), answered)
