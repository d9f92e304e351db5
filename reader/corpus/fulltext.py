"""The full-text index of a corpus: SQLite FTS5 on disk, ranked, with phrases and prefixes.

One file a corpus, beside its metadata index in the cache folder (``fulltext.sqlite3``). Each
article is a row of title and text, keyed by its id and the hash of its text (and its title), so
an update adds what is new or changed and deletes what went, and never reads an unchanged file.
The tokenizer is ``unicode61`` with ``remove_diacritics 2``: case and accents are ignored.
Queries (:mod:`reader.corpus.fulltext_query`) rank by BM25 with the title weighted above the
text, and give a snippet with the matched words marked.

Like every cache here it is disposable: a file that is not an index (damaged, truncated, another
format) is set aside (:mod:`reader.disposable`) and built again. Building takes a while on a
large corpus, so :meth:`FullTextIndex.update` reports progress, stops when asked (keeping what
it did) and runs in a worker; reading goes on meanwhile (SQLite's WAL lets queries run beside it;
a first build is written aside and moved into place: :mod:`reader.corpus.fulltext_build`).
Memory does not grow with the corpus: the texts stay on disk; only the ids indexed are kept.
A keystroke asks :meth:`FullTextIndex.best` (:mod:`reader.corpus.fulltext_best`): the best few
and the count, in bounded time; :meth:`~FullTextIndex.matching` and
:meth:`~FullTextIndex.ranked` give every match (tens to hundreds of ms at 100,000 articles).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.corpus import fulltext_build as build
from reader.corpus.article import Article
from reader.corpus.fulltext_best import Keystrokes
from reader.corpus.fulltext_build import Progress as Progress
from reader.corpus.fulltext_query import fts_query
from reader.corpus.fulltext_texts import texts_to_index
from reader.disposable import set_aside

if TYPE_CHECKING:
    from reader.corpus.loader import Corpus

FULLTEXT_NAME = "fulltext.sqlite3"
#: BM25 weights of the title and text columns: a word in the title counts ten times one in the text.
TITLE_WEIGHT, TEXT_WEIGHT = 10.0, 1.0
#: How many queries' rankings are kept (each is at most the corpus's ids).
RECENT = 8
#: Up to this many matches are all ranked by BM25; above it, only those matching in the title.
RANK_ALL = 5_000


@dataclass(frozen=True)
class Hit:
    """One article found: its id, its score (higher is better) and a snippet with the matched
    words between the marks asked for."""

    article_id: str
    score: float
    snippet: str


class FullTextIndex:
    """The FTS5 index of one corpus, at ``path`` (None: in memory, for a corpus without a cache
    folder). Safe to query from one thread while another updates."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._reader: sqlite3.Connection | None = None
        #: A file's second reading connection, for snippets drawn by a worker (so the list's
        #: drawing and a keystroke's query never wait on each other), and its lock.
        self._snippet_reader: sqlite3.Connection | None = None
        self._snippet_lock = threading.RLock()
        #: How many articles are indexed, as of the last update or open (unreadable ones are not).
        self.ids = build.Indexed()
        #: Why the index was found damaged and built again, if it was.
        self.damage: str | None = None
        #: The last few queries' ranked ids, newest last (typing asks for a query's set and its
        #: order; a backspace goes back to a query met just before).
        self._recent: dict[str, tuple[set[str], list[str]]] = {}
        #: Article id by FTS rowid, loaded at the first query (queries then need no join).
        #: What keystrokes keep between calls of :meth:`best`.
        self._keys = Keystrokes()
        self._snippet_keys = Keystrokes()  # the snippet connection's own (another thread's)

    @classmethod
    def of(cls, corpus: Corpus) -> FullTextIndex:
        """The index of ``corpus``, in its cache folder (in memory if it has none)."""
        return cls(None if corpus.index_dir is None else corpus.index_dir / FULLTEXT_NAME)

    # -- connections ------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """A connection with the schema in place; a damaged or older file set aside first."""
        if self.path is None:
            if self._reader is None:
                self._reader = sqlite3.connect(":memory:", check_same_thread=False)
                self._reader.executescript(build.SCHEMA)
            return self._reader
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._prepared(self.path)
        except sqlite3.DatabaseError as error:
            self._set_aside(f"{type(error).__name__}: {error}")
            return self._prepared(self.path)

    def _prepared(self, path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "PRAGMA synchronous=NORMAL"
            )  # a cache: a power cut may lose the last batch, never corrupt
            connection.executescript(build.SCHEMA)
            (version,) = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if version != str(build.VERSION):
                raise sqlite3.DatabaseError(f"index version {version}, not {build.VERSION}")
            connection.execute("SELECT count(*) FROM docs").fetchone()
        except BaseException:
            connection.close()
            raise
        return connection

    def _set_aside(self, reason: str) -> None:
        """Move the damaged file (and its journal) away so the next open starts afresh."""
        assert self.path is not None
        self.close()
        self.damage = reason
        set_aside(self.path, f"the full-text index cannot be read: {reason}")
        for suffix in ("-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)  # if it could not be moved

    def _connection(self) -> sqlite3.Connection:
        """The connection queries use (opened on first use)."""
        with self._lock:
            if self._reader is None:
                self._reader = self._open()
            return self._reader

    def _guard(self) -> AbstractContextManager[object]:
        """What a write holds: the lock for the one in-memory connection; nothing for a file,
        whose writer has its own connection."""
        return self._lock if self.path is None else nullcontext()

    def close(self) -> None:
        """Close the query connection (an in-memory index is lost)."""
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            self._recent, self._keys = {}, Keystrokes()
        with self._snippet_lock:
            if self._snippet_reader is not None:
                self._snippet_reader.close()
                self._snippet_reader = None
            self._snippet_keys = Keystrokes()

    # -- updating ---------------------------------------------------------------------------

    def update(
        self, corpus: Corpus, progress: Progress | None = None, should_stop: Callable[[], bool] | None = None
    ) -> bool:
        """Bring the index in line with ``corpus``: rows of articles gone or changed deleted,
        new and changed ones added. True when done; False when ``should_stop`` said to stop
        (what was written stays). A damaged index is set aside and built again from scratch."""
        with build.updating(self.path):  # one update of a file at a time: a cancelled one ends first
            try:
                return self._update(corpus, progress, should_stop)
            except sqlite3.DatabaseError as error:
                if self.path is None:
                    raise
                self._set_aside(f"{type(error).__name__}: {error}")
                return self._update(corpus, progress, should_stop)

    def _update(self, corpus: Corpus, progress: Progress | None, should_stop: Callable[[], bool] | None) -> bool:
        connection = self._open() if self.path is not None else self._connection()
        building: Path | None = None
        try:
            with self._guard():
                first = connection.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None
            if first and self.path is not None:  # a first build: in a file of its own
                connection.close()
                building = build.first_build_file(self.path)
                connection = build.open_first_build(building)
            todo: list[Article] | None = None  # a first build: every article, read straight from the text store
            if building is not None:
                indexed, total = build.Indexed(), len(corpus.articles)
            else:
                gone, todo_ids, indexed = build.differences(connection, self._guard, corpus.catalog.keys_by_id())
                todo, total = build.articles_of(corpus, todo_ids), len(todo_ids)
                with self._guard(), connection:
                    for article_id in gone:
                        build.delete_row(connection, article_id)
            if progress is not None:
                progress(0, total)
            texts = texts_to_index(corpus, todo, should_stop)
            with self._guard():
                done = build.fill(connection, texts, indexed, total, progress, should_stop, first=building is not None)
            if building is not None:
                assert self.path is not None
                with self._lock, self._snippet_lock:
                    self.close()  # the next query opens the new file
                    build.finish_first_build(connection, building, self.path)
                building = None
            if progress is not None and done:
                progress(total, total)
            self._forget(indexed)
            return done
        finally:
            if connection is not self._reader:
                connection.close()
            if building is not None:
                building.unlink(missing_ok=True)

    def _forget(self, indexed: build.Indexed) -> None:
        """After a write: the ids indexed now, and nothing kept from queries before."""
        self.ids, self._recent = indexed, {}
        self._keys, self._snippet_keys = Keystrokes(), Keystrokes()

    def add(self, rows: Iterable[tuple[Article, str]]) -> None:
        """Index these articles with these texts now (replacing any earlier row of each)."""
        connection = self._open() if self.path is not None else self._connection()
        try:
            indexed = build.Indexed(len(self.ids))
            with self._guard():
                build.write_rows(connection, [build.row_of(article, text) for article, text in rows], indexed)
            self._forget(indexed)
        finally:
            if connection is not self._reader:
                connection.close()

    def load_ids(self) -> set[str]:
        """The ids indexed now (their number kept in :attr:`ids`), without updating anything."""
        with self._lock:
            ids = {article_id for (article_id,) in self._connection().execute("SELECT article_id FROM docs")}
        self.ids = build.Indexed(len(ids))
        return ids

    # -- queries ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, article_id: object) -> bool:
        """Whether ``article_id`` has a row (asked of the index: the ids are not kept)."""
        if not isinstance(article_id, str) or not len(self.ids):
            return False
        with self._lock:
            try:
                found = self._connection().execute("SELECT 1 FROM docs WHERE article_id = ?", (article_id,))
                return found.fetchone() is not None
            except sqlite3.DatabaseError:
                return False

    def ranked(self, query: str) -> list[str]:
        """The ids of the articles matching ``query`` (as typed: see
        :func:`~reader.corpus.fulltext_query.fts_query`), best first by BM25.

        When more than :data:`RANK_ALL` articles match (a word in nearly every article), scoring
        them all would take a large corpus hundreds of milliseconds a keystroke: then only the
        articles with every word in the title are ranked, and the other matches are left out
        here (:meth:`matching` has them all; the library lists them after, newest first)."""
        return self._found(query)[1]

    def matching(self, query: str, among: Iterable[str] | None = None) -> set[str]:
        """The ids (of ``among``, or of every article) matching ``query``."""
        found = self._found(query)[0]
        return found if among is None else found.intersection(among)

    def best(self, query: str, limit: int) -> tuple[list[str], int | None]:
        """What a keystroke needs: the ids of the best ``limit`` matches of ``query`` (as typed),
        best first, and how many articles match, None when more than
        :data:`~reader.corpus.fulltext_best.COUNT_CAP` (counting further costs a keystroke too much).

        In bounded time whatever the corpus (under 10 ms at 100,000 articles; see
        :mod:`reader.corpus.fulltext_best`): every match is ranked by BM25 when at most
        :data:`~reader.corpus.fulltext_best.RANK_ALL` match; above that, the best of the first
        :data:`~reader.corpus.fulltext_best.CANDIDATES` articles with every word in the title
        come first, then the other matches in the index's order (newest first after a first
        build). ``([], 0)`` for a query with no word."""
        expression = fts_query(query)
        if not expression or limit <= 0:
            return [], 0
        with self._lock:
            try:
                connection = self._connection()
                rowids, count = self._keys.best(connection, expression, limit)
                id_of = build.ids_of(connection, rowids)  # these only: no map of the whole index in memory
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                return [], 0
        return [id_of[rowid] for rowid in rowids if rowid in id_of], count

    def _found(self, query: str) -> tuple[set[str], list[str]]:
        """Every id matching ``query``, and those ranked (see :meth:`ranked`); kept for a while."""
        expression = fts_query(query)
        if not expression:
            return set(), []
        if (earlier := self._recent.get(expression)) is not None:
            return earlier
        rank = f"ORDER BY bm25(fts, {TITLE_WEIGHT}, {TEXT_WEIGHT})"
        with self._lock:
            try:
                connection = self._connection()
                terms = self._keys.expanded(connection, expression)  # read lazily, not merged first
                if terms is None:
                    return set(), []
                # ids joined to the matches, not mapped through a map of the whole index kept in
                # memory (some 100 MB at a million articles): 86 against 53 ms for 87,000 matches
                select = "SELECT d.article_id FROM {0} JOIN docs d ON d.id = {0}.rowid WHERE {0} MATCH ?"
                matched = [article_id for (article_id,) in connection.execute(select.format("fts"), (terms,))]
                # Few enough to rank them all; else only those with every word in the title, in
                # the titles' own index (its lists are short: scoring reads no text's list).
                if len(matched) <= RANK_ALL:
                    cursor = connection.execute(f"{select.format('fts')} {rank}", (terms,))
                else:
                    cursor = connection.execute(f"{select.format('titles')} ORDER BY bm25(titles)", (terms,))
                ranked = [article_id for (article_id,) in cursor]
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                return set(), []
        known = (set(matched), ranked)
        self._recent[expression] = known
        while len(self._recent) > RECENT:
            del self._recent[next(iter(self._recent))]
        return known

    def hits(self, query: str, limit: int | None = None, marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
        """The best ``limit`` (or all) matches of ``query`` with their score and a snippet of
        about a dozen words around the matches, each matched word between ``marks``."""
        expression = fts_query(query)
        if not expression:
            return []
        with self._lock:
            try:
                cursor = self._connection().execute(
                    f"SELECT docs.article_id, -bm25(fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}),"
                    " snippet(fts, -1, ?, ?, '\u2026', 16)"
                    " FROM fts JOIN docs ON docs.id = fts.rowid WHERE fts MATCH ?"
                    f" ORDER BY bm25(fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}) LIMIT ?",
                    (marks[0], marks[1], expression, -1 if limit is None else limit),
                )
                return [Hit(article_id, score, " ".join(snippet.split())) for article_id, score, snippet in cursor]
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                return []

    def snippets(
        self, query: str, article_ids: Iterable[str], marks: tuple[str, str], words: int = 12
    ) -> dict[str, str]:
        """A snippet of about ``words`` words for each of ``article_ids`` that matches ``query``,
        each matched word between ``marks``: one query for the rows a list draws (not the corpus),
        so it costs the same on 100 articles as on 100,000. A file's index answers on a
        connection of its own, so a worker may ask while the UI thread searches."""
        expression = fts_query(query)
        wanted = list(dict.fromkeys(article_ids))
        if not expression or not wanted:
            return {}
        places = ",".join("?" * len(wanted))
        # Each row is sought by rowid, with the last prefix written as the terms it starts: a
        # prefix FTS5 merges would be merged again at each seek (270 ms for 20 rows at 100,000
        # articles), so when it cannot be written so, the matches are read once and filtered
        # (``+`` keeps SQLite from seeking).
        with self._lock if self.path is None else self._snippet_lock:
            try:
                if self.path is None:
                    connection = self._connection()
                else:
                    if self._snippet_reader is None:
                        self._snippet_reader = self._prepared(self.path)
                    connection = self._snippet_reader
                terms = self._snippet_keys.expanded(connection, expression)
                if terms is None:
                    return {}
                rowid = "+rowid" if terms.endswith("*") else "rowid"
                select = f"SELECT id, article_id FROM docs WHERE article_id IN ({places})"
                article_of = dict(connection.execute(select, wanted).fetchall())
                cursor = connection.execute(
                    f"SELECT rowid, snippet(fts, -1, ?, ?, '\u2026', ?) FROM fts"
                    f" WHERE fts MATCH ? AND {rowid} IN ({','.join('?' * len(article_of))})",
                    (marks[0], marks[1], words, terms, *article_of),
                )
                return {article_of[row]: " ".join(snippet.split()) for row, snippet in cursor}
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                return {}

    def _damaged(self, error: sqlite3.DatabaseError) -> None:
        """A query met damage: set the file aside (the next update builds it again)."""
        if self.path is None:
            raise error
        self._set_aside(f"{type(error).__name__}: {error}")
        self.ids = build.Indexed()
