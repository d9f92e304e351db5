"""The corpus catalog: every file and article of a corpus in one SQLite file, so that listing a
corpus of a million articles neither reads a file nor holds the list in memory.

It replaces the JSON index of earlier versions (:mod:`reader.corpus.index` keeps the record
types). One file a corpus, ``catalog.sqlite3`` in the corpus's cache folder:

- ``files``: each file by path relative to the root, its size and modification time (what tells
  it changed without reading it), the encoding it was read with, and why it (or a part of it)
  could not be read;
- ``articles``: each article's id, title (inert), folded title, date, text hash, source, url and
  where it is in its file;
- ``by_date`` and ``by_title``: the two orders the library shows, materialised (rank to article),
  so the rows of any window are found by rank in O(log n), never by OFFSET;
- ``details``: what tells apart articles whose titles are the same (:mod:`reader.corpus.titles`).

Updates replace the rows of changed files in one transaction, then rebuild the orders. Readers
(:mod:`reader.corpus.rows`) hold one read transaction for the life of a corpus value, so a
refresh writing a new version (WAL) never changes the rows of the list on screen.

A cache, like the others: a file that is not a catalog (damaged, truncated, another format) is set
aside (:mod:`reader.disposable`) and built again; one that cannot be written is kept in memory
for this run (the next start reads every file again).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reader.corpus.article import Article
from reader.corpus.catalog_update import Update, rebuild_orders
from reader.disposable import set_aside

CATALOG_NAME = "catalog.sqlite3"
FORMAT = "reader-corpus-catalog"
VERSION = "1"
#: What the JSON index of earlier versions was called: removed once the catalog is written.
OLD_INDEX_NAMES = ("index.json", "index.marshal")
#: The two orders the library shows, by their table.
ORDERS = {"date": "by_date", "title": "by_title"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    encoding TEXT, unreadable TEXT, problems TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_with_problems ON files (name) WHERE unreadable IS NOT NULL OR problems != '[]';
CREATE TABLE IF NOT EXISTS articles (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, title TEXT NOT NULL,
    title_fold TEXT NOT NULL, title_case TEXT NOT NULL, date TEXT, sha256 TEXT NOT NULL,
    source TEXT, url TEXT, key TEXT, locator INTEGER, encoding TEXT
);
CREATE INDEX IF NOT EXISTS articles_file ON articles (file);
CREATE INDEX IF NOT EXISTS articles_sha256 ON articles (sha256);
CREATE TABLE IF NOT EXISTS by_date (rank INTEGER PRIMARY KEY, row INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS by_title (rank INTEGER PRIMARY KEY, row INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS by_date_row ON by_date (row);
CREATE INDEX IF NOT EXISTS by_title_row ON by_title (row);
CREATE TABLE IF NOT EXISTS details (id TEXT PRIMARY KEY, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skipped (name TEXT NOT NULL, reason TEXT NOT NULL);
"""

#: The columns an :class:`Article` is made from, in :func:`article_of`'s order.
ARTICLE_COLUMNS = "a.id, a.title, a.date, a.file, a.sha256, a.source, a.url, a.locator, a.encoding"


