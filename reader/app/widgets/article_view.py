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
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations import Annotation, graphemes
from reader import textnav
from reader.app.matches import Matches
from reader.app.palette import (
    CARET_STYLE, DATE_STYLE, TITLE_STYLE, palette_of,
)
from reader.nlp import Entity
from reader.safe_text import inert
from reader.app.widgets.text_layout import VisualLine, offset_at_column, wrap

class ArticleView(ScrollView, can_focus=True):
    """The article's text as a scrollable page with a caret and an optional selection."""

    BINDINGS = [
        Binding("left,h", "move('char', -1)", "Left", show=False),
        Binding("right,l", "move('char', 1)", "Right", show=False),
        Binding("up,k", "move('line', -1)", "Up", show=False),
        Binding("down,j", "move('line', 1)", "Down", show=False),
        Binding("w,ctrl+right", "move('word', 1)", "Next word", show=False),
        Binding("b,ctrl+left", "move('word', -1)", "Previous word", show=False),
        Binding("e", "move('word_end', 1)", "Word end", show=False),
        Binding("right_parenthesis", "move('sentence', 1)", "Next sentence", show=False),
        Binding("left_parenthesis", "move('sentence', -1)", "Previous sentence", show=False),
        Binding("right_curly_bracket", "move('paragraph', 1)", "Next paragraph", show=False),
        Binding("left_curly_bracket", "move('paragraph', -1)", "Previous paragraph", show=False),
        Binding("home,0", "move('line_edge', -1)", "Line start", show=False),
        Binding("end,dollar_sign", "move('line_edge', 1)", "Line end", show=False),
        Binding("g", "move('document', -1)", "Top", show=False),
        Binding("G", "move('document', 1)", "Bottom", show=False),
        Binding("pagedown,space", "move('page', 1)", "Page down", show=False),
        Binding("pageup", "move('page', -1)", "Page up", show=False),
        Binding("shift+left", "extend('char', -1)", "Refine left", show=False, tooltip="Extend or shrink the selection by a character"),
        Binding("shift+right", "extend('char', 1)", "Refine right", show=False, tooltip="Extend or shrink the selection by a character"),
        Binding("shift+down", "extend('line', 1)", "Extend down", show=False),
        Binding("shift+up", "extend('line', -1)", "Extend up", show=False),
        Binding("v", "toggle_selection", "Select", tooltip="Start or stop a selection at the caret"),
        Binding("s", "select_sentence", "Sentence", show=False, tooltip="Select the sentence under the caret"),
        Binding("x", "select_entity", "Entity", show=False, tooltip="Select the entity under the caret"),
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
        self.anchor: int | None = None
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
        if self.anchor is None:
            return None
        low, high = sorted((self.anchor, self.caret))
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
        self.anchor = start
        self.move_caret(end - 1)

    def clear_selection(self) -> None:
        if self.anchor is not None:
            self.anchor = None
            self.refresh()
            self.post_message(self.CursorMoved(self))

    def action_toggle_selection(self) -> None:
        if self.anchor is None:
            self.snap_to_words = True
            self.anchor = self.caret
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
            if self.anchor is None and last - first > 1:
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
        if self.anchor is None:
            self.anchor = self.caret
            self.snap_to_words = True
        if unit == "char" and self.snap_to_words:
            # Refining starts from the snapped extent, so the selection does not jump.
            start, end = self.selection or (self.caret, self.caret + 1)
            last = graphemes.cluster_at(self.text, end - 1)[0]
            self.anchor, self.caret = (start, last) if self.caret >= self.anchor else (last, start)
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
        self.anchor = None
        self._drag_start = offset
        self.move_caret(offset)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is not self:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is not None and offset != self.caret:
            if self.anchor is None:
                self.anchor = self._drag_start if self._drag_start is not None else offset
                self.snap_to_words = True
            self.move_caret(offset)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self.app.mouse_captured is self:
            self.release_mouse()

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self._relayout()
        index = y + round(self.scroll_y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self._lines) or self._lines[index].is_gap:
            return Strip.blank(width, base)
        line = self._lines[index]
        if line.paragraph == 0:
            base = base + TITLE_STYLE
        elif line.paragraph < self.heading_lines:
            base = base + DATE_STYLE
        segments = list(self._segments(line.start, line.end, base))
        if line.start <= self.caret and (self.caret >= line.end) and self._caret_after_text(line):
            segments.append(Segment(" ", base + CARET_STYLE))
        strip = Strip(segments)
        return strip.crop_extend(round(self.scroll_x), round(self.scroll_x) + width, base)

    def style_at(self, offset: int) -> Style:
        """The style the character at ``offset`` is drawn with (what a test or a reader sees)."""
        self._relayout()
        line = self._lines[self._line_of(offset)]
        for segment in self._segments(line.start, line.end, Style()):
            offset -= len(segment.text)
            if offset < line.start:
                return segment.style or Style()
        return Style()

    def visible_text(self) -> list[str]:
        """The screen lines as plain text, as drawn now (for tests and screen readers)."""
        height = self.scrollable_content_region.height
        return [self.render_line(y).text for y in range(height)]

    def _caret_after_text(self, line: VisualLine) -> bool:
        """The caret sits on this line's line end (a paragraph's last position)."""
        return self.caret == line.end and (line.end >= len(self.text) or self.text[line.end] == "\n")

    def _segments(self, start: int, end: int, base: Style):
        """Runs of equally styled characters in ``[start, end)``."""
        if start >= end:
            return
        entities = self._entities_between(start, end)
        annotations = [a for a in self.annotations if a.start < end and a.end > start]
        selection = self.selection
        cuts = {start, end, *graphemes.cluster_at(self.text, self.caret)}
        for span in (*((e.start, e.end) for e in entities), *((a.start, a.end) for a in annotations)):
            cuts.update(span)
        if selection:
            cuts.update(selection)
        matches = self.matches.between(start, end) if self.matches else []
        for span in matches:
            cuts.update(span)
        bounds = sorted(cut for cut in cuts if start <= cut <= end)
        entity_index = 0
        palette = palette_of(self.app)
        for run_start, run_end in zip(bounds, bounds[1:]):
            style = base
            while entity_index < len(entities) and entities[entity_index].end <= run_start:
                entity_index += 1
            if entity_index < len(entities) and entities[entity_index].start <= run_start:
                style += palette.entity_style(entities[entity_index].label)
            if any(low <= run_start < high for low, high in matches):
                style += palette.match
            depth = sum(1 for a in annotations if a.start <= run_start < a.end)
            if depth:
                style += palette.annotation[min(depth, len(palette.annotation)) - 1]
            if selection and selection[0] <= run_start < selection[1]:
                style += palette.selection
            if run_start == self.caret and self.has_focus_within_screen:
                style += CARET_STYLE
            yield Segment(self.display_text[run_start:run_end], style)

    @property
    def has_focus_within_screen(self) -> bool:
        return self.screen.focused is self or self.screen.focused is None

    def _entities_between(self, start: int, end: int) -> list[Entity]:
        first = max(bisect.bisect_right(self._entity_starts, start) - 1, 0)
        found = []
        for entity in self.entities[first:]:
            if entity.start >= end:
                break
            if entity.end > start and entity.label not in self.hidden_labels:
                found.append(entity)
        return found
