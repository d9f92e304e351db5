"""DifferencesScreen: settle, one by one, every place where two coders' passages differ.

Each row is a :class:`annotations.differences.Difference` (only one coder's passage, the same
passage with other codes, overlapping passages with other boundaries), article by article; the
panel below shows both coders' passages there. ``a``, ``b``, ``o`` and ``n`` settle the
highlighted difference with A's passages, B's, both or neither: the passages kept are written
as new annotations of the *agreed* coder, a layer that exports like any other. ``g`` copies the
passages both coders made alike. ``u`` undoes the last settlement. The title counts progress.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotations import Annotation
from annotations.differences import (
    AGREED,
    DIFFERENCES,
    Choice,
    Comparison,
    Difference,
    already_settled,
    compare_layers,
    copied_agreements,
    settle,
)
from annotations.history_file import Change
from annotations.model import tag_key
from reader.app.base import ReaderScreen
from reader.app.store_guard import reports_store_errors
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.safe_text import inert

if TYPE_CHECKING:
    from reader.app.app import ReaderApp

#: How a settled row shows its choice.
CHOICE_MARKS: dict[Choice, str] = {"a": "A", "b": "B", "both": "both", "neither": "none"}
#: The undo stack's mark for a copy of the agreements (not a row).
AGREEMENTS = -1


def pick_coders(annotations: list[Annotation], own: str, agreed: str = AGREED) -> tuple[str, str] | None:
    """Coders A and B to compare: the user's own coder (if it has passages) and the coder with
    the most passages besides; None when fewer than two coders (the agreed layer aside) have any."""
    counts = Counter(a.coder for a in annotations if a.coder != agreed)
    if len(counts) < 2:
        return None
    ranked = [coder for coder, _ in counts.most_common()]
    first = own if own in counts else ranked[0]
    return first, next(coder for coder in ranked if coder != first)


@reports_store_errors
def open_differences(app: ReaderApp) -> None:
    """The app's ``D``: the differences of the two coders :func:`pick_coders` finds, or a message."""
    if isinstance(app.screen, DifferencesScreen):
        return
    stored = app.store.all()
    coders = pick_coders(stored, app.settings.coder)
    if coders is None:
        app.notify(
            "Differences need two coders' passages: import the other coder's export (reader import FILE).",
            severity="warning",
            markup=False,
        )
        return
    app.push_screen(DifferencesScreen(*coders, stored=stored))


