"""Legend: which colour stands for which entity label, and how annotations look."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Set

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from reader.app.palette import entity_style, palette_of
from reader.safe_text import inert


class Legend(Static):
    """One line: the mark of each other coder shown (``coders_shown``, set by the article screen), a
    swatch per entity label present (with its count), then the annotation mark."""

    #: Other coders shown, each with the mark of its passages (none while layers are off).
    coders_shown: tuple[tuple[str, Style], ...] = ()

    def show_labels(self, labels: Iterable[str], hidden: Set[str] = frozenset(), status: str = "") -> None:
        counts = Counter(labels)
        legend = Text()
        if status:  # first: a long row of labels must not push it off a narrow screen
            legend.append(f" {status} ", style="italic")
        for coder, mark in self.coders_shown:  # before the labels too: never pushed off a narrow screen
            legend.append(f" {inert(coder)} ", style=mark)
            legend.append(" ")
        for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            style = "dim strike" if label in hidden else entity_style(label, self.app)
            legend.append(f" {label}", style=style)
            legend.append(f" {count} ", style="dim")
        legend.append(" annotated ", style=palette_of(self.app).annotation[0])
        self.update(legend)
