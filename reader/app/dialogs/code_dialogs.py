"""The codebook's dialogs: a line of text (a new code, a description, a memo, a new parent),
a colour chosen by key, and the confirmation that names how many passages a delete touches.

Each answers with its value, or None for Esc; an empty answer (no parent, no colour) is ``""``.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from reader.app.base import ReaderModal
from reader.app.code_tints import CHOICES, choices_of
from reader.app.widgets.completing_input import CompletingInput
from reader.safe_text import inert


class CodeTextDialog(ReaderModal[str | None]):
    """One line of text about a code; ``paths`` offers completion (codes' paths) when given."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="code-text.cancel")]

    def __init__(self, question: str, value: str = "", hint: str = "", paths: list[str] | None = None) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.hint = hint
        self.paths = paths

    def compose(self) -> ComposeResult:
        suggester = SuggestFromList(self.paths, case_sensitive=False) if self.paths else None
        with Vertical(id="code-dialog"):
            yield Label(Text(inert(self.question)))
            yield CompletingInput(value=inert(self.value), suggester=suggester, id="code-input")
            yield Label(Text(f"{self.hint} \u00b7 Enter saves \u00b7 Esc cancels".lstrip(" \u00b7")), id="code-help")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(event.value.split()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodeColourDialog(ReaderModal[str | None]):
    """A colour for a code, picked by its key from the theme's colours; 0 takes it away."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        *(Binding(key, f"pick('{key}')", f"Colour {key}", show=False, id=f"code-colour.{key}") for key in CHOICES),
        Binding("0", "pick('0')", "No colour", id="code-colour.none"),
        Binding("escape", "cancel", "Cancel", id="code-colour.cancel"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        self.choices = choices_of(self.app)
        swatches = Text()
        for key, colour in self.choices.items():
            swatches.append(f" {key} ")
            swatches.append("    ", Style(bgcolor=colour))
        with Vertical(id="code-dialog"):
            yield Label(Text(f"Colour of the code \u201c{inert(self.code)}\u201d:"))
            yield Static(swatches, id="code-swatches")
            yield Label(Text("1-8 picks a colour \u00b7 0 takes it away \u00b7 Esc cancels"), id="code-help")

    def action_pick(self, key: str) -> None:
        self.dismiss(self.choices.get(key, ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDeleteCodeDialog(ReaderModal[bool]):
    """Asks before a code is taken off ``passages`` passages (and out of the codebook)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Delete", id="code-delete.yes"),
        Binding("n", "answer(False)", "Keep", id="code-delete.no"),
        Binding("escape", "answer(False)", "Keep", id="code-delete.cancel"),
    ]

    def __init__(self, code: str, passages: int) -> None:
        super().__init__()
        self.code = code
        self.passages = passages

    def compose(self) -> ComposeResult:
        with Vertical(id="code-dialog"):
            yield Label(
                Text(
                    f"Delete the code \u201c{inert(self.code)}\u201d and the codes under it? "
                    f"It is taken off {self.passages} passage(s); u undoes."
                )
            )
            yield Label(Text("y deletes \u00b7 n or Esc keeps it"), id="code-help")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
