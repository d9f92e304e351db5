"""Text made inert for the terminal, character for character: the one path to the screen.

Article text, notes, tags, titles, file names and every message that quotes them are data.
Control characters (C0, DEL, C1) would reach the terminal as commands: ESC starts colour changes
and OSC sequences (OSC 2 sets the window title, OSC 52 writes the clipboard). Each is replaced
by one visible stand-in (the Unicode "control pictures" ␛ ␇ ...), so the display is exactly as
long as the text and every offset still points at the same character. Bidirectional embeddings,
overrides and isolates (U+202A–U+202E, U+2066–U+2069) would reorder what is drawn around them
("Trojan Source"); they show as a visible ⇄ instead. The plain marks LRM and RLM (U+200E, U+200F)
only nudge neutral characters and are kept. Markup such as ``[bold]`` is never parsed: callers
draw the result as plain text (``Text(...)``, ``markup=False``).

An editor shows :func:`inert_editable` (tabs kept, as an editor handles them) and, when the user
saves an edited text, :func:`restore_controls` gives back the stand-ins' original characters, so
editing a note never loses what it held.
"""

from __future__ import annotations

import difflib

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"  # ␡
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
#: What a bidirectional embedding, override or isolate shows as.
BIDI_MARK = "\u21c4"  # ⇄
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_PICTURES.update({ord(control): BIDI_MARK for control in BIDI_CONTROLS})
_PICTURES[ord("\n")] = "\n"
_EDITABLE = {**_PICTURES, ord("\t"): "\t"}
_PICTURES[ord("\t")] = " "

INERT = str.maketrans(_PICTURES)
INERT_EDITABLE = str.maketrans(_EDITABLE)


def inert(text: str) -> str:
    """``text`` with every control character except the line end replaced by a visible stand-in."""
    return text.translate(INERT)


def inert_editable(text: str) -> str:
    """As :func:`inert`, but tabs stay tabs: what an editor (a ``TextArea``) is given to show."""
    return text.translate(INERT_EDITABLE)


def restore_controls(edited: str, original: str) -> str:
    """``edited`` (an edit of ``inert_editable(original)``) with the stand-ins put back to the
    characters of ``original`` they stood for.

    Where ``edited`` still matches what was shown, the original characters come back one for one
    (so an RLO and its PDF, both shown as ⇄, each return). A stand-in in text the user typed is
    put back only where that is unambiguous: exactly one character of ``original`` showed as it
    and ``original`` did not hold the stand-in itself; otherwise it stays the visible character.
    """
    shown = inert_editable(original)
    if edited == shown:
        return original
    stood_for: dict[str, set[str]] = {}
    for character in set(original):
        picture = character.translate(INERT_EDITABLE)
        if picture != character:
            stood_for.setdefault(picture, set()).add(character)
    back = str.maketrans(
        {
            picture: next(iter(characters))
            for picture, characters in stood_for.items()
            if len(characters) == 1 and picture not in original
        }
    )
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, shown, edited, autojunk=False)
    for operation, shown_start, shown_end, edited_start, edited_end in matcher.get_opcodes():
        if operation == "equal":
            parts.append(original[shown_start:shown_end])
        else:
            parts.append(edited[edited_start:edited_end].translate(back))
    return "".join(parts)
