"""Reads the analysis needs of a big store, as a part of :class:`~annotations.store.AnnotationStore`:
what every passage is tagged, from the index alone, and passages fetched by id (a drill-down).

Opening the analysis screen on 100,000 annotations used to read every article file (a second
or more) to count codes by article; the index the store keeps in memory already has each
article's annotation ids and tags in text order, which is all a matrix or a timeline needs.
The passages themselves (quote, offsets) are then read only for the few a person looks at.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from annotations.following import JournalFollower
from annotations.index import Index
from annotations.journal import Entry, gc_paused
from annotations.model import Annotation


class IndexedReads:
    """The store's reads that go through its index; the store supplies the three members below."""

    _follower: JournalFollower

    def _reading(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _current_index(self, *, locked: bool) -> Index:
        raise NotImplementedError

    def tagged(self) -> list[tuple[str, list[Entry]]]:
        """Each annotated article's id and its ``[annotation id, [tags]]`` entries: every
        annotation, in the order of :meth:`all`, from the index alone (no article file is read).
        The lists are the index's own, not to be changed."""
        with self._reading():
            return self._current_index(locked=False).tagged()

    def tag_articles(self) -> tuple[dict[str, dict[str, int]], dict[str, tuple[str, str]]]:
        """Each tag key's articles with how many of their passages carry it, and each tag key's
        first article by id with its spelling there: from the index alone (see
        :func:`annotations.analysis_index.index_matrix`)."""
        with self._reading():
            index = self._current_index(locked=False)
            return index.tag_articles(), index.tag_spellings()

    def generation(self) -> int:
        """A number that changes whenever the annotations change (here or in another process,
        once followed): what was computed at one generation holds while it is the same."""
        with self._reading():
            return self._current_index(locked=False).generation

    def map_ids(self) -> None:
        """Make the index's map from annotation ids to articles now (a tenth of a second on
        100,000), so that a worker can spare the first :meth:`get_many` the wait."""
        with self._reading(), gc_paused():
            self._current_index(locked=False).article_of("")

    def get_many(self, annotation_ids: Iterable[str]) -> list[Annotation]:
        """The annotations with these ids, in the order asked (ids not in the store left out);
        reads only their articles' files, each once."""
        found: list[Annotation] = []
        with self._reading(), gc_paused():  # the id map, on first use: 100,000 entries, no cycle
            index = self._current_index(locked=False)
            by_article: dict[str, dict[str, Annotation]] = {}
            for annotation_id in annotation_ids:
                article_id = index.article_of(annotation_id)
                if article_id is None:
                    continue
                held = by_article.get(article_id)
                if held is None:
                    shard = self._follower.shard(article_id, index)
                    held = by_article[article_id] = {annotation.id: annotation for annotation in shard.annotations}
                annotation = held.get(annotation_id)
                if annotation is not None:
                    found.append(annotation)
        return found
