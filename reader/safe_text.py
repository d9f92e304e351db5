"""Article text made inert for the terminal, character for character.

Article text is data. Control characters (C0, DEL, C1) would reach the terminal as commands:
ESC starts colour changes and OSC sequences (OSC 52 writes the clipboard). Each is replaced by
one visible stand-in (the Unicode "control pictures" ␛ ␇ ...), so the display is exactly as long
as the text and every offset still points at the same character. Markup such as ``[bold]`` is
never parsed: the article view draws text as plain segments.
"""

from __future__ import annotations

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"  # ␡
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_PICTURES[ord("\t")] = " "
_PICTURES[ord("\n")] = "\n"

INERT = str.maketrans(_PICTURES)


def inert(text: str) -> str:
    """``text`` with every control character except the line end replaced by a visible stand-in."""
    return text.translate(INERT)
