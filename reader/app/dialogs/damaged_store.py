"""DamagedStoreDialog: a file of the open store turned out damaged or missing while reader runs.

The same recovery as when the store cannot be opened at all (:mod:`reader.app.store_problem`),
with the same body (:class:`reader.app.widgets.store_damage.StoreDamageReport`):
reader says which file, offers its last good version, and writes nothing until the user chooses.
Opening the backup sets the damaged file aside unchanged (``<name>.damaged-<time>``); leaving it
changes nothing, and reading or changing what that file holds stays refused with this dialog.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding

from annotations import AnnotationStore, StoreError
from reader.app.base import ReaderModal
from reader.app.widgets.store_damage import StoreDamageReport


class DamagedStoreDialog(ReaderModal[tuple[Path, ...] | None]):
    """Returns where the damaged files were set aside once their backups are back, or None (left as they are)."""

    CSS_PATH = "damaged_store.tcss"
    BINDINGS = [
        Binding("b", "open_backup", "Open the backup", id="damaged-store.open-the-backup"),
        Binding("q,escape", "leave", "Leave it", id="damaged-store.leave-it"),
    ]

    def __init__(self, store: AnnotationStore, error: StoreError) -> None:
        super().__init__()
        self.store = store
        self.error = error

    def compose(self) -> ComposeResult:
        leave = (
            "leave it: nothing is written, and what that file holds stays out of reach. To start a new "
            "store elsewhere, quit and run reader --db PATH."
        )
        yield StoreDamageReport(
            "A file of the annotation store is damaged", self.error, [("q", leave)], id="damaged-store", part="damaged"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_backup":
            return self.error.backup is not None
        return True

    def action_open_backup(self) -> None:
        aside = self.query_one(StoreDamageReport).try_backup(self.store.restore_damaged)
        if aside is not None:
            self.dismiss(aside)

    def action_leave(self) -> None:
        self.dismiss(None)
