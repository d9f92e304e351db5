"""The library's work in the background, kept apart from what the list shows and the keys.

Four kinds of work run off the UI thread and report back to :class:`LibraryScreen` on it: the
annotation counts and tags from the store's index, the full-text index brought up to date (see
:mod:`reader.corpus.fulltext`: on disk, so the texts never sit in memory), the entity
filter over the entities already cached, and a fresh look at the corpus folder (r). Each checks
that its corpus (and filter) is still the one shown before it changes anything.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.css.query import NoMatches
from textual.widgets import Static
from textual.worker import get_current_worker

from annotations import StoreError
from reader.app.base import ReaderScreen
from reader.app.worker_errors import failure_message, report_failure
from reader.corpus import Corpus, heap
from reader.corpus.finding import EntityQuery, Facts, Filters, Finder
from reader.corpus.fulltext import FullTextIndex
from reader.corpus.rekey import settle_ids_message
from reader.corpus.texts import article_texts
from reader.nlp.entity_lookup import articles_mentioning, coverage, summary_cache
from reader.safe_text import inert


class LibraryWork(ReaderScreen[None]):
    """The background half of :class:`reader.app.screens.library.LibraryScreen` (a base class
    of it, never shown alone): its workers and what they hand back to the UI thread."""

    corpus: Corpus
    filters: Filters
    facts: Facts
    finder: Finder
    #: Updating the full-text index: None when done, else (articles indexed, articles to index).
    text_progress: tuple[int, int] | None
    #: The entity filter's progress: (articles checked, total, articles without cached entities).
    entity_progress: tuple[int, int, int] | None
    _entity_error: str | None
    #: The corpus whose annotations were last moved to today's article ids (see gather_facts).
    _settled: Corpus | None
    #: Whether the annotation counts and tags from the store have arrived (see gather_facts).
    facts_ready: bool

    if TYPE_CHECKING:  # drawn by LibraryScreen

        def apply(self) -> None: ...

        def _show_filters(self) -> None: ...

        def _problems_text(self) -> Text: ...

    # -- facts from the store --------------------------------------------------------------

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
                    self._from_thread(self.notify, moved, timeout=10, markup=False)
            counts = store.counts_by_article()  # the list's column: shown first
            if not worker.is_cancelled:
                self._from_thread(self._facts_gathered, counts, None)
            tags = store.tags_by_article()  # only the tag filter needs these
        except StoreError as error:
            report_failure(self.app, error)
            return
        if not worker.is_cancelled:
            self._from_thread(self._facts_gathered, counts, tags)

    def _facts_gathered(self, counts: Counter[str], tags: dict[str, set[str]] | None) -> None:
        """Counts arrive first, then the tags of each article (then the facts are complete)."""
        self.facts = replace(self.facts, counts=counts, read=self.app.reading.read_ids())
        if tags is not None:
            self.facts = replace(self.facts, tags=tags)
            self.facts_ready = True
        self.apply()

    # -- background work -------------------------------------------------------------------

    def _from_thread(self, callback: Callable[..., Any], *arguments: Any, **keywords: Any) -> None:
        """Run ``callback`` on the UI thread, unless the app or this screen has gone meanwhile
        (a worker's answer arriving as the app quits must not fail on a screen taken down)."""

        def if_shown() -> None:
            if not self.is_attached:
                return
            try:
                callback(*arguments, **keywords)
            except NoMatches:  # the screen is being taken down (the app quitting): its widgets went first
                return

        try:
            self.app.call_from_thread(if_shown)
        except RuntimeError:
            pass

    @work(thread=True, exclusive=True, group="library-texts")
    def read_texts(self, corpus: Corpus) -> None:
        """Bring the corpus's full-text index up to date (only what changed since the last time
        is read; all of it the first time, or when the index was damaged), then search with it."""
        worker = get_current_worker()
        index = FullTextIndex.of(corpus)
        try:
            done = index.update(
                corpus,
                progress=lambda done, total: self._from_thread(self._texts_progress, corpus, done, total),
                should_stop=lambda: worker.is_cancelled,
            )
        except Exception as error:  # the cache folder unwritable, the disk full: titles only, said once
            index.close()
            report_failure(self.app, error, "The full-text index could not be built; search covers titles only")
            return
        if done and corpus.fresh_texts and corpus.text_store is not None:
            corpus.fresh_texts = {}  # the texts read while listing are in the text store too: out of memory
        heap.trim()  # what the build freed goes back to the system before searching starts
        if done and not worker.is_cancelled:
            self._from_thread(self._texts_ready, corpus, index)
        else:
            index.close()

    def _texts_progress(self, corpus: Corpus, done: int, total: int) -> None:
        if corpus is self.corpus and self.text_progress is not None:
            self.text_progress = (done, total)
            self._show_filters()

    def _texts_ready(self, corpus: Corpus, index: FullTextIndex) -> None:
        if corpus is not self.corpus:
            index.close()
            return
        if isinstance(self.finder.search, FullTextIndex):
            self.finder.search.close()
        self.finder.search = index
        self.text_progress = None
        # The corpus lives as long as the screen: take it (and all else built so far) out of the
        # cycle collector's full passes, which otherwise stall a keystroke now and then on
        # 10,000 articles. Objects still go when their last reference does.
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
        """The articles whose cached entities include ``wanted``; uncached ones are counted.

        Answered by the cache's entity summary (:mod:`reader.nlp.entity_lookup`) when it can be:
        only articles cached before there was a summary have their texts read (once, to make it).
        """
        worker = get_current_worker()
        recognizer = self.app.recognizer
        total = len(corpus.articles)
        try:
            cache = summary_cache(recognizer)
            if cache is not None:
                model = recognizer.cache_key
                covered = coverage(cache, model, corpus.articles)
                readable: set[str] = set()  # entries read to be summarised (a damaged one is a miss)
                if covered.unsummarised:
                    unsummarised = {article.sha256 for article in covered.unsummarised}
                    for article, text in article_texts(corpus, should_stop=lambda: worker.is_cancelled):
                        if article.sha256 in unsummarised and recognizer.cached_raw(text) is not None:
                            readable.add(article.sha256)  # read, which wrote its summary
                summarised = cache.summarised(model, [article.sha256 for article in corpus.articles])
                if readable <= summarised:  # else the summary could not be written: the slow way
                    found = articles_mentioning(cache, model, corpus.articles, wanted.folded, wanted.label)
                    unknown = sum(1 for article in corpus.articles if article.sha256 not in summarised)
                    if not worker.is_cancelled:
                        self._from_thread(self._entity_results, corpus, wanted, found, (total, total, unknown), None)
                    return
        except Exception as error:  # the model's identity or cache unusable: say so, keep the app
            self._from_thread(self._entity_results, corpus, wanted, set(), (0, total, 0), failure_message(error))
            return
        self._find_entity_in_each(corpus, wanted)

    def _find_entity_in_each(self, corpus: Corpus, wanted: EntityQuery) -> None:
        """The entity filter the slow way, each article's cached entities read (when the summary
        cannot answer: there are user corrections, or no cache)."""
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
            self._from_thread(
                self._entity_results, corpus, wanted, found, (checked, total, unknown), failure_message(error)
            )
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
    def refresh_corpus(self, corpus: Corpus, quiet: bool = False) -> None:
        """Look at the folder again (in a worker); ``quiet``: say nothing unless something changed
        (the look the library takes by itself after painting a corpus listed from its catalog)."""
        try:
            fresh = corpus.refreshed()
        except Exception as error:  # the folder went away, or cannot be listed
            report_failure(self.app, error, "The corpus could not be read again", timeout=10)
            return
        self._from_thread(self.corpus_refreshed, corpus, fresh, quiet)

    def corpus_refreshed(self, old: Corpus, fresh: Corpus, quiet: bool = False) -> None:
        """Show ``fresh`` in place of ``old``, and say what changed."""
        if old is not self.corpus:
            return
        changes = fresh.changes
        old.unscanned = False
        if not changes and fresh.problems == old.problems:
            if not quiet:
                self.notify("Corpus refreshed: no changes.", markup=False)
            return
        self.corpus = fresh
        self.app.corpus = fresh
        if isinstance(self.finder.search, FullTextIndex):
            self.finder.search.close()
        self.finder = Finder(fresh.articles)
        self.text_progress = (0, len(fresh.articles))
        self.query_one("#problems", Static).update(self._problems_text())
        self.gather_facts()
        self._start_entity_filter()
        self.apply()
        self.read_texts(fresh)
        if changes:
            summary = f"{changes.added} new, {changes.changed} changed, {changes.removed} removed"
        else:
            summary = "no changes"
        self.notify(f"Corpus refreshed: {summary}.", markup=False)
