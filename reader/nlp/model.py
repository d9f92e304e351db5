"""Entity: what the rest of reader knows of the model's findings (no spaCy, no cycles: every
module of ``reader.nlp`` imports it from here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Entity:
    """A named entity: ``text[start:end]`` of the displayed text, with its label (GPE, ORG, ...)."""

    start: int
    end: int
    label: str

    def to_record(self) -> list[Any]:
        return [self.start, self.end, self.label]

    @classmethod
    def from_record(cls, record: list[Any]) -> Entity:
        start, end, label = record
        return cls(int(start), int(end), str(label))
