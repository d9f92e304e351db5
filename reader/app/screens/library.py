"""LibraryScreen: the articles of the corpus, and the ways to find one among thousands.

``/`` filters the list as you type (titles at once, full text once it has been read in the
background); ``e``, ``t``, ``d`` filter by entity, tag and date range; ``u`` and ``a`` keep only
unread or not yet annotated articles; ``s`` changes the order; ``r`` looks for new, changed and
removed files. The line above the list says which filters are on.

The list is an :class:`ArticleList`, a Line API widget: only the rows on screen are drawn, so
showing or filtering 10,000 articles costs what showing 40 does. Titles are drawn as plain
segments (never parsed as markup).

The entity filter can only use entities already in the cache (articles that were opened, or
recognised in batch by ``reader ner``): running the model over a whole corpus is not something
to do on a keystroke. The articles it could not check are counted on the filter line.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import replace
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from annotations import StoreError
from annotations.model import normalise_tag
from reader.corpus import Article, Corpus
from reader.corpus.finding import DateRange, EntityQuery, Facts, Filters, Finder
from reader.corpus.rekey import settle_ids_message
from reader.corpus.search import TextSearch
from reader.corpus.texts import article_texts
from reader.corpus.titles import shown_title
from reader.app.widgets.completing_input import CompletingInput
from reader.app.store_guard import reports_store_errors
from reader.app.worker_errors import failure_message, report_failure
from reader.safe_text import inert

DATE_WIDTH = 10
COUNT_WIDTH = 5
UNREAD_MARK = "\u25cf"


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "\u2026"


class ArticleList(ScrollView, can_focus=True):
    """The articles to show, one a row: unread mark, title, date and number of annotations."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--date",
        "article-list--count",
    }

    # One Binding a key (not "down,j"), so the help lists each key once.
    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, id="library.down"),
        Binding("j", "move(1)", "Down", show=False, id="library.down"),
        Binding("up", "move(-1)", "Up", show=False, id="library.up"),
        Binding("k", "move(-1)", "Up", show=False, id="library.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page-up"),
        Binding("home", "edge(-1)", "First", show=False, id="library.first"),
        Binding("g", "edge(-1)", "First", show=False, id="library.first"),
        Binding("end", "edge(1)", "Last", show=False, id="library.last"),
        Binding("G", "edge(1)", "Last", show=False, id="library.last"),
    ]

    class Chosen(Message):
        """The user clicked the row under the cursor: open it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Article] = []
        self.counts: Mapping[str, int] = {}
        self.read: Set[str] = set()
        #: What tells apart articles whose titles are the same, by id (shown after the title).
        self.details: Mapping[str, str] = {}
        self.cursor_row = 0

    def show(self, rows: Sequence[Article], counts: Mapping[str, int], read: Set[str], keep: str | None = None) -> None:
        """Show ``rows``, the cursor on the article ``keep`` if it is among them."""
        self.rows = list(rows)
        self.counts = counts
        self.read = read
        position = next((index for index, article in enumerate(self.rows) if article.id == keep), None) if keep else None
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.move_cursor(position if position is not None else self.cursor_row)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Article | None:
        return self.rows[self.cursor_row] if self.rows else None

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif height and self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(self.scrollable_content_region.height - 1, 1))

    def action_edge(self, direction: int) -> None:
        self.move_cursor(0 if direction < 0 else len(self.rows) - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        row = event.y + round(self.scroll_y)
        if 0 <= row < len(self.rows):
            if row == self.cursor_row:
                self.post_message(self.Chosen())
            self.move_cursor(row)

    def get_row_at(self, index: int) -> tuple[Text, Text, Text, Text]:
        """The cells of row ``index`` as drawn: title, date, annotation count, unread mark."""
        article = self.rows[index]
        count = self.counts.get(article.id, 0)
        unread = article.id not in self.read
        return (
            Text(shown_title(article.title, self.details.get(article.id)), style="bold" if unread else ""),
            Text(article.date or "", style="dim"),
            Text(str(count) if count else "\u00b7", justify="right", style="bold" if count else "dim"),
            Text(UNREAD_MARK if unread else " "),
        )

    def render_line(self, y: int) -> Strip:
        index = y + round(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        article = self.rows[index]
        if index == self.cursor_row:
            base = base + self.get_component_rich_style("article-list--cursor")
        unread = article.id not in self.read
        count = self.counts.get(article.id, 0)
        title_width = max(width - 2 - 2 - DATE_WIDTH - COUNT_WIDTH - 1, 4)
        segments = [
            Segment(f"{UNREAD_MARK} " if unread else "  ", base + self.get_component_rich_style("article-list--unread")),
            Segment(fit(shown_title(article.title, self.details.get(article.id)), title_width), base + Style(bold=unread)),
            Segment("  ", base),
            Segment(fit(article.date or "", DATE_WIDTH), base + self.get_component_rich_style("article-list--date")),
            Segment(
                (str(count) if count else "\u00b7").rjust(COUNT_WIDTH),
                base + (Style(bold=True) if count else self.get_component_rich_style("article-list--count")),
            ),
        ]
        return Strip(segments).adjust_cell_length(width, base)


PROMPTS: dict[str, str] = {
    "search": "search titles and text as you type (Enter to keep, Esc to cancel)",
    "entity": "entity mentioned, e.g. China or China/GPE (Enter to apply, empty to clear)",
    "tag": "tag of a passage (Enter to apply, empty to clear)",
    "dates": "dates, e.g. 2025-07, 2025-01-01..2025-03-31, ..2025-06-30 (empty to clear)",
}


class LibraryScreen(Screen[None]):
    """The list of articles with search, filters and sort orders; Enter opens one."""

    CSS_PATH = "library.tcss"

    BINDINGS = [
        Binding("enter", "open_article", "Open", id="library.open"),
        Binding("slash", "prompt('search')", "Search", tooltip="Filter the list as you type, by title and full text", id="library.search"),
        Binding("e", "prompt('entity')", "Entity", tooltip="Only articles that mention an entity (China, or China/GPE)", id="library.entity"),
        Binding("t", "prompt('tag')", "Tag", tooltip="Only articles with a passage tagged so", id="library.tag"),
        Binding("d", "prompt('dates')", "Dates", show=False, tooltip="Only articles dated in a range (2025-07, 2025-01-01..2025-03-31)", id="library.dates"),
        Binding("u", "toggle('unread')", "Unread", show=False, tooltip="Only articles not read yet (again: all)", id="library.unread"),
        Binding("a", "toggle('unannotated')", "Not annotated", show=False, tooltip="Only articles with no annotation yet (again: all)", id="library.not-annotated"),
        Binding("s", "cycle_sort", "Sort", show=False, tooltip="Sort by date, title or number of annotations, in turn", id="library.sort"),
        Binding("c", "clear_filters", "Clear", show=False, tooltip="Clear every filter and the search", id="library.clear"),
        Binding("r", "refresh_corpus", "Refresh", show=False, tooltip="Look again for new, changed and removed files", id="library.refresh"),
        Binding("f5", "refresh_corpus", "Refresh", show=False, tooltip="Look again for new, changed and removed files", id="library.refresh"),
        Binding("p", "problems", "Problems", show=False, tooltip="Every file that could not be read, and why", id="library.problems"),
        Binding("escape", "cancel_prompt", "Cancel", show=False, id="library.cancel"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.filters = Filters()
        self.facts = Facts()
        self.finder = Finder(corpus.articles)
        self.shown: list[Article] = []
        #: The prompt open below the list ("search", "entity", "tag", "dates"), if any.
        self.prompt: str | None = None
        self._filters_before_prompt = self.filters
        #: Reading the full text for search: None when done, else (done, total).
        self.text_progress: tuple[int, int] | None = (0, len(corpus.articles))
        #: The entity filter's progress: (articles checked, total, articles without cached entities).
        self.entity_progress: tuple[int, int, int] | None = None
        self._entity_error: str | None = None
        self._mounted = False
        #: The corpus whose annotations were last moved to today's article ids (see gather_facts).
        self._settled: Corpus | None = None
        #: Whether the annotation counts and tags from the store have arrived (see gather_facts).
        self.facts_ready = False

    def action_problems(self) -> None:
        from reader.app.screens.problems import ProblemsScreen

        if not self.corpus.problems:
            self.notify("Every file of the corpus was read.")
        else:
            self.app.push_screen(ProblemsScreen(self.corpus))

    def compose(self) -> ComposeResult:
        yield Static(Text(f" reader \u00b7 {inert(str(self.corpus.root))}", no_wrap=True, overflow="ellipsis"), id="library-title")
        yield Static(id="library-filters")
        yield ArticleList(id="articles")
        yield CompletingInput(id="library-input")
        yield Static(self._problems_text(), id="problems")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def search_ready(self) -> bool:
        """Whether the search covers the full text (else titles only, for now)."""
        return self.text_progress is None

    def on_mount(self) -> None:
        self.query_one("#library-input", Input).display = False
        self.facts = replace(self.facts, read=self.app.reading.read_ids())
        self.apply()  # the list paints at once; counts and tags follow from the store's index
        self.article_list.focus()
        self.call_after_refresh(self.gather_facts)
        self.call_after_refresh(self.read_texts, self.corpus)

    def on_screen_resume(self) -> None:
        if self._mounted:  # back from an article: its annotations may have changed
            self.gather_facts()
        self._mounted = True

    @work(thread=True, exclusive=True, group="facts")
    def gather_facts(self) -> None:
        """Annotation counts and tags from the store's index (a worker: a large store's index
        takes a moment to load), then the list again with them."""
        worker = get_current_worker()
        store = self.app.store
        corpus = self.corpus
        try:
            if self._settled is not corpus:  # annotations kept under an older version's ids
                self._settled = corpus
                if (moved := settle_ids_message(corpus, store)) is not None:
                    self.app.call_from_thread(self.notify, moved, timeout=10, markup=False)
            counts = store.counts_by_article()  # the list's column: shown first
            if not worker.is_cancelled:
                self.app.call_from_thread(self._facts_gathered, counts, None)
            tags = store.tags_by_article()  # only the tag filter needs these
        except StoreError as error:
            report_failure(self.app, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._facts_gathered, counts, tags)

    def _facts_gathered(self, counts: Counter[str], tags: dict[str, set[str]] | None) -> None:
        """Counts arrive first, then the tags of each article (then the facts are complete)."""
        self.facts = replace(self.facts, counts=counts, read=self.app.reading.read_ids())
        if tags is not None:
            self.facts = replace(self.facts, tags=tags)
            self.facts_ready = True
        self.apply()

    # -- what the list shows ---------------------------------------------------------------

    def apply(self) -> None:
        """Show the articles that pass the filters, keeping the cursor on the same article."""
        article_list = self.article_list
        current = article_list.current
        self.shown = self.finder.select(self.filters, self.facts)
        article_list.details = self.corpus.title_details()
        article_list.show(self.shown, self.facts.counts, self.facts.read, keep=current.id if current else None)
        self._show_filters()

    def _show_filters(self) -> None:
        filters = self.filters
        line = Text(f" {len(self.shown):,} of {len(self.corpus.articles):,} articles", style="bold")
        line.append(f" \u00b7 {filters.sort.description}", style="dim")

        def part(label: str, value: str = "") -> None:
            line.append(" \u00b7 ", style="dim")
            line.append(label, style="#73daca")
            if value:
                line.append(f" {inert(value)}")

        if filters.query.strip():
            part("search", filters.query.strip() + ("" if self.search_ready else " (titles only for now)"))
        if filters.entity is not None:
            part("entity", str(filters.entity))
            if self._entity_error is not None:
                line.append(f" ({self._entity_error})", style="#e0af68")
            elif self.entity_progress is not None:
                checked, total, unknown = self.entity_progress
                if checked < total:
                    line.append(f" (checking {checked * 100 // max(total, 1)}%)", style="dim")
                if unknown:
                    line.append(f" ({unknown:,} without cached entities: open them or run reader ner)", style="#e0af68")
        if filters.tag:
            part("tag", filters.tag)
        if filters.dates is not None:
            part("dates", str(filters.dates))
        if filters.unread:
            part("unread")
        if filters.unannotated:
            part("not annotated")
        if self.text_progress is not None:
            done, total = self.text_progress
            line.append(f" \u00b7 reading full text {done * 100 // max(total, 1)}%", style="dim")
        self.query_one("#library-filters", Static).update(line)

    def _problems_text(self) -> Text:
        problems = self.corpus.problems
        count = f" {len(self.corpus.articles):,} articles"
        if not problems:
            return Text(count, style="dim")
        text = Text(f"{count} \u00b7 {len(problems)} file(s) or parts skipped: ", style="dim")
        text.append(inert("; ".join(f"{p.path.name}: {p.reason}" for p in problems[:3])), style="#e0af68")
        if len(problems) > 3:
            text.append(f"; and {len(problems) - 3} more", style="#e0af68")
        text.append("  (p lists them)", style="dim")
        return text

    # -- opening ---------------------------------------------------------------------------

    @property
    def selected_article(self) -> Article | None:
        return self.article_list.current

    def action_open_article(self) -> None:
        article = self.selected_article
        if article is None:
            return
        self.app.open_article(article)

    @on(ArticleList.Chosen)
    def _chosen(self, event: ArticleList.Chosen) -> None:
        event.stop()
        self.action_open_article()

    # -- filters ---------------------------------------------------------------------------

    @reports_store_errors
    def action_prompt(self, kind: str) -> None:
        field = self.query_one("#library-input", Input)
        self.prompt = kind
        self._filters_before_prompt = self.filters
        current = {
            "search": self.filters.query,
            "entity": str(self.filters.entity or ""),
            "tag": self.filters.tag or "",
            "dates": str(self.filters.dates or ""),
        }[kind]
        field.placeholder = PROMPTS[kind]
        field.border_title = {"search": "Search", "entity": "Entity", "tag": "Tag", "dates": "Dates"}[kind]
        field.suggester = (
            SuggestFromList([tag for tag, _ in self.app.store.tag_counts()], case_sensitive=False) if kind == "tag" else None
        )
        with field.prevent(Input.Changed):
            field.value = current
        field.cursor_position = len(current)
        field.display = True
        field.focus()

    def _close_prompt(self) -> None:
        self.prompt = None
        field = self.query_one("#library-input", Input)
        field.display = False
        self.article_list.focus()

    def action_cancel_prompt(self) -> None:
        if self.prompt is None:
            return
        was_entity = self.filters.entity
        self.filters = self._filters_before_prompt
        self._close_prompt()
        if self.filters.entity != was_entity:
            self._start_entity_filter()
        self.apply()

    @on(Input.Changed, "#library-input")
    def _typed(self, event: Input.Changed) -> None:
        if self.prompt == "search":
            self.filters = replace(self.filters, query=event.value)
            self.apply()

    @on(Input.Submitted, "#library-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        try:
            if self.prompt == "entity":
                self.filters = replace(self.filters, entity=EntityQuery.parse(value) if value else None)
                self._start_entity_filter()
            elif self.prompt == "tag":
                self.filters = replace(self.filters, tag=normalise_tag(value) or None)
            elif self.prompt == "dates":
                self.filters = replace(self.filters, dates=DateRange.parse(value) if value else None)
        except ValueError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        self._close_prompt()
        self.apply()

    def action_toggle(self, name: str) -> None:
        """Turn the ``unread`` or ``unannotated`` filter on or off."""
        if name == "unread":
            self.filters = replace(self.filters, unread=not self.filters.unread)
        elif name == "unannotated":
            self.filters = replace(self.filters, unannotated=not self.filters.unannotated)
        self.apply()

    def action_cycle_sort(self) -> None:
        self.filters = replace(self.filters, sort=self.filters.sort.next())
        self.apply()

    def action_clear_filters(self) -> None:
        self.filters = Filters(sort=self.filters.sort)
        self._start_entity_filter()
        self.apply()

    # -- background work -------------------------------------------------------------------

    def _from_thread(self, callback: Callable[..., Any], *arguments: Any, **keywords: Any) -> None:
        """Run ``callback`` on the UI thread, unless the app has already gone."""
        try:
            self.app.call_from_thread(callback, *arguments, **keywords)
        except RuntimeError:
            pass

    @work(thread=True, exclusive=True, group="library-texts")
    def read_texts(self, corpus: Corpus) -> None:
        """Read every text for the full-text search (from the text store when it has them)."""
        worker = get_current_worker()
        search = TextSearch()
        for article, text in article_texts(
            corpus,
            progress=lambda done, total: self._from_thread(self._texts_progress, corpus, done, total),
            should_stop=lambda: worker.is_cancelled,
        ):
            search.add(article.id, article.title, text)
        if not worker.is_cancelled:
            self._from_thread(self._texts_ready, corpus, search)

    def _texts_progress(self, corpus: Corpus, done: int, total: int) -> None:
        if corpus is self.corpus and self.text_progress is not None:
            self.text_progress = (done, total)
            self._show_filters()

    def _texts_ready(self, corpus: Corpus, search: TextSearch) -> None:
        if corpus is not self.corpus:
            return
        self.finder.search = search
        self.text_progress = None
        # The corpus and its search live as long as the screen: take them (and all else built
        # so far) out of the cycle collector's full passes, which otherwise stall a keystroke
        # now and then for tens of milliseconds on 10,000 articles. Objects still go when
        # their last reference does.
        gc.freeze()
        if self.filters.query.strip():
            self.apply()
        else:
            self._show_filters()

    def _start_entity_filter(self) -> None:
        self._entity_error = None
        self.facts = replace(self.facts, entity_matches=None)
        if self.filters.entity is None:
            self.entity_progress = None
            self.workers.cancel_group(self, "library-entity")
            return
        self.entity_progress = (0, len(self.corpus.articles), 0)
        self.find_entity(self.corpus, self.filters.entity)

    @work(thread=True, exclusive=True, group="library-entity")
    def find_entity(self, corpus: Corpus, wanted: EntityQuery) -> None:
        """The articles whose cached entities include ``wanted``; uncached ones are counted."""
        worker = get_current_worker()
        recognizer = self.app.recognizer
        found: set[str] = set()
        checked = unknown = 0
        total = len(corpus.articles)
        try:
            for article, text in article_texts(corpus, should_stop=lambda: worker.is_cancelled):
                checked += 1
                if not recognizer.is_cached(text):
                    unknown += 1
                elif any(wanted.matches(text[e.start : e.end], e.label) for e in recognizer.entities(text)):
                    found.add(article.id)
                if checked % 500 == 0:
                    self._from_thread(self._entity_results, corpus, wanted, set(found), (checked, total, unknown), None)
        except Exception as error:  # the model's identity or cache unusable: say so, keep the app
            self._from_thread(self._entity_results, corpus, wanted, found, (checked, total, unknown), failure_message(error))
            return
        if not worker.is_cancelled:
            self._from_thread(self._entity_results, corpus, wanted, found, (total, total, unknown), None)

    def _entity_results(
        self, corpus: Corpus, wanted: EntityQuery, found: set[str], progress: tuple[int, int, int], error: str | None
    ) -> None:
        if corpus is not self.corpus or wanted != self.filters.entity:
            return
        self.entity_progress = progress
        self._entity_error = error
        self.facts = replace(self.facts, entity_matches=found)
        self.apply()

    @property
    def entity_filter_done(self) -> bool:
        """Whether the entity filter has checked every article (or there is none)."""
        return self.entity_progress is not None and self.entity_progress[0] >= self.entity_progress[1]

    # -- refresh ---------------------------------------------------------------------------

    def action_refresh_corpus(self) -> None:
        self.notify(f"Looking for changes in {inert(str(self.corpus.root))}\u2026", markup=False, timeout=3)
        self.refresh_corpus(self.corpus)

    @work(thread=True, exclusive=True, group="library-refresh")
    def refresh_corpus(self, corpus: Corpus) -> None:
        try:
            fresh = corpus.refreshed()
        except Exception as error:  # the folder went away, or cannot be listed
            report_failure(self.app, error, "The corpus could not be read again", timeout=10)
            return
        self._from_thread(self.corpus_refreshed, corpus, fresh)

    def corpus_refreshed(self, old: Corpus, fresh: Corpus) -> None:
        """Show ``fresh`` in place of ``old``, and say what changed."""
        if old is not self.corpus:
            return
        before = {article.id: article.sha256 for article in old.articles}
        after = {article.id: article.sha256 for article in fresh.articles}
        added = len(after.keys() - before.keys())
        removed = len(before.keys() - after.keys())
        changed = sum(1 for key in after.keys() & before.keys() if after[key] != before[key])
        self.corpus = fresh
        self.app.corpus = fresh
        self.finder = Finder(fresh.articles)
        self.text_progress = (0, len(fresh.articles))
        self.query_one("#problems", Static).update(self._problems_text())
        self.gather_facts()
        self._start_entity_filter()
        self.apply()
        self.read_texts(fresh)
        if added or removed or changed:
            summary = f"{added} new, {changed} changed, {removed} removed"
        else:
            summary = "no changes"
        self.notify(f"Corpus refreshed: {summary}.", markup=False)
