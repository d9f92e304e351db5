"""The article screen's entities: recognised in a worker, coloured as they come, filtered by
label, corrected by the user (in every article), and listed in the entity panel."""

from __future__ import annotations

from collections import Counter

from textual import on, work

from reader.app.dialogs.entity_correction import FORGET, NOT_AN_ENTITY, EntityCorrectionDialog
from reader.app.dialogs.label_filter import LabelFilterDialog
from reader.app.matches import Matches
from reader.app.screens.article_base import ArticlePart
from reader.app.screens.entity_finding import EntitiesFound, EntitiesOff, find_in_background
from reader.app.store_guard import reports_store_errors
from reader.app.widgets.entity_panel import EntityPanel
from reader.app.widgets.legend import Legend
from reader.nlp import Entity


class ArticleEntities(ArticlePart):
    """Finding, showing, filtering and correcting the entities of the open article."""

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
        self.app.push_screen(EntityCorrectionDialog(words, current, rule), lambda choice: self._correct(words, choice))

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
