"""User-perceived characters (grapheme clusters): the smallest piece a passage or a caret step may be.

A flag (two regional indicators), a skin-toned or ZWJ emoji (👨‍👩‍👧), a letter with combining
accents, a Hangul syllable in jamo: each is several code points but one character to a reader.
A passage never starts or ends inside one (an export of half a family emoji is "👨\u200d"), so
every passage made (selection, resize, re-anchoring, placement on import) goes through
:func:`snap`, and the caret moves with :func:`next_start` / :func:`previous_start`.

Segmentation is Unicode's (UAX #29 extended grapheme clusters) as the ``regex`` package's ``\\X``
implements it; no rules of our own. Offsets stay code-point indices into the text. Work is local:
only the stretch around an offset is segmented, from a point where a cluster surely starts, so a
step in a 1 MB article costs the same as in a short one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

#: How far back from an offset segmenting starts at most; a longer cluster (hundreds of
#: combining marks) is cut there, which is harmless for display and offsets alike.
_LOOKBEHIND = 256


@lru_cache(maxsize=1)
def _cluster_pattern() -> Any:
    """``\\X`` compiled, imported on first need: plain ASCII never needs it, and a process that
    only stores annotations (a CLI import, a writer) starts ~20 ms sooner without it."""
    import regex

    return regex.compile(r"\X", regex.DOTALL)


def _scan_start(text: str, offset: int) -> int:
    """A position at or before ``offset`` where a cluster starts: just after a line end, or at a
    space (nothing joins a space to what is before it), else ``_LOOKBEHIND`` back."""
    floor = max(0, offset - _LOOKBEHIND)
    line = text.rfind("\n", floor, offset) + 1
    space = text.rfind(" ", max(line, floor), offset)
    return space if space >= 0 else max(line, floor)


def _lone_ascii(text: str, offset: int) -> bool:
    """Whether ``text[offset]`` is an ASCII character between ASCII neighbours (never joined to
    them, except CR LF): a cluster of its own."""
    here = text[offset]
    before = text[offset - 1] if offset else ""
    after = text[offset + 1] if offset + 1 < len(text) else ""
    if not (here.isascii() and before.isascii() and after.isascii()):
        return False
    return not (before == "\r" and here == "\n") and not (here == "\r" and after == "\n")


def cluster_at(text: str, offset: int) -> tuple[int, int]:
    """The grapheme cluster holding ``offset`` as ``[start, end)``; at or past the end of ``text``,
    the empty span there."""
    if offset >= len(text):
        return len(text), len(text)
    offset = max(offset, 0)
    if _lone_ascii(text, offset):  # the common case, without segmenting
        return offset, offset + 1
    position = _scan_start(text, offset)
    for match in _cluster_pattern().finditer(text, position):
        if match.end() > offset:
            return match.start(), match.end()
    return offset, offset + 1  # not reached: \X matches every character


def is_boundary(text: str, offset: int) -> bool:
    """Whether a passage may start or end at ``offset`` (between two clusters, or an end of ``text``)."""
    return offset <= 0 or offset >= len(text) or cluster_at(text, offset)[0] == offset


def next_start(text: str, offset: int) -> int:
    """Where the cluster after the one at ``offset`` starts (``len(text)`` after the last)."""
    return cluster_at(text, offset)[1] if offset < len(text) else len(text)


def previous_start(text: str, offset: int) -> int:
    """Where the cluster before the one at ``offset`` starts (0 before the first)."""
    start = cluster_at(text, offset)[0] if offset < len(text) else len(text)
    return cluster_at(text, start - 1)[0] if start > 0 else 0


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened so that it neither starts nor ends inside a cluster.

    The one policy for every passage made: a selection, a resize, a re-anchored or imported
    passage. An empty span stays empty (at the start of its cluster).
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    snapped_start = cluster_at(text, start)[0] if start < len(text) else start
    if end == start:
        return snapped_start, snapped_start
    return snapped_start, cluster_at(text, end - 1)[1]
