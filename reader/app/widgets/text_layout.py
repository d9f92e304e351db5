"""Laying an article's text out in screen lines, measured the way the terminal draws it.

Widths are Rich's ``cell_len`` (what Textual writes to the terminal with): a CJK character or an
emoji takes two cells, a combining accent or a zero-width joiner none, and a ZWJ sequence or a
flag is measured whole. Text is walked by user-perceived character (grapheme cluster), so a line
is never cut inside one and a column never points into one. Pure functions over ``str``: the
article view draws what these return.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from rich.cells import cell_len

TOKEN = re.compile(r"\S+\s*|\s+")
CLUSTER = regex.compile(r"\X", regex.DOTALL)


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
    for match in CLUSTER.finditer(text, start, len(text) if end is None else end):
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
        line_start, column = offset, 0
        for token in TOKEN.finditer(paragraph):
            word = token.group().rstrip()
            word_width = cell_len(word)
            if column and column + word_width > width:
                lines.append(VisualLine(line_start, offset + token.start(), number))
                line_start, column = offset + token.start(), 0
            while word_width > width:  # a word longer than the line is cut
                cut = _cut(text, line_start, width)
                lines.append(VisualLine(line_start, cut, number))
                line_start = cut
                word_width = cell_len(text[line_start : offset + token.start() + len(word)])
            column = cell_len(text[line_start : offset + token.end()])
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


def _cut(text: str, start: int, width: int) -> int:
    """Where a line from ``start`` that holds at most ``width`` cells ends: between two
    characters, never inside one (and after at least one, however wide)."""
    line_end = text.find("\n", start)
    stop = len(text) if line_end == -1 else line_end
    used = 0
    for offset, cells in clusters(text, start, stop):
        if used + cells > width and offset > start:
            return offset
        used += cells
    return stop
