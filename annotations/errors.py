"""The failures the annotation store reports to its callers, each with a message for people.

Kept apart from the store so that the modules beside it (corrections, history, recovery) raise
the same errors without importing the store. A message says which file and what to do, in
words that hold wherever the store is used; how to choose another store (a command-line flag,
a setting) is the application's to say: :attr:`StoreError.advice` tells it when that helps.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

__all__ = ["Advice", "ChangedElsewhere", "StoreError", "StoreMissing", "StoreNeedsUpgrade"]


class Advice(Enum):
    """What else the user may do about a store error, for the application to put in its words."""

    #: Another store (a new one, elsewhere) would do: the application says how to choose one.
    ANOTHER_STORE = "another-store"
    #: The path the store was opened at may be mistyped: the application says where it came from.
    CHECK_PATH = "check-path"


class StoreError(Exception):
    """A store that cannot be used as it is; the message says which file and what to do.

    ``path`` is the store (the file the user named); ``backup`` is set when a file of the store
    is damaged and a backup of that file exists, so that the app can offer
    :meth:`~annotations.store.AnnotationStore.restore_backup`. ``written`` is true when the
    change that failed is nevertheless in place (only confirming it on disk failed), so that
    whoever records changes (the undo history) records it. ``damaged`` is the file of the store
    found damaged or missing, if that is the problem: then the app offers the same choices
    wherever it is met. ``advice`` is what else the user may do, beyond what the message says.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        backup: Path | None = None,
        written: bool = False,
        damaged: Path | None = None,
        advice: Advice | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
        self.written = written
        self.damaged = damaged
        self.advice = advice


class StoreMissing(StoreError):
    """No store at the path given (no manifest, no backup of it, no folder): nothing to read."""


class StoreNeedsUpgrade(StoreError):
    """A store of an older version opened read-only: it can only be read once migrated (a write)."""


class ChangedElsewhere(StoreError):
    """A change refused because the annotation it replaces is no longer what the caller read:
    another window or process changed or deleted it since. Nothing was written for it."""
