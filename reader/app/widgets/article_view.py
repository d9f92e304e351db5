"""ArticleView: the text of one article, with a caret, a selection, entities and annotations.

It is a ``ScrollView`` drawn through the Line API: only the lines on screen are rendered, so a
keystroke costs the same in a 6 KB article and a 1 MB one. Text is drawn as plain segments
(never parsed as markup) from :func:`reader.safe_text.inert`, so article text cannot act on the
terminal. Every offset is a ``str`` index into the article's text as displayed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive

from annotations import Annotation, graphemes
from reader import textnav
from reader.app.matches import Matches
from reader.app.widgets.article_drawing import ArticleDrawing
from reader.app.widgets.text_layout import VisualLine, offset_at_column, wrap
from reader.nlp import Entity
from reader.safe_text import inert


class ArticleView(ArticleDrawing, can_focus=True):
    """The article's text as a scrollable page with a caret and an optional selection.

    How each line is drawn (entities, annotations, matches, selection, caret) is in
    :class:`reader.app.widgets.article_drawing.ArticleDrawing`; how text wraps, in
    :mod:`reader.app.widgets.text_layout`.
    """

    BINDINGS = [
        Binding("left,h", "move('char', -1)", "Left", show=False, id="article-view.left"),
        Binding("right,l", "move('char', 1)", "Right", show=False, id="article-view.right"),
        Binding("up,k", "move('line', -1)", "Up", show=False, id="article-view.up"),
        Binding("down,j", "move('line', 1)", "Down", show=False, id="article-view.down"),
        Binding("w,ctrl+right", "move('word', 1)", "Next word", show=False, id="article-view.next-word"),
        Binding("b,ctrl+left", "move('word', -1)", "Previous word", show=False, id="article-view.previous-word"),
        Binding("e", "move('word_end', 1)", "Word end", show=False, id="article-view.word-end"),
        Binding(
            "right_parenthesis", "move('sentence', 1)", "Next sentence", show=False, id="article-view.next-sentence"
        ),
        Binding(
            "left_parenthesis",
            "move('sentence', -1)",
            "Previous sentence",
            show=False,
            id="article-view.previous-sentence",
        ),
        Binding(
            "right_curly_bracket",
            "move('paragraph', 1)",
            "Next paragraph",
            show=False,
            id="article-view.next-paragraph",
        ),
        Binding(
            "left_curly_bracket",
            "move('paragraph', -1)",
            "Previous paragraph",
            show=False,
            id="article-view.previous-paragraph",
        ),
        Binding("home,0", "move('line_edge', -1)", "Line start", show=False, id="article-view.line-start"),
        Binding("end,dollar_sign", "move('line_edge', 1)", "Line end", show=False, id="article-view.line-end"),
        Binding("g", "move('document', -1)", "Top", show=False, id="article-view.top"),
        Binding("G", "move('document', 1)", "Bottom", show=False, id="article-view.bottom"),
        Binding("pagedown,space", "move('page', 1)", "Page down", show=False, id="article-view.page-down"),
        Binding("pageup", "move('page', -1)", "Page up", show=False, id="article-view.page-up"),
        Binding(
            "shift+left",
            "extend('char', -1)",
            "Refine left",
            show=False,
            tooltip="Extend or shrink the selection by a character",
            id="article-view.refine-left",
        ),
        Binding(
            "shift+right",
            "extend('char', 1)",
            "Refine right",
            show=False,
            tooltip="Extend or shrink the selection by a character",
            id="article-view.refine-right",
        ),
        Binding("shift+down", "extend('line', 1)", "Extend down", show=False, id="article-view.extend-down"),
        Binding("shift+up", "extend('line', -1)", "Extend up", show=False, id="article-view.extend-up"),
        Binding(
            "v",
            "toggle_selection",
            "Select",
            tooltip="Start or stop a selection at the caret",
            id="article-view.select",
        ),
        Binding(
            "s",
            "select_sentence",
            "Sentence",
            show=False,
            tooltip="Select the sentence under the caret",
            id="article-view.sentence",
        ),
        Binding(
            "x",
            "select_entity",
            "Entity",
            show=False,
            tooltip="Select the entity under the caret",
            id="article-view.entity",
        ),
    ]

    caret: reactive[int] = reactive(0, always_update=True, repaint=False)

    class CursorMoved(Message):
        """The caret or the selection changed."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(self, text: str, *, heading_lines: int = 1, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.text = text
        self.display_text = inert(text)
        self.heading_lines = heading_lines
        #: Where the selection started (the caret is its other end); None when nothing is selected.
        #: Not ``anchor``: Textual's Widget has one (keeping a scrolled widget at its end).
        self.selection_anchor: int | None = None
        #: Selections widen to whole words until the user refines one by character.
        self.snap_to_words = True
        self.entities: list[Entity] = []
        self._entity_starts: list[int] = []
        self.hidden_labels: set[str] = set()
        self.annotations: list[Annotation] = []
        #: What n and N walk (a find's matches or an entity's mentions), all highlighted.
        self.matches: Matches | None = None
        self._lines: list[VisualLine] = []
        self._line_starts: list[int] = []
        self._line_index: list[int] = []
        self._layout_width = -1
        self._goal_column: int | None = None
        #: Where a mouse drag started (the selection's anchor once the mouse moves).
        self._drag_start: int | None = None

    # -- content ---------------------------------------------------------------------------

    def set_entities(self, entities: Sequence[Entity]) -> None:
        self.entities = sorted(entities)
        self._entity_starts = [entity.start for entity in self.entities]
        self.refresh()

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        self.annotations = sorted(annotations, key=lambda a: (a.start, a.end))
        self.refresh()

    def set_matches(self, matches: Matches | None) -> None:
        """Highlight every one of ``matches`` (None: highlight nothing)."""
        self.matches = matches
        self.refresh()

    def entity_at(self, offset: int) -> Entity | None:
        index = bisect.bisect_right(self._entity_starts, offset) - 1
        if index >= 0 and offset < self.entities[index].end:
            return self.entities[index]
        return None

    def annotations_at(self, offset: int) -> list[Annotation]:
        return [a for a in self.annotations if a.start <= offset < a.end]

    # -- selection -------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected passage as ``[start, end)``, widened to whole words; None if none."""
        if self.selection_anchor is None:
            return None
        low, high = sorted((self.selection_anchor, self.caret))
        high = graphemes.next_start(self.text, high)  # through the whole character at the far end
        start, end = textnav.snap_to_words(self.text, low, high) if self.snap_to_words else (low, high)
        start, end = graphemes.snap(self.text, start, end)
        while end > start and self.text[end - 1].isspace():
            end -= 1
        while start < end and self.text[start].isspace():
            start += 1
        return (start, end) if end > start else None

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)`` with the caret on its last character."""
        self.snap_to_words = True
        self.selection_anchor = start
        self.move_caret(end - 1)

    def clear_selection(self) -> None:
        if self.selection_anchor is not None:
            self.selection_anchor = None
            self.refresh()
            self.post_message(self.CursorMoved(self))

    def action_toggle_selection(self) -> None:
        if self.selection_anchor is None:
            self.snap_to_words = True
            self.selection_anchor = self.caret
            self.refresh()
            self.post_message(self.CursorMoved(self))
        else:
            self.clear_selection()

    def action_select_sentence(self) -> None:
        span = textnav.sentence_at(self.text, self.caret)
        if span:
            self.select(*span)

    def action_select_entity(self) -> None:
        entity = self.entity_at(self.caret)
        if entity:
            self.select(entity.start, entity.end)
        else:
            self.notify("There is no entity under the caret.", severity="warning")

    # -- caret motion ----------------------------------------------------------------------

    def move_caret(self, offset: int, *, keep_column: bool = False) -> None:
        """Put the caret on the character at ``offset`` (at its start: never inside an emoji)."""
        offset = max(0, min(offset, max(len(self.text) - 1, 0)))
        self.caret = graphemes.cluster_at(self.text, offset)[0] if self.text else 0
        if not keep_column:
            self._goal_column = None

    def watch_caret(self, old: int, new: int) -> None:
        top = round(self.scroll_y)
        self.scroll_to_caret()
        if round(self.scroll_y) != top or not self._lines:
            self.refresh()
        else:
            # Unscrolled, only the lines from the old caret to the new one can change (the caret
            # itself, and the selection, which grows or shrinks between them).
            first, last = sorted((self._line_of(old), self._line_of(new)))
            if self.selection_anchor is None and last - first > 1:
                self._refresh_lines(first, first)
                self._refresh_lines(last, last)
            else:
                self._refresh_lines(first, last)
        self.post_message(self.CursorMoved(self))

    def _refresh_lines(self, first: int, last: int) -> None:
        """Repaint screen lines ``first`` to ``last`` (indices into the laid-out lines)."""
        top = round(self.scroll_y)
        self.refresh(Region(0, first - top, self.size.width, last - first + 1))

    def action_move(self, unit: str, direction: int) -> None:
        offset, keep_column = self._target(unit, direction)
        self.move_caret(offset, keep_column=keep_column)

    def action_extend(self, unit: str, direction: int) -> None:
        """Extend (or start) the selection; by character, it stops snapping to words."""
        if self.selection_anchor is None:
            self.selection_anchor = self.caret
            self.snap_to_words = True
        if unit == "char" and self.snap_to_words:
            # Refining starts from the snapped extent, so the selection does not jump.
            start, end = self.selection or (self.caret, self.caret + 1)
            last = graphemes.cluster_at(self.text, end - 1)[0]
            self.selection_anchor, self.caret = (start, last) if self.caret >= self.selection_anchor else (last, start)
            self.snap_to_words = False
        self.action_move(unit, direction)

    def _target(self, unit: str, direction: int) -> tuple[int, bool]:
        """Where a motion takes the caret, and whether it keeps the column (line motions)."""
        text, caret = self.text, self.caret
        if unit == "char":  # by user-perceived character: a flag or an accented letter is one step
            step = graphemes.next_start if direction > 0 else graphemes.previous_start
            return step(text, caret), False
        if unit == "word":
            move = textnav.next_word_start if direction > 0 else textnav.previous_word_start
            return move(text, caret), False
        if unit == "word_end":
            return textnav.word_end(text, caret), False
        if unit == "sentence":
            if direction > 0:
                return textnav.next_sentence_start(text, caret), False
            return textnav.previous_sentence_start(text, caret), False
        if unit == "paragraph":
            move = textnav.next_paragraph_start if direction > 0 else textnav.previous_paragraph_start
            return move(text, caret), False
        if unit == "line":
            return self._offset_lines_away(direction), True
        if unit == "page":
            return self._offset_lines_away(direction * max(1, self.scrollable_content_region.height - 1)), True
        if unit == "line_edge":
            line = self._lines[self._line_of(caret)]
            return (line.start if direction < 0 else max(line.start, line.end - 1)), False
        if unit == "document":
            return (0 if direction < 0 else len(text) - 1), False
        raise ValueError(f"unknown motion {unit!r}")

    def _offset_lines_away(self, count: int) -> int:
        index = self._line_of(self.caret)
        line = self._lines[index]
        if self._goal_column is None:
            self._goal_column = cell_len(self.display_text[line.start : self.caret])
        target = index + count
        step = 1 if count > 0 else -1
        while 0 <= target < len(self._lines) and self._lines[target].is_gap:
            target += step
        if not 0 <= target < len(self._lines):
            return self.caret
        return self._offset_at_column(self._lines[target], self._goal_column)

    def _offset_at_column(self, line: VisualLine, column: int) -> int:
        """The offset drawn at ``column`` of ``line``, or the line's last one when it is shorter."""
        last = max(line.start, line.end - 1) if line.end < len(self.text) else line.end
        found = offset_at_column(self.display_text, line.start, line.end, column)
        return last if found is None else found

    # -- layout ----------------------------------------------------------------------------

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._layout_width:
            return
        self._layout_width = width
        self._lines = wrap(self.display_text, width)
        self._line_index = [i for i, line in enumerate(self._lines) if not line.is_gap]
        self._line_starts = [self._lines[i].start for i in self._line_index]
        self.virtual_size = Size(width, len(self._lines))
        self.scroll_to_caret()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _line_of(self, offset: int) -> int:
        """The index in ``_lines`` of the screen line that shows ``offset``."""
        if not self._lines:
            self._relayout()
        if not self._line_starts:
            return 0
        position = max(bisect.bisect_right(self._line_starts, offset) - 1, 0)
        return self._line_index[position]

    def caret_line(self) -> int:
        return self._line_of(self.caret)

    def scroll_to_caret(self) -> None:
        if not self._lines:
            return
        line = self._line_of(self.caret)
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        if line < top:
            self.scroll_to(y=max(line - 1, 0), animate=False, immediate=True)
        elif height and line >= top + height:
            self.scroll_to(y=line - height + 2, animate=False, immediate=True)

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset drawn at content coordinates (x, y), or None over a gap or past the end."""
        index = y + round(self.scroll_y)
        if not 0 <= index < len(self._lines) or self._lines[index].is_gap:
            return None
        return self._offset_at_column(self._lines[index], x + round(self.scroll_x))

    # -- mouse -----------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self.focus()
        self.capture_mouse()
        self.selection_anchor = None
        self._drag_start = offset
        self.move_caret(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is not self:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is not None and offset != self.caret:
            if self.selection_anchor is None:
                self.selection_anchor = self._drag_start if self._drag_start is not None else offset
                self.snap_to_words = True
            self.move_caret(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.app.mouse_captured is self:
            self.release_mouse()
