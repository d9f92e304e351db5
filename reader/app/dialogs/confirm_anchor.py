"""ConfirmAnchorDialog: the article changed; is this still the passage that was tagged?

A fuzzy re-anchoring is never trusted silently (a known failure of web annotators is attaching a
note to a look-alike paragraph): the user sees the old quote beside the candidate and decides.
"""

from __future__ import annotations

from enum import StrEnum

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from annotations import Annotation
from annotations.anchoring import Anchor
from reader.app.base import ReaderModal
from reader.app.text_colours import text_colours
from reader.safe_text import inert


class AnchorDecision(StrEnum):
    ACCEPT = "accept"
    ORPHAN = "orphan"
    LATER = "later"


class ConfirmAnchorDialog(ReaderModal[AnchorDecision]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "decide('accept')", "Yes, move it", id="confirm-anchor.yes-move-it"),
        Binding("n", "decide('orphan')", "No, leave it orphaned", id="confirm-anchor.no-leave-it-orphaned"),
        Binding("escape", "decide('later')", "Decide later", id="confirm-anchor.decide-later"),
    ]

    def __init__(self, annotation: Annotation, candidate: Anchor, text: str) -> None:
        super().__init__()
        self.annotation = annotation
        self.candidate = candidate
        self.text = text

    def compose(self) -> ComposeResult:
        before = inert(self.text[max(0, self.candidate.start - 40) : self.candidate.start])
        after = inert(self.text[self.candidate.end : self.candidate.end + 40])
        quote_style = text_colours(self.app).tag + Style(bold=True, underline=True)
        now = Text.assemble((before, "dim"), (inert(self.candidate.quote), quote_style), (after, "dim"))
        with Vertical(id="anchor-dialog"):
            yield Label(Text("This article has changed. Is this still the passage you tagged?", style="bold"))
            yield Label(Text(f"Tags: {inert(', '.join(self.annotation.tags))}"), id="anchor-tags")
            yield Label(Text("You tagged:", style="dim"))
            yield Static(Text(inert(self.annotation.quote)), classes="anchor-quote")
            yield Label(Text(f"The text now reads ({self.candidate.score:.0%} alike):", style="dim"))
            yield Static(now, classes="anchor-quote")
            yield Label(
                Text("y moves the annotation here \u00b7 n leaves it orphaned (kept, listed) \u00b7 Esc decides later"),
                id="anchor-help",
            )

    def action_decide(self, decision: str) -> None:
        self.dismiss(AnchorDecision(decision))
