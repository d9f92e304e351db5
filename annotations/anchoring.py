"""Anchoring: where an annotated passage lies in an article's text as it is now.

An annotation records its passage three ways: character offsets, the quoted words, and
:data:`~annotations.model.CONTEXT_CHARS` characters of context on each side (see
:mod:`annotations.model`). When an article's text is revised, offsets alone would silently
point at the wrong words, so anchoring tries, from the most trusted answer to the least:

1. **exact**: the old offsets still hold the quote, so the passage has not moved (unless a
   copy elsewhere is vouched for by its context and its context agrees better than that at
   the old offsets: then the copy is the passage, and it has moved).
2. **moved**: the quote occurs word for word elsewhere and the words around it still agree
   with the recorded context. Of several copies, the one whose context agrees best wins and
   nearness to the old offset only breaks near-ties, so a duplicated passage is told apart
   by its surroundings rather than by which copy comes first.
3. **fuzzy**: no trustworthy copy, but a passage *like* the quote sits where the context
   says it should (a word changed inside or around it), or the quote's words appear once,
   word for word, in unfamiliar surroundings. A fuzzy anchor is never applied silently: the
   caller shows the candidate and the user confirms it (or not).
4. **orphaned**: nothing credible. The annotation keeps its old offsets and is kept, never
   deleted, so no note is lost to an edit of the article.

Word for word means as whole words: a passage that began and ended on word boundaries is
not found inside longer words ("clear" in "clearly"); that is an edit at its edge, for the
fuzzy search, which widens a candidate to take in the whole of its first and last words.

Work stays linear in the length of the text: exact search is ``str.find``; fuzzy search
looks first in a window around the old offset and reads the whole text only when the window
holds nothing acceptable, with search patterns of bounded length.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from annotations import graphemes
from annotations.model import Annotation

#: Least similarity (0 to 1) between the quote and a candidate passage for a fuzzy anchor.
QUOTE_THRESHOLD = 0.75
#: Least similarity of one side's context for that side to vouch for a candidate. Random
#: 32-character stretches of English prose score up to about 0.55 against each other, so
#: this sits clear of chance, while one changed word in a side still scores about 0.85.
SUPPORT_THRESHOLD = 0.7
#: Share of quote similarity in a fuzzy anchor's score; agreement of the context has the rest.
QUOTE_WEIGHT = 0.75
#: Weight of nearness to the old offset when copies of the quote are ranked: enough to choose
#: between copies whose context agrees equally well, too little to outweigh the context.
NEARNESS_WEIGHT = 0.1
#: How many copies of the quote, nearest the old offset first, are ranked. Bounds the work
#: for a very common quote (a single word) in a long text.
MAX_OCCURRENCES = 256
#: Characters on each side of the old passage searched fuzzily before the whole text is.
FUZZY_WINDOW = 4096
#: Characters of the quote's head (and of its tail) used to locate a long quote fuzzily:
#: fuzzy search costs grow with the pattern's length, so long quotes are found by their ends.
LOCATOR_CHARS = 64
#: Extra characters aligned on each side of a fuzzy candidate's rough place, besides half
#: the quote's length (an edit may have lengthened or shortened the passage).
ALIGN_SLACK = 16
#: Most characters a fuzzy candidate is widened by to take in the whole of its first or last word.
MAX_WORD_GROWTH = 32


class AnchorStatus(StrEnum):
    """How a passage was found again, from the most trusted to not at all."""

    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Anchor:
    """Where an annotation's passage lies in the current text, and how far to trust that.

    ``start``, ``end`` and ``quote`` describe the passage found: for an orphaned annotation
    they are its old offsets and its own quote. ``score`` is the confidence, from 0 to 1:
    1.0 for exact and moved anchors, 0.0 for orphaned ones, and for fuzzy ones a blend of how
    like the quote the candidate is and how well the words around it match the context.
    """

    status: AnchorStatus
    start: int
    end: int
    quote: str
    score: float

    @property
    def trusted(self) -> bool:
        """Whether the passage may be used without asking the user (exact or moved)."""
        return self.status in (AnchorStatus.EXACT, AnchorStatus.MOVED)


def anchor(annotation: Annotation, text: str, text_sha256: str) -> Anchor:
    """Find ``annotation``'s passage in ``text``, whose SHA-256 is ``text_sha256``.

    See the module documentation for the order of the attempts. The text is only read.
    """
    old = _at_old_offsets(annotation, text)
    if old is not None and (text_sha256 == annotation.article_sha256 or old.context == 1.0):
        return _trusted(AnchorStatus.EXACT, old, text)

    copies, unique = _exact_copies(annotation, text)
    if copies:
        best = max(copies, key=lambda copy: _copy_rank(annotation, copy, text))
        if old is not None and (best.start == old.start or not best.supported):
            return _trusted(AnchorStatus.EXACT, old, text)
        if best.supported:
            return _trusted(AnchorStatus.MOVED, best, text)
    # The quote's words in one place only, but nothing around them agrees: perhaps the
    # passage moved to a new setting, perhaps another passage says the same. The user decides.
    stranger = copies[0] if unique else None

    similar = _fuzzy_match(annotation, text)
    if similar is not None and similar.quote_similarity == 1.0:
        return _trusted(AnchorStatus.MOVED, similar, text)
    offers = [candidate for candidate in (stranger, similar) if candidate is not None]
    if offers:
        offer = max(offers, key=lambda candidate: candidate.confidence)
        quote = text[offer.start : offer.end]
        return Anchor(AnchorStatus.FUZZY, offer.start, offer.end, quote, offer.confidence)
    return Anchor(AnchorStatus.ORPHANED, annotation.start, annotation.end, annotation.quote, 0.0)


def reanchored(annotation: Annotation, text: str, text_sha256: str) -> tuple[Annotation, Anchor]:
    """``annotation`` brought up to date with ``text`` where that can be done unasked.

    An exact or moved anchor yields the annotation over the passage found, with fresh context
    and ``text_sha256`` (the annotation itself when nothing about it changed); a passage that
    cuts a user-perceived character (an imported one, or one made before passages snapped) is
    widened to whole characters. A fuzzy or
    orphaned anchor leaves the annotation as it was: once the user has confirmed a fuzzy
    candidate, the caller applies it with ``annotation.moved(text, anchor.start, anchor.end,
    text_sha256)``.
    """
    found = anchor(annotation, text, text_sha256)
    if not found.trusted:
        return annotation, found
    unchanged = (
        found.start == annotation.start
        and found.end == annotation.end
        and text_sha256 == annotation.article_sha256
        and graphemes.snap(text, found.start, found.end) == (found.start, found.end)
    )
    if unchanged:
        return annotation, found
    return annotation.moved(text, found.start, found.end, text_sha256), found


@dataclass(frozen=True)
class _Candidate:
    """A stretch of the text that might be the passage, with the evidence for it."""

    start: int
    end: int
    quote_similarity: float
    prefix_similarity: float
    suffix_similarity: float

    @property
    def context(self) -> float:
        """How well the words on both sides agree with the recorded context, 0 to 1."""
        return (self.prefix_similarity + self.suffix_similarity) / 2

    @property
    def supported(self) -> bool:
        """Whether at least one side of the context vouches for this stretch."""
        return max(self.prefix_similarity, self.suffix_similarity) >= SUPPORT_THRESHOLD

    @property
    def confidence(self) -> float:
        """The fuzzy score: mostly likeness of the words, partly agreement of the context."""
        return QUOTE_WEIGHT * self.quote_similarity + (1 - QUOTE_WEIGHT) * self.context


def _trusted(status: AnchorStatus, candidate: _Candidate, text: str) -> Anchor:
    return Anchor(status, candidate.start, candidate.end, text[candidate.start : candidate.end], 1.0)


def _measure(annotation: Annotation, text: str, start: int, end: int) -> _Candidate:
    """Weigh ``text[start:end]`` as the passage: its words, and the context on each side."""
    before = text[max(0, start - len(annotation.prefix)) : start]
    after = text[end : end + len(annotation.suffix)]
    return _Candidate(
        start=start,
        end=end,
        quote_similarity=Indel.normalized_similarity(annotation.quote, text[start:end]),
        prefix_similarity=_side_similarity(annotation.prefix, before, at_edge=start == 0),
        suffix_similarity=_side_similarity(annotation.suffix, after, at_edge=end == len(text)),
    )


def _side_similarity(recorded: str, actual: str, *, at_edge: bool) -> float:
    """How alike one side of recorded context and the text beside a candidate are, 0 to 1.

    Empty recorded context means the passage touched the start (or end) of the text, which
    only a candidate at that edge agrees with.
    """
    if not recorded:
        return 1.0 if at_edge else 0.0
    return Indel.normalized_similarity(recorded, actual)


def _copy_rank(annotation: Annotation, copy: _Candidate, text: str) -> tuple[bool, float]:
    """How a copy of the quote ranks: supported copies first, then by context and nearness."""
    return copy.supported, copy.context + NEARNESS_WEIGHT * _nearness(annotation, copy, text)


def _nearness(annotation: Annotation, candidate: _Candidate, text: str) -> float:
    """1.0 at the old offset, falling to 0.0 a whole text's length away."""
    return 1.0 - min(1.0, abs(candidate.start - annotation.start) / max(1, len(text)))


