"""How a worker's failure reaches the user: one message shape for every worker of the app.

Workers run off the UI thread; what goes wrong there (a damaged store, a model not installed, a
corpus folder gone) must become a notification, never a traceback or a silently lost worker.
An error reader writes for people (a store, corpus, model or export error, or the system's own
file errors) is shown as its message; any other names its type too, so the user has something
to report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotations import StoreError
from reader.corpus import ArticleUnavailable, CorpusError
from reader.nlp import ModelUnavailable
from reader.spoken import Spoken

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

#: Errors whose message is written for the user as it stands (besides reader's own, marked
#: :class:`~reader.spoken.Spoken`).
SPOKEN: tuple[type[BaseException], ...] = (StoreError, CorpusError, ArticleUnavailable, ModelUnavailable, OSError)


def failure_message(error: BaseException, doing: str = "") -> str:
    """``error`` as words for the user, after ``doing`` (what failed: "Export failed") if given."""
    spoken = isinstance(error, (*SPOKEN, Spoken)) and str(error)
    reason = str(error) if spoken else f"{type(error).__name__}: {error}"
    return f"{doing}: {reason}" if doing else reason


def report_failure(
    app: App[Any], error: BaseException, doing: str = "", *, severity: SeverityLevel = "error", timeout: float = 30
) -> None:
    """From a worker thread: show :func:`failure_message` as a notification (plain text, never
    markup). Nothing happens if the app has already stopped: there is nobody to tell."""
    try:
        app.call_from_thread(
            app.notify, failure_message(error, doing), severity=severity, timeout=timeout, markup=False
        )
    except RuntimeError:
        pass
