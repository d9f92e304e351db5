"""The article screen's annotating: tag, quick-tag, note, delete, resize, undo and copy.

Each works on your own passages (the coder you work as); another coder's shown beside yours is
never changed: the action says whose it is (see :mod:`.article_layers`).

Every change goes to the store through the undo history, off the UI thread (see
:mod:`reader.app.store_writes`), and the view redraws from what the store returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from annotations import Annotation, StoreError
from annotations.anchoring import AnchorStatus
from annotations.codebook_store import code_key
from annotations.history import Outcome
from annotations.placing import place
from reader import textnav
from reader.app.code_tints import colours_of_store
from reader.app.dialogs.note_dialog import NoteDialog
from reader.app.dialogs.tag_dialog import TagDialog
from reader.app.screens.article_base import ArticlePart
from reader.app.store_guard import reports_store_errors
from reader.app.widgets.annotation_panel import AnnotationPanel
from reader.app.widgets.tag_bar import TagBar
from reader.clipboard import citation, copy_text
from reader.safe_text import inert

T = TypeVar("T")


class ArticleAnnotating(ArticlePart):
    """The annotations of the open article, and every action that changes them."""

    def place(self, stored: list[Annotation]) -> list[Annotation]:
        """The annotations whose passage is found in this text; the rest go to ``unplaced``.

        A passage found exactly, or moved with its context, follows the text silently (and the
        store learns its new offsets); a fuzzy or missing one of yours waits for you (another
        coder's is theirs to place again).
        """
        placements = place(stored, self.article.text, self.article.sha256)
        for updated in placements.changed:
            self.store.update(updated)
        yours = [p for p in placements.unplaced if p.stored.coder == self.app.coder]
        self.unplaced = {p.stored.id: p.anchor for p in yours}
        self.unplaced_annotations: list[Annotation] = [p.stored for p in yours]
        return placements.placed

    @reports_store_errors
    def reload_annotations(self) -> None:
        annotations = self.own_passages(self.place(self.store.for_article(self.article.id)))
        self.view.code_colours = colours_of_store(self.app.history.codebook)
        self.view.set_annotations(annotations)
        panel = self.query_one(AnnotationPanel)
        listed = sorted([*annotations, *self.shown_others()], key=lambda a: (a.start, a.end))
        panel.show(listed, self.unplaced_annotations, self.waiting, mine=self.app.coder)
        panel.follow(self.view.caret)
        self._place_panel()
        self.used_tags = self.store.tag_counts()
        #: The tag of each number key, stable until renumbered (reader.quick_tags).
        self.quick_tags = self.app.quick_tags.numbered(self.used_tags)
        self.query_one(TagBar).show_tags(self.quick_tags)
        self._update_status()

    @property
    def waiting(self) -> dict[str, float]:
        """Unplaced annotations with a similar passage found and no decision yet: id -> likeness."""
        return {
            id: found.score
            for id, found in self.unplaced.items()
            if found.status is AnchorStatus.FUZZY and id not in self.turned_down
        }

    def offered_tags(self) -> list[tuple[str, int]]:
        """What the tag dialog offers: the tags in use, then the codes created in the codebook
        before any passage carries them (count 0)."""
        try:
            codes = self.app.history.codebook.defined().values()
        except StoreError:  # a damaged codebook: tagging goes on, the codebook screen says what is wrong
            codes = {}.values()
        in_use = {code_key(tag) for tag, _ in self.used_tags}
        unused = [(code.path, 0) for code in codes if code.key not in in_use]
        return [*self.used_tags, *sorted(unused, key=lambda pair: pair[0].casefold())]

    def _under_caret(self) -> Annotation | None:
        """The innermost annotation at the caret (the one that starts last)."""
        found = self.view.annotations_at(self.view.caret)
        return max(found, key=lambda a: (a.start, -a.end)) if found else None

    @reports_store_errors
    def action_tag(self) -> None:
        selection = self.view.selection
        annotation = self._under_caret()
        if selection is not None and self.reattaching is not None:
            self._reattach(self.reattaching, selection)
        elif selection is not None:
            passage = self.article.text[selection[0] : selection[1]]
            self.app.push_screen(TagDialog(passage, self.offered_tags()), lambda tags: self._create(selection, tags))
        elif annotation is not None:
            self.app.push_screen(
                TagDialog(annotation.quote, self.offered_tags(), annotation.tags),
                lambda tags: self._retag(annotation, tags),
            )
        elif not self.refuse_others():
            self.notify("Select a passage first: v starts a selection, s selects the sentence.", severity="warning")

    @reports_store_errors
    def action_quick_tag(self, number: int) -> None:
        tag = self.quick_tags[number - 1]
        if tag is None:
            self.notify(f"There is no tag {number} yet: the tag bar lists the numbered tags.", severity="warning")
            return
        selection = self.view.selection
        annotation = self._under_caret()
        if selection is not None:
            self._create(selection, [tag])
        elif annotation is not None:
            self._retag(annotation, [*annotation.tags, tag])
        elif not self.refuse_others():
            self.notify("Select a passage first: v starts a selection, s selects the sentence.", severity="warning")

    def action_renumber_quick_tags(self) -> None:
        self.quick_tags = self.app.quick_tags.renumber(self.used_tags)
        self.query_one(TagBar).show_tags(self.quick_tags)
        self.notify("Quick tags renumbered by use: the most used is 1.")

    @reports_store_errors
    def _create(self, span: tuple[int, int], tags: list[str] | None) -> None:
        if not tags:
            return
        annotation = Annotation.create(
            article_id=self.article.id,
            article_sha256=self.article.sha256,
            text=self.article.text,
            start=span[0],
            end=span[1],
            tags=tags,
            coder=self.app.coder,
        )
        self.view.clear_selection()

        def done(_: Annotation) -> None:
            self.reload_annotations()
            self.notify(f"Tagged {inert(', '.join(annotation.tags))}", markup=False)

        self._write(lambda: self.history.add(self.article.id, annotation, self.article.ref()), done)

    @reports_store_errors
    def _retag(self, annotation: Annotation, tags: list[str] | None) -> None:
        if self.refuse_others(annotation):
            return
        if tags and tags != annotation.tags:  # Enter on the tags as they were changes nothing
            self._write(lambda: self.history.update(self.article.id, "retag", annotation, annotation.retagged(tags)))

    def action_note(self) -> None:
        annotation = self._under_caret()
        if annotation is None:
            if not self.refuse_others():
                self.notify("Put the caret on an annotation to write its note.", severity="warning")
            return

        self.app.push_screen(
            NoteDialog(annotation.quote, annotation.note), lambda note: self._save_note(annotation, note)
        )

    @reports_store_errors
    def _save_note(self, annotation: Annotation, note: str | None) -> None:
        if self.refuse_others(annotation):
            return
        if note is not None and note != annotation.note:
            self._write(lambda: self.history.update(self.article.id, "note", annotation, annotation.with_note(note)))

    @reports_store_errors
    def action_delete_annotation(self) -> None:
        annotation = self._under_caret()
        if annotation is None:
            if not self.refuse_others():
                self.notify("There is no annotation under the caret.", severity="warning")
            return
        if self.refuse_others(annotation):
            return

        def done(_: Annotation | None) -> None:
            self.reload_annotations()
            self.notify(f"Deleted the annotation tagged {inert(', '.join(annotation.tags))} (u undoes).", markup=False)

        self._write(lambda: self.history.delete(self.article.id, annotation), done)

    @reports_store_errors
    def _resize(self, annotation: Annotation, start: int, end: int, label: str = "resize") -> bool:
        """Put ``annotation`` over ``[start, end)`` of the text as it is now (resize, re-anchor);
        whether it was written."""
        unchanged = (start, end) == (
            annotation.start,
            annotation.end,
        ) and annotation.article_sha256 == self.article.sha256
        if unchanged or end <= start or self.refuse_others(annotation):
            return False
        moved = annotation.moved(self.article.text, start, end, self.article.sha256)
        self.history.update(self.article.id, label, annotation, moved)
        self.reload_annotations()
        return True

    def action_resize_to_selection(self) -> None:
        selection = self.view.selection
        overlapping = [
            a for a in self.view.annotations if selection and a.start < selection[1] and a.end > selection[0]
        ]
        if selection is None or len(overlapping) != 1:
            if not (selection is not None and not overlapping and self.refuse_others()):
                self.notify("Select the new extent over exactly one annotation, then press R.", severity="warning")
            return
        self._resize(overlapping[0], *selection)
        self.view.clear_selection()

    def action_resize_end(self, direction: int) -> None:
        annotation = self._under_caret()
        if annotation is None:
            if not self.refuse_others():
                self.notify("Put the caret on an annotation to resize it.", severity="warning")
            return
        text = self.article.text
        if direction > 0:
            following = textnav.next_word_start(text, annotation.end - 1)
            word = textnav.word_at(text, following)
            end = word[1] if word and following >= annotation.end else annotation.end
        else:
            words = [m.end() for m in textnav.WORD.finditer(text, annotation.start, annotation.end)]
            end = words[-2] if len(words) > 1 else annotation.end
        self._resize(annotation, annotation.start, end)

    @reports_store_errors
    def action_undo(self) -> None:
        self._step_history("undo", self.history.undo, "Nothing to undo in this article.")

    @reports_store_errors
    def action_redo(self) -> None:
        self._step_history("redo", self.history.redo, "Nothing to redo.")

    def _step_history(self, verb: str, step: Callable[[str], Outcome | None], nothing: str) -> None:
        """Undo or redo (``verb``, done by ``step``) this article's last change off the UI thread,
        then redraw and say what it did, or ``nothing`` when there was nothing to do."""

        def done(change: Outcome | None) -> None:
            self.reload_annotations()
            self.notify(inert(change.message(verb)) if change else nothing, markup=False)

        self._write(lambda: step(self.article.id), done)

    def _write(self, write: Callable[[], T], then: Callable[[T], object] | None = None) -> None:
        """Make a change off the UI thread (it may wait for another reader process), then ``then``
        with its result, or redraw (see :mod:`reader.app.store_writes`); nothing to redraw if
        the screen was closed meanwhile."""
        after = then or (lambda _: self.reload_annotations())
        self.app.store_writer.submit(write, lambda result: after(result) if self.is_mounted else None)

    def action_copy(self) -> None:
        selection = self.view.selection
        annotation = self._under_caret()
        if selection is not None:
            quote = self.article.text[selection[0] : selection[1]]
        elif annotation is not None:
            quote = annotation.quote
        else:
            self.notify("Select a passage (or put the caret on an annotation) to copy it.", severity="warning")
            return
        text = citation(quote, self.article.title, self.article.date, self.article.path.name)
        used = copy_text(self.app, text)
        self.notify(f"Copied {len(quote)} characters with a citation to the {used}.", markup=False)

    def action_jump_annotation(self, direction: int) -> None:
        view = self.view
        starts = [a.start for a in view.annotations]
        if direction > 0:
            following = [start for start in starts if start > view.caret]
            target = following[0] if following else None
        else:
            earlier = [start for start in starts if start < view.caret]
            target = earlier[-1] if earlier else None
        if target is None:
            self.notify("No more annotations that way.")
        else:
            view.move_caret(target)
