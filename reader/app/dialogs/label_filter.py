"""LabelFilterDialog: choose which entity labels are coloured in the text."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from reader.app.base import ReaderModal
from reader.app.palette import LABEL_NAMES, entity_style


class LabelFilterDialog(ReaderModal[set[str] | None]):
    """Returns the labels to hide, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("enter", "apply", "Apply", priority=True, id="label-filter.apply"),
        Binding("a", "all(True)", "All on", id="label-filter.all-on"),
        Binding("z", "all(False)", "All off", id="label-filter.all-off"),
        Binding("escape", "cancel", "Cancel", id="label-filter.cancel"),
    ]

    def __init__(self, counts: Counter[str], hidden: set[str]) -> None:
        super().__init__()
        self.counts = counts
        self.hidden = hidden

    def compose(self) -> ComposeResult:
        with Vertical(id="label-dialog"):
            yield Label(Text("Entity labels shown in the text", style="bold"))
            yield SelectionList[str](
                *(
                    Selection(
                        Text.assemble(
                            (label, entity_style(label, self.app)),
                            f"  {LABEL_NAMES.get(label, '')}",
                            (f"  {count}", "dim"),
                        ),
                        label,
                        label not in self.hidden,
                    )
                    for label, count in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
                ),
                id="labels",
            )
            yield Label(
                Text("space toggles \u00b7 a all on \u00b7 z all off \u00b7 Enter applies \u00b7 Esc cancels"),
                id="label-help",
            )

    def action_all(self, shown: bool) -> None:
        labels = self.query_one(SelectionList)
        labels.select_all() if shown else labels.deselect_all()

    def action_apply(self) -> None:
        shown = set(self.query_one(SelectionList).selected)
        self.dismiss(set(self.counts) - shown)

    def action_cancel(self) -> None:
        self.dismiss(None)
