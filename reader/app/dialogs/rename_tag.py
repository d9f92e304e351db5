"""RenameTagDialog: the new name of a tag; the name of another tag merges the two."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from reader.app.base import ReaderModal
from reader.safe_text import inert


class RenameTagDialog(ReaderModal[str | None]):
    """Asks for a tag's new name; an existing name means merge."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, tag: str, existing: list[str]) -> None:
        super().__init__()
        self.tag = tag
        self.existing = existing

    def compose(self) -> ComposeResult:
        with Vertical(id="rename-dialog"):
            yield Label(Text(f"Rename the tag \u201c{inert(self.tag)}\u201d to:"))
            yield Input(value=inert(self.tag), id="rename-input")
            yield Label(
                Text("Enter renames \u00b7 an existing tag's name merges into it \u00b7 Esc cancels"), id="rename-help"
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
