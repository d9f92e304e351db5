"""Text fitted to a number of terminal cells, measured as the terminal draws it (Rich's ``cell_len``).

A CJK character or an emoji takes two cells, a combining accent none; a ZWJ sequence or a flag
counts whole. Cutting and padding by ``len`` would push columns and panel borders out of line
(or wrap a one-line entry) as soon as a title or a quote is Chinese or holds an emoji. Cuts fall
between user-perceived characters, never inside one.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "\u2026"


def fit(text: str, width: int) -> str:
    """``text`` if it takes at most ``width`` cells, else cut to ``width - 1`` cells and an ellipsis
    (a wide character that would straddle the cut is left out, not halved)."""
    if width <= 0:
        return ""
    if (len(text) if text.isascii() else cell_len(text)) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip(" ") + ELLIPSIS


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` cells (as ``str.ljust`` counts characters)."""
    return text + " " * max(0, width - cell_len(text))
