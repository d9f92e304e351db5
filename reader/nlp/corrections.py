"""The user's entity corrections applied on top of the model's entities of one text.

Each rule's words are found wherever they stand as whole words (case as written, spacing free),
or as a part of a word set apart by a change from letters to digits ("9/11" in "post9/11");
model entities overlapping a found place give way to the rule's label, or vanish for a "not an
entity" rule. Longer rules win over shorter ones where they overlap ("Asim Munir" inside
"Field Marshal Syed Asim Munir").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from annotations.corrections import EntityCorrection
from reader.nlp.model import Entity


def _edge(char: str) -> str:
    """What may not stand beside a rule's edge character: the same kind of character (a letter
    beside a letter, a digit beside a digit), so that "9/11" is found in "post9/11" and "Asim"
    is not found in "Kasim"; beside punctuation, no letter or digit either."""
    if char.isdigit():
        return r"\d"
    if char.isalpha():
        return r"[^\W\d_]"
    return r"\w"


def words_pattern(words: str) -> re.Pattern[str]:
    """Where a correction's words stand in a text (see the module's docstring)."""
    body = r"\s+".join(re.escape(word) for word in words.split())
    return re.compile(rf"(?<!{_edge(words[0])}){body}(?!{_edge(words[-1])})")


def apply_corrections(text: str, entities: Sequence[Entity], corrections: Sequence[EntityCorrection]) -> list[Entity]:
    """``entities`` of ``text`` with every correction applied, in text order."""
    if not corrections:
        return list(entities)
    claimed: list[tuple[int, int]] = []
    added: list[Entity] = []
    for correction in sorted(corrections, key=lambda c: -len(c.words)):
        for match in words_pattern(correction.words).finditer(text):
            start, end = match.span()
            if any(start < taken_end and end > taken_start for taken_start, taken_end in claimed):
                continue
            claimed.append((start, end))
            if correction.label is not None:
                added.append(Entity(start, end, correction.label))
    kept = [e for e in entities if not any(e.start < end and e.end > start for start, end in claimed)]
    return sorted(kept + added)
