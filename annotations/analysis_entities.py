"""Codes and named entities: which people, places and organisations a code's passages name, and
which codes are applied to the passages that name an entity.

Entities come in as plain mentions (article, offsets, key, label), so the core needs no NLP: the
reader side keys them as its entity index does (the words folded, and the label), so a mention
here is the same entity as in ``reader stats`` and the ``I`` screen. A mention is *in* a passage
when it lies wholly inside it (``passage.start <= mention.start`` and ``mention.end <=
passage.end``). A cell counts the distinct mentions of the entity inside the code's passages
(a mention inside two overlapping passages of one code counts once) and keeps those passages.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from annotations.analysis import CodedPassages

#: An entity: its key (the words folded) and its label (PERSON, GPE, ...).
EntityId = tuple[str, str]


@dataclass(frozen=True, order=True)
class EntityMention:
    """One mention of an entity: ``text[start:end]`` of article ``article_id``."""

    article_id: str
    start: int
    end: int
    key: str
    label: str

    @property
    def entity(self) -> EntityId:
        return (self.key, self.label)


@dataclass(frozen=True)
class EntityCell:
    """An entity in a code's passages: how many mentions, and which passages (ids) hold them."""

    mentions: int
    passages: tuple[str, ...]


@dataclass(frozen=True)
class CodeEntities:
    """Every (code, entity) that meet, both ways round."""

    spelling: dict[str, str]
    cells: dict[tuple[str, EntityId], EntityCell]

    @property
    def codes(self) -> list[str]:
        """Codes whose passages name at least one entity, by path."""
        return sorted({code for code, _ in self.cells})

    @property
    def entities(self) -> list[EntityId]:
        """Entities named in at least one coded passage, most mentions there first."""
        totals: dict[EntityId, int] = {}
        for (_, entity), cell in self.cells.items():
            totals[entity] = totals.get(entity, 0) + cell.mentions
        return sorted(totals, key=lambda entity: (-totals[entity], entity))

    def of_code(self, code: str) -> list[tuple[EntityId, EntityCell]]:
        """The entities in the passages of ``code``, most mentioned first."""
        found = [(entity, cell) for (one, entity), cell in self.cells.items() if one == code]
        return sorted(found, key=lambda item: (-item[1].mentions, item[0]))

    def of_entity(self, entity: EntityId) -> list[tuple[str, EntityCell]]:
        """The codes of the passages that mention ``entity``, most mentions first."""
        found = [(code, cell) for (code, one), cell in self.cells.items() if one == entity]
        return sorted(found, key=lambda item: (-item[1].mentions, item[0]))


def code_entities(coded: CodedPassages, mentions: Iterable[EntityMention]) -> CodeEntities:
    """The entities mentioned inside the passages of each code (see the module's docstring)."""
    by_article: dict[str, list[EntityMention]] = {}
    for mention in mentions:
        by_article.setdefault(mention.article_id, []).append(mention)
    starts: dict[str, list[int]] = {}
    for article_id, found in by_article.items():
        found.sort()
        starts[article_id] = [mention.start for mention in found]
    seen: dict[tuple[str, EntityId], dict[EntityMention, None]] = {}
    holders: dict[tuple[str, EntityId], dict[str, None]] = {}
    for passage_id, passage in coded.passages.items():
        found = by_article.get(passage.article_id, [])
        first = bisect.bisect_left(starts.get(passage.article_id, []), passage.start)
        inside = []
        for mention in found[first:]:
            if mention.start >= passage.end:
                break
            if mention.end <= passage.end:
                inside.append(mention)
        for code in coded.codes_of(passage_id):
            for mention in inside:
                seen.setdefault((code, mention.entity), {})[mention] = None
                holders.setdefault((code, mention.entity), {})[passage_id] = None
    cells = {cell: EntityCell(len(seen[cell]), tuple(holders[cell])) for cell in seen}
    return CodeEntities(coded.spelling, cells)
