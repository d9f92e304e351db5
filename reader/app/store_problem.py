"""StoreProblemApp: the annotation store cannot be opened; the user chooses what happens next.

Nothing is written until the user chooses: open the last good backup (the damaged file is set
aside, not changed), start a new store elsewhere, or quit and look at the file first.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input

from annotations import AnnotationStore, StoreError
from reader.app.widgets.store_damage import StoreDamageReport
from reader.safe_text import inert


class StoreProblemApp(App[AnnotationStore | None]):
    """Returns an open store (the restored backup or a new one), or None to quit."""

    CSS_PATH = "store_problem.tcss"
    #: Keys choose; the path input takes focus only once "new store" is chosen.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("b", "open_backup", "Open the backup", id="store-problem.open-backup"),
        Binding("n", "new_store", "New store elsewhere", id="store-problem.new-store"),
        Binding("q,escape", "quit_untouched", "Quit", id="store-problem.quit"),
    ]

    def __init__(self, error: StoreError, path: Path) -> None:
        super().__init__()
        self.error = error
        self.path = path

    def compose(self) -> ComposeResult:
        new_path = Input(
            value=inert(str(self.path.with_name(self.path.stem + ".new" + self.path.suffix))), id="new-path"
        )
        yield StoreDamageReport(
            "The annotation store cannot be opened",
            self.error,
            [("n", "start a new, empty store at another path"), ("q", "quit; nothing has been written")],
            new_path,
            id="problem",
            part="problem",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-path", Input).display = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_backup":
            return self.error.backup is not None
        return True

    def action_open_backup(self) -> None:
        store = self.query_one(StoreDamageReport).try_backup(lambda: AnnotationStore.restore_backup(self.path))
        if store is not None:
            self.exit(store)

    def action_new_store(self) -> None:
        new_path = self.query_one("#new-path", Input)
        new_path.display = True
        new_path.border_title = "Path of the new store (Enter creates it)"
        new_path.focus()

    @on(Input.Submitted, "#new-path")
    def _create(self, event: Input.Submitted) -> None:
        target = Path(event.value).expanduser()
        if target.exists():
            self.notify(
                inert(f"{target} already exists: choose a path that does not."), severity="warning", markup=False
            )
            return
        try:
            self.exit(AnnotationStore(target))
        except (StoreError, OSError) as error:
            self.notify(inert(f"Cannot create {target}: {error}"), severity="error", markup=False)

    def action_quit_untouched(self) -> None:
        self.exit(None)
