"""The article screen's layers: your own passages, and other coders' when you ask for them.

By default the view shows and edits only the passages of the coder you work as
(``ReaderApp.coder``: the settings' coder, or ``--coder``). ``C`` shows the other coders'
passages too, each coder with its own mark (:mod:`reader.app.coder_marks`) named in the legend,
and hides them again. Other coders' passages are drawn and listed, never changed: tag, note,
delete and resize work on your passages only and say so when the caret is on someone else's.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotations import Annotation
from reader.app.coder_marks import coder_marks
from reader.app.screens.article_base import ArticlePart
from reader.app.widgets.legend import Legend


class ArticleLayers(ArticlePart):
    """Whose passages the open article shows, and the refusal to change another coder's."""

    #: Whether other coders' passages are shown (C toggles it, for this visit of the article).
    layers_shown: bool = False
    #: The placed passages of other coders in this article (shown or not), in text order.
    other_passages: tuple[Annotation, ...] = ()

    @property
    def coder(self) -> str:
        """The coder this session works as."""
        return self.app.coder

    def own_passages(self, placed: Sequence[Annotation]) -> list[Annotation]:
        """Your passages among ``placed``; the others' are kept aside (and drawn when shown)."""
        mine = self.coder
        self.other_passages = tuple(sorted((a for a in placed if a.coder != mine), key=lambda a: (a.start, a.end)))
        self._draw_layers()
        return [a for a in placed if a.coder == mine]

    def shown_others(self) -> list[Annotation]:
        """The other coders' passages on view now (none while layers are off)."""
        return list(self.other_passages) if self.layers_shown else []

    def _draw_layers(self) -> None:
        """Give the view and the legend the other coders' passages and marks, or take them away
        (the panel lists them from :meth:`shown_others` when the annotations are reloaded)."""
        names = sorted({a.coder for a in self.shown_others()})
        marks = coder_marks(self.app, names)
        self.view.others = tuple((a, marks[a.coder]) for a in self.shown_others())
        self.query_one(Legend).coders_shown = tuple((name, marks[name]) for name in names)
        self.view.refresh()

    def action_toggle_layers(self) -> None:
        """Show the other coders' passages beside yours, or only yours again."""
        self.layers_shown = not self.layers_shown
        names = sorted({a.coder for a in self.other_passages})
        if self.layers_shown and not names:
            message = f"Only you ({self.coder}) have coded this article."
        elif self.layers_shown:
            message = (
                f"Showing the passages of {', '.join(names)} beside yours: you can read them, not change them "
                "(C hides them)."
            )
        else:
            message = f"Showing only your passages ({self.coder})."
        self.notify(message, markup=False)
        self.reload_annotations()
        self._update_legend()

    def others_at_caret(self) -> list[Annotation]:
        """The other coders' passages shown at the caret."""
        caret = self.view.caret
        return [a for a in self.shown_others() if a.start <= caret < a.end]

    def refuse_others(self, annotation: Annotation | None = None) -> bool:
        """Whether to refuse a change because the passage is another coder's: ``annotation``
        when given, else the passages at the caret (when none of yours is there); says so."""
        if annotation is not None:
            theirs = [annotation] if annotation.coder != self.coder else []
        else:
            theirs = self.others_at_caret()
        if not theirs:
            return False
        owners = ", ".join(sorted({a.coder for a in theirs}))
        self.notify(
            f"This passage is {owners}'s: you ({self.coder}) can change only your own passages.",
            severity="warning",
            markup=False,
        )
        return True
