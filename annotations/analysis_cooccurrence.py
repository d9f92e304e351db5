"""Code co-occurrence: which codes are applied together, counted and normalised as ATLAS.ti does.

Two passages (ATLAS.ti's quotations) *co-occur* when they are in the same article and overlap
(share at least one character; a passage with two codes co-occurs with itself), or, with
paragraphs given, when they touch the same paragraph. For two codes c1 and c2:

- ``n1`` is the number of passages coded c1, ``n2`` the number coded c2;
- ``n12`` is the number of co-occurrences: pairs of co-occurring passages, one coded c1 and the
  other c2, each pair counted once (a single passage coded both is one pair, with itself);
- ``c = n12 / (n1 + n2 - n12)``, ATLAS.ti's c-coefficient: 0 when the codes never meet, 1 when
  every passage of either is coded both.

As in ATLAS.ti, when one passage overlaps several passages of the other code, ``n12`` can reach
``n1 + n2`` and ``c`` exceed 1 (ATLAS.ti marks such cells); where ``n1 + n2 - n12`` is 0 or
less the coefficient is undefined and given as None. The counts stay exact either way.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotations.analysis import CodedPassages
from annotations.model import Annotation

#: A paragraph of an article's text: ``(start, end)`` offsets, end excluded.
Span = tuple[int, int]
#: Two codes by key, the smaller first.
CodePair = tuple[str, str]


@dataclass(frozen=True)
class Cooccurrence:
    """Co-occurring passages of every pair of codes, and how many passages each code has."""

    codes: list[str]
    spelling: dict[str, str]
    frequency: dict[str, int]
    pairs: dict[CodePair, tuple[tuple[str, str], ...]]
    #: "overlap" or "paragraph": what made two passages co-occur.
    scope: str

    @staticmethod
    def pair(first: str, second: str) -> CodePair:
        return (first, second) if first <= second else (second, first)

    def n12(self, first: str, second: str) -> int:
        """Co-occurrences of the two codes (pairs of passages, see the module's docstring)."""
        return len(self.pairs.get(self.pair(first, second), ()))

    def coefficient(self, first: str, second: str) -> float | None:
        """ATLAS.ti's c = n12 / (n1 + n2 - n12); None where that is undefined."""
        n12 = self.n12(first, second)
        rest = self.frequency[first] + self.frequency[second] - n12
        return n12 / rest if rest > 0 else None

    def passages(self, first: str, second: str) -> list[str]:
        """The ids of the passages behind the co-occurrences of two codes, each once, in order
        of first appearance (pairs by article and position)."""
        ids = (passage for pair in self.pairs.get(self.pair(first, second), ()) for passage in pair)
        return list(dict.fromkeys(ids))

    def meeting(self) -> list[CodePair]:
        """The pairs of codes that co-occur at least once, most co-occurrences first."""
        return sorted(self.pairs, key=lambda pair: (-len(self.pairs[pair]), pair))


def _overlapping(passages: Sequence[Annotation]) -> Iterable[tuple[Annotation, Annotation]]:
    """Every pair of distinct passages of one article that share a character (a sweep by start)."""
    ordered = sorted(passages, key=lambda a: (a.start, a.end, a.id))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if second.start >= first.end:
                break
            yield first, second


def _same_paragraph(
    passages: Sequence[Annotation], paragraphs: Sequence[Span]
) -> Iterable[tuple[Annotation, Annotation]]:
    """Every pair of distinct passages of one article that touch a common paragraph."""
    ends, starts = [end for _, end in paragraphs], [start for start, _ in paragraphs]
    members: dict[int, list[Annotation]] = {}
    for passage in passages:
        for index in range(bisect.bisect_right(ends, passage.start), bisect.bisect_left(starts, passage.end)):
            members.setdefault(index, []).append(passage)
    for group in members.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                yield first, second


def cooccurrence(coded: CodedPassages, paragraphs: Mapping[str, Sequence[Span]] | None = None) -> Cooccurrence:
    """Co-occurrence of every pair of codes among ``coded``. With ``paragraphs`` (each article's
    paragraph spans, in text order), passages co-occur when they touch the same paragraph; an
    article whose paragraphs are not given falls back to overlap."""
    by_article: dict[str, list[Annotation]] = {}
    for passage in coded.passages.values():
        by_article.setdefault(passage.article_id, []).append(passage)
    codes_of = coded.codes_by_passage
    found: dict[CodePair, dict[tuple[str, str], None]] = {}

    def meet(first: Annotation, second: Annotation) -> None:
        ids = (first.id, second.id) if (first.start, first.id) <= (second.start, second.id) else (second.id, first.id)
        for one in codes_of[first.id]:
            for other in codes_of[second.id]:
                if one != other:
                    pair = (one, other) if one < other else (other, one)
                    bucket = found.get(pair)
                    if bucket is None:
                        bucket = found[pair] = {}
                    bucket[ids] = None

    for article_id in sorted(by_article):
        passages = sorted(by_article[article_id], key=lambda a: (a.start, a.end, a.id))
        for passage in passages:  # a passage coded twice: its codes co-occur in it
            if len(codes_of[passage.id]) > 1:
                meet(passage, passage)
        spans = paragraphs.get(article_id) if paragraphs is not None else None
        for first, second in _overlapping(passages) if spans is None else _same_paragraph(passages, spans):
            meet(first, second)
    frequency = {code: len(ids) for code, ids in coded.by_code.items()}
    pairs = {pair: tuple(ids) for pair, ids in found.items()}
    scope = "paragraph" if paragraphs is not None else "overlap"
    return Cooccurrence(coded.codes, coded.spelling, frequency, pairs, scope)
