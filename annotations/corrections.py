"""Entity corrections: what the user says the model got wrong, kept in the annotation store.

A correction is a rule about words, not about one place: "Centcom" is an ORG, "four" is not an
entity, "Field Marshal Syed Asim Munir" is a PERSON. The reader applies the rules on top of the
model's output wherever the same words recur, in every article, and exports them with the
entities as NER training data.

The rules live in one TinyDB file in the store's folder (``corrections.json``), replaced
atomically like the rest of the store and written under the store's lock. Every failure reaches
callers as :class:`~annotations.store.StoreError`, whose message names the file and says what
to do (``ValueError`` only for a rule without words).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document

from annotations import layout
from annotations.model import from_iso, to_iso, utc_now
from annotations.storage import AtomicJSONStorage, StoreDamaged, StoreWriteFailed
from annotations.shards import StringIdTable
from annotations.store import LOCK_POLL_INTERVAL, LOCK_TIMEOUT, StoreError, busy_message, write_failed_message

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
    """The entity corrections of the store at ``store_path`` (the file given with ``--db``)."""

    def __init__(self, store_path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.store_path = Path(store_path)
        self.path = layout.folder(self.store_path) / FILE_NAME
        self.lock_timeout = lock_timeout
        self._lock = FileLock(
            str(layout.lock_path(self.store_path)), timeout=lock_timeout, poll_interval=LOCK_POLL_INTERVAL
        )
        self._cache: tuple[tuple[int, int, int], list[EntityCorrection]] | None = None

    def _open(self) -> TinyDB:
        return _CorrectionsDB(self.path, storage=AtomicJSONStorage)

    @contextmanager
    def _guarded(self, *, locked: bool) -> Iterator[None]:
        """Under the store's lock if ``locked``, with every failure turned into a :class:`StoreError`."""
        try:
            if locked:
                with self._lock:
                    yield
            else:
                yield
        except Timeout:
            raise StoreError(busy_message(self.store_path, self.lock_timeout), path=self.store_path) from None
        except StoreDamaged as damage:
            raise StoreError(self._damaged_message(damage.reason), path=self.store_path) from None
        except StoreWriteFailed as failure:
            message = write_failed_message(self.store_path, failure)  # it names the corrections file
            raise StoreError(message, path=self.store_path, written=failure.replaced) from None
        except OSError as error:
            reason = error.strerror or str(error)
            raise StoreError(
                f"Could not use the entity corrections file {self.path}: {reason}. Check that its folder "
                "exists and that you may read and write there.",
                path=self.store_path,
            ) from None

    def _damaged_message(self, reason: str) -> str:
        return (
            f"The entity corrections file {self.path} is damaged: {reason}. It was not changed; move it "
            "aside to start the corrections afresh."
        )

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
            db.table(TABLE).upsert(Document(correction.to_record(), doc_id=correction.words))
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
