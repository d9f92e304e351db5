"""Analysis of coded passages: the code x article matrix and the code timeline (pure functions).

A passage's tags are its codes (:mod:`annotations.codebook`): the tag ``framing/pivot westward``
is the code ``pivot westward`` under ``framing``. Codes are told apart as tags are (case and
spacing aside, see :func:`code_key`) and shown as first spelled, in store order (article, then
position), as the store counts them. Every count here is a count of *passages* (what ATLAS.ti
calls quotations): a passage with two codes counts once for each code, never twice for one.

Every cell keeps the ids of its passages, so a screen or a script can drill down from a number
to the words behind it. Co-occurrence is in :mod:`annotations.analysis_cooccurrence`, codes and
named entities in :mod:`annotations.analysis_entities`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Literal, overload

from annotations.codebook import ancestors_of, code_path
from annotations.journal import gc_paused
from annotations.model import Annotation, tag_key

#: What a matrix's columns are: one per article, per month of the article's date, or per source.
Grouping = Literal["article", "month", "source"]
GROUPINGS: tuple[Grouping, ...] = ("article", "month", "source")

#: The column of passages whose article has no date (month) or no source.
UNDATED = "undated"
NO_SOURCE = "no source"

_MONTH = re.compile(r"\d{4}-\d{2}")


@lru_cache(maxsize=65536)
def code_key(tag: str) -> str:
    """The identity of a code: its path as stored (:func:`code_path`), case aside. Cached: a
    store of 100,000 passages has a few hundred distinct tags, each normalised once."""
    return tag_key(code_path(tag))


def month_of(date: str | None) -> str | None:
    """``YYYY-MM`` of an ISO date (``2025-07-27``), None for no date or one of another form."""
    if date is None or _MONTH.match(date) is None:
        return None
    month = int(date[5:7])
    return date[:7] if 1 <= month <= 12 else None


@dataclass(frozen=True)
class ArticleInfo:
    """What the analysis needs of an article: its id, title, date (``YYYY-MM-DD``) and source."""

    id: str
    title: str
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CodedPassages:
    """The passages in play, by id, and the passages of each code (ids, in store order)."""

    spelling: dict[str, str]
    passages: dict[str, Annotation]
    by_code: dict[str, tuple[str, ...]]
    #: The keys of the codes in play on each passage, in its tags' order.
    codes_by_passage: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Each code's passages by article (code -> article id -> ids, in store order): the matrix
    #: by article as it stands, and all the matrix and the timeline need. Not to be changed.
    by_article: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @property
    def read(self) -> bool:
        """Whether ``passages`` holds every passage in play; built from the store's index
        (:func:`coded_entries`), it holds none, and a drill-down reads them by id."""
        return len(self.passages) == len(self.codes_by_passage)

    @property
    def codes(self) -> list[str]:
        """Code keys by path (so a parent's children follow it), case aside."""
        return sorted(self.by_code, key=lambda key: (key, self.spelling[key]))

    def codes_of(self, passage_id: str) -> tuple[str, ...]:
        """The keys of the codes in play on one passage, in its tags' order."""
        return self.codes_by_passage.get(passage_id, ())


#: An article's passages as the store's index knows them: its id and, in store order, each
#: passage's ``[id, [tags]]`` (see ``AnnotationStore.tagged``).
ArticleEntries = tuple[str, Iterable[Sequence[Any]]]


def coded_passages(annotations: Iterable[Annotation], selected: Iterable[str] = ()) -> CodedPassages:
    """The passages and their codes; with ``selected`` codes, only those codes and the codes under
    them (``framing`` selects ``framing/pivot westward`` too). Passages without one are left out."""
    annotations = list(annotations)
    coded = coded_entries(((a.article_id, ((a.id, a.tags),)) for a in annotations), selected)
    wanted = coded.codes_by_passage
    coded.passages.update((a.id, a) for a in annotations if a.id in wanted)
    return coded


def coded_entries(articles: Iterable[ArticleEntries], selected: Iterable[str] = ()) -> CodedPassages:
    """:func:`coded_passages` from what the store's index holds (``AnnotationStore.tagged``), no
    passage read: enough for the matrix and the timeline; ``passages`` is left empty.

    One pass, kept lean (100,000 passages must count in well under a second): the codes of each
    distinct list of tags are worked out once, and every passage is filed by code and article."""
    wanted = {code_key(tag) for tag in selected}
    spelling: dict[str, str] = {}
    by_code: dict[str, list[str]] = {}
    by_article: dict[str, dict[str, list[str]]] = {}
    codes_by_passage: dict[str, tuple[str, ...]] = {}
    known: dict[tuple[str, ...], tuple[str, ...]] = {}  # by tags as written: the codes in play
    chosen: dict[str, str | None] = {}  # by tag as written: its code's key, if in play
    with gc_paused():  # a few hundred thousand small lists and tuples, none in a cycle
        for article_id, entries in articles:
            for passage_id, tags in entries:
                written = tuple(tags)
                codes = known.get(written)
                if codes is None:
                    codes = known[written] = _codes_of(written, wanted, chosen)
                    for tag in written:  # a code met for the first time is spelled as here
                        key = chosen[tag]
                        if key is not None and key not in spelling:
                            spelling[key] = code_path(tag)
                if not codes:
                    continue
                codes_by_passage[passage_id] = codes
                for key in codes:
                    found = by_code.get(key)
                    if found is None:
                        by_code[key], by_article[key] = [passage_id], {article_id: [passage_id]}
                        continue
                    found.append(passage_id)
                    row = by_article[key]
                    cell = row.get(article_id)
                    if cell is None:
                        row[article_id] = [passage_id]
                    else:
                        cell.append(passage_id)
        frozen = {key: tuple(ids) for key, ids in by_code.items()}
    return CodedPassages(spelling, {}, frozen, codes_by_passage, by_article)


def _codes_of(tags: tuple[str, ...], wanted: set[str], chosen: dict[str, str | None]) -> tuple[str, ...]:
    """The keys of the codes in play among a passage's tags, in order, each once (a tag given
    twice in two spellings counts once). ``chosen`` remembers each tag's key (None: not in play)."""
    keys: dict[str, None] = {}
    for tag in tags:
        if tag not in chosen:
            chosen[tag] = code_key(tag) if _in_play(tag, wanted) else None
        key = chosen[tag]
        if key is not None:
            keys[key] = None
    return tuple(keys)


def _in_play(tag: str, wanted: set[str]) -> bool:
    """Whether a tag is a code among ``wanted`` or under one (any code, with none wanted)."""
    path = code_path(tag)
    if not path:
        return False
    return not wanted or code_key(path) in wanted or any(code_key(parent) in wanted for parent in ancestors_of(path))


class LazyPassages(Sequence[str]):
    """A cell's passage ids, known by number and found (by ``find``, given how many are wanted)
    only when asked: listing a cell's first 500 passages finds 500, not 30,000."""

    def __init__(self, count: int, find: Callable[[int | None], list[str]]) -> None:
        self._count, self._find = count, find
        self._all: list[str] | None = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if self._all is None and isinstance(index, slice) and index.step is None:
            start, stop = index.start or 0, index.stop
            if start >= 0 and stop is not None and stop >= 0:
                return self._find(stop)[index]
        return self.everything()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.everything())

    def everything(self) -> list[str]:
        """Every id, found once."""
        if self._all is None:
            self._all = self._find(None)
        return self._all


