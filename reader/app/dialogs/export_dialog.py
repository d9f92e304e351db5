"""ExportDialog: choose a format, which annotations, and where the export goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet

from annotations import formats
from reader.app.base import ReaderModal
from reader.safe_text import inert


@dataclass(frozen=True)
class ExportScope:
    """Which annotations: all, one article's, or one tag's."""

    kind: str  # "all", "article" or "tag"
    value: str | None = None
    label: str = "every annotation"

    @property
    def slug(self) -> str:
        if self.kind == "all" or not self.value:
            return "all"
        return "".join(c if c.isalnum() else "-" for c in self.value)[:40].strip("-") or self.kind


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    scope: ExportScope
    destination: Path


def default_destination(fmt: str, scope: ExportScope, folder: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return folder / f"reader-{scope.slug}-{stamp}{formats.get(fmt).suffix}"


class ExportDialog(ReaderModal[ExportRequest | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export-dialog.export"),
        Binding("escape", "cancel", "Cancel", id="export-dialog.cancel"),
    ]

    def __init__(self, scopes: list[ExportScope], folder: Path) -> None:
        super().__init__()
        self.scopes = scopes
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(Text("Export annotations", style="bold"))
            with Horizontal(id="export-choices"):
                with RadioSet(id="export-format"):
                    for index, name in enumerate(formats.EXPORT_FORMATS):
                        yield RadioButton(
                            Text.assemble((name, "bold"), f"  {formats.get(name).description}"),
                            value=index == 0,
                            name=name,
                        )
                with RadioSet(id="export-scope"):
                    for index, scope in enumerate(self.scopes):
                        yield RadioButton(
                            Text(inert(scope.label)), value=index == len(self.scopes) - 1, name=str(index)
                        )
            yield Input(id="export-path")
            yield Label(Text("ctrl+s (or Enter in the path) exports \u00b7 Esc cancels"), id="export-help")

    def on_mount(self) -> None:
        self._suggest_path()
        self.query_one("#export-format", RadioSet).focus()

    @property
    def fmt(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return pressed.name if pressed and pressed.name else formats.DEFAULT_FORMAT

    @property
    def scope(self) -> ExportScope:
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        return self.scopes[int(pressed.name)] if pressed and pressed.name else self.scopes[-1]

    @on(RadioSet.Changed)
    def _suggest_path(self) -> None:
        path = self.query_one("#export-path", Input)
        path.value = str(default_destination(self.fmt, self.scope, self.folder))
        path.border_title = "Folder to write" if formats.get(self.fmt).folder else "File to write"

    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        destination = Path(self.query_one("#export-path", Input).value).expanduser()
        self.dismiss(ExportRequest(self.fmt, self.scope, destination))

    def action_cancel(self) -> None:
        self.dismiss(None)
