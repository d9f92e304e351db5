"""Copy text to the system clipboard, or to the terminal's when there is no system one.

pyperclip reaches the system clipboard (xclip, xsel, wl-copy...). In a headless or SSH session
it raises; then the text goes through the terminal itself (OSC 52, Textual's
``copy_to_clipboard``), which most modern terminals pass to the clipboard of the machine the
user sits at. The caller is told which way was taken, so it can tell the user.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pyperclip
from textual.app import App


class ClipboardUsed(StrEnum):
    SYSTEM = "system clipboard"
    TERMINAL = "terminal clipboard (OSC 52)"


def copy_text(app: App[Any], text: str) -> ClipboardUsed:
    """Put ``text`` on a clipboard; never raises."""
    try:
        # Detect afresh each time: DISPLAY and the installed tools can change while reader runs.
        copy, _ = pyperclip.determine_clipboard()
        copy(text)
        return ClipboardUsed.SYSTEM
    except Exception:  # pyperclip raises its own exceptions, or OSError from a helper program
        app.copy_to_clipboard(text)
        return ClipboardUsed.TERMINAL


def citation(quote: str, title: str, date: str | None, source: str) -> str:
    """A passage as a user pastes it into notes: the quote, then where it comes from."""
    where = ", ".join(part for part in (title, date, source) if part)
    return f"\u201c{quote}\u201d\n\u2014 {where}"
