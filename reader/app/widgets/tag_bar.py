"""TagBar: the numbered quick tags, each with the number key that applies it, in number order."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from reader.app.text_colours import text_colours
from reader.safe_text import inert


class TagBar(Static):
    def show_tags(self, tags: list[str | None]) -> None:
        """Show ``tags[0]`` on key 1 and so on; None is a number with no tag yet (left out)."""
        bar = Text(" ")
        if not any(tags):
            bar.append("no tags yet: select a passage and press t", style="dim")
        colour = text_colours(self.app).tag
        for number, tag in enumerate(tags[:9], start=1):
            if tag is None:
                continue
            bar.append(f" {number} ", style=colour + Style(bold=True, reverse=True))
            bar.append(f" {inert(tag)}  ", style=colour)
        self.update(bar)
