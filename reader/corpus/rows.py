"""Lists of articles that are read from the catalog a page at a time.

The library shows a corpus of any size as a sequence of articles; only the rows on screen are
ever asked for. These sequences fetch those rows from the catalog (:mod:`reader.corpus.catalog`)
by page and keep a few pages, so memory stays the same for 10,000 articles or 1,000,000:

- :class:`OrderRows`: every article, newest first or by title (the catalog's materialised
  orders: a page is a range of ranks);
- :class:`RankRows`: the articles at some ranks of an order (a filter's result), as an array of
  ranks: 8 bytes an article shown;
- :class:`IdRows`: articles by id in a given order (a search's ranking, a few thousand at most);
- :class:`Excluding`: the articles of an order between two ranks, but for a few (unread, not
  annotated, a date range: no array of the whole corpus is made);
- :class:`Chained`: one sequence after another (the annotated articles, then the rest).

Each can say where an article is (:meth:`ArticleRows.position_of`) without reading them all,
so the cursor stays on the article it was on when the list changes.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import overload

from reader.corpus.article import Article
from reader.corpus.listing import Listing

#: Articles a page; pages kept.
PAGE, PAGES = 256, 16


class Indexed(Sequence[Article]):
    """Indexing by position and by slice, negative positions included, over :meth:`_at`."""

    def _at(self, index: int) -> Article:
        """The article at ``index`` (``0 <= index < len(self)``)."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...

    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)


class ArticleRows(Indexed):
    """A sequence of articles fetched from a catalog a page at a time (subclasses say how)."""

    def __init__(self, catalog: Listing) -> None:
        self.catalog = catalog
        self._pages: OrderedDict[int, list[Article]] = OrderedDict()

    def _fetch(self, start: int, stop: int) -> list[Article]:
        """The articles at positions ``start`` to ``stop`` (excluded)."""
        raise NotImplementedError

    def position_of(self, article_id: str) -> int | None:
        """Where the article ``article_id`` is in this sequence, or None."""
        raise NotImplementedError

    def _page(self, number: int) -> list[Article]:
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number * PAGE, min((number + 1) * PAGE, len(self)))
            self._pages[number] = page
            if len(self._pages) > PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def _at(self, index: int) -> Article:
        page = self._page(index // PAGE)
        offset = index % PAGE
        if offset >= len(page):  # the catalog lost rows under this version: cannot happen while held
            raise IndexError(index)
        return page[offset]

    def __iter__(self) -> Iterator[Article]:
        """Every article in order, a large batch at a time (not through the page cache)."""
        step = PAGE * 16
        for start in range(0, len(self), step):
            yield from self._fetch(start, min(start + step, len(self)))

    def __eq__(self, other: object) -> bool:
        """Equal to another sequence of the same articles (a list, in tests and small corpora)."""
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class OrderRows(ArticleRows):
    """Every article of the catalog, in one of its orders (``date``: newest first, or ``title``)."""

    def __init__(self, catalog: Listing, order: str) -> None:
        super().__init__(catalog)
        self.order = order
        self._length = catalog.count()

    def __len__(self) -> int:
        return self._length

    def _fetch(self, start: int, stop: int) -> list[Article]:
        return self.catalog.rows_by_rank(self.order, start, stop)

    def position_of(self, article_id: str) -> int | None:
        return self.catalog.rank_of(self.order, article_id)

    def get(self, article_id: str) -> Article | None:
        return self.catalog.get(article_id)


class RankRows(ArticleRows):
    """The articles at ``ranks`` (ascending) of one of the catalog's orders."""

    def __init__(self, catalog: Listing, order: str, ranks: array[int]) -> None:
        super().__init__(catalog)
        self.order = order
        self.ranks = ranks

    def __len__(self) -> int:
        return len(self.ranks)

    def _fetch(self, start: int, stop: int) -> list[Article]:
        if start >= stop:
            return []
        wanted = self.ranks[start:stop]
        lowest, highest = wanted[0], wanted[-1]
        if highest - lowest < 4 * len(wanted):  # close together: one range, the others skipped
            rows = self.catalog.rows_by_rank(self.order, lowest, highest + 1)
            return [rows[rank - lowest] for rank in wanted]
        return [self.catalog.rows_by_rank(self.order, rank, rank + 1)[0] for rank in wanted]

    def position_of(self, article_id: str) -> int | None:
        rank = self.catalog.rank_of(self.order, article_id)
        if rank is None:
            return None
        position = bisect_left(self.ranks, rank)
        return position if position < len(self.ranks) and self.ranks[position] == rank else None


class Excluding(ArticleRows):
    """The articles ranked ``low`` to ``high`` (excluded) in ``order``, but those at ``excluded``
    (ascending ranks)."""

    def __init__(self, catalog: Listing, order: str, excluded: Sequence[int], low: int = 0, high: int | None = None):
        super().__init__(catalog)
        self.order = order
        self.low = low
        self.high = catalog.count() if high is None else high
        first, last = bisect_left(excluded, low), bisect_left(excluded, self.high)
        self.excluded = list(excluded[first:last])

    def __len__(self) -> int:
        return max(self.high - self.low - len(self.excluded), 0)

    def rank_at(self, position: int) -> int:
        """The rank of the article at ``position``: the excluded ranks before it skipped."""
        skipped = 0
        while True:
            rank = self.low + position + skipped
            now = bisect_right(self.excluded, rank)
            if now == skipped:
                return rank
            skipped = now

    def _fetch(self, start: int, stop: int) -> list[Article]:
        if start >= stop:
            return []
        lowest, highest = self.rank_at(start), self.rank_at(stop - 1)
        rows = self.catalog.rows_by_rank(self.order, lowest, highest + 1)
        first = bisect_left(self.excluded, lowest)
        gone = set(self.excluded[first : bisect_right(self.excluded, highest)])
        return [article for rank, article in enumerate(rows, lowest) if rank not in gone]

    def position_of(self, article_id: str) -> int | None:
        rank = self.catalog.rank_of(self.order, article_id)
        if rank is None or not self.low <= rank < self.high:
            return None
        before = bisect_left(self.excluded, rank)
        if before < len(self.excluded) and self.excluded[before] == rank:
            return None
        return rank - self.low - before


class IdRows(ArticleRows):
    """The articles ``ids``, in that order (ids the catalog does not know are left out)."""

    def __init__(self, catalog: Listing, ids: Sequence[str]) -> None:
        super().__init__(catalog)
        self.id_list = list(ids)
        self._where: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.id_list)

    def _fetch(self, start: int, stop: int) -> list[Article]:
        wanted = self.id_list[start:stop]
        found = self.catalog.rows_by_ids(wanted)
        return [found[article_id] for article_id in wanted]

    def position_of(self, article_id: str) -> int | None:
        if self._where is None:
            self._where = {article_id: position for position, article_id in enumerate(self.id_list)}
        return self._where.get(article_id)


class Chained(Indexed):
    """``first``, then ``then``."""

    def __init__(self, first: ArticleRows, then: ArticleRows) -> None:
        self.first, self.then = first, then

    def __len__(self) -> int:
        return len(self.first) + len(self.then)

    def _at(self, index: int) -> Article:
        if index < len(self.first):
            return self.first[index]
        return self.then[index - len(self.first)]

    def __iter__(self) -> Iterator[Article]:
        yield from self.first
        yield from self.then

    def position_of(self, article_id: str) -> int | None:
        position = self.first.position_of(article_id)
        if position is not None:
            return position
        position = self.then.position_of(article_id)
        return None if position is None else len(self.first) + position
