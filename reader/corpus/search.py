"""Full-text search over a corpus in memory, fast enough to filter as the user types.

Every article's title and text are kept folded (:func:`fold`: case and accents aside, so
"securite" finds "Sécurité"); a query matches an article when each of its words occurs in it (as
a substring: "pak" finds "Pakistan"). The whole search is a scan of the
texts with ``str.__contains__``, which runs at memory speed; a query that extends the previous
one is looked for only among the previous matches, so typing narrows an ever smaller set.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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


class TextSearch:
    """Folded (:func:`fold`) ``title + text`` of each article, by article id."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}

    def add(self, article_id: str, title: str, text: str) -> None:
        self._texts[article_id] = fold(f"{title}\n{text}")

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._texts

    def matching(self, query: str, among: Iterable[str] | None = None) -> set[str]:
        """The ids (of ``among``, or of every article) whose title or text holds every word of
        ``query``. Articles not in the search (their text could not be read) are left out."""
        terms = query_terms(query)
        texts = self._texts
        if not terms:
            return set(texts) if among is None else {article_id for article_id in among if article_id in texts}
        first, *others = sorted(terms, key=len, reverse=True)  # the longest word is the rarest, usually
        # No tuple per article here: on 10,000 articles that is 10,000 allocations a keystroke,
        # enough to set off the garbage collector's slow full passes while the user types.
        if among is None:
            found = {article_id for article_id, text in texts.items() if first in text}
        else:
            text_of = texts.get
            found = {article_id for article_id in among if first in text_of(article_id, "")}
        for term in others:
            found = {article_id for article_id in found if term in texts[article_id]}
        return found
