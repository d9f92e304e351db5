"""The article screen's passages that the changed text no longer holds where they were.

A fuzzy candidate is offered for a yes or no (nothing moves without a yes); an orphan waits
for the user to select where its passage is now (re-attach).
"""

from __future__ import annotations

from annotations import Annotation
from reader.app.dialogs.confirm_anchor import AnchorDecision, ConfirmAnchorDialog
from reader.app.screens.article_base import ArticlePart
from reader.app.store_guard import reports_store_errors
from reader.safe_text import inert


class ArticleReanchoring(ArticlePart):
    """Confirming fuzzy passages and re-attaching orphans in the open article."""

    def _confirm_fuzzy(self, waiting: list[Annotation]) -> None:
        """Ask about each fuzzy candidate in turn; nothing moves without a yes."""
        if not waiting:
            return
        annotation, rest = waiting[0], waiting[1:]
        candidate = self.unplaced[annotation.id]

        def decided(decision: AnchorDecision | None) -> None:
            if decision is AnchorDecision.ACCEPT:
                self._resize(annotation, candidate.start, candidate.end, label="re-anchor")
            elif decision is AnchorDecision.ORPHAN:
                self.turned_down.add(annotation.id)
                self.reload_annotations()
                self.notify("Left orphaned: it stays listed in the panel and under O, to re-attach or delete.")
            self._confirm_fuzzy(rest)

        self.app.push_screen(ConfirmAnchorDialog(annotation, candidate, self.article.text), decided)

    def _ask_for_reattach_passage(self) -> None:
        if self.reattaching is None:
            return
        quote = " ".join(inert(self.reattaching.quote).split())
        self.notify(
            f"Re-attach \u201c{quote[:80]}\u201d: select where the passage is now and press t (Esc cancels).",
            timeout=12,
            markup=False,
        )

    @reports_store_errors
    def _reattach(self, orphan: Annotation, span: tuple[int, int]) -> None:
        if not self._resize(orphan, *span, label="re-attach"):
            return  # the store said why (a message), or nothing was to change
        self.reattaching = None
        self.view.clear_selection()
        self.notify(f"Re-attached the annotation tagged {inert(', '.join(orphan.tags))}.", markup=False)
