"""The article screen's entity worker: recognition that stops, reads the screen first, reports.

The worker thread runs :func:`find_in_background`; it talks to the screen only by posting
messages (:class:`EntitiesFound`, :class:`EntitiesOff`), which never block: a worker waiting for
a screen or an app that is closing would keep the process alive. A closed article or a quitting
app cancels the worker (Textual cancels a screen's workers when it goes, and all of them at
exit); the recognition then stops within one step of the model.
"""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from annotations import StoreError
from reader.app.worker_errors import failure_message
from reader.nlp import Cancelled, Entity, EntityRecognizer, ModelUnavailable, Progress

#: The least text counted as on screen around the caret (a small or not yet sized view).
MIN_SEEN_CHARS = 2_000


class EntitiesFound(Message):
    """Entities of the article: all of them (``percent`` None), or those found so far."""

    def __init__(self, worker: Worker | None, entities: list[Entity], percent: int | None) -> None:
        super().__init__()
        self.worker = worker
        self.entities = entities
        self.percent = percent

    @property
    def stale(self) -> bool:
        """Sent by a worker since cancelled (a newer recognition replaces it)."""
        return self.worker is not None and self.worker.is_cancelled


class EntitiesOff(Message):
    """No entities for this article: the reason (no model, a damaged corrections file...)."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def seen_span(view: Widget, caret: int) -> tuple[int, int]:
    """The text around ``caret`` that the view can show: a screenful of characters either side
    (the caret may be on the first line or the last). Centred on the caret, which is read first,
    even where the span starts before the text."""
    width, height = view.size if view.size.area else view.app.size
    reach = max(width * height, MIN_SEEN_CHARS)
    return caret - reach, caret + reach


def post(screen: Screen, message: Message) -> None:
    """Post ``message`` to ``screen`` from the worker thread; a closed app drops it."""
    try:
        screen.post_message(message)
    except RuntimeError:  # the event loop is closed: the app has gone
        pass


def find_in_background(screen: Screen, recognizer: EntityRecognizer, text: str, view: Widget) -> None:
    """Find the entities of ``text`` in the current worker thread and post them to ``screen``.

    The part of the text around the view's caret is read first (its entities are posted as soon
    as it is done), then the rest, with progress posted as it goes.
    """
    worker = get_current_worker()

    def progress(step: Progress) -> None:
        post(screen, EntitiesFound(worker, step.entities, step.percent))

    try:
        entities = recognizer.entities(
            text,
            cancelled=lambda: worker.is_cancelled,
            focus=lambda: seen_span(view, getattr(view, "caret", 0)),
            progress=progress,
        )
    except Cancelled:
        return
    except (ModelUnavailable, StoreError) as error:
        if not worker.is_cancelled:
            post(screen, EntitiesOff(failure_message(error)))
        return
    if not worker.is_cancelled:
        post(screen, EntitiesFound(worker, entities, None))
