"""What a user types into a search box, made into an SQLite FTS5 query that cannot fail.

FTS5 has its own query language (``AND``, ``OR``, ``NOT``, ``NEAR(...)``, ``col:``, ``*``,
``^``, parentheses), in which most odd input is a syntax error and some changes the meaning. A
user types words, not that language: here every word, and every ``"quoted phrase"``, becomes a
quoted FTS5 string (a ``"`` inside doubled), so nothing the user types is read as an operator.
All of them must occur (FTS5's implicit AND). While the user types, the last word is a prefix
(``pak`` finds Pakistan) once it has two characters; once a space follows it, it is a whole word.

Text and queries are both :func:`normalize`\\ d the same way before FTS5 sees them: compatibility
forms made plain (``ﬁ`` is ``fi``) and ``ß`` written ``ss``; FTS5's ``unicode61`` tokenizer, with
``remove_diacritics 2``, does the rest (case and accents).
"""

from __future__ import annotations

import re
import unicodedata

#: The shortest last word searched as a prefix: one letter would match nearly every article
#: (every word starting with it), which is slow on a large corpus and tells the user nothing.
MIN_PREFIX = 2
#: A quoted phrase (closed or still open at the end), or a run of other non-space characters.
_PIECE = re.compile(r'"([^"]*)(?:"|$)|([^\s"]+)')


def normalize(text: str) -> str:
    """``text`` as the index holds it and queries are written: NFKC, and ``ß``/``ẞ`` as ``ss``
    (the tokenizer folds case and accents, but neither of these)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).replace("ß", "ss").replace("ẞ", "SS")


def _quoted(words: str) -> str:
    """``words`` as one FTS5 string: a phrase of whatever tokens the tokenizer finds in it."""
    return '"' + words.replace('"', '""') + '"'


def _has_word(text: str) -> bool:
    """Whether the tokenizer will find a token in ``text`` (a string of only ``*`` or ``-``
    would make an empty phrase, which matches nothing)."""
    return any(character.isalnum() for character in text)


def fts_query(text: str) -> str:
    """The FTS5 query for what the user typed; ``""`` when it holds no word at all.

    ``pak`` -> ``"pak"*``; ``"prime minister" talks`` -> ``"prime minister" "talks"*``;
    ``NEAR( AND -x`` -> ``"NEAR" "AND" "x"*``.
    """
    text = normalize(text)
    parts: list[str] = []
    last_is_word = False
    last = ""
    for match in _PIECE.finditer(text):
        phrase, word = match.group(1), match.group(2)
        piece = phrase if phrase is not None else word
        if not _has_word(piece):
            continue
        parts.append(_quoted(" ".join(piece.split())))
        last_is_word = word is not None or not match.group(0).endswith('"')  # a phrase still open: as typed
        last = piece.split()[-1]
    if parts and last_is_word and len(last) >= MIN_PREFIX and not text[-1:].isspace():
        parts[-1] += "*"
    return " ".join(parts)
