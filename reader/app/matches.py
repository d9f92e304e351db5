"""Matches: the passages that n and N walk through, as less and vim do with a search.

They are either the matches of a find (``/``) or the mentions of one entity (Enter in the entity
panel, or an article opened from the entity index). The view highlights every one on screen, the
status line says which one the caret is on ("3 of 17"), and a step past the last one wraps to the
first and says so. Pure: no Textual here, so it is tested on its own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: What a step that wraps around says, as less and vim say it.
WRAPPED_FORWARD = "search hit BOTTOM, continuing at TOP"
WRAPPED_BACKWARD = "search hit TOP, continuing at BOTTOM"


@dataclass(frozen=True)
class Step:
    """Where a step lands: the index of the match, its start, and whether it wrapped around."""

    index: int
    start: int
    wrapped: bool

    def wrap_message(self, direction: int) -> str | None:
        """What to tell the reader when the step wrapped, else None."""
        if not self.wrapped:
            return None
        return WRAPPED_FORWARD if direction > 0 else WRAPPED_BACKWARD


@dataclass(frozen=True)
class Matches:
    """Sorted, non-empty spans ``[start, end)`` of the text, and what they are matches of."""

    what: str
    spans: tuple[tuple[int, int], ...]
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [start for start, _ in self.spans])

    @classmethod
    def of_spans(cls, what: str, spans: Iterable[tuple[int, int]]) -> Matches:
        """Matches over ``spans`` (any order; empty spans and duplicates dropped)."""
        return cls(what, tuple(sorted({(s, e) for s, e in spans if e > s})))

    @classmethod
    def find(cls, text: str, words: str) -> Matches:
        """Every match of ``words`` in ``text``, ignoring case.

        Searched in the text itself, not a casefolded copy: casefolding can change lengths,
        and so offsets.
        """
        pattern = re.compile(re.escape(words), re.IGNORECASE)
        return cls.of_spans(words, (m.span() for m in pattern.finditer(text)) if words else ())

    def __len__(self) -> int:
        return len(self.spans)

    def between(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that overlap ``[start, end)`` (for drawing one screen line)."""
        # Spans do not overlap: start from the one before the last that starts before ``start``.
        index = max(bisect.bisect_right(self._starts, start) - 2, 0)
        spans, found = self.spans, []
        while index < len(spans) and spans[index][0] < end:
            if spans[index][1] > start:
                found.append(spans[index])
            index += 1
        return found

    def index_at(self, offset: int) -> int | None:
        """The index of the match that holds ``offset``, if any."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.spans[index][1]:
            return index
        return None

    def step(self, caret: int, direction: int, *, from_caret: bool = False) -> Step | None:
        """The next match after ``caret`` (or at it, with ``from_caret``), or the previous one
        before it, wrapping around the text; None when there is no match at all."""
        if not self.spans:
            return None
        if direction > 0:
            index = bisect.bisect_left(self._starts, caret if from_caret else caret + 1)
            wrapped = index == len(self.spans)
            index = 0 if wrapped else index
        else:
            index = bisect.bisect_left(self._starts, caret) - 1
            wrapped = index < 0
            index = len(self.spans) - 1 if wrapped else index
        return Step(index, self.spans[index][0], wrapped)

    def position(self, offset: int) -> str | None:
        """ "k of n" when ``offset`` is in the k-th match, else None."""
        index = self.index_at(offset)
        return None if index is None else f"{index + 1} of {len(self.spans)}"
