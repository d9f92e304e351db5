"""Differences between two coders' passages, and the passages an adjudicator's choice settles on.

Within an article, passages of coders A and B that share a character (directly or through a
chain of others) form one *cluster*. A cluster is an agreement when A and B have exactly the same
passages with the same codes; otherwise it is a :class:`Difference` of one of four kinds:

- ``only A`` / ``only B``: one coder's passage(s), the other coded nothing there;
- ``codes``: the same passages (same starts and ends), different codes;
- ``boundaries``: overlapping passages whose starts or ends differ (codes may differ too).

Settling a difference (:func:`settle`) takes A's passages, B's, both, or neither, as new
annotations of the *agreed* coder, so that the agreed layer exports like any coder's. Taking
both merges passages with the same start and end into one carrying every code of either.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from annotations.model import Annotation, merge_tags, tag_key, utc_now

Kind = Literal["only A", "only B", "codes", "boundaries"]
Choice = Literal["a", "b", "both", "neither"]

#: The history scope of settlements (an adjudication is undone apart from reading edits).
DIFFERENCES = "*differences"

#: The default name of the agreed layer's coder.
AGREED = "agreed"


@dataclass(frozen=True)
class Difference:
    """One place of one article where A and B differ: the extent ``[start, end)`` of the
    cluster, its kind, and each coder's passages there (by start)."""

    article_id: str
    start: int
    end: int
    kind: Kind
    a: tuple[Annotation, ...]
    b: tuple[Annotation, ...]


@dataclass(frozen=True)
class Comparison:
    """Every difference of two layers (by article, then position) and the passages both coders
    made identically (A's copy of each agreement)."""

    differences: tuple[Difference, ...]
    agreements: tuple[Annotation, ...]


def _shape(passages: Iterable[Annotation]) -> set[tuple[int, int, frozenset[str]]]:
    return {(p.start, p.end, frozenset(map(tag_key, p.tags))) for p in passages}


def _spans(passages: Iterable[Annotation]) -> set[tuple[int, int]]:
    return {(p.start, p.end) for p in passages}


def compare_layers(a: Sequence[Annotation], b: Sequence[Annotation]) -> Comparison:
    """The differences and agreements of coder A's passages ``a`` and coder B's ``b``."""
    by_article: dict[str, list[tuple[Annotation, bool]]] = defaultdict(list)
    for passage in a:
        by_article[passage.article_id].append((passage, True))
    for passage in b:
        by_article[passage.article_id].append((passage, False))
    differences: list[Difference] = []
    agreements: list[Annotation] = []
    for article_id in sorted(by_article):
        for cluster in _clusters(by_article[article_id]):
            mine = tuple(p for p, of_a in cluster if of_a)
            theirs = tuple(p for p, of_a in cluster if not of_a)
            kind = _kind(mine, theirs)
            if kind is None:
                agreements.extend(mine)
            else:
                start, end = min(p.start for p, _ in cluster), max(p.end for p, _ in cluster)
                differences.append(Difference(article_id, start, end, kind, mine, theirs))
    return Comparison(tuple(differences), tuple(agreements))


def _clusters(passages: list[tuple[Annotation, bool]]) -> list[list[tuple[Annotation, bool]]]:
    """Passages sharing a character, directly or through others, grouped (by position)."""
    clusters: list[list[tuple[Annotation, bool]]] = []
    reach = -1
    for item in sorted(passages, key=lambda item: (item[0].start, item[0].end, not item[1])):
        if clusters and item[0].start < reach:
            clusters[-1].append(item)
            reach = max(reach, item[0].end)
        else:
            clusters.append([item])
            reach = item[0].end
    return clusters


def _kind(a: tuple[Annotation, ...], b: tuple[Annotation, ...]) -> Kind | None:
    if not b:
        return "only A"
    if not a:
        return "only B"
    if _spans(a) != _spans(b):
        return "boundaries"
    return None if _shape(a) == _shape(b) else "codes"


def chosen(difference: Difference, choice: Choice) -> list[Annotation]:
    """The coders' passages that ``choice`` keeps: with ``both``, one per start and end, with
    every code either coder gave it (A's passage as the base, so its context and note are kept)."""
    if choice == "neither":
        return []
    if choice == "a":
        return list(difference.a)
    if choice == "b":
        return list(difference.b)
    merged: dict[tuple[int, int], Annotation] = {}
    for passage in (*difference.a, *difference.b):
        key = (passage.start, passage.end)
        first = merged.get(key)
        merged[key] = passage if first is None else replace(first, tags=merge_tags([*first.tags, *passage.tags]))
    return list(merged.values())


def settle(difference: Difference, choice: Choice, agreed: str = AGREED) -> list[Annotation]:
    """New annotations of the coder ``agreed`` for ``choice``: copies of the chosen passages with
    new ids and times (the coders' own passages stay as they are)."""
    now = utc_now()
    return [
        replace(passage, id=str(uuid.uuid4()), coder=agreed, created=now, updated=now)
        for passage in chosen(difference, choice)
    ]


def copied_agreements(agreements: Iterable[Annotation], agreed: str = AGREED) -> list[Annotation]:
    """The agreements as new annotations of the coder ``agreed`` (as :func:`settle` makes them)."""
    now = utc_now()
    return [replace(p, id=str(uuid.uuid4()), coder=agreed, created=now, updated=now) for p in agreements]


def already_settled(difference: Difference, agreed_layer: Iterable[Annotation]) -> bool:
    """Whether the agreed layer has a passage in the difference's extent: it was settled in an
    earlier session (a difference settled with ``neither`` leaves no trace, so it shows again)."""
    return any(
        p.article_id == difference.article_id and p.start < difference.end and difference.start < p.end
        for p in agreed_layer
    )
