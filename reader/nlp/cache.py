"""A disk cache of entities, keyed by the text's hash and the model's name and version.

A second open of an article (or a second run of reader) shows its entities at once, and a new
model version never serves stale results. The cache is one SQLite file (``entities.sqlite3`` in
the cache folder), so a million articles are a million rows, not a million small files; it is
engine-neutral: ``reader ner`` with processes or on a Dask cluster and the app all write the
same rows. Entries of the former layout (one JSON file an article, ``MODEL/ab/HASH.json``) are
moved into it the first time they are read. Its tables (format 3: model names and text hashes
kept once, by id; each model's entity totals) are in :mod:`reader.nlp.cache_schema`, which
migrates an older database in place. A damaged cache is set aside and started anew; a damaged entry is a miss. A cache that cannot be read or written only costs speed, never an error.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from reader.nlp import cache_schema, entity_summary
from reader.nlp.entity_summary import EntityTotal, summary_rows
from reader.nlp.model import Entity

T = TypeVar("T")

#: The cache's file in its folder.
DATABASE = "entities.sqlite3"

#: Seconds a write waits for another process's (reader ner while the app runs) before giving up.
BUSY_SECONDS = 10.0


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EntityCache:
    """Entities by (model identity, text hash) in one SQLite file in ``folder``; safe to share
    between the threads of a process (one connection behind a lock) and between processes (WAL)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DATABASE
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    # -- the database ----------------------------------------------------------------------

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        """The connection, opened on first use; None when there is no cache yet and ``create`` is
        False (a read never creates one). A file that is not a sound database is set aside."""
        if self._connection is not None:
            return self._connection
        if not create and not self.path.exists():
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            connection = self._connect()
        except sqlite3.DatabaseError:
            self._set_aside()
            if not create:
                return None
            connection = self._connect()
        self._connection = connection
        return connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, check_same_thread=False, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last writes to a crash is fine
            cache_schema.prepare(connection)
        except sqlite3.Error:  # damaged (set aside by the caller), or of a newer format (left alone)
            connection.close()
            raise
        return connection

    def _set_aside(self) -> None:
        """Move a damaged database out of the way (kept as ``.damaged``, for a look), so a new one
        can be made."""
        for suffix in ("-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        try:
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))
        except OSError:
            self.path.unlink(missing_ok=True)

    def _damaged(self) -> None:
        """Forget a connection whose database turned out damaged, and set the file aside."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._set_aside()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # -- entries ---------------------------------------------------------------------------

    def get(self, text: str, model_identity: str) -> list[Entity] | None:
        """The entities cached for ``text`` and the model, else None (also for a damaged entry)."""
        key = text_hash(text)
        with self._lock:
            try:
                connection = self._open(create=False)
                row = None
                if connection is not None:
                    row = connection.execute(
                        "SELECT e.records FROM entities e JOIN texts t ON t.id = e.text"
                        f" WHERE e.model = {entity_summary.MODEL} AND t.hash = ?",
                        (model_identity, key),
                    ).fetchone()
            except sqlite3.DatabaseError:
                self._damaged()
                row = None
            except sqlite3.Error:  # locked for longer than BUSY_SECONDS, or the like
                row = None
        if row is not None:
            entities = _entities(row[0])
            if entities is None:
                self._forget(key, model_identity)
            else:
                self._summarise(key, model_identity, text, entities)
            return entities
        return self._migrated(key, model_identity, text)

    def put(self, text: str, model_identity: str, entities: list[Entity]) -> None:
        """Keep the entities of ``text`` and their summary (:mod:`reader.nlp.entity_summary`), in
        one transaction; a cache that cannot be written only costs speed."""
        records = json.dumps([entity.to_record() for entity in entities])
        self._put(text_hash(text), model_identity, records, summary_rows(text, entities))

    def put_many(self, model_identity: str, found: Iterable[tuple[str, list[Entity]]]) -> None:
        """:meth:`put` for many texts (text, entities) in one transaction: a batch of ``reader
        ner``'s, or a benchmark's corpus, without a commit for each."""
        entries = [
            (text_hash(text), json.dumps([entity.to_record() for entity in entities]), summary_rows(text, entities))
            for text, entities in found
        ]
        self._write(model_identity, entries)

    def _put(
        self, key: str, model_identity: str, records: str | None, rows: list[entity_summary.Row] | None = None
    ) -> None:
        """Write an entry (unless ``records`` is None: its summary alone) with its summary rows
        (unless ``rows`` is None)."""
        self._write(model_identity, [(key, records, rows)])

    def _write(
        self, model_identity: str, entries: Sequence[tuple[str, str | None, list[entity_summary.Row] | None]]
    ) -> None:
        """Write (key, records, summary rows) entries in one transaction; None leaves that part
        alone. A damaged cache is set aside; one that cannot be written only costs speed."""
        with self._lock:
            try:
                connection = self._open(create=True)
                if connection is None:
                    return
                connection.execute("BEGIN IMMEDIATE")
                try:
                    for key, records, rows in entries:
                        if records is not None:
                            _write_entry(connection, model_identity, key, records)
                        if rows is not None:
                            entity_summary.write_summary(connection, model_identity, key, rows)
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            except sqlite3.DatabaseError:
                self._damaged()
            except (sqlite3.Error, OSError):
                pass

    def _forget(self, key: str, model_identity: str) -> None:
        """Drop a damaged entry: a miss from now on, not an entry to read (and fail on) again."""
        query = (
            f"DELETE FROM entities WHERE model = {entity_summary.MODEL}"
            " AND text = (SELECT id FROM texts WHERE hash = ?)"
        )
        self._query(lambda c: c.execute(query, (model_identity, key)), None)

    def _summarise(self, key: str, model_identity: str, text: str, entities: list[Entity]) -> None:
        """Write the summary of an entry that has none yet (cached before there were summaries, or
        by an older :data:`~reader.nlp.entity_summary.VERSION`)."""
        with self._lock:
            try:
                connection = self._open(create=False)
                if connection is None or entity_summary.is_summarised(connection, model_identity, key):
                    return
            except sqlite3.Error:
                return
        self._put(key, model_identity, None, summary_rows(text, entities))

    # -- the summary: answers without decoding entries ---------------------------------------

    def summarised(self, model_identity: str, shas: list[str]) -> set[str]:
        """Which of the text hashes ``shas`` have their entity summary written (for this model)."""
        return self._query(lambda c: entity_summary.summarised_among(c, model_identity, shas), set())

    def cached_among(self, model_identity: str, shas: list[str]) -> set[str]:
        """Which of the text hashes ``shas`` have an entry (for this model), without reading it."""
        return self._query(lambda c: entity_summary.cached_among(c, model_identity, shas), set())

    def mentioning(self, model_identity: str, key: str, label: str | None = None) -> set[str]:
        """The text hashes whose summary mentions the entity of folded words ``key`` (with
        ``label``, any case, when given)."""
        return self._query(lambda c: entity_summary.mentioning(c, model_identity, key, label), set())

    def totals(self, model_identity: str, shas: list[str]) -> list[EntityTotal]:
        """Each entity of the texts ``shas`` (one an article, in order), most mentioned first."""
        return self._query(lambda c: entity_summary.totals(c, model_identity, shas), [])

    def reading_connection(self) -> sqlite3.Connection | None:
        """A connection of the caller's own to the cache's database (made if there is none yet),
        for long reads with temporary tables of their own (the entity index screen's) beside this
        cache's writes; None when the database cannot be opened. The caller closes it."""
        with self._lock:
            try:
                if self._open(create=True) is None:
                    return None
                return self._connect()
            except sqlite3.DatabaseError:
                self._damaged()
            except (sqlite3.Error, OSError):
                pass
        return None

    def _query(self, ask: Callable[[sqlite3.Connection], T], empty: T) -> T:
        """``ask`` the database (``empty`` when there is none, or it cannot be read)."""
        with self._lock:
            try:
                connection = self._open(create=False)
                return empty if connection is None else ask(connection)
            except sqlite3.Error:
                return empty

    def count(self, model_identity: str | None = None) -> int:
        """How many texts have entities cached (for ``model_identity`` only, when given)."""
        with self._lock:
            try:
                connection = self._open(create=False)
                if connection is None:
                    return 0
                if model_identity is None:
                    return int(connection.execute("SELECT count(*) FROM entities").fetchone()[0])
                query = f"SELECT count(*) FROM entities WHERE model = {entity_summary.MODEL}"
                return int(connection.execute(query, (model_identity,)).fetchone()[0])
            except sqlite3.Error:
                return 0

    # -- the former layout: one JSON file an entry ------------------------------------------

    def legacy_file(self, key: str, model_identity: str) -> Path:
        """Where the former layout kept the entry of a text hash and model."""
        model_key = "".join(c if c.isalnum() or c in "._-@" else "_" for c in model_identity)
        return self.folder / model_key / key[:2] / f"{key}.json"

    def _migrated(self, key: str, model_identity: str, text: str) -> list[Entity] | None:
        """The entry from a file of the former layout, moved into the database (the file is
        removed once the row is written); None when there is none or it is damaged."""
        file = self.legacy_file(key, model_identity)
        try:
            records = file.read_text(encoding="utf-8")
        except OSError:
            return None
        entities = _entities(records)
        if entities is None:
            return None
        self._put(key, model_identity, records, summary_rows(text, entities))
        with self._lock:
            written = self._connection is not None
        if written:
            file.unlink(missing_ok=True)
            for folder in (file.parent, file.parent.parent):
                try:
                    folder.rmdir()  # only when empty
                except OSError:
                    break
        return entities


def _write_entry(connection: sqlite3.Connection, model_identity: str, key: str, records: str) -> None:
    """Write one entry (inside a write transaction)."""
    model_id, text_id = cache_schema.ids(connection, model_identity, key)
    connection.execute(
        "INSERT OR REPLACE INTO entities (model, text, records) VALUES (?, ?, ?)", (model_id, text_id, records)
    )


def _entities(records: str) -> list[Entity] | None:
    """The entities of a stored JSON list of records, or None if it is damaged."""
    try:
        return [Entity.from_record(record) for record in json.loads(records)]
    except (ValueError, TypeError):
        return None
