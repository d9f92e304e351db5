"""ArticleScreen: read one article, see its entities, and tag passages.

The text shows at once; entities are found in a worker thread and coloured when they arrive.
Every change to an annotation goes straight to the store through the undo history, and the view
redraws from what the store returns.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Static

from annotations import Annotation
from annotations.anchoring import Anchor, AnchorStatus
from reader.app.matches import Matches
from reader.app.screens.article_annotating import ArticleAnnotating
from reader.app.screens.article_entities import ArticleEntities
from reader.app.screens.article_layers import ArticleLayers
from reader.app.screens.article_reanchoring import ArticleReanchoring
from reader.app.text_colours import BOLD, text_colours
from reader.app.widgets.annotation_panel import AnnotationPanel
from reader.app.widgets.article_view import ArticleView
from reader.app.widgets.entity_panel import EntityPanel
from reader.app.widgets.find_bar import FindBar
from reader.app.widgets.legend import Legend
from reader.app.widgets.tag_bar import TagBar
from reader.corpus import Article
from reader.safe_text import inert

#: The narrowest terminal that shows the annotation panel by itself.
PANEL_MIN_WIDTH = 100


class ArticleScreen(ArticleEntities, ArticleAnnotating, ArticleReanchoring, ArticleLayers):
    """One article: its text, entities and annotations, the panels beside it, find and status.

    The parts (one idea a module) are its base classes; :class:`ArticlePart` says what they share.
    """

    CSS_PATH = "article.tcss"
    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Close find, drop the selection, or go back",
            id="article.back",
        ),
        Binding(
            "t", "tag", "Tag", tooltip="Tag the selection, or retag the annotation under the caret", id="article.tag"
        ),
        *(
            Binding(
                str(n),
                f"quick_tag({n})",
                f"Tag {n}",
                show=False,
                tooltip=f"Apply tag {n} of the tag bar",
                id=f"article.tag-{n}",
            )
            for n in range(1, 10)
        ),
        Binding(
            "number_sign",
            "renumber_quick_tags",
            "Renumber tags",
            show=False,
            tooltip="Renumber quick tags 1-9 by use",
            id="article.renumber-tags",
        ),
        Binding(
            "c", "note", "Note", tooltip="Write or edit the note of the annotation under the caret", id="article.note"
        ),
        Binding(
            "d",
            "delete_annotation",
            "Delete",
            show=False,
            tooltip="Delete the annotation under the caret",
            id="article.delete",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            tooltip="Undo the last change in this article (also after a restart)",
            id="article.undo",
        ),
        Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo what was undone", id="article.redo"),
        Binding(
            "y",
            "copy",
            "Copy",
            show=False,
            tooltip="Copy the selection or the annotation under the caret, with a citation",
            id="article.copy",
        ),
        Binding(
            "R",
            "resize_to_selection",
            "Resize",
            show=False,
            tooltip="Make the annotation cover the selection",
            id="article.resize",
        ),
        Binding(
            "greater_than_sign",
            "resize_end(1)",
            "Grow",
            show=False,
            tooltip="Extend the annotation by a word",
            id="article.grow",
        ),
        Binding(
            "less_than_sign",
            "resize_end(-1)",
            "Shrink",
            show=False,
            tooltip="Shrink the annotation by a word",
            id="article.shrink",
        ),
        Binding(
            "right_square_bracket",
            "jump_annotation(1)",
            "Next",
            show=False,
            tooltip="Next annotation",
            id="article.next",
        ),
        Binding(
            "left_square_bracket",
            "jump_annotation(-1)",
            "Previous",
            show=False,
            tooltip="Previous annotation",
            id="article.previous",
        ),
        Binding(
            "a", "toggle_panel", "Panel", show=False, tooltip="Show or hide the list of annotations", id="article.panel"
        ),
        Binding(
            "E",
            "toggle_entity_panel",
            "Entities",
            show=False,
            tooltip="Entities by label; Enter walks the mentions",
            id="article.entities",
        ),
        Binding(
            "L",
            "filter_labels",
            "Labels",
            show=False,
            tooltip="Choose which entity labels are coloured",
            id="article.labels",
        ),
        Binding(
            "equals_sign",
            "correct_entity",
            "Correct entity",
            show=False,
            tooltip="Relabel, remove or add the entity under the caret (or the selection), in every article",
            id="article.correct-entity",
        ),
        Binding(
            "C",
            "toggle_layers",
            "Coders",
            show=False,  # the footer is full at 80 columns: ? lists it
            tooltip="Show the other coders' passages beside yours (read only), or only yours",
            id="article.layers",
        ),
        Binding("slash", "find", "Find", tooltip="Find words in the article", id="article.find"),
        Binding(
            "n",
            "find_next(1)",
            "Next match",
            show=False,
            tooltip="Next match of the last find",
            id="article.next-match",
        ),
        Binding(
            "N",
            "find_next(-1)",
            "Previous match",
            show=False,
            tooltip="Previous match of the last find",
            id="article.previous-match",
        ),
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

    def on_mount(self) -> None:
        self.view.hidden_labels = self.app.hidden_labels
        self.view.set_matches(self.initial_walk)
        self.reload_annotations()
        if self.initial_caret is not None:
            self.view.move_caret(self.initial_caret)
        self.view.focus()
        self._update_legend()
        self.app.theme_changed_signal.subscribe(self, self._recolour)
        self.find_entities()
        self._confirm_fuzzy([a for a in self.unplaced_annotations if self.unplaced[a.id].status is AnchorStatus.FUZZY])
        if self.reattaching is not None:
            self._ask_for_reattach_passage()

    # -- panels ----------------------------------------------------------------------------

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

    def _recolour(self, _theme: object = None) -> None:
        """Redraw the bars and the panel, whose text holds colours of the theme it was drawn in."""
        panel = self.query_one(AnnotationPanel)
        panel.show(panel.annotations, panel.orphans, self.waiting)
        self.query_one(TagBar).show_tags(self.quick_tags)
        self._update_legend()
        self._update_status()

    @on(ArticleView.CursorMoved)
    def _update_status(self) -> None:
        view = self.view
        colours = text_colours(self.app)  # the bar is $panel: dim text would not read on every theme
        status = Text(f" {inert(self.coder)}", style=BOLD)
        if self.layers_shown:
            status.append(" +others", style="italic")
        status.append(f"  {view.caret + 1}/{len(self.article.text)}", style=colours.muted)
        matches = view.matches
        where = matches.position(view.caret) if matches else None
        if matches and where:
            status.append(f"  \u201c{inert(matches.what)}\u201d {where}", style=colours.tag + BOLD)
        entity = view.entity_at(view.caret)
        if entity:
            status.append(f"  {entity.label} ", style="bold")
            status.append(inert(self.article.text[entity.start : entity.end]))
        for annotation in view.annotations_at(view.caret):
            status.append("  \u25a0 ", style=colours.tag)
            status.append(inert(", ".join(annotation.tags)), style=colours.tag + BOLD)
            if annotation.note:
                status.append(" \u270e", style=colours.tag)
        for other, mark in view.others:
            if other.start <= view.caret < other.end:
                status.append("  ")
                status.append(f"{inert(other.coder)}: {inert(', '.join(other.tags))}", style=mark)
        selection = view.selection
        if selection:
            status.append(f"  selected {selection[1] - selection[0]} characters", style=colours.selected)
            status.append("  (t or 1-9 to tag, y to copy)", style=colours.muted)
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
        elif self.view.selection_anchor is not None:
            self.view.clear_selection()
        else:
            self.dismiss(None)
