"""LibraryScreen: the articles of the corpus, and the ways to find one among thousands.

``/`` filters the list as you type (titles at once, full text once it has been read in the
background); ``e``, ``t``, ``d`` filter by entity, tag and date range; ``u`` and ``a`` keep only
unread or not yet annotated articles; ``s`` changes the order; ``r`` looks for new, changed and
removed files. The line above the list says which filters are on.

The list is an :class:`reader.app.widgets.article_list.ArticleList`, a Line API widget: only
the rows on screen are drawn, so showing or filtering 10,000 articles costs what showing 40 does.

The entity filter can only use entities already in the cache (articles that were opened, or
recognised in batch by ``reader ner``): running the model over a whole corpus is not something
to do on a keystroke. The articles it could not check are counted on the filter line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Static

from annotations.model import normalise_tag
from reader.app.screens.library_work import LibraryWork
from reader.app.store_guard import reports_store_errors
from reader.app.text_colours import text_colours
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.completing_input import CompletingInput
from reader.app.widgets.snippets import Snippets
from reader.corpus import Article, Corpus
from reader.corpus.finding import DateRange, EntityQuery, Facts, Filters, Finder, SortOrder
from reader.corpus.fulltext import FullTextIndex
from reader.corpus.fulltext_best import COUNT_CAP
from reader.corpus.fulltext_query import fts_query
from reader.safe_text import inert

PROMPTS: dict[str, str] = {
    "search": "search titles and text as you type (Enter to keep, Esc to cancel)",
    "entity": "entity mentioned, e.g. China or China/GPE (Enter to apply, empty to clear)",
    "tag": "tag of a passage (Enter to apply, empty to clear)",
    "dates": "dates, e.g. 2025-07, 2025-01-01..2025-03-31, ..2025-06-30 (empty to clear)",
}


class LibraryScreen(LibraryWork):
    """The list of articles with search, filters and sort orders; Enter opens one.

    What runs in the background (facts from the store, full texts, the entity filter, a fresh
    look at the folder) is in :class:`reader.app.screens.library_work.LibraryWork`.
    """

    CSS_PATH = "library.tcss"

    BINDINGS = [
        Binding("enter", "open_article", "Open", id="library.open"),
        Binding(
            "slash",
            "prompt('search')",
            "Search",
            tooltip="Filter the list as you type, by title and full text",
            id="library.search",
        ),
        Binding(
            "e",
            "prompt('entity')",
            "Entity",
            tooltip="Only articles that mention an entity (China, or China/GPE)",
            id="library.entity",
        ),
        Binding("t", "prompt('tag')", "Tag", tooltip="Only articles with a passage tagged so", id="library.tag"),
        Binding(
            "d",
            "prompt('dates')",
            "Dates",
            show=False,
            tooltip="Only articles dated in a range (2025-07, 2025-01-01..2025-03-31)",
            id="library.dates",
        ),
        Binding(
            "u",
            "toggle_filter('unread')",
            "Unread",
            show=False,
            tooltip="Only articles not read yet (again: all)",
            id="library.unread",
        ),
        Binding(
            "a",
            "toggle_filter('unannotated')",
            "Not annotated",
            show=False,
            tooltip="Only articles with no annotation yet (again: all)",
            id="library.not-annotated",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            show=False,
            tooltip="Sort by date, title or number of annotations, in turn",
            id="library.sort",
        ),
        Binding(
            "c", "clear_filters", "Clear", show=False, tooltip="Clear every filter and the search", id="library.clear"
        ),
        Binding(
            "r,f5",
            "refresh_corpus",
            "Refresh",
            show=False,
            tooltip="Look again for new, changed and removed files",
            id="library.refresh",
        ),
        Binding(
            "p",
            "problems",
            "Problems",
            show=False,
            tooltip="Every file that could not be read, and why",
            id="library.problems",
        ),
        Binding("escape", "cancel_prompt", "Cancel", show=False, id="library.cancel"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus
        self.filters = Filters()
        self.facts = Facts()
        self.finder = Finder(corpus.articles)
        self.shown: Sequence[Article] = []
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
        yield Static(
            Text(f" reader \u00b7 {inert(str(self.corpus.root))}", no_wrap=True, overflow="ellipsis"),
            id="library-title",
        )
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
        self.app.theme_changed_signal.subscribe(self, self._recolour)
        self.call_after_refresh(self.gather_facts)
        self.call_after_refresh(self.read_texts, self.corpus)
        if self.corpus.unscanned:  # listed from the catalog: now look at the folder
            self.call_after_refresh(self.refresh_corpus, self.corpus, True)

    def on_screen_resume(self) -> None:
        if self._mounted:  # back from an article: its annotations may have changed
            self.gather_facts()
        self._mounted = True

    # -- what the list shows ---------------------------------------------------------------

    def apply(self) -> None:
        """Show the articles that pass the filters, keeping the cursor on the same article."""
        article_list = self.article_list
        current = article_list.current
        self.shown = self.finder.select(self.filters, self.facts)
        article_list.details = self.corpus.title_details()
        search, query = self.finder.search, self.filters.query
        snippets = Snippets(search, query) if isinstance(search, FullTextIndex) and fts_query(query) else None
        article_list.show(
            self.shown, self.facts.counts, self.facts.read, keep=current.id if current else None, snippets=snippets
        )
        self._show_filters()

    def _recolour(self, _theme: object = None) -> None:
        """Redraw the lines whose text holds colours of the theme they were drawn in."""
        self._show_filters()
        self.query_one("#problems", Static).update(self._problems_text())

    def _show_filters(self) -> None:
        filters = self.filters
        colours = text_colours(self.app)
        count = self.finder.match_count
        # only the best matches listed: said first, so that it fits in 80 columns
        capped = bool(filters.query.strip()) and (count is None or count > len(self.shown))
        if capped:
            matched = f"more than {COUNT_CAP:,}" if count is None else f"{count:,}"
            line = Text(f" the best {len(self.shown):,} of {matched} matches", style="bold")
        else:
            line = Text(f" {len(self.shown):,} of {len(self.corpus.articles):,} articles", style="bold")
            ranked = filters.query.strip() and self.search_ready and filters.sort is SortOrder.DATE
            line.append(f" \u00b7 {'best match first' if ranked else filters.sort.description}", style="dim")

        def part(label: str, value: str = "") -> None:
            line.append(" \u00b7 ", style="dim")
            line.append(label, style=colours.key)
            if value:
                line.append(f" {inert(value)}")

        if filters.query.strip():
            part("search", filters.query.strip() + ("" if self.search_ready else " (titles only for now)"))
            if capped:
                line.append(" \u00b7 type more to narrow", style="dim")
        if filters.entity is not None:
            part("entity", str(filters.entity))
            if self._entity_error is not None:
                line.append(f" ({self._entity_error})", style=colours.tag)
            elif self.entity_progress is not None:
                checked, total, unknown = self.entity_progress
                if checked < total:
                    line.append(f" (checking {checked * 100 // max(total, 1)}%)", style="dim")
                if unknown:
                    line.append(
                        f" ({unknown:,} without cached entities: open them or run reader ner)", style=colours.tag
                    )
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
            line.append(f" \u00b7 indexing full text {done * 100 // max(total, 1)}%", style="dim")
        self.query_one("#library-filters", Static).update(line)

    def _problems_text(self) -> Text:
        problems = self.corpus.problems
        count = f" coder {inert(self.app.coder)} \u00b7 {len(self.corpus.articles):,} articles"
        if not problems:
            return Text(count, style="dim")
        warning = text_colours(self.app).tag
        text = Text.assemble(
            (f"{count} \u00b7 {len(problems)} file(s) or parts skipped: ", "dim")
        )  # not under the rest
        text.append(inert("; ".join(f"{p.path.name}: {p.reason}" for p in problems[:3])), style=warning)
        if len(problems) > 3:
            text.append(f"; and {len(problems) - 3} more", style=warning)
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
            SuggestFromList([tag for tag, _ in self.app.store.tag_counts()], case_sensitive=False)
            if kind == "tag"
            else None
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

    def action_toggle_filter(self, name: str) -> None:
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
