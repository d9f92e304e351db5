"""Writing the full-text index (:mod:`reader.corpus.fulltext`): its schema, rows written while
the texts are still being read, and a first build that commits once, complete, at the end.

Two things made a first build slow, measured on 100,000 generated articles (139 MB of text):
FTS5's prefix indexes (``prefix = '2 3'``) wrote every token three times (11 MB/s against 30
without them; a prefix is now looked up through the terms it starts, see
:mod:`reader.corpus.fulltext_best`), and a journal written for a file nobody reads yet. So a
first build (an index with no article) writes a file of its own beside the index, with no
journal and no syncing, and moves it into place when it is done or stopped: a crash leaves only
that file, which the next first build removes; the index is never half written. Later updates
go to the index itself, in WAL mode, readable while they run.

Beside the index of titles and texts, the titles have a small index of their own (no text kept:
the titles are in the first), so ranking the articles with a word in the title needs no scan of
the texts' long lists (:mod:`reader.corpus.fulltext_best`).

The texts are read and normalized on the calling thread while a second thread inserts them:
SQLite lets go of the GIL while FTS5 tokenizes, so the two cores share the work. The inserts are
one statement a few thousand rows (see :func:`_insert`): row by row, the writer waited for the
GIL between rows while the reader ran Python. A first build commits once, with FTS5 gathering
8 MB of terms a segment. On 100,000 articles (139 MB), on an idle 2-core machine, these took a
first build from 16.3 to 26 MB/s.
"""

from __future__ import annotations

import itertools
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reader.corpus.article import Article
from reader.corpus.fulltext_query import normalize

if TYPE_CHECKING:
    from reader.corpus.loader import Corpus

#: Bumped when the schema or the normalization changes: an older file is built again
#: (2: no prefix indexes; 3: the titles' own index).
VERSION = 3
#: Articles written in one transaction (what a cancelled update keeps; progress is reported by batch).
BATCH = 1000
#: Batches read ahead of the writer (memory: a few batches of texts).
AHEAD = 2
#: FTS5's merge settings for a file built here: segments merged 16 at a time (not 4: half the
#: passes over the data, queries as fast), and at most 64 of a size (see :func:`open_first_build`).
AUTOMERGE, CRISISMERGE = 16, 64
#: Bytes of terms FTS5 gathers in memory before writing a segment, in a first build (FTS5's
#: default is 1 MB): fewer, larger segments, fewer merges; 13% faster inserts on 100,000 articles.
FIRST_BUFFER = 8 << 20

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, article_id TEXT UNIQUE NOT NULL, key TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(title, tokenize = 'unicode61 remove_diacritics 2', content = '');
INSERT OR IGNORE INTO meta VALUES ('version', '{VERSION}');
"""

#: Called with (articles done, articles to do) while the index is updated.
Progress = Callable[[int, int], None]


class Indexed:
    """How many articles the index holds, counted as rows are written (the ids themselves are
    not kept: at a million articles they would be a set of some 80 MB; whether one article is
    indexed is asked of the index, :meth:`reader.corpus.fulltext.FullTextIndex.__contains__`)."""

    def __init__(self, count: int = 0) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count


def differences(
    connection: sqlite3.Connection, guard: Callable[[], AbstractContextManager[object]], keys: Iterator[tuple[str, str]]
) -> tuple[list[str], list[str], Indexed]:
    """What an update has to do: the ids whose rows go (gone from the corpus, or changed), the
    ids to index (new or changed), and the ids whose rows stay. ``keys`` are the corpus's
    (id, :func:`row_key`) by id; the index's rows are read by id too, a batch at a time, and the
    two walked side by side, so neither is ever whole in memory."""
    gone: list[str] = []
    todo: list[str] = []
    indexed = Indexed()
    mine = _rows_by_id(connection, guard)
    theirs = next(keys, None)
    row = next(mine, None)
    while row is not None or theirs is not None:
        if theirs is None or (row is not None and row[0] < theirs[0]):
            assert row is not None
            gone.append(row[0])
            row = next(mine, None)
        elif row is None or theirs[0] < row[0]:
            todo.append(theirs[0])
            theirs = next(keys, None)
        else:
            if row[1] == theirs[1]:
                indexed.count += 1
            else:
                gone.append(row[0])
                todo.append(theirs[0])
            row, theirs = next(mine, None), next(keys, None)
    return gone, todo, indexed


def _rows_by_id(
    connection: sqlite3.Connection, guard: Callable[[], AbstractContextManager[object]], batch: int = 5000
) -> Iterator[tuple[str, str]]:
    last = ""
    while True:
        with guard():
            rows = connection.execute(
                "SELECT article_id, key FROM docs WHERE article_id > ? ORDER BY article_id LIMIT ?", (last, batch)
            ).fetchall()
        yield from rows
        if len(rows) < batch:
            return
        last = rows[-1][0]


def row_key(article: Article) -> str:
    """What says an article's indexed row is current: its text's hash and its title."""
    return f"{article.sha256}\n{article.title}"


class Row(NamedTuple):
    """One article as the index writes it: its id, :func:`row_key`, and its title and text
    normalized (:func:`~reader.corpus.fulltext_query.normalize`)."""

    article_id: str
    key: str
    title: str
    text: str


def row_of(article: Article, text: str) -> Row:
    """The row of ``article`` with its ``text``."""
    return Row(article.id, row_key(article), normalize(article.title), normalize(text))


def write_rows(connection: sqlite3.Connection, rows: list[Row], indexed: Indexed, replace: bool = True) -> None:
    """Add ``rows`` in one transaction, replacing any earlier row of each article
    (``replace=False`` when the caller has deleted them already: an update has); ``indexed``
    counts them."""
    with connection:
        insert_rows(connection, rows, indexed, replace)


def insert_rows(connection: sqlite3.Connection, rows: list[Row], indexed: Indexed, replace: bool) -> None:
    """:func:`write_rows` in the caller's transaction."""
    replaced = 0
    if replace:
        for row in rows:
            replaced += delete_row(connection, row.article_id)
    (last,) = connection.execute("SELECT coalesce(max(id), 0) FROM docs").fetchone()
    numbered = list(enumerate(rows, start=last + 1))
    _insert(connection, "docs (id, article_id, key)", [(n, row.article_id, row.key) for n, row in numbered])
    _insert(connection, "fts (rowid, title, body)", [(n, row.title, row.text) for n, row in numbered])
    _insert(connection, "titles (rowid, title)", [(n, row.title) for n, row in numbered])
    indexed.count += len(rows) - replaced


