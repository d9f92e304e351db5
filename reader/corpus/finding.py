"""Finding articles in a corpus: the :class:`Finder` applies :class:`Filters` (see
:mod:`reader.corpus.filters`) to the corpus's catalog and gives the list to show.

The list is never the corpus copied: with no filter it is the catalog's order itself; a filter
gives rows that are fetched a page at a time (:mod:`reader.corpus.rows`). What costs in proportion
to the corpus is kept off the keystroke: typing a query asks the full-text index for its best
matches; unread, not annotated and date ranges skip ranks of the catalog's order; only the
matches of a query, a tag or an entity are looked up one by one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import Protocol

from annotations.model import tag_key
from reader.corpus.article import Article
from reader.corpus.filters import DateRange, EntityQuery, Facts, Filters, SortOrder
from reader.corpus.listing import Listing, ListListing
from reader.corpus.rows import ArticleRows, Chained, Excluding, IdRows, OrderRows, RankRows
from reader.corpus.search import fold, query_terms

__all__ = ["DateRange", "EntityQuery", "Facts", "Filters", "Finder", "Search", "SortOrder"]

#: How many queries typed in a row keep their matches (each set is at most the corpus's ids).
MAX_CHAIN = 32
#: While a query is typed (and nothing else narrows), the list is its best matches, this many at
#: most; :attr:`Finder.match_count` says how many match in all.
TYPED_LIMIT = 2_000


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

    def best(self, query: str, limit: int) -> tuple[list[str], int | None]:
        """The ids of the best ``limit`` matches, and how many match (None: too many to count)."""
        ...


class Finder:
    """Applies :class:`Filters` to a corpus's articles (its catalog's rows, or a list newest first).

    Until :attr:`search` is set, queries match titles only (folded, anywhere in the title); with
    it, titles and full text, and the list is in the search's ranked order when sorted by date
    (the default): the best match first.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.listing: Listing = articles.catalog if isinstance(articles, OrderRows) else ListListing(articles)
        self.articles = OrderRows(self.listing, "date")
        self.search: Search | None = None
        #: The queries typed in a row, each extending the one before, with their matches.
        self._chain: list[tuple[str, Set[str]]] = []
        self._chain_full_text = False
        #: How many articles the query of the last list matched (None: more than the index counts);
        #: the list shows at most :data:`TYPED_LIMIT` of them while only a query narrows it.
        self.match_count: int | None = 0

    def order(self, sort: SortOrder, counts: Mapping[str, int]) -> Sequence[Article]:
        if sort is SortOrder.TITLE:
            return OrderRows(self.listing, "title")
        if sort is SortOrder.ANNOTATIONS:
            return self._annotated_first(counts)
        return self.articles

    def _annotated_first(self, counts: Mapping[str, int], among: Sequence[int] | None = None) -> Sequence[Article]:
        """The annotated articles, most annotated first, then the others newest first (of the
        ranks ``among``, or all)."""
        annotated = sorted(
            (-counts[article_id], rank)
            for rank, article_id, _ in self.listing.ranked("date", (key for key, count in counts.items() if count))
        )
        if among is not None:
            wanted = set(among)
            annotated = [pair for pair in annotated if pair[1] in wanted]
        ranks = sorted(rank for _, rank in annotated)
        first = RankOrdered(self.listing, "date", [rank for _, rank in annotated])
        if among is None:
            return Chained(first, Excluding(self.listing, "date", ranks))
        taken = set(ranks)
        return Chained(first, RankRows(self.listing, "date", array("q", (r for r in among if r not in taken))))

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
        if self.search is not None:
            search = self.search
            found = search.matching(query)  # not among the last matches: "p" (a word) does not hold "pa" (a prefix)
            if len(search) < self.listing.count():  # articles whose text could not be read: titles only
                found.update(article_id for article_id in self.listing.title_matches(terms) if article_id not in search)
        else:
            found = self.listing.title_matches(terms)
            if among is not None:
                found &= among
        self._chain.append((folded, found))
        del self._chain[:-MAX_CHAIN]
        return found

    def _typed(self, search: Search, query: str) -> Sequence[Article]:
        """The best :data:`TYPED_LIMIT` matches of ``query``, best first, in a time that does not
        grow with the corpus (:meth:`reader.corpus.fulltext.FullTextIndex.best`); then, newest
        first, articles whose text could not be indexed that match by title."""
        ids, count = search.best(query, TYPED_LIMIT)
        if len(search) < self.listing.count():
            shown = set(ids)
            extra = [i for i in self.listing.title_matches(query_terms(query)) if i not in search and i not in shown]
            ids = ids + [i for _, i, _ in sorted(self.listing.ranked("date", extra))]
            count = None if count is None else count + len(extra)
        self.match_count = count
        return IdRows(self.listing, ids)

    def _by_rank(self, search: Search, query: str, matches: Set[str]) -> Sequence[Article]:
        """The matches of ``query`` best first; after them, newest first, those the search did
        not rank (too many matches, or a text it does not cover that matched by title)."""
        ranking = [article_id for article_id in search.ranked(query) if article_id in matches]
        best = IdRows(self.listing, ranking)
        if len(ranking) >= len(matches):
            return best
        return Chained(best, LaterRanks(self.listing, set(matches).difference(ranking)))

    def select(self, filters: Filters, facts: Facts) -> Sequence[Article]:
        """The articles that pass every filter, in the chosen order (by relevance when a query
        is typed, the full-text search is ready and the order is the default one, by date)."""
        ordered = self.order(filters.sort, facts.counts)
        if not filters.narrows:
            return ordered
        query = filters.query.strip()
        others = filters.unread or filters.unannotated or filters.tag or filters.dates or filters.entity
        if query and filters.sort is SortOrder.DATE and self.search is not None and not others:
            return self._typed(self.search, filters.query)  # typing: the best matches are the list
        matches = self.matching(filters.query) if query else None
        self.match_count = None if matches is None else len(matches)
        ranking = matches is not None and filters.sort is SortOrder.DATE and self.search is not None
        candidates = matches
        if filters.tag:
            wanted_tag = fold(tag_key(filters.tag))
            tagged = {key for key, tags in facts.tags.items() if any(fold(tag) == wanted_tag for tag in tags)}
            candidates = tagged if candidates is None else tagged & set(candidates)
        if filters.entity is not None:
            mentioning = set(facts.entity_matches or ())
            candidates = mentioning if candidates is None else mentioning & set(candidates)
        order = "title" if filters.sort is SortOrder.TITLE else "date"
        if candidates is None and order == "date":
            return self._skipping(filters, facts)
        rows = self.listing.every(order) if candidates is None else self.listing.ranked(order, candidates)
        kept = sorted(rank for rank, article_id, date in rows if self._passes(filters, facts, article_id, date))
        if ranking:
            assert self.search is not None and matches is not None
            keep = {article_id for _, article_id, _ in self.listing.ranked("date", _ids_at(self.listing, kept))}
            return self._by_rank(self.search, filters.query, keep)
        if filters.sort is SortOrder.ANNOTATIONS:
            return self._annotated_first(facts.counts, kept)
        return RankRows(self.listing, order, array("q", kept))

    def _skipping(self, filters: Filters, facts: Facts) -> Sequence[Article]:
        """Unread, not annotated and a date range, newest first, without listing every article:
        the read or annotated articles' ranks are skipped, the dates are a range of ranks."""
        low, high = 0, self.listing.count()
        if filters.dates is not None:
            low, high = _date_bounds(self.listing, filters.dates, high)
        skipped: set[str] = set()
        if filters.unread:
            skipped.update(facts.read)
        if filters.unannotated:
            skipped.update(key for key, count in facts.counts.items() if count)
        excluded = sorted(rank for rank, _, _ in self.listing.ranked("date", skipped))
        if filters.sort is SortOrder.ANNOTATIONS:
            if not filters.unannotated:
                gone = set(excluded)
                return self._annotated_first(facts.counts, [r for r in range(low, high) if r not in gone])
        return Excluding(self.listing, "date", excluded, low, high)

    @staticmethod
    def _passes(filters: Filters, facts: Facts, article_id: str, date: str | None) -> bool:
        if filters.unread and article_id in facts.read:
            return False
        if filters.unannotated and facts.counts.get(article_id):
            return False
        return filters.dates is None or filters.dates.contains(date)


