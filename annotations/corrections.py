"""Entity corrections: what the user says the model got wrong, kept in the annotation store.

A correction is a rule about words, not about one place: "Centcom" is an ORG, "four" is not an
entity, "Field Marshal Syed Asim Munir" is a PERSON. The reader applies the rules on top of the
model's output wherever the same words recur, in every article, and exports them with the
entities as NER training data.

The rules live in one TinyDB file in the store's folder (``corrections.json``), replaced
atomically like the rest of the store and written under the store's lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock
from tinydb import TinyDB
from tinydb.table import Document

from annotations import layout
from annotations.model import from_iso, to_iso, utc_now
from annotations.storage import AtomicJSONStorage, StoreDamaged
from annotations.shards import StringIdTable
from annotations.store import StoreError

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

    def __init__(self, store_path: str | Path) -> None:
        self.store_path = Path(store_path)
        self.path = layout.folder(self.store_path) / FILE_NAME
        self._lock = FileLock(str(layout.lock_path(self.store_path)))
        self._cache: tuple[tuple[int, int], list[EntityCorrection]] | None = None

    def _open(self) -> TinyDB:
        return _CorrectionsDB(self.path, storage=AtomicJSONStorage)

    def all(self) -> list[EntityCorrection]:
        """Every correction; re-read only when the file changed (another process may write it)."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._cache is None or self._cache[0] != stamp:
            try:
                with self._open() as db:
                    records = db.table(TABLE).all()
            except StoreDamaged as damage:
                raise StoreError(f"The entity corrections file {damage.path} is damaged: {damage.reason}. "
                                 "It was not changed; move it aside to start the corrections afresh.",
                                 path=self.store_path) from None
            self._cache = (stamp, [EntityCorrection.from_record(record) for record in records])
        return list(self._cache[1])

    def set(self, words: str, label: str | None) -> EntityCorrection:
        """Say that ``words`` are a ``label`` entity (None: not an entity); replaces an older rule."""
        correction = EntityCorrection(normalise_words(words), label)
        if not correction.words:
            raise ValueError("a correction needs words")
        with self._lock, self._open() as db:
            db.table(TABLE).upsert(Document(correction.to_record(), doc_id=correction.words))
        return correction

    def forget(self, words: str) -> EntityCorrection | None:
        """Drop the rule about ``words``, so the model's own reading shows again."""
        key = normalise_words(words)
        with self._lock, self._open() as db:
            table = db.table(TABLE)
            record = table.get(doc_id=key)
            if record is None:
                return None
            table.remove(doc_ids=[key])
        return EntityCorrection.from_record(record)
