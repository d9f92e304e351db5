"""What narrows and orders the library's list: the filters a user can combine, the sort orders,
and the facts from outside the corpus that some filters need.

Pure Python, no Textual: the library screen keeps a :class:`Filters` value and asks a
:class:`reader.corpus.finding.Finder` for the articles to show. What the corpus alone cannot tell
(annotation counts and tags from the store, which articles were read, which mention an entity)
comes in a :class:`Facts` value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property

from reader.corpus.search import entity_key

_DATE_PART = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LABEL = re.compile(r"^[A-Z][A-Z_]+$")
#: Entity labels of the usual spaCy pipelines (OntoNotes, and the shorter WikiNER set): after a
#: slash these are a label in any case (``China/gpe``); other words are a label only in capitals,
#: so ``Israel/Hamas`` stays a name.
KNOWN_LABELS = frozenset(
    {
        "PERSON",
        "PER",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "DATE",
        "TIME",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "CARDINAL",
        "MISC",
    }
)


class SortOrder(Enum):
    """How the list is ordered."""

    DATE = "date"
    TITLE = "title"
    ANNOTATIONS = "annotations"

    @property
    def description(self) -> str:
        return {"date": "newest first", "title": "by title", "annotations": "most annotated first"}[self.value]

    def next(self) -> SortOrder:
        members = list(SortOrder)
        return members[(members.index(self) + 1) % len(members)]


@dataclass(frozen=True)
class DateRange:
    """Dates from ``start`` to ``end``, both included; either may be open (None).

    A bound may be a year (``2025``), a month (``2025-07``) or a day (``2025-07-27``): a month
    as the end bound includes the whole month.
    """

    start: str | None = None
    end: str | None = None

    @classmethod
    def parse(cls, text: str) -> DateRange:
        """``2025-01-01..2025-03-31``, ``2025-07``, ``..2025-06-30``, ``2025-01..``; raises ValueError."""
        text = text.strip()
        if ".." in text:
            start_text, end_text = (part.strip() for part in text.split("..", 1))
        else:
            start_text = end_text = text
        start, end = _date_bound(start_text), _date_bound(end_text)
        if start is None and end is None:
            raise ValueError("give a date range such as 2025-01-01..2025-03-31, 2025-07 or ..2025-06-30")
        if start is not None and end is not None and start > end[: len(start)]:
            raise ValueError(f"the range starts ({start}) after it ends ({end})")
        return cls(start, end)

    def contains(self, article_date: str | None) -> bool:
        if article_date is None:
            return False
        if self.start is not None and article_date < self.start:
            return False
        return self.end is None or article_date[: len(self.end)] <= self.end

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start or ""
        return f"{self.start or ''}..{self.end or ''}"


def _date_bound(text: str) -> str | None:
    if not text:
        return None
    if not _DATE_PART.match(text):
        raise ValueError(f"{text!r} is not a date: write 2025, 2025-07 or 2025-07-27")
    parts = [int(part) for part in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"{text} is not a date on the calendar") from None
    return text


@dataclass(frozen=True)
class EntityQuery:
    """An entity to look for: its words, and optionally its label (``China/GPE``)."""

    name: str
    label: str | None = None

    @classmethod
    def parse(cls, text: str) -> EntityQuery:
        """``China`` (any label) or ``China/GPE``; raises ValueError for an empty name."""
        name, label = text.strip(), None
        head, slash, tail = name.rpartition("/")
        tail = tail.strip()
        if slash and (_LABEL.match(tail) or tail.upper() in KNOWN_LABELS):
            name, label = head.strip(), tail.upper()
        name = " ".join(name.split())
        if not name:
            raise ValueError("give the entity's words, e.g. China or China/GPE")
        return cls(name, label)

    @cached_property
    def folded(self) -> str:
        """The name as entities are compared with it (:func:`~reader.corpus.search.entity_key`)."""
        return entity_key(self.name, "")[0]

    def matches(self, words: str, label: str) -> bool:
        """Whether an entity with these words and label is this one (case, accents and spacing aside)."""
        return (self.label is None or label.upper() == self.label) and entity_key(words, label)[0] == self.folded

    def __str__(self) -> str:
        return f"{self.name}/{self.label}" if self.label else self.name


@dataclass(frozen=True)
class Filters:
    """Everything that narrows or orders the list; the empty value shows every article by date."""

    query: str = ""
    entity: EntityQuery | None = None
    tag: str | None = None
    dates: DateRange | None = None
    unread: bool = False
    unannotated: bool = False
    sort: SortOrder = SortOrder.DATE

    @property
    def narrows(self) -> bool:
        """Whether any filter is on (the sort order aside)."""
        return bool(self.query.strip() or self.entity or self.tag or self.dates or self.unread or self.unannotated)


@dataclass
class Facts:
    """What the library knows about articles beyond the corpus: annotation counts and tags (by
    tag key) from the store, the ids read, and the ids that mention the entity filtered for
    (None while they are not known)."""

    counts: Mapping[str, int] = field(default_factory=dict)
    tags: Mapping[str, Set[str]] = field(default_factory=dict)
    read: Set[str] = field(default_factory=set)
    entity_matches: Set[str] | None = None
