"""Entity corrections: what the user says the model got wrong, kept in the annotation store.

A correction is a rule about words, not about one place: "Centcom" is an ORG, "four" is not an
entity, "Field Marshal Syed Asim Munir" is a PERSON. The reader applies the rules on top of the
model's output wherever the same words recur, in every article, and exports them with the
entities as NER training data.

The rules live in one TinyDB file in the store's folder (``corrections.json``), replaced
atomically like the rest of the store and written under the store's lock. Every failure reaches
callers as :class:`~annotations.errors.StoreError`, whose message names the file and says what
to do (``ValueError`` only for a rule without words). Changes wait for the store's lock (with
its ``on_wait`` notice, :attr:`CorrectionBook.on_lock_wait`); reading never waits.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from annotations import layout, messages
from annotations.errors import StoreError
from annotations.guard import guarded
from annotations.locking import LOCK_TIMEOUT, StoreLock, WaitNotice
from annotations.model import from_iso, to_iso, utc_now
from annotations.shards import StringIdTable, doc_key
from annotations.storage import AtomicJSONStorage, StoreDamaged

FILE_NAME = "corrections.json"
TABLE = "corrections"


def normalise_words(words: str) -> str:
    """Words of a rule as matched: surrounding space trimmed, inner runs of space made one."""
    return " ".join(words.split())


@dataclass(frozen=True)
class EntityCorrection:
    """``words`` are an entity labelled ``label``, or no entity at all when ``label`` is None."""

    words: str
    label: str | None
    created: datetime = field(default_factory=utc_now)

    def to_record(self) -> dict[str, Any]:
        return {"words": self.words, "label": self.label, "created": to_iso(self.created)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> EntityCorrection:
        label = record.get("label")
        return cls(str(record["words"]), None if label is None else str(label), from_iso(record["created"]))


class _CorrectionsDB(TinyDB):
    table_class = StringIdTable


class CorrectionBook:
    """The entity corrections of the store at ``store_path`` (the file the user chose)."""

    def __init__(self, store_path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.store_path = Path(store_path)
        self.path = layout.folder(self.store_path) / FILE_NAME
        self.lock_timeout = lock_timeout
        #: The store's lock, through the one guard the store uses (:mod:`annotations.guard`).
        self._lock = StoreLock(self.store_path, layout.lock_path(self.store_path), lock_timeout)
        self._cache: tuple[tuple[int, int, int], list[EntityCorrection]] | None = None

    @property
    def on_lock_wait(self) -> WaitNotice | None:
        """Called (with the store's path) when a change must wait for another process's lock."""
        return self._lock.on_wait

    @on_lock_wait.setter
    def on_lock_wait(self, notice: WaitNotice | None) -> None:
        self._lock.on_wait = notice

    def _open(self) -> TinyDB:
        return _CorrectionsDB(self.path, storage=AtomicJSONStorage)

    def _guarded(self, *, locked: bool) -> AbstractContextManager[None]:
        """Under the store's lock if ``locked``, with every failure turned into a :class:`StoreError`."""
        return guarded(self._lock, locked=locked, damaged=self._damaged, unusable=self._unusable)

    def _damaged(self, _file: Path, reason: str) -> StoreError:
        return StoreError(messages.corrections_damaged_message(self.path, reason), path=self.store_path)

    def _unusable(self, error: OSError) -> StoreError:
        return StoreError(messages.corrections_unusable_message(self.path, error), path=self.store_path)

    def _correction(self, record: dict[str, Any]) -> EntityCorrection:
        try:
            return EntityCorrection.from_record(record)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise StoreDamaged(self.path, f"a rule in it is not valid ({error!r})") from None

    def all(self) -> list[EntityCorrection]:
        """Every correction; re-read only when the file changed (another process may write it)."""
        with self._guarded(locked=False):
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                return []
            stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            if self._cache is None or self._cache[0] != stamp:
                with self._open() as db:
                    records = db.table(TABLE).all()
                self._cache = (stamp, [self._correction(record) for record in records])
            return list(self._cache[1])

    def set(self, words: str, label: str | None) -> EntityCorrection:
        """Say that ``words`` are a ``label`` entity (None: not an entity); replaces an older rule.

        ``ValueError`` if there are no words; :class:`StoreError` if the file cannot be written.
        """
        correction = EntityCorrection(normalise_words(words), label)
        if not correction.words:
            raise ValueError("a correction needs words")
        with self._guarded(locked=True), self._open() as db:
            db.table(TABLE).upsert(Document(correction.to_record(), doc_id=doc_key(correction.words)))
        return correction

    def forget(self, words: str) -> EntityCorrection | None:
        """Drop the rule about ``words``, so the model's own reading shows again."""
        key = normalise_words(words)
        with self._guarded(locked=True), self._open() as db:
            table = db.table(TABLE)
            record = table.get(doc_id=key)
            if record is None:
                return None
            forgotten = self._correction(record)
            table.remove(doc_ids=[key])
        return forgotten
