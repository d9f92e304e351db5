"""Choosing annotations: by tag, by article, by time of last change (the export filters).

The same choice serves ``reader export --tag/--article/--since`` and the app's "export what is
in view" (all, this article, this tag).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from annotations.model import Annotation, tag_key


@dataclass(frozen=True)
class AnnotationFilter:
    """Which annotations to keep; an empty filter keeps them all.

    An annotation is kept when it has any of ``tags`` (compared as tags are: case and spacing
    aside), belongs to any of ``article_ids``, and was changed at or after ``since``. Each
    criterion left empty does not filter.
    """

    tags: frozenset[str] = field(default_factory=frozenset)
    article_ids: frozenset[str] = field(default_factory=frozenset)
    since: datetime | None = None

    @classmethod
    def of(
        cls, *, tags: Iterable[str] = (), article_ids: Iterable[str] = (), since: datetime | None = None
    ) -> AnnotationFilter:
        return cls(frozenset(tag_key(tag) for tag in tags), frozenset(article_ids), since)

    def matches(self, annotation: Annotation) -> bool:
        if self.tags and not any(tag_key(tag) in self.tags for tag in annotation.tags):
            return False
        if self.article_ids and annotation.article_id not in self.article_ids:
            return False
        return self.since is None or annotation.updated >= self.since

    def select(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        """The annotations this filter keeps, in the order given."""
        return [annotation for annotation in annotations if self.matches(annotation)]
