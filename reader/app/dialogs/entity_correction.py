"""EntityCorrectionDialog: tell reader what some words really are, for every article."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from annotations.corrections import EntityCorrection
from reader.app.base import ReaderModal
from reader.app.palette import ENTITY_COLOURS, LABEL_NAMES, entity_style
from reader.safe_text import inert

#: Choices that are not a label.
NOT_AN_ENTITY = "-"
FORGET = "*"


def changes_nothing(choice: str, current: str | None, rule: EntityCorrection | None) -> bool:
    """Whether ``choice`` would leave every article as it is, so no rule should be written.

    With a rule about the words, only a different label (or forgetting it) changes anything;
    without one, choosing what the words already are here (``current``, None for no entity)
    would only write a rule that repeats the model.
    """
    if choice == FORGET:
        return rule is None
    wanted = None if choice == NOT_AN_ENTITY else choice
    if rule is not None:
        return rule.label == wanted
    return wanted == current


class EntityCorrectionDialog(ReaderModal[str | None]):
    """Returns a label, :data:`NOT_AN_ENTITY`, :data:`FORGET` (drop the rule), or None (cancel)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="entity-correction.cancel")]

    def __init__(self, words: str, current: str | None, rule: EntityCorrection | None) -> None:
        super().__init__()
        self.words = words
        self.current = current
        #: The user's rule about these words, if there is one.
        self.rule = rule
        self.has_rule = rule is not None

    def compose(self) -> ComposeResult:
        with Vertical(id="correction-dialog"):
            yield Label(Text.assemble("What is \u201c", (inert(self.words), "bold"), "\u201d, wherever it appears?"))
            options = [
                Option(
                    Text.assemble((label, entity_style(label, self.app)), f"  {LABEL_NAMES.get(label, '')}"), id=label
                )
                for label in ENTITY_COLOURS
            ]
            options.append(Option(Text("not an entity", style="italic"), id=NOT_AN_ENTITY))
            if self.has_rule:
                options.append(
                    Option(Text("as the model reads it (forget my correction)", style="italic dim"), id=FORGET)
                )
            yield OptionList(*options, id="correction-options")
            yield Label(Text("Enter applies to every article \u00b7 Esc cancels"), id="correction-help")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        wanted = self.current if self.current is not None else NOT_AN_ENTITY
        options.highlighted = next(
            (i for i in range(options.option_count) if options.get_option_at_index(i).id == wanted), 0
        )
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if changes_nothing(choice, self.current, self.rule):
            label = self.current if self.rule is None else self.rule.label
            self.app.notify(
                f"Nothing changed: \u201c{inert(self.words)}\u201d is already {label or 'not an entity'}.", markup=False
            )
            self.dismiss(None)
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)
