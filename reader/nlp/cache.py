"""A disk cache of entities, keyed by the text's hash and the model's name and version.

A second open of an article (or a second run of reader) shows its entities at once, and a new
model version never serves stale results. A damaged cache file is treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from annotations.atomic_file import replace_text
from reader.nlp.model import Entity


class EntityCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, text: str, model_identity: str) -> Path:
        text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        model_key = "".join(c if c.isalnum() or c in "._-@" else "_" for c in model_identity)
        return self.folder / model_key / text_hash[:2] / f"{text_hash}.json"

    def get(self, text: str, model_identity: str) -> list[Entity] | None:
        try:
            records = json.loads(self._file(text, model_identity).read_text(encoding="utf-8"))
            return [Entity.from_record(record) for record in records]
        except (OSError, ValueError, TypeError):
            return None

    def put(self, text: str, model_identity: str, entities: list[Entity]) -> None:
        """Write atomically; a cache that cannot be written only costs speed, never an error."""
        records = json.dumps([entity.to_record() for entity in entities])
        try:
            replace_text(self._file(text, model_identity), (records,), parents=True)
        except OSError:
            pass
