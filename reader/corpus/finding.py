"""Finding articles in a corpus: the filters a user can combine, the sort orders, and the
:class:`Finder` that applies them to a list of articles.

Pure Python, no Textual: the library screen keeps a :class:`Filters` value and asks a
:class:`Finder` for the articles to show. What the corpus alone cannot tell (annotation counts
and tags from the store, which articles were read, which mention an entity) comes in a
:class:`Facts` value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property
from itertools import compress
from typing import Protocol

from annotations.model import tag_key
from reader.corpus.article import Article
from reader.corpus.search import entity_key, fold, query_terms

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

#: How many queries typed in a row keep their matches (each set is at most the corpus's ids).
MAX_CHAIN = 32


class Search(Protocol):
    """A full-text search the :class:`Finder` can use (:class:`reader.corpus.fulltext.FullTextIndex`)."""

    def __len__(self) -> int:
        """How many articles it covers."""
        ...

    def __contains__(self, article_id: object) -> bool:
        """Whether it covers this article (one whose text could not be read is not)."""
        ...

    def matching(self, query: str, among: Iterable[str] | None = None) -> set[str]:
        """The ids (of ``among``, or all) that match the query as typed."""
        ...

    def ranked(self, query: str) -> list[str]:
        """The ids that match the query, best first (all of them, or the best when too many match)."""
        ...


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


class Finder:
    """Applies :class:`Filters` to a corpus's articles (given newest first), quickly.

    Until :attr:`search` is set, queries match titles only (folded, anywhere in the title); with
    it, titles and full text, and the list is in the search's ranked order when sorted by date
    (the default): the best match first.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self.search: Search | None = None
        self._titles = {article.id: fold(article.title) for article in self.articles}
        self._by_title: list[Article] | None = None
        self._by_id: dict[str, Article] | None = None
        self._ids: list[str] | None = None
        #: The queries typed in a row, each extending the one before, with their matches.
        self._chain: list[tuple[str, Set[str]]] = []
        self._chain_full_text = False

    def order(self, sort: SortOrder, counts: Mapping[str, int]) -> list[Article]:
        if sort is SortOrder.TITLE:
            if self._by_title is None:
                self._by_title = sorted(self.articles, key=lambda article: self._titles[article.id])
            return self._by_title
        if sort is SortOrder.ANNOTATIONS:
            return sorted(self.articles, key=lambda article: -counts.get(article.id, 0))
        return self.articles

    def matching(self, query: str) -> Set[str]:
        """The ids whose title (or, with the search ready, title or text) holds every word.

        The queries typed in a row are remembered with their matches: a query that extends the
        last one is searched for only among its matches, and one met before (a backspace) is not
        searched for again.
        """
        folded = " ".join(fold(query).split()) + (" " if query[-1:].isspace() else "")
        full_text = self.search is not None
        if self._chain_full_text != full_text:
            self._chain, self._chain_full_text = [], full_text
        for position, (earlier, found) in enumerate(self._chain):
            if earlier == folded:
                del self._chain[position + 1 :]
                return found
        while self._chain and not folded.startswith(self._chain[-1][0]):
            self._chain.pop()
        among = self._chain[-1][1] if self._chain else None
        terms = query_terms(query)
        titles = self._titles
        if self.search is not None:
            search = self.search
            found = search.matching(query)  # not among the last matches: "p" (a word) does not hold "pa" (a prefix)
            if len(search) < len(titles):  # articles whose text could not be read: titles only
                found.update(
                    article_id
                    for article_id in (titles.keys() if among is None else among)
                    if article_id not in search and all(term in titles[article_id] for term in terms)
                )
        else:
            pairs = titles.items() if among is None else ((article_id, titles[article_id]) for article_id in among)
            found = {article_id for article_id, title in pairs if all(term in title for term in terms)}
        self._chain.append((folded, found))
        del self._chain[:-MAX_CHAIN]
        return found

    def _by_rank(self, search: Search, query: str, matches: Set[str]) -> list[Article]:
        """The matches of ``query`` best first; after them, newest first, those the search did
        not rank (too many matches, or a text it does not cover that matched by title)."""
        if self._by_id is None:
            self._by_id = {article.id: article for article in self.articles}
        by_id = self._by_id
        ranking = search.ranked(query)
        ranked = [by_id[article_id] for article_id in ranking if article_id in by_id]
        if len(ranked) < len(matches):  # not ranked: matched by title alone, or too many to rank
            rest = set(matches).difference(ranking)
            if self._ids is None:
                self._ids = [article.id for article in self.articles]
            ranked.extend(compress(self.articles, map(rest.__contains__, self._ids)))  # in C: 100,000 in ms
        return ranked

    def select(self, filters: Filters, facts: Facts) -> list[Article]:
        """The articles that pass every filter, in the chosen order (by relevance when a query
        is typed, the full-text search is ready and the order is the default one, by date)."""
        ordered = self.order(filters.sort, facts.counts)
        if not filters.narrows:
            return list(ordered)
        matches = self.matching(filters.query) if filters.query.strip() else None
        if matches is not None and filters.sort is SortOrder.DATE and self.search is not None:
            ordered = self._by_rank(self.search, filters.query, matches)
            if not (filters.unread or filters.unannotated or filters.tag or filters.dates or filters.entity):
                return ordered  # typing: the ranked matches are the list
        wanted_tag = fold(tag_key(filters.tag)) if filters.tag else None
        entity_ids = facts.entity_matches if filters.entity is not None else None
        if filters.entity is not None and entity_ids is None:
            entity_ids = set()
        if matches is not None and not (
            filters.unread or filters.unannotated or wanted_tag or filters.dates or filters.entity
        ):
            return [article for article in ordered if article.id in matches]  # typing: the common case, kept lean
        result = []
        for article in ordered:
            article_id = article.id
            if matches is not None and article_id not in matches:
                continue
            if filters.unread and article_id in facts.read:
                continue
            if filters.unannotated and facts.counts.get(article_id):
                continue
            if wanted_tag is not None and not any(fold(tag) == wanted_tag for tag in facts.tags.get(article_id, ())):
                continue
            if filters.dates is not None and not filters.dates.contains(article.date):
                continue
            if entity_ids is not None and article_id not in entity_ids:
                continue
            result.append(article)
        return result
