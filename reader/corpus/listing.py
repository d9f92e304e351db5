"""What the library's rows and filters read articles from: a corpus's catalog, or a plain list.

A corpus keeps its articles in its catalog (:class:`reader.corpus.catalog.Catalog`, SQLite). The
same questions can be put to a list of articles held in memory (:class:`ListListing`: a few
articles made by hand, or a test's), so the :class:`reader.corpus.finding.Finder` and the rows
(:mod:`reader.corpus.rows`) have one way of working for both.

Ranks are 0-based positions in one of two orders: ``date`` (newest first, as given for a list)
and ``title`` (case and accents aside).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from reader.corpus.article import Article
from reader.corpus.search import fold


class Listing(Protocol):
    """Articles by rank in an order, by id, and the (rank, id, date) of many at once."""

    def count(self) -> int: ...

    def get(self, article_id: str) -> Article | None: ...

    def rows_by_rank(self, order: str, first: int, last: int) -> list[Article]:
        """The articles ranked ``first`` to ``last`` (``last`` excluded) in ``order``."""
        ...

    def rows_by_ids(self, ids: list[str]) -> dict[str, Article]: ...

    def rank_of(self, order: str, article_id: str) -> int | None: ...

    def ranked(self, order: str, ids: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
        """(rank, id, date) of each of ``ids`` that is listed, in no set order."""
        ...

    def every(self, order: str) -> Iterator[tuple[int, str, str | None]]:
        """(rank, id, date) of every article, in ``order``."""
        ...

    def title_matches(self, terms: list[str]) -> set[str]:
        """The ids whose folded title holds each of ``terms`` (folded)."""
        ...


class ListListing:
    """A :class:`Listing` over articles in memory, in the order given (taken as newest first)."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.orders = {
            "date": list(articles),
            "title": sorted(articles, key=lambda article: fold(article.title)),
        }
        self.ranks = {
            order: {article.id: rank for rank, article in enumerate(listed)} for order, listed in self.orders.items()
        }
        self.by_id = {article.id: article for article in articles}
        self.titles = {article.id: fold(article.title) for article in articles}

    def count(self) -> int:
        return len(self.by_id)

    def get(self, article_id: str) -> Article | None:
        return self.by_id.get(article_id)

    def rows_by_rank(self, order: str, first: int, last: int) -> list[Article]:
        return self.orders[order][first:last]

    def rows_by_ids(self, ids: list[str]) -> dict[str, Article]:
        return {article_id: self.by_id[article_id] for article_id in ids if article_id in self.by_id}

    def rank_of(self, order: str, article_id: str) -> int | None:
        return self.ranks[order].get(article_id)

    def ranked(self, order: str, ids: Iterable[str]) -> Iterator[tuple[int, str, str | None]]:
        ranks = self.ranks[order]
        for article_id in ids:
            if (rank := ranks.get(article_id)) is not None:
                yield rank, article_id, self.by_id[article_id].date

    def every(self, order: str) -> Iterator[tuple[int, str, str | None]]:
        for rank, article in enumerate(self.orders[order]):
            yield rank, article.id, article.date

    def title_matches(self, terms: list[str]) -> set[str]:
        return {article_id for article_id, title in self.titles.items() if all(term in title for term in terms)}
