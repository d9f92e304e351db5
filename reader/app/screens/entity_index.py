"""EntityIndexScreen: every entity across the corpus; the articles that mention one, over time.

Entities come from the disk cache; articles not recognised yet are run through the model in a
worker with a progress bar (``reader ner CORPUS`` fills the cache ahead of time for large corpora).
"""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Sparkline, Static
from textual.worker import get_current_worker

from annotations import StoreError
from reader.app.base import ReaderScreen
from reader.app.matches import Matches
from reader.app.palette import entity_style
from reader.app.widgets.fitted_table import FittedTable, cut
from reader.app.worker_errors import failure_message
from reader.corpus import Article
from reader.corpus.search import entity_key
from reader.corpus.texts import article_texts
from reader.nlp import Cancelled, ModelUnavailable
from reader.nlp.entity_index import EntityIndex, IndexedEntity
from reader.safe_text import inert


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is one: "1 mention", "3 mentions"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class EntityIndexScreen(ReaderScreen[None]):
    CSS_PATH = "entity_index.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="entity-index.back"),
        Binding("slash", "filter", "Filter", tooltip="Filter entities by name", id="entity-index.filter"),
        Binding("tab", "switch_table", "Entities/articles", show=False, id="entity-index.entities-articles"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(Text(" Entities across the corpus", style="bold"), id="index-title")
        yield ProgressBar(id="index-progress", show_eta=False)
        yield Input(placeholder="filter by name", id="index-filter")
        with Horizontal(id="index-body"):
            yield FittedTable(
                flexible="name", caps={"label": 8}, cursor_type="row", zebra_stripes=True, id="index-entities"
            )
            with Vertical(id="index-detail"):
                yield Label(id="index-chart-title")
                yield Sparkline([], id="index-chart")
                yield Label(id="index-chart-axis")
                yield FittedTable(flexible="title", cursor_type="row", id="index-articles")
        yield Footer()

    def on_mount(self) -> None:
        entities = self.query_one("#index-entities", DataTable)
        entities.add_column("Entity", key="name")
        entities.add_column("Label", key="label")
        entities.add_column("Articles", key="articles")
        entities.add_column("Mentions", key="mentions")
        articles = self.query_one("#index-articles", DataTable)
        articles.add_column("Date", key="date")
        articles.add_column("Title", key="title")
        articles.add_column("Mentions", key="mentions")
        self.query_one("#index-filter", Input).display = False
        self.index = EntityIndex()
        self.shown: list[IndexedEntity] = []
        self.articles_shown: list[Article] = []
        entities.focus()
        self.query_one(ProgressBar).update(total=len(self.app.corpus.articles), progress=0)
        self.build_index()

    @work(thread=True, exclusive=True)
    def build_index(self) -> None:
        """Every article's entities, from the cache or the model; texts are read, not kept."""
        worker = get_current_worker()
        index = EntityIndex()
        failed = None
        texts = article_texts(self.app.corpus, should_stop=lambda: worker.is_cancelled)
        for done, (article, text) in enumerate(texts, start=1):
            try:  # a stop (the screen closed, the app quits) does not wait for a long article
                found = self.app.recognizer.entities(text, cancelled=lambda: worker.is_cancelled)
            except Cancelled:
                return
            except (ModelUnavailable, StoreError) as error:
                failed = failure_message(error)
                break
            index.add(article.id, text, found)
            if done % 10 == 0:
                self.app.call_from_thread(self._progress, done)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._indexed, index, failed)

    def _progress(self, done: int) -> None:
        if self.is_attached:
            self.query_one(ProgressBar).update(progress=done)

    def _indexed(self, index: EntityIndex, failed: str | None) -> None:
        if not self.is_attached:
            return
        self.index = index
        self.query_one(ProgressBar).display = False
        if failed:
            self.notify(f"Entities are off: {failed}", severity="warning", markup=False)
        self.show_entities("")

    def show_entities(self, typed: str) -> None:
        wanted = entity_key(typed, "")[0]
        self.shown = sorted(
            (e for e in self.index.entities.values() if wanted in e.key[0]),
            key=lambda e: (-len(e.mentions), -e.total, e.name),
        )
        table = self.query_one("#index-entities", DataTable)
        table.clear()
        for entity in self.shown:
            table.add_row(
                cut(Text(inert(entity.name), style=entity_style(entity.label, self.app))),
                cut(entity.label, style="dim"),
                Text(str(len(entity.mentions)), justify="right"),
                Text(str(entity.total), justify="right"),
            )
        self.show_articles()

    @property
    def current(self) -> IndexedEntity | None:
        table = self.query_one("#index-entities", DataTable)
        return self.shown[table.cursor_row] if self.shown else None

    def show_articles(self) -> None:
        """The current entity's articles, newest first, and its mentions per month."""
        table = self.query_one("#index-articles", DataTable)
        table.clear()
        entity = self.current
        self.articles_shown = []
        if entity is None:
            return
        corpus = self.app.corpus
        self.articles_shown = sorted(
            (article for article in map(corpus.get, entity.mentions) if article is not None),
            key=lambda a: (a.date or "", a.title),
            reverse=True,
        )
        for article in self.articles_shown:
            table.add_row(
                Text(article.date or "", style="dim"),
                Text(article.title, no_wrap=True, overflow="ellipsis"),
                Text(str(len(entity.mentions[article.id])), justify="right"),
            )
        per_month: Counter[str] = Counter()
        for article in self.articles_shown:
            if article.date:
                per_month[article.date[:7]] += len(entity.mentions[article.id])
        months = months_between(min(per_month), max(per_month)) if per_month else []
        self.query_one(Sparkline).data = [per_month[month] for month in months] or [0]
        title = Text.assemble(
            (inert(entity.name), entity_style(entity.label, self.app)),
            f" \u00b7 {counted(entity.total, 'mention')} in {counted(len(entity.mentions), 'article')}, by month",
        )
        self.query_one("#index-chart-title", Label).update(title)
        axis = f"{months[0]} \u2026 {months[-1]}" if len(months) > 1 else (months[0] if months else "no dates")
        self.query_one("#index-chart-axis", Label).update(Text(axis, style="dim"))

    @on(DataTable.RowHighlighted, "#index-entities")
    def _entity_highlighted(self) -> None:
        self.show_articles()

    @on(DataTable.RowSelected, "#index-entities")
    def _entity_chosen(self) -> None:
        self.query_one("#index-articles", DataTable).focus()

    @on(DataTable.RowSelected, "#index-articles")
    def _article_chosen(self, event: DataTable.RowSelected) -> None:
        article = self.articles_shown[event.cursor_row]
        entity = self.current
        if entity is None:
            return
        mentions = Matches.of_spans(entity.name, entity.mentions[article.id])
        self.app.open_article(article, caret=mentions.spans[0][0], walk=mentions)

    def action_filter(self) -> None:
        field = self.query_one("#index-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#index-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.show_entities(event.value)

    @on(Input.Submitted, "#index-filter")
    def _filter_done(self) -> None:
        self.query_one("#index-entities", DataTable).focus()

    def action_switch_table(self) -> None:
        entities, articles = self.query_one("#index-entities", DataTable), self.query_one("#index-articles", DataTable)
        (articles if entities.has_focus else entities).focus()

    def action_back(self) -> None:
        self.dismiss(None)
