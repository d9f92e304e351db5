"""HelpScreen: every key binding in force where help was asked, built from the code's BINDINGS."""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Static

from reader.app.base import ReaderModal
from reader.app.text_colours import BOLD, text_colours


def describe_key(key: str) -> str:
    """A binding's keys as the user types them (``>``, ``=``, ``^r``), by Textual's own key display.

    ``key`` may name several keys separated by commas; each is shown as the footer shows it.
    """
    return " ".join(format_binding_key(part.strip()) for part in key.split(","))


def format_binding_key(key: str) -> str:
    """One key as displayed: modifiers kept (``ctrl`` as ``^``), the key itself as its character."""
    *modifiers, name = key.split("+")
    shown = format_key(name)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        shown = f"^{shown}"
    return "+".join([*modifiers, shown])


def heading(node: DOMNode) -> str:
    """Where a binding acts, in words: "Everywhere" for the app, else the widget's kind."""
    if isinstance(node, App):
        return "Everywhere"
    name = type(node).__name__.removesuffix("Screen") or type(node).__name__
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *(word.lower() for word in words[1:])])


class HelpScreen(ReaderModal[None]):
    """Lists the bindings of the screen below, its focused widget and the app, by where they act."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        """Help for every binding in force on ``screen`` (its focused widget's, its own, the app's)."""
        groups: dict[str, list[Binding]] = {}
        for active in screen.active_bindings.values():
            groups.setdefault(heading(active.node), []).append(active.binding)
        return cls(sorted(groups.items(), key=lambda group: group[0] == "Everywhere"))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self.table())

    def plain_text(self) -> str:
        """The help as plain text, every line of it."""
        buffer = io.StringIO()
        Console(width=120, file=buffer, color_system=None).print(self.table())
        return buffer.getvalue()

    def table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style=text_colours(self.app).key + BOLD, no_wrap=True)
        table.add_column()
        for title, bindings in self.groups:
            table.add_row(Text(title, style="bold underline"), "")
            seen: set[str] = set()
            for binding in bindings:
                if binding.action in seen or not binding.description:
                    continue
                seen.add(binding.action)
                keys = ", ".join(describe_key(b.key) for b in bindings if b.action == binding.action)
                table.add_row(keys, binding.tooltip or binding.description)
            table.add_row("", "")
        return table
