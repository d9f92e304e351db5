"""StoreDamageReport: the body both damaged-store screens show, and the backup they offer.

Reader meets a damaged store in two places: before the app runs, when the store cannot be opened
(:class:`reader.app.store_problem.StoreProblemApp`), and while it runs, when a file of the open
store turns out damaged or missing (:class:`reader.app.dialogs.damaged_store.DamagedStoreDialog`).
Both say which file, offer its last good backup when there is one, write nothing until the user
chooses, and say so when the backup fails too. This widget is that one body, so the two cannot
drift apart; each screen adds only its own other choices and what it does once the backup is back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from annotations import StoreError
from reader.safe_text import inert

T = TypeVar("T")


class StoreDamageReport(Vertical):
    """A heading, the store's error, and the keys to choose from (``b`` first when there is a backup).

    ``part`` names the children: ``#<part>-message`` and ``#<part>-choices`` (the screens' styles
    and tests find them by those ids). Extra ``children`` (an input, say) follow the choices.
    """

    def __init__(
        self,
        heading: str,
        error: StoreError,
        choices: Sequence[tuple[str, str]],
        *children: Widget,
        id: str,
        part: str,
    ) -> None:
        super().__init__(*children, id=id)
        self.heading = heading
        self.error = error
        self.choices = choices
        self.part = part

    def compose(self) -> ComposeResult:
        yield Label(Text(self.heading, style="bold"))
        yield Static(Text(inert(str(self.error))), id=f"{self.part}-message")
        lines = list(self.choices)
        if self.error.backup is not None:
            backup = f"open the last good backup ({self.error.backup}); the damaged file is set aside"
            lines.insert(0, ("b", backup))
        choices = Text()
        for number, (key, words) in enumerate(lines):
            choices.append(key, style="bold")
            choices.append(inert(f"  {words}") + ("\n" if number < len(lines) - 1 else ""))
        yield Static(choices, id=f"{self.part}-choices")

    def try_backup(self, restore: Callable[[], T]) -> T | None:
        """What ``restore`` gives back, or None once the message says why the backup failed too."""
        try:
            return restore()
        except StoreError as error:
            message = self.query_one(f"#{self.part}-message", Static)
            message.update(Text(inert(f"The backup could not be used either: {error}")))
            return None
