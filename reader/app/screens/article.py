"""ArticleScreen: read one article, see its entities, and tag passages.

The text shows at once; entities are found in a worker thread and coloured when they arrive.
Every change to an annotation goes straight to the store, and the view redraws from what the
store returns.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from annotations import Annotation
from reader.app.screens.tag_dialog import TagDialog
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.legend import Legend
from reader.corpus import Article
from reader.nlp import Entity, ModelUnavailable
from reader.safe_text import inert


class ArticleScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "tag", "Tag", tooltip="Tag the selection, or retag the annotation under the caret"),
        Binding("d", "delete_annotation", "Delete", tooltip="Delete the annotation under the caret"),
        Binding("right_square_bracket", "jump_annotation(1)", "Next note", show=False, tooltip="Next annotation"),
        Binding("left_square_bracket", "jump_annotation(-1)", "Prev note", show=False, tooltip="Previous annotation"),
        Binding("slash", "find", "Find", tooltip="Find words in the article"),
        Binding("n", "find_next(1)", "Next match", show=False),
        Binding("N", "find_next(-1)", "Previous match", show=False),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.entity_status = "finding entities\u2026"
        self.search: str = ""

    def compose(self) -> ComposeResult:
        heading = 2 if self.article.date else 1
        title = Text(f" {self.article.title}", style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f"  {self.article.date or ''}  {inert(self.article.path.name)}", style="dim")
        yield Static(title, id="article-title")
        yield ArticleView(self.article.text, heading_lines=heading, id="article-view")
        yield Input(placeholder="find in article (Enter to jump, Esc to cancel)", id="find")
        yield Static(id="status")
        yield Legend(id="legend")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def on_mount(self) -> None:
        self.query_one("#find", Input).display = False
        self.reload_annotations()
        self.view.focus()
        self._update_legend()
        self.find_entities()

    # -- entities --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="entities")
    def find_entities(self) -> None:
        recognizer = self.app.recognizer
        try:
            entities = recognizer.entities(self.article.text)
        except ModelUnavailable as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._entities_off, str(error))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_entities, entities)

    def _show_entities(self, entities: list[Entity]) -> None:
        self.entity_status = ""
        self.view.set_entities(entities)
        self._update_legend()

    def _entities_off(self, reason: str) -> None:
        self.entity_status = f"entities off: {reason}"
        self._update_legend()
        self.notify(f"Entities are off: {reason}", severity="warning", timeout=10, markup=False)

    @property
    def entities_ready(self) -> bool:
        return self.entity_status == "" or self.entity_status.startswith("entities off")

    def _update_legend(self) -> None:
        view = self.view
        self.query_one(Legend).show_labels(
            (entity.label for entity in view.entities), view.hidden_labels, self.entity_status
        )

    # -- annotations -----------------------------------------------------------------------

    def reload_annotations(self) -> None:
        self.view.set_annotations(self.app.store.for_article(self.article.id))
        self._update_status()

    def action_tag(self) -> None:
        view = self.view
        selection = view.selection
        under_caret = view.annotations_at(view.caret)
        if selection is None and not under_caret:
            self.notify("Select a passage first: v starts a selection, s selects the sentence.", severity="warning")
            return
        used = self.app.store.tag_counts()
        if selection is not None:
            passage = self.article.text[selection[0] : selection[1]]
            self.app.push_screen(TagDialog(passage, used), lambda tags: self._create(selection, tags))
        else:
            annotation = under_caret[-1]
            self.app.push_screen(
                TagDialog(annotation.quote, used, annotation.tags), lambda tags: self._retag(annotation, tags)
            )

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
        self.app.store.add(annotation, self.article.ref())
        self.view.clear_selection()
        self.reload_annotations()
        self.notify(Text(f"Tagged {', '.join(annotation.tags)}").plain, markup=False)

    def _retag(self, annotation: Annotation, tags: list[str] | None) -> None:
        if not tags:
            return
        self.app.store.update(annotation.retagged(tags))
        self.reload_annotations()

    def action_delete_annotation(self) -> None:
        under_caret = self.view.annotations_at(self.view.caret)
        if not under_caret:
            self.notify("There is no annotation under the caret.", severity="warning")
            return
        removed = self.app.store.delete(under_caret[-1].id)
        self.reload_annotations()
        if removed:
            self.notify(f"Deleted the annotation tagged {', '.join(removed.tags)}.", markup=False)

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
            self.notify("No more annotations that way.", severity="information")
        else:
            view.move_caret(target)

    # -- find ------------------------------------------------------------------------------

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = True
        find.value = self.search
        find.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        self.search = event.value
        self._close_find()
        self.action_find_next(1, from_caret=True)

    def _close_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = False
        self.view.focus()

    def action_find_next(self, direction: int, from_caret: bool = False) -> None:
        if not self.search:
            return
        view, haystack, needle = self.view, self.article.text.casefold(), self.search.casefold()
        if direction > 0:
            start = view.caret if from_caret else view.caret + 1
            found = haystack.find(needle, start)
            if found < 0:
                found = haystack.find(needle)
        else:
            found = haystack.rfind(needle, 0, view.caret)
            if found < 0:
                found = haystack.rfind(needle)
        if found < 0:
            self.notify(f"Not found: {self.search}", severity="warning", markup=False)
        else:
            view.move_caret(found)

    # -- status ----------------------------------------------------------------------------

    @on(ArticleView.CursorMoved)
    def _update_status(self) -> None:
        view = self.view
        status = Text(f" {view.caret + 1}/{len(self.article.text)}", style="dim")
        entity = view.entity_at(view.caret)
        if entity:
            status.append(f"  {entity.label} ", style="bold")
            status.append(inert(self.article.text[entity.start : entity.end]))
        for annotation in view.annotations_at(view.caret):
            status.append("  \u25a0 ", style="#e0af68")
            status.append(", ".join(annotation.tags), style="bold #e0af68")
        selection = view.selection
        if selection:
            status.append(f"  selected {selection[1] - selection[0]} characters", style="#7aa2f7")
            status.append("  (t to tag)", style="dim")
        self.query_one("#status", Static).update(status)

    def action_back(self) -> None:
        find = self.query_one("#find", Input)
        if find.display:
            self._close_find()
        elif self.view.anchor is not None:
            self.view.clear_selection()
        else:
            self.dismiss(None)
