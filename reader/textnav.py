"""Words, sentences and paragraphs of a text, as caret motions and selections need them.

Plain functions over ``str`` and offsets, so the article view stays about drawing. A word is a run
of letters and digits, joined across an apostrophe, backtick or hyphen ("Pakistan`s",
"Taliban-led"). Sentences end at ``.``, ``!`` or ``?`` followed by space, a quote, a capital
letter (real text runs sentences together: "Conference.The rare") or the end of a paragraph;
in other scripts at ``。！？`` (Chinese, Japanese: no space follows), ``۔ ؟`` (Urdu, Arabic) and
``।`` (Devanagari).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

WORD = re.compile(r"\w+(?:[`'\u2019-]\w+)*")
#: Closing quotes and brackets that stay with the sentence they end.
_CLOSERS = "`'\"\u2019\u201d)\\]\u300d\u300f\uff09\u3011\u300b\u3009\uff63"
SENTENCE_END = re.compile(
    # Latin full stops end a sentence before space, a quote or a capital ("Conference.The").
    rf"[.!?]+[{_CLOSERS}]*(?=\s|$|[A-Z`'\"\u2018\u201c])"
    # Chinese and Japanese full stops (。！？｡) are written without a space after them.
    rf"|[\u3002\uff01\uff1f\uff61]+[{_CLOSERS}]*"
    # Urdu/Arabic full stop and question mark (۔ ؟), Devanagari danda (। ॥).
    rf"|[\u06d4\u061f\u0964\u0965]+[{_CLOSERS}]*",
    re.MULTILINE,
)


@lru_cache(maxsize=8)
def _words(text: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for match in WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
    return starts, ends


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word that contains ``offset``, as (start, end); None between words."""
    starts, ends = _words(text)
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and offset < ends[index]:
        return starts[index], ends[index]
    return None


def next_word_start(text: str, offset: int) -> int:
    starts, _ = _words(text)
    index = bisect.bisect_right(starts, offset)
    return starts[index] if index < len(starts) else offset


def previous_word_start(text: str, offset: int) -> int:
    starts, _ = _words(text)
    index = bisect.bisect_left(starts, offset) - 1
    return starts[index] if index >= 0 else offset


def word_end(text: str, offset: int) -> int:
    """Offset of the last character of the word at or after ``offset`` that ends past it."""
    _, ends = _words(text)
    index = bisect.bisect_right(ends, offset + 1)
    if index < len(ends):
        return ends[index] - 1
    return offset


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that no word is cut in two."""
    first = word_at(text, start)
    last = word_at(text, max(start, end - 1))
    return (first[0] if first else start, last[1] if last else end)


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    """The line (paragraph) that holds ``offset``, without its line end."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


@lru_cache(maxsize=8)
def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        start = line_start
        for match in SENTENCE_END.finditer(line):
            end = line_start + match.end()
            spans.append((start, end))
            start = end
        if line_start + len(line) > start:
            spans.append((start, line_start + len(line)))
        line_start += len(line) + 1
    trimmed = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


@lru_cache(maxsize=8)
def _sentence_starts(text: str) -> list[int]:
    return [start for start, _ in _sentences(text)]


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The sentence that contains ``offset`` (or the next one, from the space before it)."""
    spans = _sentences(text)
    index = bisect.bisect_right(_sentence_starts(text), offset) - 1
    if index >= 0 and offset < spans[index][1]:
        return spans[index]
    if index + 1 < len(spans) and text[offset : spans[index + 1][0]].strip() == "":
        return spans[index + 1]
    return None


def next_sentence_start(text: str, offset: int) -> int:
    starts = _sentence_starts(text)
    index = bisect.bisect_right(starts, offset)
    return starts[index] if index < len(starts) else offset


def previous_sentence_start(text: str, offset: int) -> int:
    starts = _sentence_starts(text)
    index = bisect.bisect_left(starts, offset) - 1
    return starts[index] if index >= 0 else offset


def next_paragraph_start(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return offset if end == -1 else end + 1


def previous_paragraph_start(text: str, offset: int) -> int:
    start = text.rfind("\n", 0, offset) + 1
    if start < offset:
        return start
    return text.rfind("\n", 0, max(0, start - 1)) + 1
