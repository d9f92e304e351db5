"""The entity index screen's data (``I``): every entity of a corpus with its mentions and articles,
the articles that mention one and its mentions by month, answered by SQL aggregates over the
entity summary (:mod:`reader.nlp.entity_summary`) joined to the corpus's articles, so that no
article's text or cached entities are read to list them.

The list of entities comes first, when it can, from the model's totals over the whole cache
(:meth:`EntityOverview.quick`, :mod:`reader.nlp.corpus_totals`): the corpus's texts are weighed
from its catalog by one query, and only the texts where the corpus and the cache differ are added
up, so it takes about as long for 100,000 articles as for 10,000. The corpus's articles (id, text
hash, date, title) are then put into a temporary table of a connection of the overview's own
(:meth:`EntityOverview.add_articles`, from a worker: the catalog's rows are read once, no
article made of them and no list of them kept), which an entity's articles and months are asked from (once it is
:attr:`~EntityOverview.filled`) and, when the totals cannot answer, the list is added up from.
Two kinds of overview share the queries:

- :meth:`EntityOverview.of_cache`: the cache's own summary (the entities as the model and rules
  found them); articles whose text has no summary yet are listed by :meth:`unsummarised`, for the
  caller to read or recognise (which writes their summary) and ask again.
- :meth:`EntityOverview.private`: a temporary database of its own, filled with
  :meth:`add_entities` (the user's corrected entities, which the cache's summary does not hold).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from reader.corpus.catalog import Catalog
from reader.corpus.rows import OrderRows
from reader.nlp import entity_summary
from reader.nlp.corpus_totals import CorpusTexts, CorpusTotals, corpus_totals
from reader.nlp.entity_lookup import summary_cache
from reader.nlp.entity_summary import MODEL, EntityTotal, summary_rows

if TYPE_CHECKING:
    from reader.corpus.article import Article
    from reader.nlp.cache import EntityCache
    from reader.nlp.entities import EntityRecognizer
    from reader.nlp.entity_index import EntityKey
    from reader.nlp.model import Entity

T = TypeVar("T")

#: The model name rows of a private overview are written under.
PRIVATE_MODEL = "corrected"

#: Articles put into the temporary table in one statement.
BATCH = 5000

ARTICLES_SCHEMA = (
    "CREATE TEMP TABLE overview_articles (id TEXT NOT NULL, text_hash TEXT NOT NULL, date TEXT, title TEXT NOT NULL,"
    " ord INTEGER NOT NULL)",
    "CREATE INDEX temp.overview_articles_text ON overview_articles (text_hash)",
    "CREATE TEMP TABLE overview_texts (text INTEGER PRIMARY KEY, weight INTEGER NOT NULL, ord INTEGER NOT NULL)",
)

#: The texts that mention one entity (model, key, label) with their mentions of it. CROSS JOIN
#: keeps the entity's spellings as the outer loop, so its rows are found by the summary's name
#: index: a plain JOIN let SQLite walk every summary row of the model (in text order, for the
#: GROUP BY), a time that grew with the corpus for each entity the cursor came to.
MENTIONS = (
    "SELECT t.hash AS text_hash, sum(s.count) AS mentions FROM entity_names n"
    f" CROSS JOIN entity_summary s ON s.model = {MODEL} AND s.name = n.id JOIN texts t ON t.id = s.text"
    " WHERE n.key = ? AND n.label = ? GROUP BY s.text"
)


@dataclass(frozen=True)
class MentioningArticle:
    """An article that mentions an entity: what the screen lists of it, and how often it mentions it."""

    id: str
    date: str | None
    title: str
    mentions: int


class EntityOverview:
    """The entities of one corpus's articles, answered from a summary table (see the module)."""

    def __init__(self, connection: sqlite3.Connection, model: str) -> None:
        self.connection = connection
        self.model = model
        self._lock = threading.Lock()
        self._articles = 0
        #: Set once :meth:`add_articles` has put every article in (or stopped).
        self.filled = threading.Event()
        self._corpus: CorpusTexts | None = None
        connection.execute("PRAGMA temp_store = MEMORY")  # its tables: a few MB at 100,000 articles
        for statement in ARTICLES_SCHEMA:
            connection.execute(statement)

    @classmethod
    def of_cache(cls, cache: EntityCache, model: str) -> EntityOverview | None:
        """An overview over ``cache``'s summary for ``model``; None if its database cannot be opened."""
        connection = cache.reading_connection()
        return None if connection is None else cls(connection, model)

    @classmethod
    def private(cls) -> EntityOverview:
        """An overview over a temporary database of its own (removed when closed), filled by
        :meth:`add_entities`."""
        connection = sqlite3.connect("", check_same_thread=False, isolation_level=None)
        for statement in entity_summary.SCHEMA:
            connection.execute(statement)
        return cls(connection, PRIVATE_MODEL)

    def close(self) -> None:
        with self._lock:
            self.connection.close()

    def _ask(self, ask: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return ask(self.connection)

    # -- filling ---------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article], should_stop: Callable[[], bool] | None = None) -> int:
        """Put ``articles`` in the overview (their metadata only: no text is read), in batches;
        stops early when ``should_stop()`` says so. Returns how many were added."""
        batch: list[tuple[str, str, str | None, str, int]] = []
        added = 0
        for article_id, sha, date, title in _metadata(articles):
            batch.append((article_id, sha, date, title, self._articles + added))
            added += 1
            if len(batch) >= BATCH:
                self._insert(batch)
                batch = []
                if should_stop is not None and should_stop():
                    break
        self._insert(batch)
        self._articles += added
        self.filled.set()
        return added

    def wait_filled(self, should_stop: Callable[[], bool]) -> bool:
        """Wait until the articles are in (True), or ``should_stop()`` says so first (False)."""
        while not self.filled.wait(0.05):
            if should_stop():
                return False
        return not should_stop()

    def _insert(self, rows: list[tuple[str, str, str | None, str, int]]) -> None:
        if not rows:
            return

        def insert(connection: sqlite3.Connection) -> None:
            connection.execute("BEGIN")
            try:
                connection.executemany("INSERT INTO overview_articles VALUES (?, ?, ?, ?, ?)", rows)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

        self._ask(insert)

    def add_entities(self, text_hash: str, text: str, entities: Iterable[Entity]) -> None:
        """Write the summary of one text's ``entities`` (a private overview's, see :meth:`private`)."""
        rows = summary_rows(text, entities)

        def write(connection: sqlite3.Connection) -> None:
            connection.execute("BEGIN")
            try:
                entity_summary.write_summary(connection, self.model, text_hash, rows)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

        self._ask(write)

    def _texts(self, connection: sqlite3.Connection) -> None:
        """The texts of the articles (those the cache knows) by id, with their weights (articles
        with that text), in ``overview_texts``: made anew for each count, as texts become known
        to the cache while the articles without entities are recognised."""
        connection.execute("DELETE FROM overview_texts")
        connection.execute(
            "INSERT INTO overview_texts SELECT t.id, count(*), min(a.ord) FROM overview_articles a"
            " JOIN texts t ON t.hash = a.text_hash GROUP BY t.id"
        )

    # -- answers ---------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many articles are in the overview."""
        return self._articles

    def unsummarised(self) -> list[str]:
        """The ids of the articles whose text has no summary (of this version) yet, in corpus order."""
        query = (
            "SELECT a.id FROM overview_articles a WHERE NOT EXISTS (SELECT 1 FROM texts t JOIN entity_summarised s"
            f" ON s.text = t.id WHERE t.hash = a.text_hash AND s.model = {MODEL} AND s.version = ?) ORDER BY a.ord"
        )
        return self._ask(lambda c: [row[0] for row in c.execute(query, (self.model, entity_summary.VERSION))])

    def quick(self, articles: Iterable[Article]) -> CorpusTotals | None:
        """The entities of ``articles`` (the ones :meth:`add_articles` is given, in the same order)
        and how many of them have no summary, from the model's totals (see the module); None when
        the cache's totals cannot answer for them quickly (:func:`corpus_totals`). Needs no
        :meth:`add_articles`; the corpus's texts are weighed once and kept for later calls."""
        if self._corpus is None:
            self._corpus = corpus_texts(articles)
        corpus = self._corpus
        return self._ask(lambda c: corpus_totals(c, self.model, corpus))

    def entities(self) -> list[EntityTotal]:
        """Each entity of the articles with its mentions and articles, most mentioned first
        (see :func:`reader.nlp.entity_summary.totals`): from the model's totals once
        :meth:`quick` has weighed the corpus and they can answer, else added up from the
        summary rows of the articles put in by :meth:`add_articles`."""
        corpus = self._corpus
        if corpus is not None:
            found = self._ask(lambda c: corpus_totals(c, self.model, corpus))
            if found is not None:
                return found.entities

        def ask(connection: sqlite3.Connection) -> list[EntityTotal]:
            self._texts(connection)
            return entity_summary.totals_over(connection, self.model, "overview_texts")

        return self._ask(ask)

    def articles(self, key: EntityKey, limit: int | None = None) -> list[MentioningArticle]:
        """The articles that mention the entity ``key``, newest first (then by title, last first,
        then in corpus order),
        at most ``limit`` of them, each with its mentions of it."""
        query = (
            f"SELECT a.id, a.date, a.title, m.mentions FROM ({MENTIONS}) m"
            " JOIN overview_articles a ON a.text_hash = m.text_hash"
            " ORDER BY coalesce(a.date, '') DESC, a.title DESC, a.ord LIMIT ?"
        )
        parameters = (self.model, key[0], key[1], -1 if limit is None else limit)
        return self._ask(lambda c: [MentioningArticle(*row) for row in c.execute(query, parameters)])

    def by_month(self, key: EntityKey) -> dict[str, int]:
        """The mentions of the entity ``key`` by the month (``YYYY-MM``) of its articles' dates;
        articles without a date are left out."""
        query = (
            f"SELECT substr(a.date, 1, 7) AS month, sum(m.mentions) FROM ({MENTIONS}) m"
            " JOIN overview_articles a ON a.text_hash = m.text_hash WHERE coalesce(a.date, '') != ''"
            " GROUP BY month"
        )
        parameters = (self.model, key[0], key[1])
        return self._ask(lambda c: {month: int(count) for month, count in c.execute(query, parameters)})


def _metadata(articles: Iterable[Article]) -> Iterator[tuple[str, str, str | None, str]]:
    """(id, text hash, date, title) of each of ``articles``: from the catalog's rows when they are
    all of a corpus's articles in one of its orders (no article is made), else from each one."""
    if isinstance(articles, OrderRows) and isinstance(articles.catalog, Catalog):
        return articles.catalog.metadata(articles.order)
    return ((article.id, article.sha256, article.date, article.title) for article in articles)


def corpus_texts(articles: Iterable[Article]) -> CorpusTexts:
    """The texts of ``articles`` weighed by their articles: from the catalog by one query when
    they are all of a corpus's articles in one of its orders, else by going through them."""
    if isinstance(articles, OrderRows) and isinstance(articles.catalog, Catalog):
        return CorpusTexts.of(articles.catalog.texts(articles.order))
    return CorpusTexts.counted(article.sha256 for article in articles)


def summary_overview(recognizer: EntityRecognizer) -> EntityOverview | None:
    """An overview from the cache's summary, without articles yet (:meth:`EntityOverview.quick`,
    :meth:`EntityOverview.add_articles`), or None when the summary cannot answer as the
    articles' entities would (no cache, user corrections: see
    :func:`reader.nlp.entity_lookup.summary_cache`) or its database cannot be opened. Raises
    :class:`~reader.nlp.ModelUnavailable` when the model's identity cannot be known."""
    cache = summary_cache(recognizer)
    if cache is None:
        return None
    return EntityOverview.of_cache(cache, recognizer.cache_key)
