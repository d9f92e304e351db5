"""AnalysisScreen: what the coding adds up to, in four tables that drill down to the words.

Codes by article (or month, or source); pairs of codes applied together, with ATLAS.ti's
c-coefficient; codes over time as bars; the named entities in each code's passages, and the
codes of the passages that name an entity. The numbers come from :mod:`annotations.analysis`
(as ``reader report`` prints them); the store is read, and entities found, in workers
(:mod:`reader.app.screens.analysis_workers`). The
passages of the cell under the cursor are listed below the table; Enter goes to them, and Enter
on a passage opens its article there.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Label, Sparkline, Static, TabbedContent, TabPane

from annotations import Annotation, StoreError
from annotations.analysis import GROUPINGS
from reader.app.screens.analysis_workers import AnalysisWorkers
from reader.app.widgets.analysis_tables import AnalysisTable
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.app.worker_errors import failure_message
from reader.safe_text import inert

TABLES = ("matrix", "cooccurrence", "timeline", "entities")
#: The most passages listed under a table: the list follows the cursor, and a cell of 30,000
#: passages would make every cursor move wait (``reader report --json`` has every id).
MAX_PASSAGES = 500
#: The most passages read on the spot to be listed (a cell's, from a file or a few); more are
#: read in a worker, the screen usable meanwhile (a row's 500 may be in 170 files).
READ_AT_ONCE = 20


class AnalysisScreen(AnalysisWorkers):
    CSS_PATH = "analysis.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="analysis.back"),
        Binding(
            "1", "show_table('matrix')", "Matrix", tooltip="Codes by article, month or source", id="analysis.matrix"
        ),
        Binding(
            "2",
            "show_table('cooccurrence')",
            "Co-occur",
            tooltip="Pairs of codes applied together, with ATLAS.ti's c-coefficient",
            id="analysis.cooccurrence",
        ),
        Binding(
            "3", "show_table('timeline')", "Timeline", tooltip="Passages per month per code", id="analysis.timeline"
        ),
        Binding(
            "4",
            "show_table('entities')",
            "Entities",
            tooltip="The named entities in each code's passages",
            id="analysis.entities",
        ),
        Binding("b", "cycle_by", "Columns", tooltip="Matrix columns: articles, months or sources", id="analysis.by"),
        Binding(
            "p",
            "toggle_paragraph",
            "Paragraphs",
            tooltip="Co-occurrence of overlapping passages, or of passages in one paragraph",
            id="analysis.paragraph",
        ),
        Binding(
            "r", "reverse", "Reverse", tooltip="Entities by code, or codes by entity", id="analysis.reverse-entities"
        ),
        Binding("tab", "switch_table", "Table/passages", show=False, id="analysis.table-passages"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="analysis-title")
        with TabbedContent(id="analysis-tabs"):
            with TabPane("Matrix", id="matrix"):
                yield AnalysisTable(id="matrix-table", cursor_type="cell")
            with TabPane("Co-occurrence", id="cooccurrence"):
                yield AnalysisTable(id="cooccurrence-table", cursor_type="row")
            with TabPane("Timeline", id="timeline"):
                yield AnalysisTable(id="timeline-table", cursor_type="cell")
                yield Label(id="timeline-chart-title")
                yield Sparkline([], id="timeline-chart")
            with TabPane("Entities", id="entities"):
                yield AnalysisTable(id="entities-table", cursor_type="row")
        yield Static(id="passages-title")
        yield FittedTable(flexible="quote", caps={"title": 24}, cursor_type="row", id="analysis-passages")
        yield Footer()

    def on_mount(self) -> None:
        passages = self.query_one("#analysis-passages", FittedTable)
        passages.add_column("Passage", key="quote")
        passages.add_column("Article", key="title")
        passages.add_column("Date", key="date")
        for name in TABLES:
            self.table(name).loading = True
        self.table("matrix").focus()

    def on_screen_resume(self) -> None:
        self.compute(reload=True)  # tags may have changed in an article opened from here

    # -- showing ---------------------------------------------------------------------------

    def show_title(self) -> None:
        """What is counted, and the setting of the table on show (its key changes it)."""
        setting = {
            "matrix": f"columns by {self.by} (b)",
            "cooccurrence": f"by {'paragraph' if self.by_paragraph else 'overlap'} (p)",
            "entities": "codes by entity (r)" if self.by_entity else "entities by code (r)",
        }.get(self.current_table, "passages by month")
        title = Text.assemble((" Analysis", "bold"), self.summary, f" \u00b7 {setting}")
        self.query_one("#analysis-title", Static).update(title)

    def show_chart(self) -> None:
        """The timeline's highlighted code, month by month, as a sparkline under the table."""
        table, timeline = self.table("timeline"), self.tables and self.tables.timeline
        if not timeline or not timeline.codes or not table.row_count:
            self.query_one("#timeline-chart", Sparkline).data = [0]
            self.query_one("#timeline-chart-title", Label).update("")
            return
        code = timeline.codes[min(table.cursor_row, len(timeline.codes) - 1)]
        months = [month for month in timeline.columns if month[:1].isdigit()]
        counts = [timeline.count(code, month) for month in months]
        self.query_one("#timeline-chart", Sparkline).data = counts or [0]
        span = f"{months[0]} \u2026 {months[-1]}" if months else "no dated passages"
        self.query_one("#timeline-chart-title", Label).update(
            Text(f" {inert(timeline.spelling[code])}: {sum(counts)} dated passages by month, {span}")
        )

    def show_passages(self) -> None:
        """List the passages of the cell under the cursor of the table on show."""
        table = self.query_one("#analysis-passages", FittedTable)
        table.clear()
        on_show = self.table(self.current_table)
        chosen = on_show.chosen() if self.tables is not None and not on_show.loading else None
        self.shown, self.listing = [], []
        if chosen is None or self.tables is None:
            self.query_one("#passages-title", Static).update(Text(" Passages", style="bold"))
            return
        description, ids = chosen
        self.listing = wanted = list(ids[:MAX_PASSAGES])
        listed = f"{len(ids)}" if len(ids) <= MAX_PASSAGES else f"the first {MAX_PASSAGES} of {len(ids)}"
        self.query_one("#passages-title", Static).update(
            Text.assemble((" Passages", "bold"), f" \u00b7 {listed} \u00b7 {description}")
        )
        if self.read is not None:
            self.list_passages([self.read.passages[i] for i in wanted if i in self.read.passages])
        elif len(wanted) <= READ_AT_ONCE:
            try:  # only the passages listed are read, from their articles' files
                self.list_passages(self.app.store.get_many(wanted))
            except StoreError as error:
                self.notify(failure_message(error), severity="error", markup=False)
        else:
            self.read_listed(wanted)  # a row's passages, from a few hundred files: in a worker

    def list_passages(self, passages: list[Annotation]) -> None:
        """Fill the list under the table with these passages (the cell's under the cursor)."""
        table = self.query_one("#analysis-passages", FittedTable)
        table.clear()
        self.shown = passages
        if self.tables is None:
            return
        for passage in self.shown:
            info = self.tables.infos.get(passage.article_id)
            table.add_row(
                cut(" ".join(inert(passage.quote).split())),
                cut(inert(info.title if info else passage.article_id)),
                Text((info.date if info else None) or "", style="dim"),
            )

    @on(DataTable.CellHighlighted)
    @on(DataTable.RowHighlighted)
    def _moved(self, event: DataTable.CellHighlighted | DataTable.RowHighlighted) -> None:
        if isinstance(event.data_table, AnalysisTable):
            self.show_passages()
            if event.data_table.id == "timeline-table":
                self.show_chart()

    @on(DataTable.CellSelected)
    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.CellSelected | DataTable.RowSelected) -> None:
        if isinstance(event.data_table, AnalysisTable):
            self.show_passages()
            if self.listing:  # perhaps still being read
                self.query_one("#analysis-passages", FittedTable).focus()
        elif event.data_table.id == "analysis-passages" and isinstance(event, DataTable.RowSelected):
            self.open_passage(event.cursor_row)

    def open_passage(self, row: int) -> None:
        """Open the article of the ``row``-th passage listed, at the passage."""
        if not 0 <= row < len(self.shown):
            return
        passage = self.shown[row]
        article = self.app.corpus.get(passage.article_id)
        if article is None:
            self.notify("That article is not in the open corpus.", severity="warning")
            return
        self.app.open_article(article, caret=passage.start)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()
        self.show_title()
        self.cooccurrence_table()
        if self.entities is None:
            self.entity_table()
        self.show_passages()

    # -- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Each table's own setting is offered only while that table is on show."""
        owner = {"cycle_by": "matrix", "toggle_paragraph": "cooccurrence", "reverse": "entities"}.get(action)
        return owner is None or (self.is_mounted and self.current_table == owner)

    def action_show_table(self, name: str) -> None:
        self.query_one(TabbedContent).active = name
        self.table(name).focus()

    def action_cycle_by(self) -> None:
        self.by = GROUPINGS[(GROUPINGS.index(self.by) + 1) % len(GROUPINGS)]
        self.compute()

    def action_toggle_paragraph(self) -> None:
        self.by_paragraph = not self.by_paragraph
        self.show_title()
        if self.tables is not None:
            self.tables, self.cooccurring = replace(self.tables, cooccurrence=None), False
            self.table("cooccurrence").loading = True
            self.cooccurrence_table()

    def action_reverse(self) -> None:
        self.by_entity = not self.by_entity
        self.show_title()
        if self.entities is not None:
            self._show_entities(*self.entities)

    def action_switch_table(self) -> None:
        passages = self.query_one("#analysis-passages", FittedTable)
        if passages.has_focus:
            self.table(self.current_table).focus()
        elif self.shown:
            passages.focus()

    def action_back(self) -> None:
        self.dismiss(None)
