"""AnnotationPanel: this article's annotations in text order, following the caret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations import Annotation
from reader.app.text_colours import BOLD, text_colours
from reader.cells import fit
from reader.safe_text import inert


def describe(annotation: Annotation, width: int = 60, tag_style: Style = BOLD, *, coder: bool = False) -> Text:
    """Quote, tags (in ``tag_style``: the theme's tag colour in the panel) and the start of the
    note, for one entry of the panel; with ``coder``, whose passage it is first (another coder's,
    shown beside yours)."""
    quote = " ".join(inert(annotation.quote).split())
    quote = fit(quote, width)
    entry = Text(f"{inert(annotation.coder)}: ", style="bold") if coder else Text()
    entry.append(f"\u201c{quote}\u201d\n", style="italic")
    entry.append(inert(", ".join(annotation.tags)), style=tag_style)
    if annotation.note:
        note = " ".join(inert(annotation.note).split())
        entry.append("\n" + fit(note, width), style="dim")
    return entry


class AnnotationPanel(OptionList):
    """Selecting an entry asks the screen to put the caret on that passage."""

    class Chosen(Message):
        def __init__(self, annotation: Annotation) -> None:
            super().__init__()
            self.annotation = annotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.annotations: list[Annotation] = []
        self.orphans: list[Annotation] = []
        self.border_title = "Annotations"

    def show(
        self,
        annotations: Sequence[Annotation],
        orphans: Sequence[Annotation] = (),
        waiting: Mapping[str, float] | None = None,
        mine: str | None = None,
    ) -> None:
        """Placed annotations in text order, then those the text no longer holds exactly; those
        of another coder than ``mine`` (when given) say whose they are.

        ``waiting`` maps the id of each of those for which a similar passage was found, and the
        user has not decided yet, to how alike it is (0 to 1): these are not "not found".
        """
        self.annotations = list(annotations)
        self.orphans = list(orphans)
        waiting = waiting or {}
        highlighted = self.highlighted
        colours = text_colours(self.app)
        tag_style = colours.tag + BOLD
        self.clear_options()
        self.add_options(
            Option(describe(a, tag_style=tag_style, coder=mine is not None and a.coder != mine), id=a.id)
            for a in self.annotations
        )
        for orphan in self.orphans:
            if orphan.id in waiting:
                entry = Text(
                    f"? waiting for your decision: a {waiting[orphan.id]:.0%} alike passage was found; Enter to decide\n",
                    style=tag_style,
                )
            else:
                entry = Text("\u26a0 not found in the text: Enter to re-attach\n", style=colours.alert + BOLD)
            self.add_option(Option(entry + describe(orphan, tag_style=tag_style), id=orphan.id))
        self.border_subtitle = str(len(self.annotations)) + (f" + {len(self.orphans)} \u26a0" if self.orphans else "")
        if self.option_count:
            self.highlighted = min(highlighted or 0, self.option_count - 1)

    def follow(self, caret: int) -> None:
        """Highlight the annotation at the caret, else the last one before it, else the first."""
        index = 0 if self.annotations else None
        for position, annotation in enumerate(self.annotations):
            if annotation.start <= caret:
                index = position
            if annotation.start <= caret < annotation.end:
                break
        if index is not None and index != self.highlighted:
            self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen((self.annotations + self.orphans)[event.option_index]))