def _at_old_offsets(annotation: Annotation, text: str) -> _Candidate | None:
    """The passage at the old offsets, if they still hold the quote (as whole words)."""
    if text[annotation.start : annotation.end] != annotation.quote:
        return None
    if _cuts_a_word(annotation, text, annotation.start, annotation.end):
        return None
    return _measure(annotation, text, annotation.start, annotation.end)


def _exact_copies(annotation: Annotation, text: str) -> tuple[list[_Candidate], bool]:
    """Word-for-word copies of the quote, nearest the old offset first, and whether it is unique.

    A copy that is only part of longer words (where the passage was not) does not count.
    """
    length = len(annotation.quote)
    starts, complete = _nearest_occurrences(text, annotation.quote, annotation.start, MAX_OCCURRENCES)
    starts = [start for start in starts if not _cuts_a_word(annotation, text, start, start + length)]
    copies = [_measure(annotation, text, start, start + length) for start in starts]
    return copies, complete and len(copies) == 1


def _nearest_occurrences(text: str, needle: str, around: int, limit: int) -> tuple[list[int], bool]:
    """Up to ``limit`` starts of ``needle`` in ``text``, nearest ``around`` first.

    The flag says whether these are all the occurrences. Scans outwards from ``around`` so
    that a common needle costs at most ``limit`` matches on each side.
    """
    after: list[int] = []
    position = text.find(needle, max(0, around))
    while position != -1 and len(after) <= limit:
        after.append(position)
        position = text.find(needle, position + 1)
    before: list[int] = []
    position = text.rfind(needle, 0, max(0, around) - 1 + len(needle))
    while position != -1 and len(before) <= limit:
        before.append(position)
        position = text.rfind(needle, 0, position - 1 + len(needle))
    found = sorted(after + before, key=lambda start: abs(start - around))
    return found[:limit], len(found) <= limit


