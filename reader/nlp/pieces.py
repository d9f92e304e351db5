"""The pieces of a text the model reads one at a time: its paragraphs, long ones cut in sentences.

spaCy refuses a text longer than its ``max_length`` (1,000,000 characters) and its memory grows
with a text's length; a long paragraph also takes the model a long while, and nothing can stop a
call to the model half way. So every paragraph longer than :data:`PIECE_CHARS` is cut, at a
sentence end where there is one in the second half of the window, else at white space, else
(a run of that many characters without a space) at the limit itself. Every piece is a slice of
the text: ``text[offset : offset + len(piece)] == piece``, so an entity found at ``i`` in a
piece is at ``offset + i`` in the text.

The same cutting serves the app and ``reader ner``: both give the same entities, and share the
cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The longest piece the model reads at once (well under spaCy's ``max_length``): about a
#: quarter of a second of model time on a loaded machine, so a stop request waits no longer.
PIECE_CHARS = 4_000

#: A sentence end: ``.``, ``!`` or ``?``, closing quotes or brackets, then white space.
SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
SPACE = re.compile(r"\s+")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each non-empty line; the model reads one paragraph at a time."""
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def cut_point(paragraph: str, start: int, limit: int) -> int:
    """Where the piece that starts at ``start`` ends: after a sentence end or a space, at most
    ``limit`` characters on; a sentence end is taken if it leaves the piece at least half full."""
    window_end = start + limit
    if window_end >= len(paragraph):
        return len(paragraph)
    half = start + limit // 2
    best = None
    for match in SENTENCE_END.finditer(paragraph, half, window_end):
        best = match.end()
    if best is not None:
        return best
    for match in SPACE.finditer(paragraph, start + 1, window_end):
        best = match.end()
    return best if best is not None and best > start else window_end


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) in text order: each paragraph, cut into pieces of at most ``limit``
    characters (see :func:`cut_point`); pieces that are only white space are left out."""
    for offset, paragraph in paragraphs(text):
        if len(paragraph) <= limit:
            yield offset, paragraph
            continue
        start = 0
        while start < len(paragraph):
            end = cut_point(paragraph, start, limit)
            piece = paragraph[start:end]
            if piece.strip():
                yield offset + start, piece
            start = end
