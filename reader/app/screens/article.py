"""ArticleScreen: read one article, see its entities, and tag passages.

The text shows at once; entities are found in a worker thread and coloured when they arrive.
Every change to an annotation goes straight to the store through the undo history, and the view
redraws from what the store returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Static

from annotations import Annotation
from annotations.anchoring import Anchor, AnchorStatus
from annotations.placing import place
from annotations.history import Outcome
from reader import textnav
from reader.app.matches import Matches
from reader.app.screens.confirm_anchor import AnchorDecision, ConfirmAnchorDialog
from reader.app.screens.note_dialog import NoteDialog
from reader.app.screens.tag_dialog import TagDialog
from reader.app.widgets.annotation_panel import AnnotationPanel
from reader.app.screens.entity_correction import FORGET, NOT_AN_ENTITY, EntityCorrectionDialog
from reader.app.screens.entity_finding import EntitiesFound, EntitiesOff, find_in_background
from reader.app.screens.label_filter import LabelFilterDialog
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.entity_panel import EntityPanel
from reader.app.widgets.find_bar import FindBar
from reader.app.widgets.legend import Legend
from reader.app.store_guard import reports_store_errors
from reader.app.widgets.tag_bar import TagBar
from reader.clipboard import citation, copy_text
from reader.corpus import Article
from reader.nlp import Entity
from reader.safe_text import inert


T = TypeVar("T")

#: The narrowest terminal that shows the annotation panel by itself.
PANEL_MIN_WIDTH = 100


class ArticleScreen(Screen[None]):
    CSS_PATH = "article.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", show=False, tooltip="Close find, drop the selection, or go back", id="article.back"),
        Binding("t", "tag", "Tag", tooltip="Tag the selection, or retag the annotation under the caret", id="article.tag"),
        *(
            Binding(str(n), f"quick_tag({n})", f"Tag {n}", show=False, tooltip=f"Apply tag {n} of the tag bar", id=f"article.tag-{n}")
            for n in range(1, 10)
        ),
        Binding("number_sign", "renumber_quick_tags", "Renumber tags", show=False, tooltip="Renumber quick tags 1-9 by use", id="article.renumber-tags"),
        Binding("c", "note", "Note", tooltip="Write or edit the note of the annotation under the caret", id="article.note"),
        Binding("d", "delete_annotation", "Delete", show=False, tooltip="Delete the annotation under the caret", id="article.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change in this article (also after a restart)", id="article.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo what was undone", id="article.redo"),
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the selection or the annotation under the caret, with a citation", id="article.copy"),
        Binding("R", "resize_to_selection", "Resize", show=False, tooltip="Make the annotation cover the selection", id="article.resize"),
        Binding("greater_than_sign", "resize_end(1)", "Grow", show=False, tooltip="Extend the annotation by a word", id="article.grow"),
        Binding("less_than_sign", "resize_end(-1)", "Shrink", show=False, tooltip="Shrink the annotation by a word", id="article.shrink"),
        Binding("right_square_bracket", "jump_annotation(1)", "Next", show=False, tooltip="Next annotation", id="article.next"),
        Binding("left_square_bracket", "jump_annotation(-1)", "Previous", show=False, tooltip="Previous annotation", id="article.previous"),
        Binding("a", "toggle_panel", "Panel", show=False, tooltip="Show or hide the list of annotations", id="article.panel"),
        Binding("E", "toggle_entity_panel", "Entities", show=False, tooltip="Entities by label; Enter walks the mentions", id="article.entities"),
        Binding("L", "filter_labels", "Labels", show=False, tooltip="Choose which entity labels are coloured", id="article.labels"),
        Binding(
            "equals_sign", "correct_entity", "Correct entity", show=False,
            tooltip="Relabel, remove or add the entity under the caret (or the selection), in every article", id="article.correct-entity",
        ),
        Binding("slash", "find", "Find", tooltip="Find words in the article", id="article.find"),
        Binding("n", "find_next(1)", "Next match", show=False, tooltip="Next match of the last find", id="article.next-match"),
        Binding("N", "find_next(-1)", "Previous match", show=False, tooltip="Previous match of the last find", id="article.previous-match"),
    ]

    def __init__(
        self,
        article: Article,
        initial_caret: int | None = None,
        reattach: Annotation | None = None,
        walk: Matches | None = None,
    ) -> None:
        super().__init__()
        self.article = article
        self.initial_caret = initial_caret
        #: Passages for n and N to walk from the start (an entity's mentions, from the index).
        self.initial_walk = walk
        #: An orphaned annotation waiting for the user to select where its passage is now.
        self.reattaching = reattach
        #: Annotations whose passage is not placed in this text (fuzzy or orphaned), by id.
        self.unplaced: dict[str, Anchor] = {}
        self.unplaced_annotations: list[Annotation] = []
        #: Tags in use across the store, most used first (the dialog and the tag bar offer them).
        self.used_tags: list[tuple[str, int]] = []
        self.quick_tags: list[str | None] = [None] * 9
        self.entity_status = "finding entities\u2026"
        #: Whether entity recognition has finished (with entities, or with the reason it cannot).
        self.entities_ready = False
        #: The user's choice for the annotation panel (a); None follows the article and width.
        self.panel_wanted: bool | None = None
        #: Fuzzy candidates the user turned down (n) in this visit: orphans now, not waiting.
        self.turned_down: set[str] = set()

    def compose(self) -> ComposeResult:
        heading = 2 if self.article.date else 1
        title = Text(f" {self.article.title}", style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f"  {self.article.date or ''}  {inert(self.article.path.name)}", style="dim")
        yield Static(title, id="article-title")
        with Horizontal(id="article-body"):
            yield ArticleView(self.article.text, heading_lines=heading, id="article-view")
            yield AnnotationPanel(id="annotation-panel")
            yield EntityPanel(id="entity-panel")
        yield FindBar(id="find")
        yield TagBar(id="tag-bar")
        yield Static(id="status")
        yield Legend(id="legend")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def store(self):
        return self.app.store

    @property
    def history(self):
        return self.app.history

    def on_mount(self) -> None:
        self.view.hidden_labels = self.app.hidden_labels
        self.view.set_matches(self.initial_walk)
        self.reload_annotations()
        if self.initial_caret is not None:
            self.view.move_caret(self.initial_caret)
        self.view.focus()
        self._update_legend()
        self.find_entities()
        self._confirm_fuzzy([a for a in self.unplaced_annotations if self.unplaced[a.id].status is AnchorStatus.FUZZY])
        if self.reattaching is not None:
            self._ask_for_reattach_passage()

    # -- entities --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="entities")
    def find_entities(self) -> None:
        find_in_background(self, self.app.recognizer, self.article.text, self.view)

    @on(EntitiesFound)
    def _entities_found(self, event: EntitiesFound) -> None:
        if event.stale:
            return
        if event.percent is None:
            self._show_entities(event.entities)
        else:  # the part on screen is done, or some more: colour what is found so far
            self.entity_status = f"entities: {event.percent}%"
            self.view.set_entities(event.entities)
            self._update_legend()

    @on(EntitiesOff)
    def _entities_off_event(self, event: EntitiesOff) -> None:
        self._entities_off(event.reason)

    def _show_entities(self, entities: list[Entity]) -> None:
        self.entity_status = ""
        self.entities_ready = True
        self.view.set_entities(entities)
        self._update_legend()
        self._update_status()  # the entity under the caret may have changed (a correction)
        self._fill_entity_panel()

    def _fill_entity_panel(self) -> None:
        self.query_one(EntityPanel).show(self.view.entities, self.article.text, self.view.hidden_labels)

    def action_toggle_entity_panel(self) -> None:
        entities = self.query_one(EntityPanel)
        entities.display = not entities.display
        if entities.display:
            self.panel_wanted = False
            self._place_panel()
            entities.focus()
        else:
            self.view.focus()

    def action_filter_labels(self) -> None:
        counts = Counter(entity.label for entity in self.view.entities)
        if not counts:
            self.notify("No entities in this article (yet).", severity="warning")
            return

        def apply(hidden: set[str] | None) -> None:
            if hidden is None:
                return
            self.app.hidden_labels.clear()
            self.app.hidden_labels.update(hidden)
            self.view.refresh()
            self._update_legend()
            self._fill_entity_panel()

        self.app.push_screen(LabelFilterDialog(counts, set(self.view.hidden_labels)), apply)

    def action_correct_entity(self) -> None:
        view = self.view
        entity = view.entity_at(view.caret)
        span = view.selection or ((entity.start, entity.end) if entity else None)
        if span is None:
            self.notify("Put the caret on an entity, or select the words that should be one.", severity="warning")
            return
        words = " ".join(self.article.text[span[0] : span[1]].split())
        current = next((e.label for e in view.entities if (e.start, e.end) == span), None)
        rule = next((c for c in self.app.corrections.all() if c.words == words), None)
        self.app.push_screen(
            EntityCorrectionDialog(words, current, rule), lambda choice: self._correct(words, choice)
        )

    @reports_store_errors
    def _correct(self, words: str, choice: str | None) -> None:
        if choice is None:
            return
        book = self.app.corrections
        if choice == FORGET:
            book.forget(words)
            said = f"Forgot the correction of \u201c{words}\u201d."
        else:
            label = None if choice == NOT_AN_ENTITY else choice
            book.set(words, label)
            said = f"\u201c{words}\u201d is {label or 'not an entity'} in every article now."
        self.view.clear_selection()
        self.find_entities()
        self.notify(said, markup=False)

    @on(EntityPanel.Walk)
    def _walk(self, event: EntityPanel.Walk) -> None:
        """Go to the next mention, all of them highlighted; n and N walk them too."""
        first = event.mentions[0]
        name = " ".join(self.article.text[first.start : first.end].split())
        mentions = Matches.of_spans(name, ((m.start, m.end) for m in event.mentions))
        if self.view.matches != mentions:
            self.view.set_matches(mentions)
        self.action_find_next(1)

    def _entities_off(self, reason: str) -> None:
        self.entity_status = f"entities off: {reason}"
        self.entities_ready = True
        self._update_legend()
        self.notify(f"Entities are off: {reason}", severity="warning", timeout=10, markup=False)

    def _update_legend(self) -> None:
        view = self.view
        self.query_one(Legend).show_labels(
            (entity.label for entity in view.entities), view.hidden_labels, self.entity_status
        )

    # -- annotations -----------------------------------------------------------------------

    def place(self, stored: list[Annotation]) -> list[Annotation]:
        """The annotations whose passage is found in this text; the rest go to ``unplaced``.

        A passage found exactly, or moved with its context, follows the text silently (and the
        store learns its new offsets); a fuzzy or missing one waits for the user.
        """
        placements = place(stored, self.article.text, self.article.sha256)
        for updated in placements.changed:
            self.store.update(updated)
        self.unplaced = {p.stored.id: p.anchor for p in placements.unplaced}
        self.unplaced_annotations: list[Annotation] = [p.stored for p in placements.unplaced]
        return placements.placed

    @reports_store_errors
    def reload_annotations(self) -> None:
        annotations = self.place(self.store.for_article(self.article.id))
        self.view.set_annotations(annotations)
        panel = self.query_one(AnnotationPanel)
        panel.show(annotations, self.unplaced_annotations, self.waiting)
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
            self.app.push_screen(TagDialog(passage, self.used_tags), lambda tags: self._create(selection, tags))
        elif annotation is not None:
            self.app.push_screen(
                TagDialog(annotation.quote, self.used_tags, annotation.tags),
                lambda tags: self._retag(annotation, tags),
            )
        else:
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
        else:
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
        )
        self.view.clear_selection()

        def done(_: Annotation) -> None:
            self.reload_annotations()
            self.notify(f"Tagged {inert(', '.join(annotation.tags))}", markup=False)

        self._write(lambda: self.history.add(self.article.id, annotation, self.article.ref()), done)

    @reports_store_errors
    def _retag(self, annotation: Annotation, tags: list[str] | None) -> None:
        if tags and tags != annotation.tags:  # Enter on the tags as they were changes nothing
            self._write(lambda: self.history.update(self.article.id, "retag", annotation, annotation.retagged(tags)))

    def action_note(self) -> None:
        annotation = self._under_caret()
        if annotation is None:
            self.notify("Put the caret on an annotation to write its note.", severity="warning")
            return

        self.app.push_screen(NoteDialog(annotation.quote, annotation.note), lambda note: self._save_note(annotation, note))

    @reports_store_errors
    def _save_note(self, annotation: Annotation, note: str | None) -> None:
        if note is not None and note != annotation.note:
            self._write(lambda: self.history.update(self.article.id, "note", annotation, annotation.with_note(note)))

    @reports_store_errors
    def action_delete_annotation(self) -> None:
        annotation = self._under_caret()
        if annotation is None:
            self.notify("There is no annotation under the caret.", severity="warning")
            return

        def done(_: Annotation | None) -> None:
            self.reload_annotations()
            self.notify(f"Deleted the annotation tagged {inert(', '.join(annotation.tags))} (u undoes).", markup=False)

        self._write(lambda: self.history.delete(self.article.id, annotation), done)

    @reports_store_errors
    def _resize(self, annotation: Annotation, start: int, end: int, label: str = "resize") -> bool:
        """Put ``annotation`` over ``[start, end)`` of the text as it is now (resize, re-anchor);
        whether it was written."""
        unchanged = (start, end) == (annotation.start, annotation.end) and annotation.article_sha256 == self.article.sha256
        if unchanged or end <= start:
            return False
        moved = annotation.moved(self.article.text, start, end, self.article.sha256)
        self.history.update(self.article.id, label, annotation, moved)
        self.reload_annotations()
        return True

    def action_resize_to_selection(self) -> None:
        selection = self.view.selection
        overlapping = [a for a in self.view.annotations if selection and a.start < selection[1] and a.end > selection[0]]
        if selection is None or len(overlapping) != 1:
            self.notify("Select the new extent over exactly one annotation, then press R.", severity="warning")
            return
        self._resize(overlapping[0], *selection)
        self.view.clear_selection()

    def action_resize_end(self, direction: int) -> None:
        annotation = self._under_caret()
        if annotation is None:
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

        def done(change: Outcome | None) -> None:
            self.reload_annotations()
            self.notify(inert(change.message("undo")) if change else "Nothing to undo in this article.", markup=False)

        self._write(lambda: self.history.undo(self.article.id), done)

    @reports_store_errors
    def action_redo(self) -> None:

        def done(change: Outcome | None) -> None:
            self.reload_annotations()
            self.notify(inert(change.message("redo")) if change else "Nothing to redo.", markup=False)

        self._write(lambda: self.history.redo(self.article.id), done)

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

    def _place_panel(self) -> None:
        """Show the panel when there is something in it and room for it, or as the user chose."""
        panel = self.query_one(AnnotationPanel)
        if self.panel_wanted is None:
            panel.display = bool(panel.annotations or panel.orphans) and self.app.size.width >= PANEL_MIN_WIDTH
        else:
            panel.display = self.panel_wanted

    def on_resize(self) -> None:
        self._place_panel()

    def action_toggle_panel(self) -> None:
        self.panel_wanted = not self.query_one(AnnotationPanel).display
        if self.panel_wanted:
            self.query_one(EntityPanel).display = False
        self._place_panel()

    @on(AnnotationPanel.Chosen)
    def _chosen(self, event: AnnotationPanel.Chosen) -> None:
        if event.annotation.id in self.waiting:
            self._confirm_fuzzy([event.annotation])
        elif event.annotation.id in self.unplaced:
            self.reattaching = event.annotation
            self._ask_for_reattach_passage()
        else:
            self.view.move_caret(event.annotation.start)
        self.view.focus()

    # -- passages the changed text no longer holds -----------------------------------------

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

    # -- find ------------------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    @on(FindBar.Find)
    def _find(self, event: FindBar.Find) -> None:
        self.view.focus()
        self.view.set_matches(Matches.find(self.article.text, event.words) if event.words else None)
        self.action_find_next(1, from_caret=True)

    def action_find_next(self, direction: int, from_caret: bool = False) -> None:
        """Move to the next (or previous) match of the find, or mention walked, wrapping around
        the article and saying so, as less and vim do."""
        matches = self.view.matches
        if matches is None:
            return
        step = matches.step(self.view.caret, direction, from_caret=from_caret)
        if step is None:
            self.notify(f"Not found: {inert(matches.what)}", severity="warning", markup=False)
            return
        self.view.move_caret(step.start)
        wrapped = step.wrap_message(direction)
        if wrapped:
            self.notify(wrapped, timeout=3)

    # -- status ----------------------------------------------------------------------------

    @on(ArticleView.CursorMoved)
    def _update_status(self) -> None:
        view = self.view
        status = Text(f" {view.caret + 1}/{len(self.article.text)}", style="dim")
        where = view.matches.position(view.caret) if view.matches else None
        if where:
            status.append(f"  \u201c{inert(view.matches.what)}\u201d {where}", style="bold #e0af68")
        entity = view.entity_at(view.caret)
        if entity:
            status.append(f"  {entity.label} ", style="bold")
            status.append(inert(self.article.text[entity.start : entity.end]))
        for annotation in view.annotations_at(view.caret):
            status.append("  \u25a0 ", style="#e0af68")
            status.append(inert(", ".join(annotation.tags)), style="bold #e0af68")
            if annotation.note:
                status.append(" \u270e", style="#e0af68")
        selection = view.selection
        if selection:
            status.append(f"  selected {selection[1] - selection[0]} characters", style="#7aa2f7")
            status.append("  (t or 1-9 to tag, y to copy)", style="dim")
        self.query_one("#status", Static).update(status)
        self.query_one(AnnotationPanel).follow(view.caret)

    def _leave_panel(self) -> bool:
        """Esc in a side panel: the entity panel closes, the annotation panel gives the focus back
        to the text; whether a panel had the focus (then Esc does nothing more)."""
        entities, annotations = self.query_one(EntityPanel), self.query_one(AnnotationPanel)
        if not (entities.has_focus or annotations.has_focus):
            return False
        if entities.has_focus:
            entities.display = False
        self.view.focus()
        return True

    def action_back(self) -> None:
        if self.query_one(FindBar).display:
            self.query_one(FindBar).close()
            self.view.focus()
        elif self._leave_panel():
            return
        elif self.reattaching is not None:
            self.reattaching = None
            self.view.clear_selection()
            self.notify("Re-attaching cancelled.")
        elif self.view.anchor is not None:
            self.view.clear_selection()
        else:
            self.dismiss(None)
