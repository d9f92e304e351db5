"""Folding text for comparison: titles as the library filters them, entity names, query words.

The full-text search itself is an index on disk (:mod:`reader.corpus.fulltext`); what is here
compares short strings in memory (case and accents aside, so "securite" finds "Sécurité").
"""

from __future__ import annotations

import re
import unicodedata

#: Combining marks of the Latin, Greek and Cyrillic kind (accents, cedillas, umlauts), which
#: :func:`fold` drops. The vowel signs and viramas of Indic and other scripts, which are part of
#: the letter rather than an accent on it, are in other blocks and are kept.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """``text`` as every filter compares it: case-folded (``ß`` is ``ss``), compatibility forms
    made plain (``ﬁ`` is ``fi``) and accents dropped (``é`` is ``e``).

    For matching only: the result can be longer or shorter than ``text``, so no offset into it
    points into the text shown.
    """
    if text.isascii():
        return text.lower()
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def entity_key(words: str, label: str) -> tuple[str, str]:
    """What makes two entity mentions one entity (in ``reader stats``, the ``I`` screen and the
    library's entity filter alike): the words folded (:func:`fold`, spacing made single), and the label."""
    return " ".join(fold(words).split()), label


def query_terms(query: str) -> list[str]:
    """The words of a query, folded (:func:`fold`)."""
    return fold(query).split()
