"""ProblemsScreen: every file of the corpus that could not be read, and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from reader.app.base import ReaderScreen
from reader.app.text_colours import text_colours
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.corpus import Corpus
from reader.safe_text import inert


class ProblemsScreen(ReaderScreen[None]):
    CSS_PATH = "tags.tcss"
    BINDINGS = [Binding("escape,p", "back", "Back", id="problems.back")]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus

    def compose(self) -> ComposeResult:
        count = len(self.corpus.problems)
        title = Text(f" {count} file(s) or parts of {inert(str(self.corpus.root))} could not be read", style="bold")
        yield Static(title, id="tags-title")
        yield FittedTable(
            flexible="reason", caps={"file": 40}, cursor_type="row", zebra_stripes=True, id="problems-table"
        )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("File", key="file")
        table.add_column("Why", key="reason")
        warning = text_colours(self.app).tag
        for problem in self.corpus.problems:
            try:
                shown = problem.path.relative_to(self.corpus.root)
            except ValueError:
                shown = problem.path
            table.add_row(cut(inert(str(shown))), cut(inert(problem.reason), style=warning))
        table.focus()

    def action_back(self) -> None:
        self.dismiss(None)
