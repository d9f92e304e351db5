"""Entities found scored against gold entities: precision, recall and F1, strict and relaxed.

Pure over spans (no spaCy, no files), so the figures can be checked by hand. *Strict*: a found
entity counts when a gold entity of the same article has the same boundaries and label.
*Relaxed*: when it overlaps a gold entity of the same label; each gold entity is matched to at
most one found entity and the other way round (a maximum one-to-one matching, so one long span
over two gold names scores one, not two). Scores are given overall and per label (a label's
false positives are its found entities left unmatched, its false negatives its gold ones).

Gold files are JSON Lines of ``{"article_id", "start", "end", "label"}``; :func:`read_gold`
reads one and names every bad line by its number.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """An entity of an article: ``text[start:end]`` of the article ``article_id``, with its label."""

    article_id: str
    start: int
    end: int
    label: str

    def overlaps(self, other: Span) -> bool:
        return self.article_id == other.article_id and self.start < other.end and other.start < self.end


@dataclass
class Scores:
    """Counts of true positives, false positives and false negatives, and what follows from them."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_record(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


@dataclass(frozen=True)
class EntityError:
    """One disagreement under strict scoring. ``kind``: "missed" (a gold entity nothing overlaps),
    "spurious" (a found entity no gold one overlaps), "label" (same place, other label),
    "boundaries" (same label, other place) or "label and boundaries"."""

    kind: str
    gold: Span | None
    found: Span | None


@dataclass
class Evaluation:
    """Strict and relaxed scores, overall and by label, with the strict errors in text order."""

    strict: Scores = field(default_factory=Scores)
    relaxed: Scores = field(default_factory=Scores)
    strict_by_label: dict[str, Scores] = field(default_factory=dict)
    relaxed_by_label: dict[str, Scores] = field(default_factory=dict)
    errors: list[EntityError] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        return {
            "strict": {
                "overall": self.strict.to_record(),
                "labels": {label: s.to_record() for label, s in sorted(self.strict_by_label.items())},
            },
            "relaxed": {
                "overall": self.relaxed.to_record(),
                "labels": {label: s.to_record() for label, s in sorted(self.relaxed_by_label.items())},
            },
        }


def relaxed_matching(gold: Sequence[Span], found: Sequence[Span]) -> dict[int, int]:
    """A maximum one-to-one matching of overlapping same-label spans: found index -> gold index.

    Augmenting paths (Kuhn's algorithm) over each found span's candidates, the largest overlap
    tried first; the spans of a text are few, so this is quick.
    """
    candidates: list[list[int]] = []
    for f in found:
        near = [i for i, g in enumerate(gold) if g.label == f.label and g.overlaps(f)]
        near.sort(key=lambda i: -(min(gold[i].end, f.end) - max(gold[i].start, f.start)))
        candidates.append(near)
    gold_to_found: dict[int, int] = {}

    def augment(index: int, seen: set[int]) -> bool:
        for g in candidates[index]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_to_found or augment(gold_to_found[g], seen):
                gold_to_found[g] = index
                return True
        return False

    for index in range(len(found)):
        if candidates[index]:
            augment(index, set())
    return {f: g for g, f in gold_to_found.items()}


def _count(
    gold: Sequence[Span], found: Sequence[Span], matched: dict[int, int], overall: Scores, by_label: dict[str, Scores]
) -> None:
    """Add the counts of a matching (found index -> gold index) to ``overall`` and ``by_label``."""
    matched_gold = set(matched.values())
    for index, span in enumerate(found):
        scores = by_label.setdefault(span.label, Scores())
        if index in matched:
            scores.true_positives += 1
            overall.true_positives += 1
        else:
            scores.false_positives += 1
            overall.false_positives += 1
    for index, span in enumerate(gold):
        if index not in matched_gold:
            by_label.setdefault(span.label, Scores()).false_negatives += 1
            overall.false_negatives += 1


