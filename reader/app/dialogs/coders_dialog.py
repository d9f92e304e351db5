"""CodersDialog: choose which coders to compare (A, B, and more for alpha), and optionally the
name of the agreed layer, among the coders the store has.

One list, one row a coder with its number of passages: ``a`` makes the highlighted coder A,
``b`` makes it B, space adds it to (or takes it from) the coders counted in alpha only, when the
caller allows more than two. Enter confirms. The agreement screen and the differences screen
both use it, so choosing coders works the same way in each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from annotations import Annotation
from annotations.coders import normalise_coder
from annotations.differences import AGREED
from reader.app.base import ReaderModal
from reader.safe_text import inert


@dataclass(frozen=True)
class CoderChoice:
    """What the dialog returns: the coders (A, B, then any counted in alpha only) and, when the
    dialog asked for it, the agreed layer's name."""

    coders: tuple[str, ...]
    agreed: str | None = None


def coder_counts(annotations: Sequence[Annotation]) -> Counter[str]:
    """Coded passages (with at least one tag) of each coder, most first."""
    return Counter(a.coder for a in annotations if a.tags)


def default_coders(counts: Counter[str], own: str, agreed: str = AGREED) -> tuple[str, str] | None:
    """Coders A and B to offer first: you (if you have passages) and the coder with the most
    passages besides; the agreed layer is not a coder to compare. None with fewer than two."""
    ranked = [coder for coder, _ in counts.most_common() if coder != agreed]
    if len(ranked) < 2:
        return None
    first = own if own in ranked else ranked[0]
    return first, next(coder for coder in ranked if coder != first)


class CodersDialog(ReaderModal[CoderChoice | None]):
    """Returns the chosen coders (and agreed name), or None when cancelled."""

    CSS_PATH = "coders_dialog.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="coders-dialog.cancel"),
        Binding("a", "mark('a')", "Coder A", tooltip="Make the highlighted coder A", id="coders-dialog.a"),
        Binding("b", "mark('b')", "Coder B", tooltip="Make the highlighted coder B", id="coders-dialog.b"),
        Binding(
            "space",
            "toggle_more",
            "Alpha too",
            tooltip="Count the highlighted coder in alpha too (or no longer)",
            id="coders-dialog.more",
        ),
    ]

    def __init__(
        self,
        counts: Counter[str],
        chosen: Sequence[str],
        *,
        more: bool = False,
        agreed: str | None = None,
    ) -> None:
        super().__init__()
        self.counts = counts
        self.names = [coder for coder, _ in counts.most_common()]
        self.a, self.b = chosen[0], chosen[1]
        self.more: list[str] = [c for c in chosen[2:] if c not in (self.a, self.b)]
        self.allow_more = more
        self.agreed = agreed

    def compose(self) -> ComposeResult:
        with Vertical(id="coders-dialog"):
            yield Label(Text("Compare which coders?"), id="coders-heading")
            yield OptionList(*[Option(self._prompt(c), id=str(i)) for i, c in enumerate(self.names)], id="coders")
            if self.agreed is not None:
                yield Label(Text("Agreed layer (the coder settled passages are written as):"))
                yield Input(value=self.agreed, placeholder=AGREED, id="coders-agreed")
            more = " \u00b7 space: alpha too" if self.allow_more else ""
            hint = f"a: coder A \u00b7 b: coder B{more} \u00b7 Tab: next field \u00b7 Enter: compare \u00b7 Esc cancels"
            yield Label(Text(hint), id="coders-help")

    def on_mount(self) -> None:
        listing = self.query_one("#coders", OptionList)
        listing.highlighted = self.names.index(self.a) if self.a in self.names else 0
        listing.focus()

    def _prompt(self, coder: str) -> Text:
        role = "A" if coder == self.a else "B" if coder == self.b else "+" if coder in self.more else " "
        return Text.assemble((f"[{role}] ", "bold"), inert(coder), f"  ({self.counts[coder]} passages)")

    def _redraw(self) -> None:
        listing = self.query_one("#coders", OptionList)
        for index, coder in enumerate(self.names):
            listing.replace_option_prompt(str(index), self._prompt(coder))

    def _highlighted(self) -> str | None:
        index = self.query_one("#coders", OptionList).highlighted
        return None if index is None else self.names[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "toggle_more") and isinstance(self.focused, Input):
            return False  # letters typed in the agreed name are the name's
        if action == "toggle_more":
            return self.allow_more
        return True

    def action_mark(self, role: str) -> None:
        coder = self._highlighted()
        if coder is None:
            return
        if role == "a":
            self.a, self.b = coder, (self.a if self.b == coder else self.b)
        else:
            self.b, self.a = coder, (self.b if self.a == coder else self.a)
        self.more = [c for c in self.more if c not in (self.a, self.b)]
        self._redraw()

    def action_toggle_more(self) -> None:
        coder = self._highlighted()
        if coder is None or coder in (self.a, self.b):
            return
        self.more = [c for c in self.more if c != coder] if coder in self.more else [*self.more, coder]
        self._redraw()

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)
    def _confirm(self) -> None:
        agreed = None
        if self.agreed is not None:
            agreed = normalise_coder(self.query_one("#coders-agreed", Input).value) or AGREED
            if agreed in (self.a, self.b):
                self.notify(f"The agreed layer cannot be coder {agreed}, one of those compared.", markup=False)
                return
        self.dismiss(CoderChoice((self.a, self.b, *self.more), agreed))

    def action_cancel(self) -> None:
        self.dismiss(None)