def _fuzzy_match(annotation: Annotation, text: str) -> _Candidate | None:
    """The best passage like the quote with context support: near the old offset, else anywhere."""
    old_start = min(annotation.start, len(text))
    old_end = min(max(annotation.end, old_start), len(text))
    low, high = max(0, old_start - FUZZY_WINDOW), min(len(text), old_end + FUZZY_WINDOW)
    found = _fuzzy_in(annotation, text, low, high)
    if found is None and (low > 0 or high < len(text)):
        found = _fuzzy_in(annotation, text, 0, len(text))
    return found


def _fuzzy_in(annotation: Annotation, text: str, low: int, high: int) -> _Candidate | None:
    """The stretch of ``text[low:high]`` most like the quote in its context, if acceptable.

    First a rough place: the span where the quote with its context (or, for a long quote,
    its head or its tail with context) best fits. Then exact bounds: the quote with its
    context is aligned character by character to the text around that place, and the
    passage runs from where the quote's first character lands to where its last one does.
    """
    if high <= low:
        return None
    prefix, quote, suffix = annotation.prefix, annotation.quote, annotation.suffix
    guess = _rough_start(prefix, quote, suffix, text[low:high])
    if guess is None:
        return None
    guess += low
    slack = ALIGN_SLACK + len(quote) // 2
    region_low = max(0, guess - len(prefix) - slack)
    region_high = min(len(text), guess + len(quote) + len(suffix) + slack)
    region = text[region_low:region_high]
    bounds = _aligned_bounds(prefix + quote + suffix, region, len(prefix), len(prefix) + len(quote))
    if bounds is None:
        return None
    start, end = _whole_words(annotation, text, region_low + bounds[0], region_low + bounds[1])
    candidate = _measure(annotation, text, start, end)
    if candidate.quote_similarity >= QUOTE_THRESHOLD and candidate.supported:
        return candidate
    return None


