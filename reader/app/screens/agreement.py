"""AgreementScreen: how far chosen coders agree, per code and overall, as ``reader agree`` says.

The figures come from :func:`reader.agreement_data.measure`, the very gathering and core the
command uses, computed in a worker thread (every character of every article both coded is
counted). ``c`` chooses other coders; Enter (or ``d``) on a code opens the differences screen showing only
the differences where that code is (Enter on the overall row: every difference).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from annotations import Annotation
from annotations.agreement import Agreement, Figures
from reader.agreement_data import Measured, measure
from reader.app.base import ReaderScreen
from reader.app.dialogs.coders_dialog import CoderChoice, CodersDialog, coder_counts, default_coders
from reader.app.screens.differences_opening import differences_screen
from reader.app.store_guard import reports_store_errors
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.app.worker_errors import failure_message
from reader.safe_text import inert

if TYPE_CHECKING:
    from reader.app.app import ReaderApp

#: The row key of the overall figures.
OVERALL = "\0overall"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def figure_cells(figures: Figures) -> list[str]:
    """One row's cells after the code, as ``reader agree`` prints them."""
    return [
        f"{figures.percent:.1f}%",
        _number(figures.kappa),
        _number(figures.alpha),
        _number(figures.f1_exact),
        _number(figures.f1_overlap),
        str(figures.a_passages),
        str(figures.b_passages),
    ]


@reports_store_errors
def open_agreement(app: ReaderApp) -> None:
    """The app's ``K``: the coders dialog (you and the coder with most passages first), then the
    agreement of the coders chosen; a message when the store has fewer than two coders."""
    if isinstance(app.screen, AgreementScreen):
        return
    stored = app.store.all()
    counts = coder_counts(stored)
    chosen = default_coders(counts, app.coder)
    if chosen is None:
        app.notify(
            "Agreement needs two coders' passages: import the other coder's export (reader import FILE).",
            severity="warning",
            markup=False,
        )
        return

    def chosen_coders(choice: CoderChoice | None) -> None:
        if choice is not None:
            app.push_screen(AgreementScreen(choice.coders, stored=stored))

    app.push_screen(CodersDialog(counts, chosen, more=True), chosen_coders)


class AgreementScreen(ReaderScreen[None]):
    CSS_PATH = "agreement.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="agreement.back"),
        Binding("c", "choose", "Coders", tooltip="Compare other coders", id="agreement.coders"),
        Binding(
            "d",
            "differences",
            "Differences",
            tooltip="The differences where the highlighted code is (Enter too)",
            id="agreement.differences",
        ),
    ]

    def __init__(self, coders: tuple[str, ...], *, stored: list[Annotation]) -> None:
        super().__init__()
        self.coders = coders
        self.stored = stored
        #: The figures shown, once the worker has them.
        self.agreement: Agreement | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="agreement-title")
        yield FittedTable(flexible="code", cursor_type="row", id="agreement")
        yield Static(id="agreement-note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        for label, key in (("Code", "code"), ("Agree", "percent"), ("Kappa", "kappa"), ("Alpha", "alpha")):
            table.add_column(label, key=key)
        for label, key in (("F1 ex", "f1_exact"), ("F1 ov", "f1_overlap"), ("A", "a"), ("B", "b")):
            table.add_column(label, key=key)
        self._title("computing\u2026")
        table.focus()
        self.compute()

    def _title(self, status: str) -> None:
        a, b, *more = self.coders
        others = f" (+{', '.join(inert(c) for c in more)} in alpha)" if more else ""
        self.query_one("#agreement-title", Static).update(
            Text.assemble((" Agreement ", "bold"), f"A = {inert(a)}, B = {inert(b)}{others}   {status}")
        )

    @work(thread=True, exclusive=True, group="agreement")
    def compute(self) -> None:
        """Measure in a thread (reading articles and counting characters takes a while on a big
        corpus); the result, or why there is none, is handed to the screen."""
        worker = get_current_worker()
        try:
            measured: Measured | str = measure(
                self.stored, self.coders, lambda: self.app.corpus, store=str(self.app.store.path)
            )
        except Exception as error:  # a worker must not die silently; AgreementProblem is said as it is
            measured = failure_message(error)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, measured)

    def _show(self, measured: Measured | str) -> None:
        note = self.query_one("#agreement-note", Static)
        if isinstance(measured, str):
            self._title("nothing to compare")
            note.update(Text(inert(measured)))
            return
        agreement = self.agreement = measured.agreement
        table = self.query_one(FittedTable)
        table.clear()
        for code, figures in agreement.codes.items():
            table.add_row(cut(inert(code)), *figure_cells(figures), key=code)
        table.add_row(Text("(overall)", style="bold"), *figure_cells(agreement.overall), key=OVERALL)
        self._title(f"{len(agreement.articles)} article(s), {agreement.characters} characters")
        note.update(Text(inert(" ".join(measured.notes)) or "Enter: the differences at a code \u00b7 c: coders"))

    @property
    def current_code(self) -> str | None:
        """The code of the highlighted row; None on the overall row or before the figures."""
        table = self.query_one(FittedTable)
        if self.agreement is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key == OVERALL else key

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_differences()

    def action_differences(self) -> None:
        if self.agreement is None:
            return
        screen = differences_screen(self.app, (self.coders[0], self.coders[1]), code=self.current_code)
        if screen is not None:
            self.app.push_screen(screen)

    @reports_store_errors
    def action_choose(self) -> None:
        counts = coder_counts(self.stored)

        def chosen(choice: CoderChoice | None) -> None:
            if choice is not None:
                self.coders = choice.coders
                self.stored = self.app.store.all()  # settled in the meantime: counted too
                self.agreement = None
                self.query_one(FittedTable).clear()
                self.query_one("#agreement-note", Static).update("")
                self._title("computing\u2026")
                self.compute()

        self.app.push_screen(CodersDialog(counts, self.coders, more=True), chosen)

    def action_back(self) -> None:
        self.dismiss(None)
