"""The corpus's entities counted once, one way: ``reader stats --corpus``, the entity index
screen (``I``) and the library's entity filter all key an entity the same way, so they agree.

An entity is its words folded (case, accents and spacing aside) together with its label
(:func:`reader.corpus.search.entity_key`); it is shown with the spelling the corpus uses most ("China" for
"China", "China" and "CHINA").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.corpus.search import entity_key
from reader.nlp.model import Entity

EntityKey = tuple[str, str]


@dataclass
class IndexedEntity:
    """One entity and where it is mentioned: article id -> mention spans ``(start, end)`` in text
    order; ``spellings`` counts the words as written (spacing made single) to name it by."""

    key: EntityKey
    spellings: Counter[str] = field(default_factory=Counter)
    mentions: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def name(self) -> str:
        """The most common spelling (the first met among equally common ones)."""
        return self.spellings.most_common(1)[0][0]

    @property
    def label(self) -> str:
        return self.key[1]

    @property
    def total(self) -> int:
        """Mentions across the corpus."""
        return sum(len(spans) for spans in self.mentions.values())

    @property
    def articles(self) -> int:
        """Articles that mention it."""
        return len(self.mentions)


class EntityIndex:
    """Every entity of the articles added so far, by :func:`entity_key`."""

    def __init__(self) -> None:
        self.entities: dict[EntityKey, IndexedEntity] = {}

    def add(self, article_id: str, text: str, entities: Iterable[Entity]) -> None:
        """Count the ``entities`` found in ``text``, the text of article ``article_id``."""
        for entity in entities:
            words = " ".join(text[entity.start : entity.end].split())
            key = entity_key(words, entity.label)
            indexed = self.entities.get(key)
            if indexed is None:
                indexed = self.entities[key] = IndexedEntity(key)
            indexed.spellings[words] += 1
            indexed.mentions[article_id].append((entity.start, entity.end))

    def most_mentioned(self) -> list[IndexedEntity]:
        """Most mentions first; then by name (case aside) and label."""
        return sorted(self.entities.values(), key=lambda e: (-e.total, e.name.casefold(), e.label))

    def __len__(self) -> int:
        return len(self.entities)


def mention_spans(text: str, entities: Iterable[Entity], key: EntityKey) -> list[tuple[int, int]]:
    """The spans ``(start, end)`` of ``entities`` (found in ``text``) that are the entity ``key``,
    keyed as :meth:`EntityIndex.add` keys them: where to jump to in one article."""
    return [
        (entity.start, entity.end)
        for entity in entities
        if entity_key(" ".join(text[entity.start : entity.end].split()), entity.label) == key
    ]