@dataclass(frozen=True)
class CodeMatrix:
    """Codes (rows, by key) against columns (articles, months or sources): the passages of each
    cell, by id. ``labels`` names each column for people (an article's title, a month).
    ``cells`` is sparse (code -> column -> ids, empty cells absent) and not to be changed.

    A matrix of counts alone (``counted``: code -> column -> passages, from the store's index,
    see :mod:`annotations.analysis_index`) finds a cell's ids only when asked, and only as many
    as asked (``passages(...)[:500]``), with its ``finder``."""

    by: Grouping
    codes: list[str]
    spelling: dict[str, str]
    columns: list[str]
    labels: dict[str, str]
    cells: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    counted: dict[str, dict[str, int]] | None = None
    #: With ``counted``: the ids of (code, column, or None for the whole row), the first ``limit``.
    finder: Callable[[str, str | None, int | None], list[str]] | None = None

    @property
    def has_ids(self) -> bool:
        """Whether the cells name their passages (false for counts from the index)."""
        return self.counted is None

    def passages(self, code: str, column: str) -> Sequence[str]:
        """The ids of the passages of ``code`` in ``column``, in store order."""
        if self.finder is not None:
            return LazyPassages(self.count(code, column), partial(self.finder, code, column))
        return self.cells.get(code, {}).get(column, ())

    def count(self, code: str, column: str) -> int:
        if self.counted is not None:
            return self.counted.get(code, {}).get(column, 0)
        return len(self.passages(code, column))

    def counts(self, code: str) -> list[int]:
        """The row of ``code``: one count per column, in column order."""
        return [self.count(code, column) for column in self.columns]

    def row(self, code: str) -> Sequence[str]:
        """Every passage of ``code`` in the matrix, column by column."""
        if self.finder is not None:
            return LazyPassages(self.total(code), partial(self.finder, code, None))
        row = self.cells.get(code, {})
        return [passage for column in self.columns if column in row for passage in row[column]]

    def total(self, code: str) -> int:
        """Passages of ``code`` across every column (each passage is in one column only)."""
        if self.counted is not None:
            return sum(self.counted.get(code, {}).values())
        return sum(len(ids) for ids in self.cells.get(code, {}).values())

    def column_totals(self) -> dict[str, int]:
        """Passages in each column, over every code (a passage with two codes counts twice)."""
        totals = dict.fromkeys(self.columns, 0)
        if self.counted is not None:
            for counted in self.counted.values():
                for column, count in counted.items():
                    totals[column] += count
            return totals
        for row in self.cells.values():
            for column, ids in row.items():
                totals[column] += len(ids)
        return totals


