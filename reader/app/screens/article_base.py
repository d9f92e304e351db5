"""ArticlePart: what the parts of the article screen share (its state, view, store and history).

:class:`reader.app.screens.article.ArticleScreen` is made of parts, one idea a module: the
entities (:mod:`.article_entities`), annotating (:mod:`.article_annotating`), passages to place
again (:mod:`.article_reanchoring`), whose passages are shown (:mod:`.article_layers`), and the
screen itself (layout, panels, find, status). Each part derives from this class, which declares
the state the screen sets up in its ``__init__`` and the methods one part calls in another, so
each module reads (and type-checks) alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotations import Annotation, AnnotationStore
from annotations.anchoring import Anchor
from annotations.history import History
from reader.app.base import ReaderScreen
from reader.app.matches import Matches
from reader.app.widgets.article_view import ArticleView
from reader.corpus import Article


class ArticlePart(ReaderScreen[None]):
    """A base class of the article screen, never shown alone."""

    article: Article
    initial_caret: int | None
    #: Passages for n and N to walk from the start (an entity's mentions, from the index).
    initial_walk: Matches | None
    #: An orphaned annotation waiting for the user to select where its passage is now.
    reattaching: Annotation | None
    #: Annotations whose passage is not placed in this text (fuzzy or orphaned), by id.
    unplaced: dict[str, Anchor]
    unplaced_annotations: list[Annotation]
    #: Tags in use across the store, most used first (the dialog and the tag bar offer them).
    used_tags: list[tuple[str, int]]
    quick_tags: list[str | None]
    entity_status: str
    #: Whether entity recognition has finished (with entities, or with the reason it cannot).
    entities_ready: bool
    #: The user's choice for the annotation panel (a); None follows the article and width.
    panel_wanted: bool | None
    #: Fuzzy candidates the user turned down (n) in this visit: orphans now, not waiting.
    turned_down: set[str]

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def store(self) -> AnnotationStore:
        return self.app.store

    @property
    def history(self) -> History:
        return self.app.history

    if TYPE_CHECKING:  # one part calls these in another

        def reload_annotations(self) -> None: ...

        def _resize(self, annotation: Annotation, start: int, end: int, label: str = "resize") -> bool | None: ...

        def _reattach(self, orphan: Annotation, span: tuple[int, int]) -> None: ...

        def _place_panel(self) -> None: ...

        def _update_status(self) -> None: ...

        def _update_legend(self) -> None: ...

        def own_passages(self, placed: Sequence[Annotation]) -> list[Annotation]: ...

        def shown_others(self) -> list[Annotation]: ...

        def refuse_others(self, annotation: Annotation | None = None) -> bool: ...

        def action_find_next(self, direction: int, from_caret: bool = False) -> None: ...
