"""Laying an article's text out in screen lines, measured the way the terminal draws it.

Widths are Rich's ``cell_len`` (what Textual writes to the terminal with): a CJK character or an
emoji takes two cells, a combining accent or a zero-width joiner none, and a ZWJ sequence or a
flag is measured whole. Text is walked by user-perceived character (grapheme cluster), so a line
is never cut inside one and a column never points into one. Pure functions over ``str``: the
article view draws what these return.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

import regex
from rich.cells import cell_len, get_character_cell_size

TOKEN = re.compile(r"\S+\s*|\s+")
CLUSTER = regex.compile(r"\X", regex.DOTALL)
#: Characters that UAX #29 joins to a neighbour (marks, joiners, regional indicators, Hangul jamo,
#: prepended signs, CR): a stretch without any is one cluster per code point.
JOINING = regex.compile(
    r"[\r\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}\p{Grapheme_Cluster_Break=SpacingMark}"
    r"\p{Grapheme_Cluster_Break=Prepend}\p{Grapheme_Cluster_Break=Regional_Indicator}"
    r"\p{Grapheme_Cluster_Break=L}\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}]"
)


@dataclass(frozen=True)
class VisualLine:
    """One screen line: ``text[start:end]``, or a blank gap between paragraphs (start is -1)."""

    start: int
    end: int
    paragraph: int

    @property
    def is_gap(self) -> bool:
        return self.start < 0


def clusters(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Each user-perceived character of ``text[start:end]`` as (offset, cells it takes)."""
    end = len(text) if end is None else end
    if JOINING.search(text, start, end) is None:  # every code point stands alone (most CJK text)
        for offset in range(start, end):
            yield offset, get_character_cell_size(text[offset])
        return
    for match in CLUSTER.finditer(text, start, end):
        yield match.start(), cell_len(match.group())


def offset_at_column(text: str, start: int, end: int, column: int) -> int | None:
    """The offset of the character of ``text[start:end]`` drawn over cell ``column`` (counted
    from ``start``); None when the line is shorter. Always the start of a character."""
    if text.isascii() or text[start:end].isascii():
        return start + column if start + column < end else None
    used = 0
    for offset, cells in clusters(text, start, end):
        used += cells
        if used > column:
            return offset
    return None


def wrap(text: str, width: int) -> list[VisualLine]:
    """Lay ``text`` out in lines of at most ``width`` cells, a blank line between paragraphs."""
    width = max(width, 8)
    lines: list[VisualLine] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n")):
        if number:
            lines.append(VisualLine(-1, -1, number))
        if paragraph.isascii():
            _wrap_ascii(paragraph, offset, number, width, lines)
            offset += len(paragraph) + 1
            continue
        line_start = _wrap_words(text, offset, paragraph, number, width, lines)
        lines.append(VisualLine(line_start, offset + len(paragraph), number))
        offset += len(paragraph) + 1
    return lines


#: ASCII whitespace (what ``str.isspace`` and ``\s`` match) made a plain space.
ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if c.isspace()})
NOT_SPACE = re.compile(r"[^ ]")


def _wrap_ascii(paragraph: str, offset: int, number: int, width: int, lines: list[VisualLine]) -> None:
    """The lines of an ASCII paragraph (a character is a cell), the same as the general loop
    gives, found a line at a time instead of a word at a time (about four times faster)."""
    flat = paragraph if paragraph.isprintable() else paragraph.translate(ASCII_SPACES)
    length = len(flat)
    line_start = 0
    while line_start + width < length:
        limit = line_start + width
        if flat[limit] == " ":  # every word before limit fits; the next word starts the next line
            found = NOT_SPACE.search(flat, limit)
            if found is None:
                break
            start = found.start()
        else:  # the word under limit does not fit: the line breaks before it
            start = flat.rfind(" ", line_start, limit) + 1 or line_start
        if start == line_start:  # a word longer than the line is cut
            start = limit
        lines.append(VisualLine(offset + line_start, offset + start, number))
        line_start = start
    lines.append(VisualLine(offset + line_start, offset + length, number))


def _wrap_words(text: str, offset: int, paragraph: str, number: int, width: int, lines: list[VisualLine]) -> int:
    """Append the full lines of a (non-ASCII) paragraph at ``offset`` to ``lines``, breaking
    between words, and a word longer than a line between two characters; returns where the
    paragraph's last line starts. Each word is measured once, so a paragraph of Chinese with no
    space in it costs one pass."""
    line_start, column = offset, 0
    for token in TOKEN.finditer(paragraph):
        word_start = offset + token.start()
        word = token.group().rstrip()
        reach = _reach(word) if len(word) > width else None
        word_width = reach[-1] if reach else cell_len(word)
        if column and column + word_width > width:
            lines.append(VisualLine(line_start, word_start, number))
            line_start, column = word_start, 0
        if column + word_width <= width:
            column += word_width
        elif reach:  # a word longer than the line, every code point a character: cut by bisection
            placed = index = 0
            while column + word_width - placed > width:
                cut = bisect.bisect_right(reach, placed + width - column)
                if cut == index:  # not one more character fits: at least one goes on a line
                    cut = index + 1 if word_start + index == line_start else index
                lines.append(VisualLine(line_start, word_start + cut, number))
                line_start, column = word_start + cut, 0
                placed, index = (reach[cut - 1] if cut else 0), cut
            column += word_width - placed
        else:  # a word longer than the line, with joined characters: cut between clusters
            for position, cells in clusters(text, word_start, word_start + len(word)):
                if column + cells > width and position > line_start:
                    lines.append(VisualLine(line_start, position, number))
                    line_start, column = position, 0
                column += cells
        column += cell_len(token.group()[len(word) :])
    return line_start


class _Widths(dict[int, str]):
    """Code point -> its width in cells as the character of that code (0, 1 or 2), filled as
    characters are met: ``str.translate`` then measures a whole word at C speed."""

    def __missing__(self, code: int) -> str:
        cells = chr(get_character_cell_size(chr(code)))
        self[code] = cells
        return cells


_WIDTHS = _Widths()


def _reach(word: str) -> list[int] | None:
    """The cells up to and including each code point of ``word``, when each code point is a
    character of its own (no marks, joiners, flags...); None otherwise."""
    if JOINING.search(word):
        return None
    return list(accumulate(word.translate(_WIDTHS).encode("latin-1")))
