"""Store failures inside the app become a message, never a traceback or a lost screen.

A full disk, a store locked by another program: the action that met it stops, the user is told
which file and what to do (the store's own message), and nothing else changes. A file of the
store found damaged or missing (an article's file, when that article is read) brings the same
choices as a store that cannot be opened: the dialog names the file and offers its backup.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from textual.app import App
from textual.dom import DOMNode

from annotations import AnnotationStore, StoreError

P = ParamSpec("P")
R = TypeVar("R")


def reports_store_errors(method: Callable[P, R]) -> Callable[P, R | None]:
    """Decorate a method of a screen or widget that reads or writes the annotation store."""

    @functools.wraps(method)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return method(*args, **kwargs)
        except StoreError as error:
            node = args[0]
            assert isinstance(node, DOMNode)
            store = getattr(node.app, "store", None)
            if error.damaged is not None and isinstance(store, AnnotationStore):
                offer_recovery(node.app, store, error)
            else:
                node.app.notify(str(error), title="Annotation store", severity="error", timeout=30, markup=False)
            return None

    return guarded


def offer_recovery(app: App, store: AnnotationStore, error: StoreError) -> None:
    """Show the damaged-file dialog (once, however many actions meet the damage); once the backup
    is back, the screen underneath reads its annotations again."""
    from reader.app.dialogs.damaged_store import DamagedStoreDialog

    if isinstance(app.screen, DamagedStoreDialog):
        return

    def chosen(aside: tuple[Path, ...] | None) -> None:
        if aside is None:
            return
        kept = ", ".join(str(path) for path in aside)
        app.notify(
            f"The last good version is back; the damaged file is kept as {kept}.",
            title="Annotation store",
            markup=False,
        )
        reload = getattr(app.screen, "reload_annotations", None)
        if callable(reload):
            reload()

    app.push_screen(DamagedStoreDialog(store, error), chosen)
