"""TagDialog: name the tags of a passage, choosing among tags already used or typing new ones."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from annotations.model import merge_tags, tag_key
from reader.app.base import ReaderModal
from reader.app.text_colours import BOLD, text_colours
from reader.safe_text import inert


def fuzzy_score(query: str, candidate: str) -> int | None:
    """How well ``query`` matches ``candidate`` as an in-order subsequence; None if it does not."""
    query, candidate = tag_key(query), tag_key(candidate)
    if not query:
        return 0
    if query in candidate:
        return 0 if candidate.startswith(query) else 1
    position, gaps = 0, 0
    for character in query:
        found = candidate.find(character, position)
        if found < 0:
            return None
        gaps += found - position
        position = found + 1
    return 2 + gaps


def resulting_tags(typed: str, chosen: str | None, first_suggestion: str | None) -> list[str]:
    """The tags Enter gives for the text ``typed``: the part after the last comma is replaced by
    the ``chosen`` suggestion, if one is highlighted; an empty field takes the first suggestion."""
    parts = typed.split(",")
    if chosen is not None:
        parts[-1] = chosen
    elif parts[-1].strip() == "" and first_suggestion is not None and len(parts) == 1:
        parts[-1] = first_suggestion
    return merge_tags(parts)


class TagDialog(ReaderModal[list[str] | None]):
    """Returns the chosen tags, or None when cancelled. Several tags are separated by commas.

    Retagging starts from the annotation's tags followed by ", " with the cursor after them (no
    selection), so what is typed is added to them; clearing the field (ctrl+u) replaces them. A
    line under the field says which tags the passage will end with, as Enter would leave it.
    """

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tag-dialog.cancel"),
        Binding("down", "cursor(1)", "Next tag", show=False, id="tag-dialog.next-tag"),
        Binding("up", "cursor(-1)", "Previous tag", show=False, id="tag-dialog.previous-tag"),
    ]

    def __init__(self, passage: str, used_tags: list[tuple[str, int]], current: list[str] | None = None) -> None:
        super().__init__()
        self.passage = passage
        self.used_tags = used_tags
        self.current = current or []

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog"):
            excerpt = inert(self.passage)
            excerpt = excerpt if len(excerpt) <= 160 else excerpt[:157] + "\u2026"
            yield Label(Text(f"Tag \u201c{excerpt}\u201d"), id="tag-passage")
            start = inert(", ".join(self.current)) + ", " if self.current else ""
            yield Input(value=start, placeholder="tag, another tag", select_on_focus=False, id="tag-input")
            yield Label(id="tag-result")
            yield OptionList(id="tag-options")
            yield Label(Text("Enter saves \u00b7 \u2191\u2193 choose a used tag \u00b7 Esc cancels"), id="tag-help")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        self._fill_options(field.value.split(",")[-1])
        self._show_result()

    def _fill_options(self, typed: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        scored = []
        for order, (tag, count) in enumerate(self.used_tags):
            score = fuzzy_score(typed, tag)
            if score is not None:
                scored.append((score, order, tag, count))
        options.add_options(
            Option(Text.assemble(inert(tag), (f"  {count}", "dim")), id=tag) for _, _, tag, count in sorted(scored)[:50]
        )
        options.highlighted = None
        options.display = options.option_count > 0

    @property
    def result(self) -> list[str]:
        """The tags the passage gets if Enter is pressed now."""
        options = self.query_one(OptionList)
        chosen = options.get_option_at_index(options.highlighted).id if options.highlighted is not None else None
        first = options.get_option_at_index(0).id if options.option_count else None
        return resulting_tags(self.query_one(Input).value, chosen, first)

    def _show_result(self) -> None:
        tags = self.result
        line = Text("will be tagged: ", style="dim")
        if tags:
            line.append(inert(", ".join(tags)), style=text_colours(self.app).tag + BOLD)
        else:
            line.append("nothing (type a tag)", style="italic")
        self.query_one("#tag-result", Label).update(line)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._fill_options(event.value.split(",")[-1])
        self._show_result()

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count == 0:
            return
        if options.highlighted is None:
            options.highlighted = 0 if step > 0 else options.option_count - 1
        else:
            options.highlighted = (options.highlighted + step) % options.option_count
        self._show_result()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_result()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.result or None)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(resulting_tags(self.query_one(Input).value, event.option.id or "", None) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
