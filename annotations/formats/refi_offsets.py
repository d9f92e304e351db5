"""Offsets between reader's article texts and a REFI-QDA source: the one place they are converted.

reader's offsets are Python string indices (Unicode code points) into the article's text as
displayed, which may hold ``\\r\\n`` or a lone ``\\r`` where its file did. A REFI-QDA text
source is written with ``\\n`` line ends only, so every line end before a passage that was two
characters becomes one, and the passage's offsets move back by as many.

The unit of ``startPosition``/``endPosition`` that reader writes and reads is the **Unicode code
point** (the standard's "character"; what QualCoder, the open implementation, writes from its
Python strings): an emoji outside the Basic Multilingual Plane counts 1, not 2 (UTF-16) or 4
(UTF-8). :class:`SourceText` also converts to and from UTF-16 code units, for a tool that counts
so; nothing in reader chooses it yet.
"""

from __future__ import annotations

from bisect import bisect_left
from enum import Enum


class OffsetUnit(Enum):
    """What a REFI-QDA position counts."""

    CODE_POINT = "code point"
    UTF16 = "utf-16 code unit"


#: The unit reader writes and expects in a REFI-QDA file.
REFI_UNIT = OffsetUnit.CODE_POINT


def normalise_line_ends(text: str) -> str:
    """``text`` with every ``\\r\\n`` and lone ``\\r`` made ``\\n`` (what a REFI source file holds)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SourceText:
    """An article's text as a REFI-QDA source: its ``\\n``-only form (:attr:`plain`) and the
    conversion of offsets between the article's text and positions in that form."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.plain = normalise_line_ends(text)
        #: Indices (in ``text``) of the ``\r`` of each ``\r\n``: the characters the plain form drops.
        self._dropped = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]
        #: The same, as positions in ``plain`` (where the dropped ``\r`` would have been).
        self._dropped_plain = [index - count for count, index in enumerate(self._dropped)]
        #: Indices (in ``plain``) of characters outside the BMP: two UTF-16 code units each.
        self._astral = [i for i, character in enumerate(self.plain) if ord(character) > 0xFFFF]

    def to_refi(self, offset: int, unit: OffsetUnit = REFI_UNIT) -> int:
        """The REFI position of ``offset`` (a code-point index into :attr:`text`), in ``unit``.

        An offset between the ``\\r`` and ``\\n`` of a line end lands before the ``\\n``.
        ``ValueError`` for an offset outside the text.
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside a text of {len(self.text)} characters")
        plain = offset - bisect_left(self._dropped, offset)
        if unit is OffsetUnit.UTF16:
            return plain + bisect_left(self._astral, plain)
        return plain

    def from_refi(self, position: int, unit: OffsetUnit = REFI_UNIT) -> int:
        """The code-point offset into :attr:`text` of a REFI ``position`` in ``unit``.

        ``ValueError`` for a position outside the source, or (UTF-16) inside a surrogate pair.
        """
        if not 0 <= position <= self.length(unit):
            raise ValueError(f"position {position} is outside a source of {self.length(unit)} {unit.value}s")
        plain = self._plain_of_utf16(position) if unit is OffsetUnit.UTF16 else position
        return plain + bisect_left(self._dropped_plain, plain)

    def length(self, unit: OffsetUnit = REFI_UNIT) -> int:
        """The length of the source in ``unit``."""
        return len(self.plain) + (len(self._astral) if unit is OffsetUnit.UTF16 else 0)

    def span(self, start: int, end: int, unit: OffsetUnit = REFI_UNIT) -> tuple[int, int]:
        """:meth:`to_refi` of both ends of a passage."""
        return self.to_refi(start, unit), self.to_refi(end, unit)

    def _plain_of_utf16(self, position: int) -> int:
        # The code point k with k + (astral characters before k) == position.
        low, high = 0, len(self.plain)
        while low < high:
            middle = (low + high) // 2
            if middle + bisect_left(self._astral, middle) < position:
                low = middle + 1
            else:
                high = middle
        if low + bisect_left(self._astral, low) != position:
            raise ValueError(f"position {position} falls inside a character of two UTF-16 code units")
        return low
