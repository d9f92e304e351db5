"""ArticleDrawing: how :class:`reader.app.widgets.article_view.ArticleView` draws its lines.

Each screen line is cut into runs of equally styled characters: entity colours (of the labels
not hidden), find matches, other coders' passages when shown (each coder's mark), your own
annotations (darker where they nest, over the others'), the selection and the caret.
Text is drawn from ``display_text`` (see :func:`reader.safe_text.inert`), never parsed as markup.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from rich.segment import Segment
from rich.style import Style
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations import Annotation, graphemes
from reader.app.code_tints import code_tint, colour_of
from reader.app.matches import Matches
from reader.app.palette import (
    CARET_STYLE,
    DATE_STYLE,
    TITLE_STYLE,
    palette_of,
)
from reader.app.widgets.text_layout import VisualLine
from reader.nlp import Entity


class ArticleDrawing(ScrollView):
    """The drawing half of the article view (its base class, never mounted alone)."""

    text: str
    display_text: str
    heading_lines: int
    caret: int
    entities: list[Entity]
    _entity_starts: list[int]
    hidden_labels: set[str]
    annotations: list[Annotation]
    #: Other coders' passages shown beside your own (layers on), each with its coder's mark;
    #: drawn only: the view's actions work on ``annotations``, never on these.
    others: tuple[tuple[Annotation, Style], ...] = ()
    #: The colour of each coloured code, by tag key (:func:`reader.app.code_tints.colours_by_tag`).
    code_colours: Mapping[str, str] = MappingProxyType({})
    matches: Matches | None
    _lines: list[VisualLine]

    @property
    def selection(self) -> tuple[int, int] | None:
        raise NotImplementedError  # the article view's selection

    def _relayout(self) -> None:
        raise NotImplementedError  # the article view lays its text out

    def _line_of(self, offset: int) -> int:
        raise NotImplementedError  # the article view knows its lines

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

    def _segments(self, start: int, end: int, base: Style) -> Iterator[Segment]:
        """Runs of equally styled characters in ``[start, end)``."""
        if start >= end:
            return
        entities = self._entities_between(start, end)
        annotations = [a for a in self.annotations if a.start < end and a.end > start]
        others = [(a, mark) for a, mark in self.others if a.start < end and a.end > start]
        selection = self.selection
        cuts = {start, end, *graphemes.cluster_at(self.text, self.caret)}
        for span in (
            *((e.start, e.end) for e in entities),
            *((a.start, a.end) for a in annotations),
            *((a.start, a.end) for a, _ in others),
        ):
            cuts.update(span)
        if selection:
            cuts.update(selection)
        matches = self.matches.between(start, end) if self.matches else []
        for span in matches:
            cuts.update(span)
        bounds = sorted(cut for cut in cuts if start <= cut <= end)
        entity_index = 0
        palette = palette_of(self.app)
        for run_start, run_end in itertools.pairwise(bounds):
            style = base
            while entity_index < len(entities) and entities[entity_index].end <= run_start:
                entity_index += 1
            if entity_index < len(entities) and entities[entity_index].start <= run_start:
                style += palette.entity_style(entities[entity_index].label)
            if any(low <= run_start < high for low, high in matches):
                style += palette.match
            for other, mark in others:
                if other.start <= run_start < other.end:
                    style += mark
            covering = [a for a in annotations if a.start <= run_start < a.end]
            if covering:
                colour = colour_of(covering[-1], self.code_colours) if self.code_colours else None
                nested = len(covering) > 1
                style += code_tint(self.app, colour, nested) if colour else palette.annotation[nested]
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