class RankOrdered(ArticleRows):
    """The articles at ``ranks`` of an order, in the order of ``ranks`` (not ascending)."""

    def __init__(self, listing: Listing, order: str, ranks: list[int]) -> None:
        super().__init__(listing)
        self.order = order
        self.rank_list = ranks

    def __len__(self) -> int:
        return len(self.rank_list)

    def _fetch(self, start: int, stop: int) -> list[Article]:
        return [self.catalog.rows_by_rank(self.order, rank, rank + 1)[0] for rank in self.rank_list[start:stop]]

    def position_of(self, article_id: str) -> int | None:
        rank = self.catalog.rank_of(self.order, article_id)
        return self.rank_list.index(rank) if rank in self.rank_list else None


class LaterRanks(ArticleRows):
    """``ids`` newest first: their ranks looked up only when the list is scrolled to them (the
    matches the search did not rank, after those it did)."""

    def __init__(self, listing: Listing, ids: set[str]) -> None:
        super().__init__(listing)
        self.id_set = ids
        self._rows: RankRows | None = None

    def _ranked(self) -> RankRows:
        if self._rows is None:
            ranks = sorted(rank for rank, _, _ in self.catalog.ranked("date", self.id_set))
            self._rows = RankRows(self.catalog, "date", array("q", ranks))
        return self._rows

    def __len__(self) -> int:
        return len(self.id_set)

    def _fetch(self, start: int, stop: int) -> list[Article]:
        return self._ranked()._fetch(start, stop)

    def position_of(self, article_id: str) -> int | None:
        """Where ``article_id`` is, once the list was scrolled here (else None: looking it up
        would rank every match, on a keystroke)."""
        if self._rows is None or article_id not in self.id_set:
            return None
        return self._rows.position_of(article_id)


def _ids_at(listing: Listing, ranks: list[int]) -> list[str]:
    rows = RankRows(listing, "date", array("q", ranks))
    return [article.id for article in rows]


def _date_bounds(listing: Listing, dates: DateRange, count: int) -> tuple[int, int]:
    """The ranks (newest first) from the first article inside ``dates`` to the first after them
    (undated articles come last and are never inside), found by halving."""

    def first(outside_newer: bool) -> int:
        low, high = 0, count
        while low < high:
            middle = (low + high) // 2
            date = listing.rows_by_rank("date", middle, middle + 1)[0].date
            if _newer_than(dates, date) if outside_newer else _not_older_than(dates, date):
                low = middle + 1
            else:
                high = middle
        return low

    return first(True), first(False)


def _newer_than(dates: DateRange, date: str | None) -> bool:
    """Whether ``date`` is after the range's end (so before it in the list)."""
    return date is not None and dates.end is not None and date[: len(dates.end)] > dates.end


def _not_older_than(dates: DateRange, date: str | None) -> bool:
    """Whether ``date`` is not before the range's start (so not after it in the list)."""
    return date is not None and (dates.start is None or date >= dates.start)
