"""Writes to the annotation store run off the UI thread, one at a time, in the order made.

A write may have to wait for the store's lock: another reader process is writing, or is
suspended mid-write (Ctrl-Z on ``reader import``). The UI thread must never wait on it, so the
screens hand their writes to :class:`StoreWriter`, which runs them in one worker thread (so
they stay in order: an undo pressed right after a tag undoes that tag) and hands each result
back to the UI thread. While a write waits for another process, the user is told so
(:func:`waiting_message`), and the write completes when the other process lets go. Reads need
no lock (see :mod:`annotations.locking`) and stay on the UI thread.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from textual.app import App

from annotations import AnnotationStore, StoreError
from reader.app.worker_errors import failure_message
from reader.safe_text import inert

T = TypeVar("T")


def waiting_message(store: Path) -> str:
    """What the user sees while a change waits for another process to finish with the store."""
    return (
        f"Waiting for another reader process to finish with the annotation store {store}\u2026 "
        "Your change is saved as soon as it does (a suspended one: bring it back with fg)."
    )


class StoreWriter:
    """Runs the app's writes to the store in one worker thread, in order, and reports back.

    ``ui_thread`` is the identity of the thread the app runs in (taken when the app mounts);
    :meth:`notify` may be called from any thread.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.ui_thread: int | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")

    def notify(self, message: str, *, severity: str = "information", timeout: float = 10, title: str = "") -> None:
        """Show ``message`` (inert: file names and tags cannot act on the terminal) from any thread."""

        def show() -> None:
            self.app.notify(inert(message), title=title, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

        if self.ui_thread is None or threading.get_ident() == self.ui_thread:
            show()
        else:
            self._on_ui(show)

    def _on_ui(self, call: Callable[[], object]) -> None:
        """Run ``call`` on the UI thread soon, without waiting for it (``call_later`` posts a
        message, which is thread-safe): the worker never waits on the UI, so the UI may wait
        for the worker when the app closes (:meth:`shutdown`)."""
        try:
            self.app.call_later(call)
        except RuntimeError:
            pass  # the app has stopped: nobody to tell; the write itself is done

    def submit(self, write: Callable[[], T], then: Callable[[T], object] | None = None) -> None:
        """Run ``write`` in the worker, then ``then(result)`` on the UI thread. A
        :class:`StoreError` (or any other failure) becomes a message, as on the UI thread."""

        def run() -> None:
            try:
                result = write()
            except StoreError as error:
                self._on_ui(functools.partial(self._report, error))
                return
            except Exception as error:  # a message, never a lost worker
                self.notify(failure_message(error, "Could not save the change"), severity="error", timeout=30)
                return
            if then is not None:
                self._on_ui(lambda: self._then(then, result))

        self._executor.submit(run)

    def _then(self, then: Callable[[T], object], result: T) -> None:
        try:
            then(result)
        except StoreError as error:
            self._report(error)

    def _report(self, error: StoreError) -> None:
        """On the UI thread: a damaged or missing file of the store brings the recovery dialog
        (as a read that meets it does), any other store error a message."""
        from reader.app.store_guard import offer_recovery

        store = getattr(self.app, "store", None)
        if error.damaged is not None and isinstance(store, AnnotationStore):
            offer_recovery(self.app, store, error)
        else:
            self.notify(str(error), title="Annotation store", severity="error", timeout=30)

    def wait_for_store(self, store: Path) -> None:
        """The store's ``on_lock_wait``: say that a change waits for another process."""
        self.notify(waiting_message(store), title="Annotation store", severity="warning", timeout=30)

    def shutdown(self) -> None:
        """Let the writes already made finish (they are the user's edits), then stop the worker."""
        self._executor.shutdown(wait=True)