class DifferencesScreen(ReaderScreen[None]):
    CSS_PATH = "differences.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="differences.back"),
        Binding("a", "take('a')", "A's", tooltip="Settle: keep coder A's passages here", id="differences.take-a"),
        Binding("b", "take('b')", "B's", tooltip="Settle: keep coder B's passages here", id="differences.take-b"),
        Binding("o", "take('both')", "Both", tooltip="Settle: keep both coders' passages", id="differences.both"),
        Binding("n", "take('neither')", "Neither", tooltip="Settle: keep no passage here", id="differences.neither"),
        Binding(
            "g",
            "agreements",
            "Copy agreed",
            tooltip="Copy the passages both coders made alike to the agreed layer",
            id="differences.agreements",
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last settlement", id="differences.undo"),
    ]

    def __init__(
        self, coder_a: str, coder_b: str, *, agreed: str = AGREED, stored: list[Annotation], code: str | None = None
    ) -> None:
        super().__init__()
        self.coders = (coder_a, coder_b)
        self.agreed = agreed
        #: Only the differences where a passage has this code (None: every difference).
        self.code = code
        layer = [a for a in stored if a.coder == agreed]
        self.comparison: Comparison = compare_layers(
            [a for a in stored if a.coder == coder_a], [a for a in stored if a.coder == coder_b]
        )
        self.items: list[Difference] = [d for d in self.comparison.differences if self._shows(d)]
        #: Rows settled in an earlier session (the agreed layer has a passage there).
        self.earlier = {i for i, d in enumerate(self.items) if already_settled(d, layer)}
        present = {(a.article_id, a.start, a.end) for a in layer}
        self.agreements_copied = all((a.article_id, a.start, a.end) in present for a in self.comparison.agreements)
        self.decisions: dict[int, Choice] = {}
        self.pending: set[int] = set()
        #: What ``u`` undoes, last first: (row or AGREEMENTS, whether anything was written).
        self.done: list[tuple[int, bool]] = []

    def _shows(self, difference: Difference) -> bool:
        """Whether the row filter (:attr:`code`) keeps ``difference``."""
        if self.code is None:
            return True
        wanted = tag_key(self.code)
        return any(wanted == tag_key(tag) for p in (*difference.a, *difference.b) for tag in p.tags)

    def compose(self) -> ComposeResult:
        yield Static(id="differences-title")
        yield FittedTable(flexible="article", caps={"kind": 10}, cursor_type="row", id="differences")
        yield Static(id="differences-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        for label, key in (("Settled", "settled"), ("Kind", "kind"), ("Where", "where"), ("Article", "article")):
            table.add_column(label, key=key)
        for index, difference in enumerate(self.items):
            article = self.app.corpus.get(difference.article_id)
            title = article.title if article is not None else difference.article_id
            table.add_row(
                self._mark(index),
                difference.kind,
                f"{difference.start}\u2013{difference.end}",
                cut(inert(title)),
                key=str(index),
            )
        self._show_progress()
        self._show_detail()
        table.focus()

    @property
    def settled(self) -> int:
        return len(self.earlier | set(self.decisions))

    def _mark(self, index: int) -> str:
        if index in self.decisions:
            return CHOICE_MARKS[self.decisions[index]]
        return "earlier" if index in self.earlier else ""

    def _show_progress(self) -> None:
        a, b = self.coders
        agreements = len(self.comparison.agreements)
        copied = "none" if not agreements else "copied" if self.agreements_copied else "g copies them"
        self.query_one("#differences-title", Static).update(
            Text.assemble(
                (" Differences ", "bold"),
                f"A = {inert(a)}, B = {inert(b)} \u2192 {inert(self.agreed)}   ",
                f"code {inert(self.code)}   " if self.code is not None else "",
                (f"{self.settled} of {len(self.items)} settled", "bold"),
                f"   {agreements} alike ({copied})",
            )
        )

    def _show_detail(self) -> None:
        detail = self.query_one("#differences-detail", Static)
        difference = self.current
        if difference is None:
            detail.update("No differences between these coders." if not self.items else "")
            return
        text = Text()
        for label, passages in (("A", difference.a), ("B", difference.b)):
            text.append(f"{label}: ", style="bold")
            if not passages:
                text.append("(nothing here)\n")
            for passage in passages:
                quote = " ".join(inert(passage.quote).split())
                text.append(f"{passage.start}\u2013{passage.end} [{inert(', '.join(passage.tags))}] {quote}\n")
        detail.update(text)

    @property
    def current(self) -> Difference | None:
        if not self.items:
            return None
        return self.items[self.query_one(FittedTable).cursor_row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _refresh_row(self, index: int) -> None:
        table = self.query_one(FittedTable)
        table.update_cell(str(index), "settled", self._mark(index))
        self._show_progress()

    def _next_open_row(self, after: int) -> None:
        table = self.query_one(FittedTable)
        order = list(range(after + 1, len(self.items))) + list(range(after + 1))
        for index in order:
            if index not in self.decisions and index not in self.earlier and index not in self.pending:
                table.move_cursor(row=index)
                return

    def _write(self, added: list[Annotation], label: str) -> None:
        """In the store writer's thread: add ``added`` and remember it as one undoable change."""
        if not added:
            return
        ref = self.app.corpus.get(added[0].article_id)
        refs = {ref.id: ref.ref()} if ref is not None else None
        for _ in self.app.store.add_new(added, refs):
            pass
        self.app.history.record(DIFFERENCES, Change(label, [(None, a.to_record()) for a in added]))

    def action_take(self, choice: Choice) -> None:
        difference = self.current
        if difference is None:
            return
        index = self.query_one(FittedTable).cursor_row
        if index in self.decisions or index in self.earlier or index in self.pending:
            self.notify("Already settled here (u undoes the last settlement).", markup=False)
            return
        added = settle(difference, choice, self.agreed)
        self.pending.add(index)
        self._next_open_row(index)

        def done(_: None) -> None:
            self.pending.discard(index)
            self.decisions[index] = choice
            self.done.append((index, bool(added)))
            if self.is_attached:
                self._refresh_row(index)
                if self.settled == len(self.items):
                    self.notify(f"Every difference settled: the agreed layer is coder {self.agreed}.", markup=False)

        self.app.store_writer.submit(lambda: self._write(added, f"settle difference ({CHOICE_MARKS[choice]})"), done)

    def action_agreements(self) -> None:
        if self.agreements_copied or not self.comparison.agreements:
            self.notify("The passages both coders made alike are in the agreed layer already.", markup=False)
            return
        self.agreements_copied = True
        added = copied_agreements(self.comparison.agreements, self.agreed)

        def done(_: None) -> None:
            self.done.append((AGREEMENTS, True))
            self.notify(f"Copied {len(added)} passage(s) both coders made alike to {self.agreed}.", markup=False)
            if self.is_attached:
                self._show_progress()

        self.app.store_writer.submit(lambda: self._write(added, "copy agreed passages"), done)

    def action_undo(self) -> None:
        if not self.done:
            self.notify("Nothing to undo here.", markup=False)
            return
        index, wrote = self.done.pop()

        def undone(_: object) -> None:
            if index == AGREEMENTS:
                self.agreements_copied = False
            else:
                self.decisions.pop(index, None)
            if self.is_attached:
                if index != AGREEMENTS:
                    self._refresh_row(index)
                    self.query_one(FittedTable).move_cursor(row=index)
                self._show_progress()

        if wrote:
            self.app.store_writer.submit(lambda: self.app.history.undo(DIFFERENCES), undone)
        else:
            undone(None)

    def action_back(self) -> None:
        self.dismiss(None)
