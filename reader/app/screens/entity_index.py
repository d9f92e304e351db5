"""EntityIndexScreen: every entity across the corpus; the articles that mention one, over time.

The list, the counts and the chart come from the entity cache's per-article summary
(:mod:`reader.nlp.entity_overview`): the list from the model's totals kept in the cache, with
the texts where the corpus and the cache differ counted apart (else by SQL aggregates over the
corpus's own rows), so it shows about as soon for 100,000 articles as for 10,000; an entity's
articles and months are asked in a worker, so moving the cursor never waits for a query; the
tables add their rows a page at a time. Opening the screen reads no article's text. The
articles not summarised yet (never recognised) are counted, said in the title, and recognised in
a worker with a progress bar (leaving the screen stops it; ``reader ner CORPUS`` fills the cache
ahead of time for large corpora). With user entity corrections, which the summary does not hold,
every article's corrected entities are counted instead, as before. An article's mention positions
are read from its own cached entities when it is opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

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
from reader.app.palette import entity_style, palette_of
from reader.app.screens.entity_index_rows import article_row, counted, entity_row, months_between
from reader.app.widgets.paged_table import PagedTable
from reader.app.worker_errors import failure_message
from reader.corpus.article import ArticleUnavailable
from reader.corpus.search import entity_key
from reader.corpus.texts import article_texts
from reader.nlp import Cancelled, ModelUnavailable
from reader.nlp.entity_index import EntityKey, mention_spans
from reader.nlp.entity_overview import EntityOverview, MentioningArticle, summary_overview
from reader.nlp.entity_summary import EntityTotal
from reader.safe_text import inert

#: Rows a table shows at most (the filter narrows the entities; the newest articles come first).
SHOWN_AT_MOST = 2000

#: Articles recognised between two progress reports.
PROGRESS_EVERY = 10


class EntityIndexScreen(ReaderScreen[None]):
    CSS_PATH = "entity_index.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="entity-index.back"),
        Binding("slash", "filter", "Filter", tooltip="Filter entities by name", id="entity-index.filter"),
        Binding("tab", "switch_table", "Entities/articles", show=False, id="entity-index.entities-articles"),
    ]

    #: The overview the lists come from (None until the worker has made it).
    overview: EntityOverview | None = None
    #: Every entity of the corpus, most articles first; ``shown`` is those the filter lets through.
    entities: list[EntityTotal]
    shown: list[EntityTotal]
    articles_shown: list[MentioningArticle]
    #: The entity whose articles are shown (None while they are being asked for).
    articles_for: EntityKey | None = None
    #: Articles without entities yet (being recognised while ``recognising``).
    missing: int = 0
    recognising: bool = False
    #: Whether the counting is over: every article recognised (or given up on), the list final.
    complete: bool = False

    def compose(self) -> ComposeResult:
        yield Static(Text(" Entities across the corpus", style="bold"), id="index-title")
        yield ProgressBar(id="index-progress", show_eta=False)
        yield Input(placeholder="filter by name", id="index-filter")
        with Horizontal(id="index-body"):
            yield PagedTable(
                flexible="name", caps={"label": 8}, cursor_type="row", zebra_stripes=True, id="index-entities"
            )
            with Vertical(id="index-detail"):
                yield Label(id="index-chart-title")
                yield Sparkline([], id="index-chart")
                yield Label(id="index-chart-axis")
                yield PagedTable(flexible="title", cursor_type="row", id="index-articles")
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
        self.entities, self.shown, self.articles_shown = [], [], []
        entities.focus()
        self.query_one(ProgressBar).display = False
        self.gather()

    def on_unmount(self) -> None:
        self.workers.cancel_node(self)
        if self.overview is not None:
            self.overview.close()

    # -- counting, in a worker ----------------------------------------------------------------

    @work(thread=True, exclusive=True)
    def gather(self) -> None:
        """The corpus's entities from the summary, then the articles it lacks recognised; with
        corrections (or no usable cache), every article's corrected entities counted."""
        worker = get_current_worker()

        def stop() -> bool:
            return worker.is_cancelled

        overview = None
        try:
            overview = summary_overview(self.app.recognizer)
            if overview is None:
                self._count_each(EntityOverview.private(), stop)
            else:
                self._recognise_missing(overview, stop)
        except (ModelUnavailable, StoreError, sqlite3.Error) as error:
            if not stop():
                self.app.call_from_thread(self._listed, None, [], 0, f"Entities are off: {failure_message(error)}")
        finally:
            if overview is not None and overview is not self.overview:  # stopped before the screen took it
                overview.close()

    def _recognise_missing(self, overview: EntityOverview, stop: Callable[[], bool]) -> None:
        """List the summary at once (from the model's totals when they can answer, before the
        articles are put in the overview); then recognise the articles it lacks and list it again."""
        articles = self.app.corpus.articles
        quick = overview.quick(articles)
        if stop():
            return
        if quick is not None:
            missing = quick.unsummarised
            self.app.call_from_thread(self._listed, overview, quick.entities, missing, None, bool(missing))
        overview.add_articles(articles, stop)
        if stop():
            return
        # a summary once written stays: with none missing from the totals, none is missing now
        unsummarised = overview.unsummarised() if quick is None or quick.unsummarised else []
        if quick is None or len(unsummarised) != quick.unsummarised:  # slow, or the cache changed meanwhile
            missing = len(unsummarised)
            self.app.call_from_thread(self._listed, overview, overview.entities(), missing, None, bool(missing))
        if not unsummarised:
            return
        failed = None
        corpus, recognizer = self.app.corpus, self.app.recognizer
        for done, article_id in enumerate(unsummarised, start=1):
            article = corpus.get(article_id)
            try:  # a stop (the screen closed, the app quits) does not wait for a long article
                if article is not None:
                    recognizer.entities(article.read_text(), cancelled=stop)
            except ArticleUnavailable:
                pass  # counted as still without entities
            except Cancelled:
                return
            except (ModelUnavailable, StoreError) as error:
                failed = f"Entities are off: {failure_message(error)}"
                break
            if done % PROGRESS_EVERY == 0:
                self.app.call_from_thread(self._progress, done)
        if not stop():
            left = len(overview.unsummarised())
            self.app.call_from_thread(self._listed, overview, overview.entities(), left, failed)

    def _count_each(self, overview: EntityOverview, stop: Callable[[], bool]) -> None:
        """Every article's (corrected) entities, from the cache or the model, into a private overview."""
        corpus, recognizer = self.app.corpus, self.app.recognizer
        total = overview.add_articles(corpus.articles, stop)
        self.app.call_from_thread(self._counting, overview, total)
        failed, done = None, 0
        for done, (article, text) in enumerate(article_texts(corpus, should_stop=stop), start=1):
            try:
                found = recognizer.entities(text, cancelled=stop)
            except Cancelled:
                return
            except (ModelUnavailable, StoreError) as error:
                failed = f"Entities are off: {failure_message(error)}"
                break
            overview.add_entities(article.sha256, text, found)
            if done % PROGRESS_EVERY == 0:
                self.app.call_from_thread(self._progress, done)
        if not stop():
            left = len(overview.unsummarised()) if failed else 0
            self.app.call_from_thread(self._listed, overview, overview.entities(), left, failed)

    # -- back on the UI thread ----------------------------------------------------------------

    def _adopt(self, overview: EntityOverview | None) -> bool:
        """Keep ``overview`` as the screen's (closing it instead if the screen has gone)."""
        if not self.is_attached:
            if overview is not None:
                overview.close()
            return False
        self.overview = overview
        return True

    def _counting(self, overview: EntityOverview, total: int) -> None:
        if self._adopt(overview):
            self.recognising = True
            self.query_one(ProgressBar).display = True
            self.query_one(ProgressBar).update(total=total, progress=0)
            self._show_title()

    def _progress(self, done: int) -> None:
        if self.is_attached:
            self.query_one(ProgressBar).update(progress=done)

    def _listed(
        self,
        overview: EntityOverview | None,
        entities: list[EntityTotal],
        missing: int,
        failed: str | None,
        recognising: bool = False,
    ) -> None:
        """Show ``entities``; ``missing`` articles lack them (being recognised when ``recognising``)."""
        if not self._adopt(overview):
            return
        self.entities = sorted(entities, key=lambda e: (-e.articles, -e.total, e.name, e.label))
        self.missing, self.recognising = missing, recognising
        progress = self.query_one(ProgressBar)
        progress.display = recognising
        if recognising:
            progress.update(total=missing, progress=0)
        self._show_title()
        if failed:
            self.notify(failed, severity="warning", markup=False)
        self.show_entities(self.query_one("#index-filter", Input).value, keep=True)
        self.complete = not recognising

    def _show_title(self) -> None:
        title = Text(" Entities across the corpus", style="bold")
        if self.recognising and self.missing:
            title.append(f" \u00b7 recognising {counted(self.missing, 'article')} (Esc stops)")
        elif self.recognising:
            title.append(" \u00b7 counting\u2026")
        elif self.missing:
            title.append(f" \u00b7 {counted(self.missing, 'article')} without entities, not counted", style="dim")
        if len(self.shown) < len(self.entities) and len(self.shown) == SHOWN_AT_MOST:
            title.append(f" \u00b7 first {SHOWN_AT_MOST:,} of {len(self.entities):,}: / narrows", style="dim")
        self.query_one("#index-title", Static).update(title)

    def show_entities(self, typed: str, *, keep: bool = False) -> None:
        """The entities whose words contain ``typed``; with ``keep``, the cursor stays on its entity."""
        before = self.current.key if keep and self.current is not None else None
        wanted = entity_key(typed, "")[0]
        self.shown = [e for e in self.entities if wanted in e.key[0]][:SHOWN_AT_MOST]
        palette = palette_of(self.app)  # once: the theme's variables cost milliseconds a call
        table = self.query_one("#index-entities", PagedTable)
        table.show(self.shown, lambda entity: entity_row(entity, palette))
        row = next((i for i, e in enumerate(self.shown) if e.key == before), None)
        if row:
            table.reveal(row)
            table.move_cursor(row=row)
        self._show_title()
        self.show_articles()

    @property
    def current(self) -> EntityTotal | None:
        table = self.query_one("#index-entities", DataTable)
        return self.shown[table.cursor_row] if self.shown and table.cursor_row < len(self.shown) else None

    def show_articles(self) -> None:
        """The current entity's articles, newest first, and its mentions per month: asked in a
        worker (:meth:`_ask_articles`), so that moving the cursor never waits for a query."""
        self.query_one("#index-articles", PagedTable).show([], article_row)
        entity = self.current
        self.articles_shown, self.articles_for = [], None
        self.query_one(Sparkline).data = [0]
        self.query_one("#index-chart-axis", Label).update("")
        if entity is None or self.overview is None:
            self.query_one("#index-chart-title", Label).update("")
            return
        title = Text.assemble(
            (inert(entity.name), entity_style(entity.label, self.app)),
            f" \u00b7 {counted(entity.total, 'mention')} in {counted(entity.articles, 'article')}, by month",
        )
        self.query_one("#index-chart-title", Label).update(title)
        self._ask_articles(self.overview, entity)

    @work(thread=True, exclusive=True, group="entity-articles")
    def _ask_articles(self, overview: EntityOverview, entity: EntityTotal) -> None:
        """The articles and months of ``entity``, once the overview has its articles; dropped
        when the cursor has moved on (a newer ask cancels this one) or the screen is gone."""
        worker = get_current_worker()

        def stop() -> bool:
            return worker.is_cancelled

        try:
            if not overview.wait_filled(stop):
                return
            articles = overview.articles(entity.key, SHOWN_AT_MOST)
            per_month = {} if stop() else overview.by_month(entity.key)
        except sqlite3.Error:  # closed with the screen
            return
        if not stop():
            self.app.call_from_thread(self._articles_asked, entity, articles, per_month)

    def _articles_asked(
        self, entity: EntityTotal, articles: list[MentioningArticle], per_month: dict[str, int]
    ) -> None:
        current = self.current if self.is_attached else None
        if current is None or current.key != entity.key:
            return
        self.articles_shown, self.articles_for = articles, entity.key
        self.query_one("#index-articles", PagedTable).show(articles, article_row)
        months = months_between(min(per_month), max(per_month)) if per_month else []
        self.query_one(Sparkline).data = [per_month.get(month, 0) for month in months] or [0]
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
        """Open the article at the entity's first mention, n and N walking the others (found in
        the article's own cached entities)."""
        entity = self.current
        if entity is None or event.cursor_row >= len(self.articles_shown):
            return
        article = self.app.corpus.get(self.articles_shown[event.cursor_row].id)
        if article is None:
            self.notify("That article is no longer in the corpus: press r in the list to refresh.", markup=False)
            return
        try:
            text = article.text
        except ArticleUnavailable as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return
        spans = mention_spans(text, self.app.recognizer.cached(text) or [], entity.key)
        if not spans:
            self.app.open_article(article)
            return
        mentions = Matches.of_spans(entity.name, spans)
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