def column_of(info: ArticleInfo, by: Grouping) -> str:
    """The column an article's passages fall in."""
    if by == "article":
        return info.id
    if by == "month":
        return month_of(info.date) or UNDATED
    return info.source or NO_SOURCE


def info_of(articles: Mapping[str, ArticleInfo], article_id: str) -> ArticleInfo:
    """The article's metadata; an article the corpus no longer has is named by its id."""
    return articles.get(article_id) or ArticleInfo(article_id, article_id)


def code_matrix(coded: CodedPassages, articles: Mapping[str, ArticleInfo], by: Grouping = "article") -> CodeMatrix:
    """Passages per code and article (or month, or source). Articles are ordered by date then
    title, months in time order, sources by name; passages with no date or source come last."""
    present: set[str] = set().union(*coded.by_article.values())
    infos = {article_id: info_of(articles, article_id) for article_id in present}
    if by == "article":
        cells = coded.by_article
    else:
        columns_of = {article_id: column_of(info, by) for article_id, info in infos.items()}
        cells = {}
        for code, by_article in coded.by_article.items():
            row: dict[str, list[str]] = {}
            for article_id, ids in by_article.items():
                column = columns_of[article_id]
                found = row.get(column)
                if found is None:
                    row[column] = list(ids)
                else:
                    found.extend(ids)
            cells[code] = row
    columns, labels = ordered_columns(infos.values(), by)
    return CodeMatrix(by, coded.codes, coded.spelling, columns, labels, cells)


def ordered_columns(infos: Iterable[ArticleInfo], by: Grouping) -> tuple[list[str], dict[str, str]]:
    """The columns of these articles' passages, in order, and their labels: articles by date then
    title, months in time order, sources by name; no date or no source last."""
    if by == "article":
        ordered = sorted(infos, key=lambda i: (i.date or "9999", i.title.casefold(), i.id))
        return [i.id for i in ordered], {i.id: i.title for i in ordered}
    last = UNDATED if by == "month" else NO_SOURCE
    present = {column_of(info, by) for info in infos}
    columns = sorted(present - {last}, key=lambda c: (c.casefold(), c)) + ([last] if last in present else [])
    return columns, {column: column for column in columns}


def months_between(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``, both included."""
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def code_timeline(coded: CodedPassages, articles: Mapping[str, ArticleInfo]) -> CodeMatrix:
    """Passages per month per code: the matrix by month with every month from the first to the
    last present (empty months count 0, so a chart's bars are evenly spaced in time); passages
    of undated articles in a last ``undated`` column."""
    by_month = code_matrix(coded, articles, "month")
    dated = [column for column in by_month.columns if column != UNDATED]
    months = months_between(dated[0], dated[-1]) if dated else []
    columns = months + ([UNDATED] if UNDATED in by_month.columns else [])
    labels = {column: column for column in columns}
    return CodeMatrix("month", by_month.codes, by_month.spelling, columns, labels, by_month.cells)