def _rough_start(prefix: str, quote: str, suffix: str, window: str) -> int | None:
    """Where in ``window`` the quote roughly starts, judged by where it best fits with its context."""
    if not window:
        return None
    if len(quote) <= 2 * LOCATOR_CHARS:
        return _fit(prefix + quote + suffix, window)[0] + len(prefix)
    head_at, head_score = _fit(prefix + quote[:LOCATOR_CHARS], window)
    tail_at, tail_score = _fit(quote[-LOCATOR_CHARS:] + suffix, window)
    if head_score >= tail_score:
        return head_at + len(prefix)
    return tail_at + LOCATOR_CHARS - len(quote)


def _fit(pattern: str, window: str) -> tuple[int, float]:
    """Where ``pattern``'s first character would lie in ``window`` at its best fit, and the
    fit's score (0 to 100)."""
    fit = fuzz.partial_ratio_alignment(pattern, window)
    assert fit is not None  # None only under a score_cutoff, and none is given
    return fit.dest_start - fit.src_start, fit.score


def _aligned_bounds(pattern: str, region: str, first: int, stop: int) -> tuple[int, int] | None:
    """Where ``pattern[first:stop]`` lands in ``region`` under a best alignment of the two.

    Runs of deleted and inserted characters between matching stretches are taken together as
    one change: when the stretch's first (or last) character lies in a change, the whole of
    what replaced it counts as part of the stretch, so a passage whose first word was
    reworded still starts at the new word.
    """
    if stop <= first:
        return None
    start: int | None = None
    end: int | None = None
    for tag, src_start, src_end, dest_start, dest_end in _merged_changes(pattern, region):
        if src_start <= first < src_end:
            start = dest_start + (first - src_start if tag == "equal" else 0)
        if src_start <= stop - 1 < src_end:
            end = dest_start + stop - src_start if tag == "equal" else dest_end
    if start is None or end is None or end <= start:
        return None
    return start, end


def _merged_changes(pattern: str, region: str) -> list[tuple[str, int, int, int, int]]:
    """The alignment of ``pattern`` to ``region`` as matching stretches and the changes between them."""
    blocks: list[tuple[str, int, int, int, int]] = []
    for op in Indel.opcodes(pattern, region):
        tag = "equal" if op.tag == "equal" else "change"
        if blocks and tag == "change" and blocks[-1][0] == "change":
            _, src_start, _, dest_start, _ = blocks.pop()
            blocks.append((tag, src_start, op.src_end, dest_start, op.dest_end))
        else:
            blocks.append((tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks


def _word_edges(annotation: Annotation) -> tuple[bool, bool]:
    """Whether the annotated passage began, and whether it ended, on a word boundary."""
    quote, prefix, suffix = annotation.quote, annotation.prefix, annotation.suffix
    starts_word = quote[0].isalnum() and not (prefix and prefix[-1].isalnum())
    ends_word = quote[-1].isalnum() and not (suffix and suffix[0].isalnum())
    return starts_word, ends_word


def _cuts_a_word(annotation: Annotation, text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` splits a word where the annotated passage did not.

    Then the quote's words are there only as part of longer ones ("clear" in "clearly"):
    the passage was edited at its edge, and is left to the fuzzy search, which takes in the
    whole word.
    """
    starts_word, ends_word = _word_edges(annotation)
    split_before = starts_word and start > 0 and text[start - 1].isalnum()
    split_after = ends_word and end < len(text) and text[end].isalnum()
    return split_before or split_after


def _whole_words(annotation: Annotation, text: str, start: int, end: int) -> tuple[int, int]:
    """``start`` and ``end`` widened so that a passage that began (or ended) on a word
    boundary still does: an edit that lengthened its first or last word takes the whole word.
    """
    starts_word, ends_word = _word_edges(annotation)
    if starts_word:
        limit = max(0, start - MAX_WORD_GROWTH)
        while start > limit and text[start - 1].isalnum():
            start -= 1
    if ends_word:
        limit = min(len(text), end + MAX_WORD_GROWTH)
        while end < limit and text[end].isalnum():
            end += 1
    return start, end