class Catalog:
    """The catalog of one corpus root: at ``folder / CATALOG_NAME``, or in memory (``folder``
    None, or a folder that cannot be written).

    One connection, shared by the threads of the app under a lock (a page of rows takes well
    under a millisecond). After :meth:`update` it holds a read transaction: what it gives stays
    as it was then, whatever a later update writes.
    """

    def __init__(self, folder: Path | None, root: Path) -> None:
        self.root = root
        self.prefix = f"{root}{os.sep}"
        self.path = None if folder is None else folder / CATALOG_NAME
        self.lock = threading.RLock()
        self.db = self._connect()

    # -- opening ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self.path is not None:
            try:
                return self._prepared(self.path)
            except sqlite3.DatabaseError as error:  # not a catalog: set aside, start afresh
                self._set_aside(f"it is not a catalog SQLite can read: {error}")
                try:
                    return self._prepared(self.path)
                except (sqlite3.Error, OSError):
                    pass
            except (sqlite3.Error, OSError):  # the cache folder cannot be written: this run only
                pass
            self.path = None
        return self._prepared(None)

    def _prepared(self, path: Path | None) -> sqlite3.Connection:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(":memory:" if path is None else path, isolation_level=None, check_same_thread=False)
        try:
            if path is not None:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
            found = dict(db.execute("SELECT key, value FROM meta"))
            if found.get("format") != FORMAT or found.get("version") != VERSION or found.get("root") != str(self.root):
                self._clear(db)
        except BaseException:
            db.close()
            raise
        return db

    def _clear(self, db: sqlite3.Connection) -> None:
        """Empty a catalog of another version or root (everything is read anew)."""
        db.execute("BEGIN IMMEDIATE")
        for table in ("files", "articles", "by_date", "by_title", "details", "skipped", "meta"):
            db.execute(f"DELETE FROM {table}")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", FORMAT), ("version", VERSION), ("root", str(self.root)), ("scanned_ns", "0")],
        )
        db.execute("COMMIT")

    def _set_aside(self, reason: str) -> None:
        assert self.path is not None
        set_aside(self.path, reason)
        for suffix in ("-wal", "-shm"):  # a stale log must not be replayed into the new file
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # -- what the last scan knew -----------------------------------------------------------

    def scanned_ns(self) -> int:
        """When the last scan recorded started (0: never)."""
        with self.lock:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'scanned_ns'").fetchone()
        return int(found[0]) if found else 0

    @property
    def scanned(self) -> bool:
        """Whether a scan was ever recorded (else the catalog is new: every file is to be read)."""
        with self.lock:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'scanned_ns'").fetchone()
        return found is not None and int(found[0]) > 0

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def updating(self, scanned_ns: int) -> Iterator[Update]:
        """One transaction that replaces the rows of files read anew and drops those of files
        gone (through the :class:`Update` given), then rebuilds the orders if anything changed.
        Afterwards the catalog holds the new version (:meth:`hold`)."""
        with self.lock:
            db = self.db
            if db.in_transaction:
                db.execute("COMMIT")  # the read transaction of the last version
            db.execute("BEGIN IMMEDIATE")
            update = Update(db)
            try:
                yield update
                db.execute("UPDATE meta SET value = ? WHERE key = 'scanned_ns'", (str(scanned_ns),))
                if update.touched:
                    rebuild_orders(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            finally:
                self.hold()
            if self.path is not None:
                for name in OLD_INDEX_NAMES:
                    (self.path.parent / name).unlink(missing_ok=True)

    def hold(self) -> None:
        """Start the read transaction that keeps this version for the life of the corpus."""
        with self.lock:
            if not self.db.in_transaction:
                self.db.execute("BEGIN")
                self.db.execute("SELECT 1 FROM meta LIMIT 1").fetchone()

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        with self.lock:
            return int(self.db.execute("SELECT coalesce(max(rank), 0) FROM by_date").fetchone()[0])  # ranks run 1..n

    def problems(self) -> list[tuple[str, str]]:
        """(file name, reason) for each file, or part of one, that could not be read."""
        found: list[tuple[str, str]] = []
        with self.lock:
            rows = self.db.execute(
                "SELECT name, unreadable, problems FROM files WHERE unreadable IS NOT NULL OR problems != '[]'"
            ).fetchall()
        for name, unreadable, problems in rows:
            if unreadable is not None:
                found.append((name, unreadable))
            else:
                found.extend((name, reason) for reason in json.loads(problems))
        return found + self.query("SELECT name, reason FROM skipped")

    def details(self) -> dict[str, str]:
        """What tells apart articles with the same title, by id (only those that share one)."""
        with self.lock:
            return dict(self.db.execute("SELECT id, detail FROM details"))

    def query(self, sql: str, parameters: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read (under the lock: the connection is shared by threads)."""
        with self.lock:
            return self.db.execute(sql, tuple(parameters)).fetchall()

    def article_of(self, row: tuple[Any, ...]) -> Article:
        """The article of a row of :data:`ARTICLE_COLUMNS`."""
        article_id, title, date, file, sha256, source, url, locator, encoding = row
        return Article(
            article_id,
            title,
            date,
            self.prefix + file if os.sep == "/" else str(self.root / file),
            sha256=sha256,
            source=source,
            url=url,
            locator=locator,
            encoding=encoding,
        )

    def get(self, article_id: str) -> Article | None:
        rows = self.query(f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,))
        return self.article_of(rows[0]) if rows else None

    def keys_by_id(self, batch: int = 5000) -> Iterator[tuple[str, str]]:
        """(id, text hash and title) of every article, by id, a batch at a time: what the
        full-text index compares its rows with (:func:`reader.corpus.fulltext_build.differences`)."""
        last = ""
        while True:
            rows = self.query(
                "SELECT id, sha256 || char(10) || title FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1][0]

    def in_file(self, name: str) -> list[Article]:
        """The articles of the file ``name`` (relative to the root, with ``/``), in file order."""
        rows = self.query(f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.file = ? ORDER BY a.row", (name,))
        return [self.article_of(row) for row in rows]

    def rows_by_rank(self, order: str, first: int, last: int) -> list[Article]:
        """The articles ranked ``first`` to ``last`` (0-based, ``last`` excluded) in ``order``."""
        table = ORDERS[order]
        rows = self.query(
            f"SELECT {ARTICLE_COLUMNS} FROM {table} o JOIN articles a ON a.row = o.row"
            " WHERE o.rank > ? AND o.rank <= ? ORDER BY o.rank",
            (first, last),
        )
        return [self.article_of(row) for row in rows]

    def rows_by_ids(self, ids: list[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            for row in self.query(f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id IN ({marks})", chunk):
                found[row[0]] = self.article_of(row)
        return found

    def with_hashes(self, order: str, hashes: list[str]) -> list[tuple[int, Article]]:
        """(rank, article) of every article whose text hash is one of ``hashes``, by its rank
        (0-based) in ``order``: what a stream of texts by hash is matched with, a batch at a time."""
        table = ORDERS[order]
        found: list[tuple[int, Article]] = []
        for chunk in _chunks(list(dict.fromkeys(hashes))):  # each hash once: an article once
            marks = ",".join("?" * len(chunk))
            rows = self.query(
                f"SELECT {ARTICLE_COLUMNS}, o.rank - 1 FROM articles a JOIN {table} o ON o.row = a.row"
                f" WHERE a.sha256 IN ({marks})",
                chunk,
            )
            found.extend((row[-1], self.article_of(row[:-1])) for row in rows)
        found.sort(key=_first)
        return found

    def rank_of(self, order: str, article_id: str) -> int | None:
        """Where ``article_id`` is in ``order`` (0-based), or None if it is not in the corpus."""
        table = ORDERS[order]
        rows = self.query(
            f"SELECT o.rank FROM articles a JOIN {table} o ON o.row = a.row WHERE a.id = ?", (article_id,)
        )
        return int(rows[0][0]) - 1 if rows else None

    def ranked(self, order: str, ids: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
        """(rank, id, date) of each of ``ids`` in the corpus, in no set order."""
        table = ORDERS[order]
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT o.rank - 1, a.id, a.date FROM articles a JOIN {table} o ON o.row = a.row WHERE a.id IN ({marks})"
            yield from self.query(sql, chunk)

    def every(self, order: str, batch: int = 20_000) -> Iterator[tuple[int, str, str | None]]:
        """(rank, id, date) of every article in ``order``, read a batch at a time."""
        return self._in_order(order, "o.rank - 1, a.id, a.date", batch)

    def metadata(self, order: str, batch: int = 20_000) -> Iterator[tuple[str, str, str | None, str]]:
        """(id, text hash, date, title) of every article in ``order``, a batch at a time, without
        making an :class:`Article` of each: what the entity index puts in a table of its own."""
        return self._in_order(order, "a.id, a.sha256, a.date, a.title", batch)

    def _in_order(self, order: str, columns: str, batch: int) -> Iterator[Any]:
        """``columns`` of every article in ``order`` (``o``: its order table, ``a``: articles),
        read ``batch`` ranks at a time."""
        table = ORDERS[order]
        start = 0
        while True:
            rows = self.query(
                f"SELECT {columns} FROM {table} o JOIN articles a ON a.row = o.row"
                " WHERE o.rank > ? AND o.rank <= ? ORDER BY o.rank",
                (start, start + batch),
            )
            yield from rows
            if len(rows) < batch:
                return
            start += batch

    def texts(self, order: str) -> list[tuple[str, int, int]]:
        """(text hash, how many articles have that text, the 0-based rank of the first of them in
        ``order``) of every text, in the order of the first: what the entity index weighs texts by."""
        table = ORDERS[order]
        return self.query(
            f"SELECT a.sha256, count(*), min(o.rank) - 1 AS first FROM articles a JOIN {table} o ON o.row = a.row"
            " GROUP BY a.sha256 ORDER BY first"
        )

    def ranks_under(self, order: str, prefix: str) -> array[int]:
        """The ranks (ascending) of the articles whose ids start with ``prefix``."""
        table = ORDERS[order]
        rows = self.query(
            f"SELECT o.rank - 1 FROM articles a JOIN {table} o ON o.row = a.row WHERE substr(a.id, 1, ?) = ?",
            (len(prefix), prefix),
        )
        return array("q", sorted(rank for (rank,) in rows))

    def title_matches(self, terms: list[str]) -> set[str]:
        """The ids whose folded title holds every one of ``terms`` (folded)."""
        if not terms:
            return {row[0] for row in self.query("SELECT id FROM articles")}
        where = " AND ".join("instr(title_fold, ?) > 0" for _ in terms)
        return {row[0] for row in self.query(f"SELECT id FROM articles WHERE {where}", terms)}


def _first(pair: tuple[int, Article]) -> int:
    return pair[0]


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
