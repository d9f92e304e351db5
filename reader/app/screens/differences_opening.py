"""Opening the differences screen: which coders and which agreed layer, from the store.

The app's ``D`` and the agreement screen's Enter both come through :func:`differences_screen`,
so the agreed layer is the one the store's adjudication file (:mod:`annotations.adjudication`)
names, and the coders default the same way as in the coders dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.adjudication import AdjudicationFileError, adjudication_path, read_adjudication
from annotations.differences import AGREED
from reader.app.dialogs.coders_dialog import coder_counts, default_coders
from reader.app.screens.differences import DifferencesScreen
from reader.app.store_guard import reports_store_errors

if TYPE_CHECKING:
    from reader.app.app import ReaderApp


def differences_screen(
    app: ReaderApp, coders: tuple[str, str] | None = None, *, code: str | None = None
) -> DifferencesScreen | None:
    """The differences screen over the store as it is now, into the agreed layer the store's
    adjudication file names (:mod:`annotations.adjudication`), with the differences dismissed
    there counted as settled. Without ``coders``: you and the coder with most passages; None
    (and a message) when fewer than two coders have any."""
    try:
        agreed = read_adjudication(adjudication_path(app.store.path)).agreed
    except AdjudicationFileError:  # the screen says so when it opens
        agreed = AGREED
    stored = app.store.all()
    coders = coders or default_coders(coder_counts(stored), app.coder, agreed)
    if coders is None:
        app.notify(
            "Differences need two coders' passages: import the other coder's export (reader import FILE).",
            severity="warning",
            markup=False,
        )
        return None
    return DifferencesScreen(*coders, agreed=agreed, stored=stored, code=code)


@reports_store_errors
def open_differences(app: ReaderApp) -> None:
    """The app's ``D``: the differences of you and the coder with most passages, or a message."""
    if isinstance(app.screen, DifferencesScreen):
        return
    screen = differences_screen(app)
    if screen is not None:
        app.push_screen(screen)
