"""The store's index in memory: every article's summary, kept ready for the questions the UI asks.

Built by applying :class:`~annotations.journal.Summary` values in journal order (a later summary
of an article replaces the earlier one) and kept current the same way, so that counting
annotations per article, counting tags, finding the articles that carry a tag and finding the
article that holds an annotation never open a shard. Pure bookkeeping: no files here.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from annotations.journal import Entry, Summary
from annotations.model import ArticleRef, tag_key

#: Generations, counted for every index in the process: a rebuilt index never repeats one.
_GENERATIONS = itertools.count(1)


class Index:
    """Every article's summary, with the derived maps updated incrementally as summaries arrive.

    The maps from annotation ids to articles and from tags to articles are built on first use
    (loading a large journal then costs little more than parsing it, so that the first screen,
    which only needs counts, comes up fast) and kept current from then on.
    """

    def __init__(self, summaries: Iterable[Summary] = ()) -> None:
        self._summaries: dict[str, Summary] = {}
        self._counts: dict[str, int] = {}
        self._refs: dict[str, ArticleRef] | None = None
        #: annotation id -> article id; ``None`` until first needed.
        self._ids: dict[str, str] | None = None
        #: tag key -> article id -> annotations with the tag there; ``None`` until first needed.
        self._tags: dict[str, dict[str, int]] | None = None
        #: tag key -> article id -> its first spelling there (in text order), kept with ``_tags``.
        self._spelled: dict[str, dict[str, str]] = {}
        self._tag_totals: dict[str, int] = {}
        #: Each tag key's spelling when known: (the first article by id using it, its spelling there).
        self._spellings: dict[str, tuple[str, str]] = {}
        self._keys: dict[str, str] = {}
        self._tag_counts: list[tuple[str, int]] | None = None
        #: Changes with every summary applied (unique in the process): what was computed from
        #: the index at one generation holds as long as the generation is the same.
        self.generation = next(_GENERATIONS)
        for summary in summaries:
            self.apply(summary)

    # -- keeping it current ----------------------------------------------------------------

    def key(self, tag: str) -> str:
        """:func:`~annotations.model.tag_key` of ``tag``, remembered (tags repeat a great deal)."""
        key = self._keys.get(tag)
        if key is None:
            key = self._keys[tag] = tag_key(tag)
        return key

    def apply(self, summary: Summary) -> None:
        """Make ``summary`` the article's current summary. ``ValueError`` if it is malformed."""
        article_id = summary.article_id
        self.generation = next(_GENERATIONS)
        if self._tags is not None:
            per_tag = self._per_tag(summary)  # checks it before anything changes
        elif not all(isinstance(entry, list) and len(entry) == 2 for entry in summary.entries):
            raise ValueError(f"the summary of article {article_id!r} has a malformed annotation")
        old = self._summaries.pop(article_id, None)
        if old is not None:
            self._forget(old)
        if self._refs is not None:
            self._refs.pop(article_id, None)
        if summary.digest is None and summary.ref is None and not summary.entries:
            return
        self._summaries[article_id] = summary
        if summary.entries:
            self._counts[article_id] = len(summary.entries)
        if self._refs is not None and summary.ref is not None:
            self._refs[article_id] = ArticleRef.from_record(summary.ref)
        if self._ids is not None:
            self._add_ids(summary)
        if self._tags is not None:
            self._add_tags(article_id, per_tag)

    def _add_ids(self, summary: Summary) -> None:
        assert self._ids is not None
        for entry in summary.entries:
            self._ids[entry[0]] = summary.article_id

    def _add_tags(self, article_id: str, per_tag: dict[str, tuple[int, str]]) -> None:
        assert self._tags is not None
        self._tag_counts = None
        for key, value in per_tag.items():
            self._tags.setdefault(key, {})[article_id] = value[0]
            self._spelled.setdefault(key, {})[article_id] = value[1]
            self._tag_totals[key] = self._tag_totals.get(key, 0) + value[0]
            known = self._spellings.get(key)
            if known is not None and article_id <= known[0]:
                self._spellings[key] = (article_id, value[1])

    def _per_tag(self, summary: Summary) -> dict[str, tuple[int, str]]:
        """Each tag key of the article with its number of annotations and first spelling."""
        per_tag: dict[str, tuple[int, str]] = {}
        try:
            for annotation_id, tags in summary.entries:
                if not isinstance(annotation_id, str):
                    raise TypeError(annotation_id)
                seen: set[str] = set()
                for tag in dict.fromkeys(tags):
                    key = self.key(tag)
                    if key in seen:
                        continue  # one passage counts once for a tag, however often written
                    seen.add(key)
                    count, spelled = per_tag.get(key, (0, tag))
                    per_tag[key] = (count + 1, spelled)
        except (TypeError, ValueError, AttributeError):
            raise ValueError(f"the summary of article {summary.article_id!r} has a malformed annotation") from None
        return per_tag

    def _forget(self, old: Summary) -> None:
        article_id = old.article_id
        self._counts.pop(article_id, None)
        if self._ids is not None:
            for entry in old.entries:
                if self._ids.get(entry[0]) == article_id:
                    del self._ids[entry[0]]
        if self._tags is None:
            return
        self._tag_counts = None
        for key, (count, _) in self._per_tag(old).items():
            articles = self._tags[key]
            del articles[article_id], self._spelled[key][article_id]
            self._tag_totals[key] -= count
            if not articles:
                del self._tags[key], self._tag_totals[key], self._spelled[key]
            known = self._spellings.get(key)
            if known is not None and known[0] == article_id:
                del self._spellings[key]  # the article that gave the spelling changed: look again

    def _id_map(self) -> dict[str, str]:
        if self._ids is None:
            self._ids = {}
            for summary in self._summaries.values():
                self._add_ids(summary)
        return self._ids

    def _tag_map(self) -> dict[str, dict[str, int]]:
        if self._tags is None:
            self._tags = {}
            for article_id, summary in self._summaries.items():
                self._add_tags(article_id, self._per_tag(summary))
        return self._tags

    # -- questions -------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many articles have a summary."""
        return len(self._summaries)

    def files(self) -> int:
        """How many articles have a file (a shard) by their summaries: what the folder should hold."""
        return sum(1 for summary in self._summaries.values() if summary.digest is not None)

    def summary(self, article_id: str) -> Summary | None:
        return self._summaries.get(article_id)

    def summaries(self) -> list[Summary]:
        """Every summary, by article id (what a compacted journal holds)."""
        return [self._summaries[article_id] for article_id in sorted(self._summaries)]

    def article_of(self, annotation_id: str) -> str | None:
        """The article whose shard holds ``annotation_id``, if any."""
        return self._id_map().get(annotation_id)

    def tagged(self) -> list[tuple[str, list[Entry]]]:
        """Each annotated article's id with its ``[annotation id, [tags]]`` entries in text order,
        by article id: every annotation, in the order of :meth:`AnnotationStore.all`. The lists
        are the index's own, not to be changed. What the analysis counts, no shard opened."""
        return [(article_id, self._summaries[article_id].entries) for article_id in sorted(self._counts)]

    def annotated_articles(self) -> list[str]:
        """Ids of the articles that have annotations, sorted."""
        return sorted(self._counts)

    def articles_with_tag(self, tag: str) -> list[str]:
        """Ids of the articles with an annotation tagged ``tag`` (compared by tag key), sorted."""
        return sorted(self._tag_map().get(self.key(tag), ()))

    def tag_articles(self) -> dict[str, dict[str, int]]:
        """Each tag key's articles with how many of their passages carry it (a copy): the code x
        article matrix's counts, without opening a shard."""
        return {key: dict(using) for key, using in self._tag_map().items()}

    def tag_spellings(self) -> dict[str, tuple[str, str]]:
        """Each tag key's first article by id and the tag's spelling there, as
        :meth:`tag_counts` spells it."""
        self.tag_counts()
        return dict(self._spellings)

    def tags_by_article(self) -> dict[str, set[str]]:
        """The tag keys of each annotated article that has tags."""
        by_article: dict[str, set[str]] = {}
        for key, articles in self._tag_map().items():
            for article_id in articles:
                by_article.setdefault(article_id, set()).add(key)
        return by_article

    def counts_by_article(self) -> Counter[str]:
        """How many annotations each annotated article has."""
        return Counter(self._counts)

    def articles(self) -> dict[str, ArticleRef]:
        """The reference of every article that has one, by id."""
        if self._refs is None:
            self._refs = {
                article_id: ArticleRef.from_record(summary.ref)
                for article_id, summary in self._summaries.items()
                if summary.ref is not None
            }
        return dict(self._refs)

    def tag_counts(self) -> list[tuple[str, int]]:
        """Tags in use, most used first (ties by key), each spelled as in the first article by id
        that uses it, as first met there in text order."""
        if self._tag_counts is None:
            for key, articles in self._tag_map().items():
                if key not in self._spellings:
                    first = min(articles)
                    self._spellings[key] = (first, self._spelled[key][first])
            ordered = sorted(self._tag_totals.items(), key=lambda item: (-item[1], item[0]))
            self._tag_counts = [(self._spellings[key][1], count) for key, count in ordered]
        return list(self._tag_counts)
