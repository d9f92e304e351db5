"""Recognition of one text in steps: stoppable, the part on screen first, with progress.

A 3 MB article keeps the model busy for most of a minute. Done in one call, nothing could stop
it: quitting waited for it, and the next article's entities waited behind it. Here the text is
read a few thousand characters at a time (see :mod:`reader.nlp.pieces`); between two steps the
caller can stop it (``cancelled``), learn how far it got (``progress``, with the entities found
so far) and move the reading to where the reader is (``focus``). The model is held only during a
step, so two articles being read take turns instead of waiting for each other.

spaCy stays out of this module: it drives a ``read`` function that gives the entities of a few
pieces of text (:meth:`reader.nlp.entities.EntityRecognizer.read_pieces`).
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reader.nlp.model import Entity
from reader.nlp.pieces import PIECE_CHARS, pieces

#: Characters of text the model reads in one step (whole pieces, at least one).
STEP_CHARS = PIECE_CHARS // 2
#: Seconds between two progress reports (a report also follows the part on screen being done).
REPORT_EVERY = 0.5

#: The name of the daemon threads :func:`run_stoppably` starts.
RECOGNITION_THREAD = "reader-recognition"

T = TypeVar("T")

#: A piece's entities as the model gives them: (start, end, label), offsets into the piece.
Found = list[tuple[int, int, str]]
#: Reads the entities of each of a few pieces of text, in order.
Read = Callable[[Sequence[str]], list[Found]]


class Cancelled(Exception):
    """Recognition was stopped before it finished (the article was closed, the app quits)."""


@dataclass(frozen=True)
class Progress:
    """How far the recognition of one text got, with the entities found so far (text order)."""

    done: int
    total: int
    entities: list[Entity]

    @property
    def percent(self) -> int:
        return self.done * 100 // max(self.total, 1)


def never() -> bool:
    """The ``cancelled`` of a recognition nobody stops."""
    return False


def recognise_in_steps(
    read: Read,
    text: str,
    *,
    cancelled: Callable[[], bool] = never,
    focus: Callable[[], tuple[int, int]] | None = None,
    progress: Callable[[Progress], None] | None = None,
    report_every: float = REPORT_EVERY,
    step_chars: int = STEP_CHARS,
) -> list[Entity]:
    """The entities of ``text`` (offsets into it), read step by step; raises :class:`Cancelled`.

    ``text`` is read as given (normalise it first). Before each step ``cancelled()`` is asked,
    and ``focus()`` gives the span ``(start, end)`` the reader sees: its unread pieces are read
    first, nearest its middle (the caret) first, then the text onward from there, wrapping to
    the start. ``progress`` is told after each step that read some of that span (so what is on
    screen is coloured as soon as it is found) and otherwise every ``report_every`` seconds;
    never once all is read (the return value is the end).
    """
    items = list(pieces(text))
    starts = [offset for offset, _ in items]
    found: list[list[Entity] | None] = [None] * len(items)
    total = sum(len(piece) for _, piece in items)
    done_chars = 0
    remaining = len(items)
    cursor = 0
    if focus is not None and items:
        cursor = max(bisect.bisect_right(starts, focus()[0]) - 1, 0)
    last_report = time.monotonic()

    def in_span(span: tuple[int, int]) -> list[int]:
        """The unread pieces in ``span``, those nearest its middle first."""
        first = max(bisect.bisect_right(starts, span[0]) - 1, 0)
        last = bisect.bisect_left(starts, span[1])
        middle = (span[0] + span[1]) // 2
        unread = [i for i in range(first, min(last, len(items))) if found[i] is None]
        return sorted(unread, key=lambda i: max(starts[i] - middle, middle - starts[i] - len(items[i][1]), 0))

    while remaining:
        if cancelled():
            raise Cancelled
        wanted = in_span(focus()) if focus is not None else []
        step: list[int] = []
        size = 0
        for index in wanted:
            if size >= step_chars:
                break
            step.append(index)
            size += len(items[index][1])
        while size < step_chars and len(step) < remaining:
            while found[cursor] is not None or cursor in step:
                cursor = (cursor + 1) % len(items)
            step.append(cursor)
            size += len(items[cursor][1])
        for index, entities in zip(step, read([items[i][1] for i in step]), strict=True):
            offset = items[index][0]
            found[index] = [Entity(offset + start, offset + end, label) for start, end, label in entities]
            done_chars += len(items[index][1])
            remaining -= 1
        if progress is None or not remaining:
            continue
        if (wanted and step[0] == wanted[0]) or time.monotonic() - last_report >= report_every:
            progress(Progress(done_chars, total, [e for part in found if part for e in part]))
            last_report = time.monotonic()
    return [entity for part in found if part for entity in part]


def run_stoppably(work: Callable[[], T], cancelled: Callable[[], bool], poll: float = 0.02) -> T:
    """``work()`` run in a daemon thread of its own, waited for while ``cancelled()`` is asked.

    A stop raises :class:`Cancelled` here at once: the caller (a Textual worker, which the
    process waits for at exit) returns without waiting for the model's current step or for the
    model's loading, which nothing can stop half way. ``work`` should ask the same ``cancelled``
    between its steps, so that it ends soon after; if the process exits first, the daemon thread
    goes with it. What ``work`` returns or raises is returned or raised here.
    """
    outcome: list[tuple[bool, object]] = []
    finished = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # handed to the waiting thread, raised there
            outcome.append((False, error))
        finally:
            finished.set()

    threading.Thread(target=run, name=RECOGNITION_THREAD, daemon=True).start()
    while not finished.wait(poll):
        if cancelled():
            raise Cancelled
    succeeded, value = outcome[0]
    if not succeeded:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