def _errors(gold: Sequence[Span], found: Sequence[Span]) -> list[EntityError]:
    """The strict errors: each unmatched found entity with the gold one it overlaps most (if any),
    then each gold entity neither found nor so explained (missed, or overlapped only by a
    found entity already explained by another)."""
    gold_set, found_set = set(gold), set(found)
    errors: list[EntityError] = []
    explained: set[Span] = set()
    for span in found:
        if span in gold_set:
            continue
        near = [g for g in gold if g.overlaps(span) and g not in found_set]
        if not near:
            errors.append(EntityError("spurious", None, span))
            continue
        best = max(near, key=lambda g: (min(g.end, span.end) - max(g.start, span.start), g.label == span.label))
        explained.add(best)
        same_place = (best.start, best.end) == (span.start, span.end)
        kind = "label" if same_place else "boundaries" if best.label == span.label else "label and boundaries"
        errors.append(EntityError(kind, best, span))
    for span in gold:
        if span not in found_set and span not in explained:
            errors.append(EntityError("missed", span, None))
    return errors


def evaluate(gold: Iterable[Span], found: Iterable[Span]) -> Evaluation:
    """Score ``found`` against ``gold`` (the spans of any number of articles; duplicates count once)."""
    gold_spans = sorted(set(gold))
    found_spans = sorted(set(found))
    result = Evaluation()
    gold_index = {span: index for index, span in enumerate(gold_spans)}
    strict = {i: gold_index[span] for i, span in enumerate(found_spans) if span in gold_index}
    _count(gold_spans, found_spans, strict, result.strict, result.strict_by_label)
    by_article: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for index, span in enumerate(gold_spans):
        by_article[span.article_id][0].append(index)
    for index, span in enumerate(found_spans):
        by_article[span.article_id][1].append(index)
    relaxed: dict[int, int] = {}
    for gold_ids, found_ids in by_article.values():
        local = relaxed_matching([gold_spans[i] for i in gold_ids], [found_spans[i] for i in found_ids])
        relaxed.update({found_ids[f]: gold_ids[g] for f, g in local.items()})
    _count(gold_spans, found_spans, relaxed, result.relaxed, result.relaxed_by_label)
    result.errors = sorted(_errors(gold_spans, found_spans), key=_error_place)
    return result


def _error_place(error: EntityError) -> tuple[str, int, int]:
    """Where an error is (article, start, end of its gold span, else its found span): text order."""
    span = error.gold or error.found
    return (span.article_id, span.start, span.end) if span is not None else ("", 0, 0)


@dataclass
class Gold:
    """A gold file's spans, the line each came from, the articles it names, and its bad lines."""

    spans: list[Span] = field(default_factory=list)
    lines: dict[Span, int] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def read_gold(lines: Iterable[str]) -> Gold:
    """The gold of JSON Lines text.

    A line is ``{"article_id", "start", "end", "label"}`` (more keys are allowed, such as
    ``text``); a line with only ``article_id`` says the article is gold with no entity. Each
    bad line is a problem ``line N: why``; blank lines are skipped.
    """
    gold = Gold()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            gold.problems.append(f"line {number}: not JSON ({error})")
            continue
        problem = _gold_problem(record)
        if problem is not None:
            gold.problems.append(f"line {number}: {problem}")
            continue
        gold.articles.add(record["article_id"])
        if "start" in record:
            span = Span(record["article_id"], record["start"], record["end"], record["label"])
            gold.spans.append(span)
            gold.lines.setdefault(span, number)
    return gold


def _gold_problem(record: Any) -> str | None:
    """What is wrong with one gold line's value, or None when it is a good one."""
    if not isinstance(record, dict):
        return 'expected an object such as {"article_id": "a", "start": 0, "end": 8, "label": "GPE"}'
    if not isinstance(record.get("article_id"), str) or not record["article_id"]:
        return '"article_id" must be a non-empty string'
    if not {"start", "end", "label"} & set(record):
        return None
    missing = [key for key in ("start", "end", "label") if key not in record]
    if missing:
        return f"missing {', '.join(repr(key) for key in missing)}"
    start, end, label = record["start"], record["end"], record["label"]
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        return '"start" and "end" must be whole numbers'
    if not 0 <= start < end:
        return f'"start" ({start}) must be at least 0 and less than "end" ({end})'
    if not isinstance(label, str) or not label.strip():
        return '"label" must be a non-empty string'
    return None
