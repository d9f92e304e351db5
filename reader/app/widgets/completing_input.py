"""CompletingInput: an Input whose Enter takes the completion it shows.

Textual's Input draws its suggester's completion after the cursor but submits only what was
typed; a person reads the grey completion as the value, so Enter must take it (as right-arrow
already does).
"""

from __future__ import annotations

from textual.widgets import Input


class CompletingInput(Input):
    """Enter, with a completion shown after the cursor, takes the completion and submits it."""

    @property
    def completion(self) -> str:
        """The completion drawn after the typed text, or "" when none shows."""
        suggestion = self._suggestion
        shown = self.cursor_at_end and len(suggestion) > len(self.value) and self.has_focus
        return suggestion if shown else ""

    async def action_submit(self) -> None:
        completion = self.completion
        if completion:
            self.value = completion
            self.cursor_position = len(completion)
        await super().action_submit()
