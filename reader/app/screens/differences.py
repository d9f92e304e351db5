"""DifferencesScreen: settle, one by one, every place where two coders' passages differ.

Opened by :mod:`reader.app.screens.differences_opening` (the app's ``D``, the agreement screen).

Each row is a :class:`annotations.differences.Difference` (only one coder's passage, the same
passage with other codes, overlapping passages with other boundaries), article by article; the
panel below shows both coders' passages there. ``a``, ``b``, ``o`` and ``n`` settle the
highlighted difference with A's passages, B's, both or neither: the passages kept are written
as new annotations of the *agreed* coder, a layer that exports like any other; a difference
settled with neither is remembered in the store's adjudication file so it stays settled. ``e``
settles with one passage over the difference, coded in the tag dialog. ``g`` copies the
passages both coders made alike. ``u`` undoes the last settlement. ``c`` chooses the coders and
the agreed layer's name (kept in the adjudication file). The title counts progress.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotations import Annotation
from annotations.adjudication import (
    AdjudicationFileError,
    adjudication_path,
    change_adjudication,
    dismissed_key,
    read_adjudication,
)
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
from annotations.model import merge_tags, tag_key
from reader.app.base import ReaderScreen
from reader.app.dialogs.coders_dialog import CoderChoice, CodersDialog, coder_counts
from reader.app.dialogs.tag_dialog import TagDialog
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.safe_text import inert

if TYPE_CHECKING:
    pass

#: How a row was settled: a choice among the coders' passages, or a passage edited here.
Decision = Choice | Literal["edit"]
#: How a settled row shows its decision.
CHOICE_MARKS: dict[Decision, str] = {"a": "A", "b": "B", "both": "both", "neither": "none", "edit": "edited"}
#: The undo stack's mark for a copy of the agreements (not a row).
AGREEMENTS = -1


class DifferencesScreen(ReaderScreen[None]):
    CSS_PATH = "differences.tcss"
    BINDINGS = [
        # At 80 columns the footer holds the settling keys, q, ? and the app's X; Esc, g, u and c
        # are in ? help (and the title names g).
        Binding("escape", "back", "Back", show=False, id="differences.back"),
        Binding("a", "take('a')", "A's", tooltip="Settle: keep coder A's passages here", id="differences.take-a"),
        Binding("b", "take('b')", "B's", tooltip="Settle: keep coder B's passages here", id="differences.take-b"),
        Binding("o", "take('both')", "Both", tooltip="Settle: keep both coders' passages", id="differences.both"),
        Binding("n", "take('neither')", "Neither", tooltip="Settle: keep no passage here", id="differences.neither"),
        Binding(
            "g",
            "agreements",
            "Copy agreed",
            show=False,
            tooltip="Copy the passages both coders made alike to the agreed layer",
            id="differences.agreements",
        ),
        Binding("e", "edit", "Edit", tooltip="Settle: one passage here, coded as you say", id="differences.edit"),
        Binding("u", "undo", "Undo", show=False, tooltip="Undo the last settlement", id="differences.undo"),
        Binding(
            "c",
            "choose",
            "Coders",
            show=False,
            tooltip="Choose coders A and B and the agreed layer's name",
            id="differences.coders",
        ),
    ]

    def __init__(
        self, coder_a: str, coder_b: str, *, agreed: str = AGREED, stored: list[Annotation], code: str | None = None
    ) -> None:
        super().__init__()
        self.coders = (coder_a, coder_b)
        self.agreed = agreed
        #: Only the differences where a passage has this code (None: every difference).
        self.code = code
        self.stored = stored
        self.comparison: Comparison = compare_layers(
            [a for a in stored if a.coder == coder_a], [a for a in stored if a.coder == coder_b]
        )
        self.items: list[Difference] = [d for d in self.comparison.differences if self._shows(d)]
        layer = [a for a in stored if a.coder == agreed]
        #: Rows settled in an earlier session (the agreed layer has a passage there, or the
        #: adjudication file remembers it dismissed: completed on mount).
        self.earlier = {i for i, d in enumerate(self.items) if already_settled(d, layer)}
        present = {(a.article_id, a.start, a.end) for a in layer}
        self.agreements_copied = all((a.article_id, a.start, a.end) in present for a in self.comparison.agreements)
        self.decisions: dict[int, Decision] = {}
        self.pending: set[int] = set()
        #: What ``u`` undoes, last first: (row or AGREEMENTS, whether passages were written).
        self.done: list[tuple[int, bool]] = []
        #: The adjudication file; None when it cannot be read (dismissals are then not remembered).
        self.adjudication: Path | None = None

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
        path = adjudication_path(self.app.store.path)
        try:
            dismissed = read_adjudication(path).dismissed
            self.adjudication = path
        except AdjudicationFileError as error:
            self.notify(f"{error}: settling with neither is not remembered.", severity="warning", markup=False)
            dismissed = set()
        self.earlier |= {i for i, d in enumerate(self.items) if dismissed_key(d, self.agreed) in dismissed}
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

    def _open_row(self) -> int | None:
        """The highlighted row if it is still to be settled; else None, and a word why."""
        if self.current is None:
            return None
        index = self.query_one(FittedTable).cursor_row
        if index in self.decisions or index in self.earlier or index in self.pending:
            self.notify("Already settled here (u undoes the last settlement).", markup=False)
            return None
        return index

    def action_take(self, choice: Choice) -> None:
        index = self._open_row()
        if index is None:
            return
        difference = self.items[index]
        added = settle(difference, choice, self.agreed)
        key = dismissed_key(difference, self.agreed)

        def write() -> None:
            self._write(added, f"settle difference ({CHOICE_MARKS[choice]})")
            if choice == "neither" and self.adjudication is not None:
                change_adjudication(self.adjudication, dismiss=key)  # nothing in the layer says so

        self._settling(index, choice, bool(added), write)

    def _settling(self, index: int, decision: Decision, writes: bool, write: Callable[[], None]) -> None:
        """Settle row ``index`` as ``decision`` by running ``write`` in the store writer's thread."""
        self.pending.add(index)
        self._next_open_row(index)

        def done(_: None) -> None:
            self.pending.discard(index)
            self.decisions[index] = decision
            self.done.append((index, writes))
            if self.is_attached:
                self._refresh_row(index)
                if self.settled == len(self.items):
                    self.notify(f"Every difference settled: the agreed layer is coder {self.agreed}.", markup=False)

        self.app.store_writer.submit(write, done)

    def action_edit(self) -> None:
        """Settle the highlighted difference with a passage over its whole extent, coded as the
        usual tag dialog says (it starts with every code either coder gave there)."""
        index = self._open_row()
        if index is None:
            return
        difference = self.items[index]
        article = self.app.corpus.get(difference.article_id)
        passages = (*difference.a, *difference.b)
        if article is None or any(p.article_sha256 != article.sha256 for p in passages):
            self.notify(
                "This article's text is not the one these passages were made on: re-attach them first (O).",
                severity="warning",
                markup=False,
            )
            return
        used = Counter(tag for a in self.stored for tag in a.tags)
        quote = article.text[difference.start : difference.end]

        def tagged(tags: list[str] | None) -> None:
            if not tags or not self.is_attached or index in self.decisions or index in self.pending:
                return
            passage = Annotation.create(
                article_id=article.id,
                article_sha256=article.sha256,
                text=article.text,
                start=difference.start,
                end=difference.end,
                tags=tags,
                coder=self.agreed,
            )
            self._settling(index, "edit", True, lambda: self._write([passage], "settle difference (edited)"))

        current = merge_tags([tag for p in passages for tag in p.tags])
        self.app.push_screen(TagDialog(quote, used.most_common(), current), tagged)

    def action_choose(self) -> None:
        """Other coders, or another agreed layer: the screen is shown again with them (the name
        of the agreed layer is kept in the store's adjudication file for next time)."""

        def chosen(choice: CoderChoice | None) -> None:
            if choice is None:
                return
            a, b = choice.coders[:2]
            agreed = choice.agreed or self.agreed

            def write() -> None:
                if self.adjudication is not None:
                    change_adjudication(self.adjudication, agreed=agreed)

            def reopen(_: None) -> None:
                if self.is_current:
                    screen = DifferencesScreen(a, b, agreed=agreed, stored=self.app.store.all(), code=self.code)
                    self.app.switch_screen(screen)

            self.app.store_writer.submit(write, reopen)

        self.app.push_screen(CodersDialog(coder_counts(self.stored), self.coders, agreed=self.agreed), chosen)

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
        dismissed = index != AGREEMENTS and self.decisions.get(index) == "neither" and self.adjudication is not None

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

        def undo() -> None:
            if wrote:
                self.app.history.undo(DIFFERENCES)
            if dismissed and self.adjudication is not None:
                change_adjudication(self.adjudication, restore=dismissed_key(self.items[index], self.agreed))

        self.app.store_writer.submit(undo, undone)

    def action_back(self) -> None:
        self.dismiss(None)