def _insert(connection: sqlite3.Connection, into: str, values: list[tuple[object, ...]]) -> None:
    """``INSERT INTO {into} VALUES`` ``values``, as many rows a statement as SQLite takes
    parameters for. Not ``executemany``: it takes the GIL back between rows, and while the
    reading thread runs Python each row waits for it (on 50,000 articles, inserts ran at 0.2 MB/s
    that way against 26 MB/s in one statement, during which SQLite lets go of the GIL)."""
    if not values:
        return
    width = len(values[0])
    step = max(1, min(BATCH, connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    row = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        connection.execute(
            f"INSERT INTO {into} VALUES " + ",".join([row] * len(chunk)), list(itertools.chain.from_iterable(chunk))
        )


def delete_row(connection: sqlite3.Connection, article_id: str) -> bool:
    """Remove an article's row; False if it had none."""
    row = connection.execute("SELECT id FROM docs WHERE article_id = ?", (article_id,)).fetchone()
    if row is not None:
        # the titles' index keeps no text: a row goes by giving FTS5 the title it was indexed with
        connection.execute(
            "INSERT INTO titles (titles, rowid, title) SELECT 'delete', rowid, title FROM fts WHERE rowid = ?", row
        )
        connection.execute("DELETE FROM fts WHERE rowid = ?", row)
        connection.execute("DELETE FROM docs WHERE id = ?", row)
    return row is not None


def fill(
    connection: sqlite3.Connection,
    texts: Iterable[tuple[Article, str]],
    indexed: Indexed,
    total: int,
    progress: Progress | None,
    should_stop: Callable[[], bool] | None,
    first: bool = False,
) -> bool:
    """Insert ``texts`` (their rows deleted already) in batches of :data:`BATCH`: read and
    normalized here while another thread writes the batches before. True unless stopped; what
    was read before the stop is written all the same. A transaction a batch, so that a stopped
    update keeps what it did; a ``first`` build (a file nobody reads yet) commits once, at the
    end, and FTS5 writes its segments as its buffer fills (:data:`FIRST_BUFFER`), not a few
    a batch."""
    batches: queue.Queue[list[Row] | None] = queue.Queue(maxsize=AHEAD)
    failures: list[BaseException] = []

    def write(batch: list[Row]) -> None:
        if first:
            if not connection.in_transaction:
                connection.execute("BEGIN")
            insert_rows(connection, batch, indexed, replace=False)
        else:
            write_rows(connection, batch, indexed, replace=False)

    def writer() -> None:
        while (batch := batches.get()) is not None:
            if not failures:
                try:
                    write(batch)
                except BaseException as error:  # noqa: BLE001 - raised again on the reading thread
                    failures.append(error)
        if first and connection.in_transaction:
            try:
                connection.rollback() if failures else connection.commit()
            except BaseException as error:  # noqa: BLE001 - raised again on the reading thread
                failures.append(error)

    thread = threading.Thread(target=writer, name="fulltext-writer", daemon=True)
    thread.start()
    done, stopped = 0, False
    rows: list[Row] = []
    try:
        for article, text in texts:
            rows.append(row_of(article, text))
            if len(rows) >= BATCH:
                batches.put(rows)
                done, rows = done + len(rows), []
                if progress is not None:
                    progress(done, total)
            if failures or (should_stop is not None and should_stop()):
                stopped = should_stop is not None and should_stop()
                break
        if rows:
            batches.put(rows)
    finally:
        batches.put(None)
        thread.join()
    if failures:
        raise failures[0]
    return not stopped


# -- a first build, in a file of its own -----------------------------------------------------


def first_build_file(path: Path) -> Path:
    """Where a first build of the index at ``path`` writes (a name of this build's own, so two
    processes, or two builds of one process, never share it); files left by builds of processes
    that died are removed first."""
    for left in path.parent.glob(f"{path.name}.building-*"):
        pid = left.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            left.unlink(missing_ok=True)
    return path.with_name(f"{path.name}.building-{os.getpid()}.{next(_BUILDS)}")


#: Numbers the first builds of this process (their files' names).
_BUILDS = itertools.count(1)


def _alive(pid: int) -> bool:
    """Whether a process of this id runs (one of another user counts as running)."""
    if pid == os.getpid():
        return True  # this process's builds remove their own file when they fail
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def open_first_build(building: Path) -> sqlite3.Connection:
    """A connection to a new index file, tuned for one writer and no reader: no journal, no
    syncing (the file is moved into place only once committed, and synced then)."""
    connection = sqlite3.connect(building, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    # 16 MB of page cache (SQLite's default is 2): at 100,000 articles as fast as 64 MB was
    # (25.4 against 24.7 MB/s), and the build's peak memory 152 MB instead of 204
    connection.execute("PRAGMA cache_size=-16384")
    connection.executescript(SCHEMA)
    # FTS5 merges its segments 4 at a time as it goes: on 100,000 articles those merges took a
    # third of the build's CPU. A first build leaves them (64 segments at most, then a merge),
    # and the finished file merges 16 at a time from its next update on (see finish_first_build).
    connection.execute("INSERT INTO fts (fts, rank) VALUES ('automerge', 0)")
    connection.execute(f"INSERT INTO fts (fts, rank) VALUES ('crisismerge', {CRISISMERGE})")
    connection.execute(f"INSERT INTO fts (fts, rank) VALUES ('hashsize', {FIRST_BUFFER})")
    connection.commit()
    return connection


def finish_first_build(connection: sqlite3.Connection, building: Path, path: Path) -> None:
    """Close the first build's file, sync it and put it in place of ``path`` (with no journal
    left of the file it replaces: a stale WAL must never be replayed over the new file)."""
    with connection:
        connection.execute(f"INSERT INTO fts (fts, rank) VALUES ('automerge', {AUTOMERGE})")
        connection.execute("INSERT INTO fts (fts, rank) VALUES ('hashsize', 1048576)")  # FTS5's own, for updates
    connection.execute("PRAGMA journal_mode=WAL")  # as every later connection has it: readers beside a writer
    connection.close()
    with building.open("rb+") as stream:
        os.fsync(stream.fileno())
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(building, path)


_UPDATES: dict[Path, threading.Lock] = {}
_UPDATES_LOCK = threading.Lock()


def updating(path: Path | None) -> AbstractContextManager[object]:
    """The lock of the index at ``path`` in this process: an update that was cancelled (the
    corpus refreshed, a screen left) finishes its batch before the next one starts."""
    if path is None:
        return nullcontext()
    with _UPDATES_LOCK:
        return _UPDATES.setdefault(path, threading.Lock())


def articles_of(corpus: Corpus, ids: list[str]) -> list[Article]:
    """The articles ``ids`` of ``corpus``, newest first (what an update indexes first)."""
    newest_first = [article_id for _, article_id, _ in sorted(corpus.catalog.ranked("date", ids))]
    found: list[Article] = []
    for start in range(0, len(newest_first), 5000):
        chunk = newest_first[start : start + 5000]
        by_id = corpus.catalog.rows_by_ids(chunk)
        found.extend(by_id[article_id] for article_id in chunk if article_id in by_id)
    return found


def ids_of(connection: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
    """Article id by FTS rowid, for ``rowids``."""
    found: dict[int, str] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(connection.execute(f"SELECT id, article_id FROM docs WHERE id IN ({marks})", chunk))
    return found
