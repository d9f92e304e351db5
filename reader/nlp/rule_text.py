"""The words of a text as the rule layer sees them (:mod:`reader.nlp.rules`): no spaCy needed.

A word is a run of letters and digits, hyphens and ampersands inside it ("Inter-Services",
"AT&T"); apostrophes and full stops end it, so "Pakistan's" is "Pakistan" and "Lt." is "Lt".
Each word keeps the text between it and the next (its ``gap``), which says whether two words
belong to one name: only spaces between them (or ". " after an abbreviation or an initial).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r"\w+(?:[-&]\w+)*")
#: Words a Title Case headline leaves in lower case.
SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "and",
    "or",
    "but",
    "with",
    "by",
    "from",
    "as",
    "vs",
}
#: How many of a line's words (small words aside) must be capitalised for it to be Title Case.
TITLE_CASE_SHARE = 0.75
#: The most words a headline has; a longer line is body text.
HEADLINE_WORDS = 25


@dataclass(frozen=True)
class Token:
    """One word: ``text[start:end]``, and the text up to the next word."""

    start: int
    end: int
    text: str
    gap: str
    #: The word folded, as titles are compared (see :func:`reader.nlp.patterns.words_key`).
    key: str

    def joined_to(self, following: Token, dotted: bool = False) -> bool:
        """Whether the next word continues a name with this one: only spaces between them, or, if
        ``dotted``, a full stop and spaces ("Lt. Gen.", "John F. Kennedy")."""
        gap = self.gap[1:] if dotted and self.gap.startswith(".") else self.gap
        return bool(gap) and all(c in " \t\u00a0" for c in gap) and following.start == self.end + len(self.gap)

    def starts_sentence(self, text: str) -> bool:
        """Whether this word opens a line or a sentence (after . ! ? : and quotes)."""
        index = self.start - 1
        while index >= 0 and text[index] in " \t\u00a0\"'([":
            index -= 1
        return index < 0 or text[index] in "\n.!?:"

    @staticmethod
    def span_indices(words: Sequence[Token], start: int, end: int) -> tuple[int, int]:
        """(first, limit): the indices of the words inside ``start:end``."""
        first = bisect.bisect_left(words, start, key=lambda w: w.start)
        limit = bisect.bisect_left(words, end, key=lambda w: w.start)
        return first, limit


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order."""
    matches = list(WORD.finditer(text))
    words = []
    for index, match in enumerate(matches):
        following = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        word = match.group()
        words.append(Token(match.start(), match.end(), word, text[match.end() : following], word.casefold()))
    return words


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character."""
    return [0] + [match.end() for match in re.finditer("\n", text)]


def title_case_lines(text: str, words: Sequence[Token]) -> list[tuple[int, int]]:
    """(start, end) of each line in Title Case: a headline (at most :data:`HEADLINE_WORDS` words,
    no sentence end at its end) of four words or more (small words aside), at least
    :data:`TITLE_CASE_SHARE` of them capitalised."""
    found = []
    starts = line_starts(text)
    for number, start in enumerate(starts):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
        first, limit = Token.span_indices(words, start, end)
        if limit - first > HEADLINE_WORDS or text[start:end].rstrip().endswith((".", "!", "?", ";", ",")):
            continue  # a sentence, however many names it holds
        significant = [w.text for w in words[first:limit] if w.text.lower() not in SMALL_WORDS and w.text[0].isalpha()]
        if len(significant) >= 4 and sum(map(is_capitalised, significant)) >= TITLE_CASE_SHARE * len(significant):
            found.append((start, end))
    return found
