"""OrphansScreen: annotations whose passage is no longer found, across the corpus.

Orphans are never deleted by reader: the user re-attaches each (Enter opens its article, where a
new selection and t attach it) or deletes it (d, undoable with u).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from annotations import Annotation, StoreError
from annotations.history import ORPHANS
from annotations.placing import placement
from reader.app.base import ReaderScreen
from reader.app.store_guard import reports_store_errors
from reader.app.text_colours import BOLD, text_colours
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.app.worker_errors import report_failure
from reader.corpus import ArticleUnavailable
from reader.safe_text import inert

MISSING_ARTICLE = "article missing"


class OrphansScreen(ReaderScreen[None]):
    CSS_PATH = "tags.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="orphans.back"),
        Binding(
            "enter",
            "reattach",
            "Re-attach",
            tooltip="Open the article to select where the passage is now",
            id="orphans.re-attach",
        ),
        Binding("d", "delete", "Delete", tooltip="Delete the orphaned annotation (u undoes)", id="orphans.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last delete here", id="orphans.undo"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(" Annotations whose passage is no longer found", style="bold"), id="tags-title")
        yield FittedTable(
            flexible="quote", caps={"tags": 16, "article": 20}, cursor_type="row", zebra_stripes=True, id="orphans"
        )
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Status", key="status")
        table.add_column("Passage", key="quote")
        table.add_column("Tags", key="tags")
        table.add_column("Article", key="article")
        table.loading = True
        self.orphans: list[tuple[Annotation, str]] = []
        self.find_orphans()
        table.focus()

    def on_screen_resume(self) -> None:
        self.find_orphans()

    @work(thread=True, exclusive=True)
    def find_orphans(self) -> None:
        """Anchor every annotation whose article changed or went missing (a worker: may be many)."""
        worker = get_current_worker()
        found: list[tuple[Annotation, str]] = []
        try:
            stored = self.app.store.all()
        except StoreError as error:
            report_failure(self.app, error)
            stored = []
        for annotation in stored:
            if worker.is_cancelled:
                return
            article = self.app.corpus.get(annotation.article_id)
            if article is None:
                found.append((annotation, MISSING_ARTICLE))
            elif annotation.article_sha256 != article.sha256:
                try:
                    placed = placement(annotation, article.text, article.sha256)
                except ArticleUnavailable:
                    found.append((annotation, MISSING_ARTICLE))
                    continue
                if not placed.placed:
                    found.append((annotation, placed.status.value))
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[tuple[Annotation, str]]) -> None:
        if not self.is_attached:
            return
        self.orphans = found
        table = self.query_one(DataTable)
        table.loading = False
        table.clear()
        colours = text_colours(self.app)
        for annotation, status in found:
            article = self.app.corpus.get(annotation.article_id)
            table.add_row(
                Text(status, style=colours.alert + BOLD),
                Text(" ".join(inert(annotation.quote).split()), no_wrap=True, overflow="ellipsis"),
                cut(inert(", ".join(annotation.tags)), style=colours.tag),
                Text(article.title if article else inert(annotation.article_id), no_wrap=True, overflow="ellipsis"),
                key=annotation.id,
            )
        if not found:
            self.notify("No orphaned annotations: every passage is where it was tagged.")

    @property
    def current(self) -> tuple[Annotation, str] | None:
        table = self.query_one(DataTable)
        return self.orphans[table.cursor_row] if self.orphans else None

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_reattach()

    def action_reattach(self) -> None:
        if self.current is None:
            return
        annotation, status = self.current
        article = self.app.corpus.get(annotation.article_id)
        if article is None:
            self.notify(
                f"The article {inert(annotation.article_id)} is not in the open corpus.",
                severity="warning",
                markup=False,
            )
            return
        self.app.open_article(article, caret=annotation.start, reattach=annotation)

    @reports_store_errors
    def action_delete(self) -> None:
        if self.current is None:
            return
        annotation, _ = self.current
        self.app.history.delete(ORPHANS, annotation)
        self.find_orphans()

    @reports_store_errors
    def action_undo(self) -> None:
        change = self.app.history.undo(ORPHANS)
        self.notify(inert(change.message("undo")) if change else "Nothing to undo.", markup=False)
        self.find_orphans()

    def action_back(self) -> None:
        self.dismiss(None)
