"""The analysis screen's reading and computing, in workers (the screen itself is
:mod:`reader.app.screens.analysis`): the matrix's counts first, from the store's index alone, so
the screen opens at once on 100,000 passages; then the ids behind them and the timeline; every
passage read (a second or more on such a store) only when co-occurrence or entities are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from weakref import WeakKeyDictionary

from textual import work
from textual.widgets import DataTable, TabbedContent
from textual.worker import get_current_worker

from annotations import Annotation, AnnotationStore, StoreError
from annotations.analysis import (
    ArticleInfo,
    CodedPassages,
    CodeMatrix,
    Grouping,
    code_matrix,
    code_timeline,
)
from annotations.analysis_cooccurrence import Cooccurrence, cooccurrence
from annotations.analysis_entities import CodeEntities, code_entities
from annotations.journal import gc_paused
from reader.analysis_data import (
    EntityMentions,
    coded_texts,
    entity_mentions,
    id_tables,
    indexed_matrix,
    paragraph_spans,
    read_passages,
)
from reader.app.base import ReaderScreen
from reader.app.palette import entity_style, palette_of
from reader.app.widgets.analysis_tables import (
    AnalysisTable,
    fill_cooccurrence,
    fill_entities,
    fill_matrix,
    fill_timeline,
)
from reader.app.worker_errors import failure_message
from reader.nlp import Cancelled, ModelUnavailable


@dataclass(frozen=True)
class Tables:
    """What the worker computed, handed to the screen in one piece."""

    #: The codes of every passage, from the store's index (no passage read); None while the
    #: matrix shown is the index's counts alone (the screen's first table, before anything).
    coded: CodedPassages | None
    infos: dict[str, ArticleInfo]
    matrix: CodeMatrix
    #: None until computed: the timeline just after the matrix, co-occurrence when on show.
    cooccurrence: Cooccurrence | None = None
    timeline: CodeMatrix | None = None
    #: The store's generation they were computed at (see ``AnnotationStore.generation``).
    generation: int | None = None


#: The tables last computed for each open store, for its corpus, with the passages read (if
#: they were): opening the screen again, or coming back to it, while the store's generation is
#: the same shows them at once.
_KEPT: WeakKeyDictionary[AnnotationStore, tuple[object, Tables, CodedPassages | None]] = WeakKeyDictionary()


class AnalysisWorkers(ReaderScreen[None]):
    """The analysis screen's state and workers; :class:`AnalysisScreen` draws and reacts."""

    def __init__(self) -> None:
        super().__init__()
        self.by: Grouping = "article"
        self.by_paragraph = False
        self.by_entity = False
        self.tables: Tables | None = None
        #: The coded passages' entity mentions and what they make with the codes, once found.
        self.entities: tuple[EntityMentions, CodeEntities] | None = None
        #: Whether a worker is finding them now.
        self.finding = False
        #: What the title says is counted (passages, codes, articles).
        self.summary = ""
        #: The passages listed below the table, in order, and the ids of those to list.
        self.shown: list[Annotation] = []
        self.listing: list[str] = []
        #: Every coded passage read (co-occurrence and entities need offsets), once asked for.
        self.read: CodedPassages | None = None
        #: Whether a worker is computing co-occurrence now.
        self.cooccurring = False

    def table(self, name: str) -> AnalysisTable:
        return self.query_one(f"#{name}-table", AnalysisTable)

    @property
    def current_table(self) -> str:
        return self.query_one(TabbedContent).active or "matrix"

    # -- computing -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="analysis")
    def compute(self, reload: bool = False) -> None:
        """Read the store's index (on ``reload``): the matrix's counts first, from the index alone,
        then the passages' ids behind them and the timeline; with the screen's settings."""
        worker = get_current_worker()
        if reload or self.tables is None or self.tables.coded is None:
            try:
                generation: int | None = self.app.store.generation()
                kept = _KEPT.get(self.app.store)
                if kept is not None and kept[0] is self.app.corpus and kept[1].generation == generation:
                    self.app.call_from_thread(self._reuse, kept[1], kept[2])
                    return
                counted, infos, entries = indexed_matrix(self.app.store, self.app.corpus, self.by)
            except StoreError as error:
                self.app.call_from_thread(self.notify, failure_message(error), severity="error", markup=False)
                return
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._show, Tables(None, infos, counted), True)  # before anything
            coded, timeline = id_tables(entries, infos)
            matrix = counted  # as good as one from the ids (it finds them when asked): kept, not drawn again
            self.app.store.map_ids()  # for the drill-down, which reads the passages it lists
        else:
            coded, infos, generation = self.tables.coded, self.tables.infos, self.tables.generation
            with gc_paused():
                matrix, timeline = code_matrix(coded, infos, self.by), code_timeline(coded, infos)
        tables = Tables(coded, infos, matrix, timeline=timeline, generation=generation)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, tables, False)

    def _reuse(self, tables: Tables, read: CodedPassages | None) -> None:
        """Show the tables kept for this store, at its current generation, as the screen's
        settings ask (co-occurrence of the other scope, or a matrix by other columns, again)."""
        if not self.is_attached:
            return
        self.read = self.read or read
        if tables.cooccurrence is not None and tables.cooccurrence.scope != self.scope:
            tables = replace(tables, cooccurrence=None)
        if tables.matrix.by != self.by:
            self.tables = tables
            self.compute()  # from the passages' codes kept
            return
        self._show(tables, False)

    @property
    def scope(self) -> str:
        """What co-occurrence is to count on this screen: ``overlap`` or ``paragraph``."""
        return "paragraph" if self.by_paragraph else "overlap"

    def _keep(self) -> None:
        """Keep the tables shown (and the passages read) for the next time, at this generation."""
        if self.tables is not None and self.tables.coded is not None and self.tables.generation is not None:
            _KEPT[self.app.store] = (self.app.corpus, self.tables, self.read)

    def _show(self, tables: Tables, reloaded: bool) -> None:
        if not self.is_attached:
            return
        if not reloaded and self.tables is not None and self.tables.coded is tables.coded:
            tables = replace(tables, cooccurrence=self.tables.cooccurrence)  # the passages did not change
        shown = None if self.tables is None or self.table("matrix").loading else self.tables.matrix
        self.tables = tables
        coded = tables.coded
        if coded is None:
            self.summary = f" \u00b7 {len(tables.matrix.codes)} codes"
        else:
            articles = len(set().union(*coded.by_article.values()))
            passages = len(coded.codes_by_passage)
            self.summary = f" \u00b7 {passages} passages, {len(coded.by_code)} codes, {articles} articles"
        self.show_title()
        self.table("matrix").loading = False
        if tables.matrix is not shown:  # the same matrix is not drawn again (the cursor stays)
            fill_matrix(self.table("matrix"), tables.matrix)
        for name in ("cooccurrence", "timeline"):  # stale until computed again: not to be drilled into
            self.table(name).loading = getattr(tables, name) is None
        if tables.timeline is not None:
            fill_timeline(self.table("timeline"), tables.timeline, palette_of(self.app).match)
        if reloaded:
            self.entities, self.finding = None, False  # a search under way is for the old passages
            self.read, self.cooccurring = None, False
        self._keep()
        self.cooccurrence_table()
        self.entity_table()
        self.show_chart()
        self.show_passages()
        if not isinstance(self.focused, DataTable):  # a table being filled cannot take the focus
            self.table(self.current_table).focus()

    def cooccurrence_table(self) -> None:
        """Fill the co-occurrence table once it is on show: it needs every passage's offsets,
        which only it and the entities read (a second on 100,000 passages)."""
        tables = self.tables
        if tables is None or tables.coded is None or self.current_table != "cooccurrence":
            return
        if tables.cooccurrence is not None:
            fill_cooccurrence(self.table("cooccurrence"), tables.cooccurrence)
        elif not self.cooccurring:
            self.cooccurring = True
            self.table("cooccurrence").loading = True
            self.compute_cooccurrence(tables.coded, self.read, self.by_paragraph)

    @work(thread=True, exclusive=True, group="cooccurrence")
    def compute_cooccurrence(self, coded: CodedPassages, read: CodedPassages | None, by_paragraph: bool) -> None:
        """Co-occurrence by overlap or by paragraph, reading every passage if not yet read."""
        worker = get_current_worker()
        try:
            read = read or read_passages(self.app.store)
        except StoreError as error:
            self.app.call_from_thread(self.notify, failure_message(error), severity="error", markup=False)
            return
        paragraphs = None
        if by_paragraph:
            texts = coded_texts(self.app.corpus, read.passages.values())
            paragraphs = {article_id: paragraph_spans(text) for article_id, text in texts.items()}
        result = cooccurrence(read, paragraphs)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_cooccurrence, coded, read, result)

    def _show_cooccurrence(self, coded: CodedPassages, read: CodedPassages, result: Cooccurrence) -> None:
        self.cooccurring = False
        if not self.is_attached or self.tables is None or self.tables.coded is not coded:
            return  # read for passages since reloaded
        self.read = read
        if result.scope != self.scope:
            self.cooccurrence_table()  # toggled meanwhile
            return
        self.tables = replace(self.tables, cooccurrence=result)
        self._keep()
        self.table("cooccurrence").loading = False
        fill_cooccurrence(self.table("cooccurrence"), result)
        if self.current_table == "cooccurrence":
            self.show_passages()
            if not isinstance(self.focused, DataTable):  # a table being filled cannot take the focus
                self.table("cooccurrence").focus()

    def entity_table(self) -> None:
        """Fill the entities table once it is on show: finding entities may need the model, which
        a user who never looks at entities should not wait for."""
        if self.tables is None or self.tables.coded is None or self.current_table != "entities":
            return
        if self.entities is None:
            if not self.finding:
                self.finding = True
                self.table("entities").loading = True
                self.find_entities(self.tables.coded, self.read)
        else:
            self._show_entities(*self.entities)

    @work(thread=True, exclusive=True, group="entities")
    def find_entities(self, coded: CodedPassages, read: CodedPassages | None) -> None:
        """The entities of the coded articles: cached, else found by the model (may take a while)."""
        worker = get_current_worker()
        try:
            read = read or read_passages(self.app.store)
            texts = coded_texts(self.app.corpus, read.passages.values())
            found = entity_mentions(
                texts,
                lambda article_id: self.app.recognizer.entities(
                    texts[article_id], cancelled=lambda: worker.is_cancelled
                ),
                should_stop=lambda: worker.is_cancelled,
            )
        except Cancelled:
            return
        except (ModelUnavailable, StoreError) as error:
            self.app.call_from_thread(self._entities_failed, failure_message(error))
            return
        result = code_entities(read, found.mentions)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._entities_found, coded, read, found, result)

    def _entities_found(
        self, coded: CodedPassages, read: CodedPassages, found: EntityMentions, result: CodeEntities
    ) -> None:
        if self.tables is not None and self.tables.coded is coded:
            self.read = self.read or read
            self._keep()
            self._show_entities(found, result)

    def _entities_failed(self, message: str) -> None:
        self.finding = False
        if self.is_attached:
            self.table("entities").loading = False
            self.notify(f"Entities are off: {message}", severity="warning", markup=False)

    def _show_entities(self, found: EntityMentions, result: CodeEntities) -> None:
        if not self.is_attached or self.tables is None:
            return
        self.entities, self.finding = (found, result), False
        table = self.table("entities")
        table.loading = False
        fill_entities(table, result, found.names, lambda label: entity_style(label, self.app), self.by_entity)
        if self.current_table == "entities":
            self.show_passages()

    @work(thread=True, exclusive=True, group="passages")
    def read_listed(self, wanted: list[str]) -> None:
        """Read the passages to list under the table; listed if the cursor is still on them."""
        worker = get_current_worker()
        try:
            passages = self.app.store.get_many(wanted)
        except StoreError as error:
            self.app.call_from_thread(self.notify, failure_message(error), severity="error", markup=False)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._listed, wanted, passages)

    def _listed(self, wanted: list[str], passages: list[Annotation]) -> None:
        if self.is_attached and self.listing is wanted:
            self.list_passages(passages)

    def list_passages(self, passages: list[Annotation]) -> None:
        raise NotImplementedError

    def show_title(self) -> None:
        raise NotImplementedError

    def show_chart(self) -> None:
        raise NotImplementedError

    def show_passages(self) -> None:
        raise NotImplementedError
