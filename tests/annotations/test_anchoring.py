"""Tests of re-anchoring annotations after an article's text changed.

Each case edits a copy of a real sample article the way a revised news story changes: text
inserted, a word reworded, a passage quoted again elsewhere, a paragraph cut.
"""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.anchoring import MAX_OCCURRENCES, QUOTE_THRESHOLD, Anchor, AnchorStatus, anchor, reanchored
from annotations.model import Annotation

ARTICLE_PATH = Path(__file__).resolve().parents[2] / "reader/corpus/sample/000_ff5b33da8fd122af.txt"
ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")
LINES = ARTICLE.split("\n")

PIVOT = "the message that Pakistan is pivoting westward was very clear"
REALIGNMENT = "a quiet yet consequential realignment of Pakistan`s regional security posture"
MISSING = "Missing were Russia and China, once Pakistan`s preferred partners in security dialogues"
PASSAGES = [PIVOT, REALIGNMENT, MISSING]
#: Index in LINES of the paragraph that holds PIVOT (and REALIGNMENT).
PIVOT_LINE = 4


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def annotate_span(text: str, start: int, end: int) -> Annotation:
    """An annotation of ``text[start:end]``, made against ``text`` as it is."""
    return Annotation.create(article_id="000", article_sha256=sha(text), text=text, start=start, end=end)


def annotate(passage: str, text: str = ARTICLE) -> Annotation:
    """An annotation of the only occurrence of ``passage`` in ``text``."""
    assert text.count(passage) == 1
    start = text.index(passage)
    return annotate_span(text, start, start + len(passage))


def place(annotation: Annotation, text: str) -> Anchor:
    return anchor(annotation, text, sha(text))


def joined(lines: list[str]) -> str:
    return "\n".join(lines)


def test_the_sample_article_has_the_passages_once() -> None:
    for passage in PASSAGES:
        assert ARTICLE.count(passage) == 1
    assert PIVOT in LINES[PIVOT_LINE]


@pytest.mark.parametrize("passage", PASSAGES)
def test_unchanged_text_is_exact_at_the_same_offsets(passage: str) -> None:
    annotation = annotate(passage)
    found = place(annotation, ARTICLE)
    assert found == Anchor(AnchorStatus.EXACT, annotation.start, annotation.end, passage, 1.0)
    assert found.trusted


def test_edit_after_the_passage_keeps_offsets_as_exact() -> None:
    annotation = annotate(PIVOT)
    edited = ARTICLE.replace("Strengthening Bonds", "Strengthening Old and New Bonds")
    assert edited != ARTICLE and sha(edited) != annotation.article_sha256
    found = place(annotation, edited)
    assert (found.status, found.start, found.end) == (AnchorStatus.EXACT, annotation.start, annotation.end)


@pytest.mark.parametrize("passage", PASSAGES)
def test_text_inserted_before_moves_the_passage(passage: str) -> None:
    annotation = annotate(passage)
    inserted = "An editor`s note was added here, several sentences long, before the story itself. "
    edited = joined(LINES[:2] + [inserted + LINES[2]] + LINES[3:])
    found = place(annotation, edited)
    assert found.status is AnchorStatus.MOVED
    assert (found.start, found.end) == (annotation.start + len(inserted), annotation.end + len(inserted))
    assert found.quote == passage and found.score == 1.0


@pytest.mark.parametrize(
    ("passage", "old_word", "new_word"),
    [
        (PIVOT, "pivoting", "turning"),  # inside, shorter
        (PIVOT, "the message", "a message"),  # first word
        (PIVOT, "very clear", "very plain"),  # last word
        (PIVOT, "the message", "another message"),  # first word, lengthened at its start
        (PIVOT, "very clear", "very clearly"),  # last word, lengthened at its end
        (REALIGNMENT, "consequential", "far-reaching and consequential"),  # inside, longer
        (MISSING, "preferred", "favoured"),
    ],
)
def test_word_changed_inside_is_fuzzy_and_covers_the_edited_passage(passage: str, old_word: str, new_word: str) -> None:
    annotation = annotate(passage)
    edited_passage = passage.replace(old_word, new_word)
    edited = ARTICLE.replace(passage, edited_passage)
    found = place(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert not found.trusted
    expected_start = edited.index(edited_passage)
    assert (found.start, found.end) == (expected_start, expected_start + len(edited_passage))
    assert found.quote == edited_passage
    assert QUOTE_THRESHOLD <= found.score < 1.0


def test_word_changed_inside_after_an_insertion_before_is_fuzzy_at_the_new_place() -> None:
    annotation = annotate(PIVOT)
    edited_passage = PIVOT.replace("westward", "towards the West")
    inserted = "Officials declined to comment on the record, citing the sensitivity of the talks.\n"
    edited = joined(LINES[:3] + [inserted + LINES[3]] + LINES[4:]).replace(PIVOT, edited_passage)
    found = place(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert found.quote == edited_passage and found.start == edited.index(edited_passage)


def test_duplicate_at_the_old_offsets_loses_to_the_original_by_context() -> None:
    """Original first: it moved up, and a copy in other words landed exactly at the old offsets."""
    annotation = annotate(PIVOT)
    shortened = joined(LINES[:2] + LINES[3:])  # a paragraph above the passage was cut
    at = annotation.start - 1
    edited = shortened[:at] + f" {PIVOT} to all who listened." + shortened[at:]
    original_start = shortened.index(PIVOT)
    # The copy sits at the old offsets as whole words, after the original: naive offset checks pick it.
    assert edited[annotation.start : annotation.end] == PIVOT
    assert not edited[annotation.start - 1].isalnum() and not edited[annotation.end].isalnum()
    assert edited.index(PIVOT) == original_start < annotation.start
    found = place(annotation, edited)
    assert found.status is AnchorStatus.MOVED
    assert (found.start, found.end) == (original_start, original_start + len(PIVOT))


def test_duplicate_before_and_nearer_loses_to_the_original_by_context() -> None:
    """Original second: a copy quoted just before it, nearer the old offset than the original,
    and even after the same words as the original (so only the other side tells them apart)."""
    annotation = annotate(PIVOT)
    quoted_again = (
        "Several diplomats, speaking on condition of anonymity in the capital over the weekend, "
        "repeated a line heard throughout the week, that in their view and that of their governments "
        "and of the analysts who follow a country long known for hedging between great powers, "
        f"{PIVOT}, whatever the official communique might say later. "
    )
    edited = joined(LINES[:PIVOT_LINE] + [quoted_again + LINES[PIVOT_LINE]] + LINES[PIVOT_LINE + 1 :])
    copy_start = edited.index(PIVOT)
    original_start = edited.index(PIVOT, copy_start + 1)
    assert abs(copy_start - annotation.start) < abs(original_start - annotation.start)
    assert edited[copy_start - len(annotation.prefix) : copy_start] == annotation.prefix
    found = place(annotation, edited)
    assert found.status is AnchorStatus.MOVED
    assert found.start == original_start == annotation.start + len(quoted_again)


def test_duplicate_after_the_original_leaves_the_original_in_place() -> None:
    annotation = annotate(PIVOT)
    edited = joined(LINES + [f"In short, {PIVOT}, analysts concluded."])
    found = place(annotation, edited)
    assert (found.status, found.start) == (AnchorStatus.EXACT, annotation.start)


def test_deleted_paragraph_orphans_the_annotation_and_keeps_it_whole() -> None:
    annotation = annotate(PIVOT)
    edited = joined(LINES[:PIVOT_LINE] + LINES[PIVOT_LINE + 1 :])
    found = place(annotation, edited)
    assert found == Anchor(AnchorStatus.ORPHANED, annotation.start, annotation.end, PIVOT, 0.0)
    same, _ = reanchored(annotation, edited, sha(edited))
    assert same is annotation


def test_lookalike_with_the_same_words_elsewhere_is_offered_not_trusted() -> None:
    annotation = annotate(PIVOT)
    lookalike = f"Analysts in Washington agreed that {PIVOT} to them as well."
    edited = joined(LINES[:PIVOT_LINE] + LINES[PIVOT_LINE + 1 :] + [lookalike])
    found = place(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert found.start == edited.index(PIVOT)
    assert found.score < 1.0


def test_reworded_lookalike_elsewhere_is_never_trusted() -> None:
    """Like words with nothing around them that agrees: not even offered (orphaned)."""
    annotation = annotate(PIVOT)
    lookalike = "Analysts in Washington said the message that Pakistan is pivoting eastward was unclear."
    edited = joined(LINES[:PIVOT_LINE] + LINES[PIVOT_LINE + 1 :] + [lookalike])
    found = place(annotation, edited)
    assert found.status is AnchorStatus.ORPHANED


def test_near_original_with_a_small_context_edit_beats_a_far_perfect_copy() -> None:
    """Nearness weighs in when contexts agree almost equally: one letter changed beside the
    original does not hand the annotation to an identical paragraph pair far below."""
    annotation = annotate(PIVOT)
    pair = LINES[PIVOT_LINE : PIVOT_LINE + 2]
    edited_line = LINES[PIVOT_LINE].replace("great powers", "greater powers")
    edited = joined(LINES[:PIVOT_LINE] + [edited_line] + LINES[PIVOT_LINE + 1 :] + pair)
    original_start = edited.index(PIVOT)
    far_copy = edited.rindex(PIVOT)
    assert edited[far_copy - len(annotation.prefix) : far_copy + len(PIVOT) + len(annotation.suffix)] == (
        annotation.prefix + PIVOT + annotation.suffix
    )
    found = place(annotation, edited)
    assert (found.status, found.start) == (AnchorStatus.MOVED, original_start)


def test_punctuation_changed_at_the_end_is_inside_the_candidate() -> None:
    passage = PIVOT + "."
    annotation = annotate(passage)
    edited = ARTICLE.replace(passage, PIVOT + "!")
    found = place(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert found.quote == PIVOT + "!"


def test_sentence_inserted_inside_a_long_passage_is_covered() -> None:
    passage = LINES[5]
    annotation = annotate(passage)
    sentence = " Diplomats in the region, speaking privately, called the absence of both powers deliberate."
    cut = passage.index(" In their place")
    edited_passage = passage[:cut] + sentence + passage[cut:]
    edited = ARTICLE.replace(passage, edited_passage)
    found = place(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert found.quote == edited_passage


def test_quote_now_part_of_a_longer_word_is_not_exact() -> None:
    """'Pakistan' annotated as a word is not found inside 'Pakistani' at the old offsets."""
    start = ARTICLE.index("Pakistan is pivoting")
    annotation = annotate_span(ARTICLE, start, start + 8)
    edited = ARTICLE[:start] + "Pakistani policy is pivoting" + ARTICLE[start + len("Pakistan is pivoting") :]
    assert edited[start : start + 8] == "Pakistan"
    found = place(annotation, edited)
    assert not found.trusted
    assert found.status is AnchorStatus.ORPHANED or found.quote == "Pakistani"


def test_common_quote_is_told_apart_by_its_context() -> None:
    """'Pakistan' occurs 17 times; the annotated one is found after an insertion before it."""
    start = ARTICLE.index("Pakistan is pivoting")
    annotation = annotate_span(ARTICLE, start, start + 8)
    inserted = "Pakistan, Pakistan and again Pakistan. "
    edited = joined(LINES[:2] + [inserted + LINES[2]] + LINES[3:])
    found = place(annotation, edited)
    assert (found.status, found.start) == (AnchorStatus.MOVED, start + len(inserted))


def test_text_shorter_than_the_old_offsets_does_not_fail() -> None:
    annotation = annotate(MISSING)
    edited = ARTICLE[:500]
    found = place(annotation, edited)
    assert found.status is AnchorStatus.ORPHANED
    assert (found.start, found.end) == (annotation.start, annotation.end)


def test_reanchored_moved_annotation_takes_new_offsets_context_and_sha() -> None:
    annotation = annotate(PIVOT).retagged(["Foreign policy"]).with_note("the thesis")
    inserted = "A new first paragraph. "
    edited = joined(LINES[:2] + [inserted + LINES[2]] + LINES[3:])
    updated, found = reanchored(annotation, edited, sha(edited))
    assert found.status is AnchorStatus.MOVED
    assert (updated.start, updated.end, updated.quote) == (found.start, found.end, PIVOT)
    assert updated.article_sha256 == sha(edited)
    assert updated.prefix == edited[found.start - len(updated.prefix) : found.start]
    assert updated.suffix == edited[found.end : found.end + len(updated.suffix)]
    kept = (updated.id, updated.tags, updated.note, updated.created)
    assert kept == (annotation.id, ["Foreign policy"], "the thesis", annotation.created)


def test_reanchored_exact_after_edit_elsewhere_takes_the_new_sha() -> None:
    annotation = annotate(PIVOT)
    edited = ARTICLE + "\nA closing paragraph."
    updated, found = reanchored(annotation, edited, sha(edited))
    assert found.status is AnchorStatus.EXACT
    assert (updated.start, updated.article_sha256) == (annotation.start, sha(edited))


def test_reanchored_unchanged_text_returns_the_same_annotation() -> None:
    annotation = annotate(PIVOT)
    updated, found = reanchored(annotation, ARTICLE, sha(ARTICLE))
    assert found.status is AnchorStatus.EXACT
    assert updated is annotation


def test_reanchored_fuzzy_leaves_the_annotation_for_the_user_to_confirm() -> None:
    annotation = annotate(PIVOT)
    edited = ARTICLE.replace("pivoting", "turning")
    updated, found = reanchored(annotation, edited, sha(edited))
    assert found.status is AnchorStatus.FUZZY
    assert updated is annotation
    confirmed = annotation.moved(edited, found.start, found.end, sha(edited))
    assert confirmed.quote == "the message that Pakistan is turning westward was very clear"


_SEPARATORS = " ,.`\n"
_WORDS = st.text(alphabet="abcdefghij klmnop,.`\n", max_size=120)
#: Inserted text never glues letters onto the passage's first or last word (that would edit
#: the passage itself: see the "very clearly" case above), so it is empty or has a separator
#: on the side that may touch the passage.
_BEFORE_TEXT = st.one_of(st.just(""), st.tuples(_WORDS, st.sampled_from(_SEPARATORS)).map("".join))
_AFTER_TEXT = st.one_of(st.just(""), st.tuples(st.sampled_from(_SEPARATORS), _WORDS).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    passage=st.sampled_from(PASSAGES),
    before_at=st.floats(min_value=0.0, max_value=1.0),
    before_text=_BEFORE_TEXT,
    after_at=st.floats(min_value=0.0, max_value=1.0),
    after_text=_AFTER_TEXT,
)
def test_insertions_outside_the_passage_keep_it_found(
    passage: str, before_at: float, before_text: str, after_at: float, after_text: str
) -> None:
    """Insertions before and after a passage: the new offsets are found, and trusted unless
    both sides of the recorded context were overwritten (then the user is asked)."""
    annotation = annotate(passage)
    before = round(before_at * annotation.start)
    after = annotation.end + round(after_at * (len(ARTICLE) - annotation.end))
    edited = ARTICLE[:before] + before_text + ARTICLE[before:after] + after_text + ARTICLE[after:]
    found = place(annotation, edited)
    expected_start = annotation.start + len(before_text)
    assert (found.start, found.end) == (expected_start, expected_start + len(passage))
    prefix_intact = not before_text or before <= annotation.start - len(annotation.prefix)
    suffix_intact = not after_text or after >= annotation.end + len(annotation.suffix)
    if not before_text:
        assert found.status is AnchorStatus.EXACT
    elif prefix_intact or suffix_intact:
        assert found.status is AnchorStatus.MOVED
    else:
        assert found.status in (AnchorStatus.MOVED, AnchorStatus.FUZZY)


def _long_text(size: int, seed: int = 7) -> str:
    """``size`` characters of prose-like filler from the article's own words, with no copy of PIVOT."""
    rng = random.Random(seed)
    words = ARTICLE.replace(PIVOT, "").split()
    filler = " ".join(rng.choice(words) for _ in range(size // 4))
    return filler[:size].replace("pivoting", "turning")


def _timed(annotation: Annotation, text: str) -> tuple[Anchor, float]:
    digest = sha(text)
    began = time.perf_counter()
    found = anchor(annotation, text, digest)
    return found, time.perf_counter() - began


def test_anchoring_in_a_megabyte_is_not_quadratic() -> None:
    """Moved, fuzzy and orphaned passages in ~1 MB: each well within a second (a quadratic
    search would take minutes)."""
    filler = _long_text(1_000_000)
    middle = len(filler) // 2
    big = filler[:middle] + "\n" + ARTICLE + "\n" + filler[middle:]
    base = big.index(PIVOT)
    annotation = annotate_span(big, base, base + len(PIVOT))

    moved_text = "Inserted far above. " * 5000 + big
    found, seconds = _timed(annotation, moved_text)
    assert (found.status, found.start) == (AnchorStatus.MOVED, base + 100_000)
    assert seconds < 0.5

    fuzzy_text = "Inserted far above. " * 5000 + big.replace(PIVOT, PIVOT.replace("pivoting", "turning"))
    found, seconds = _timed(annotation, fuzzy_text)
    assert (found.status, found.start) == (AnchorStatus.FUZZY, base + 100_000)
    assert seconds < 0.5

    orphan_text = big.replace(LINES[PIVOT_LINE], "")
    found, seconds = _timed(annotation, orphan_text)
    assert found.status is AnchorStatus.ORPHANED
    assert seconds < 0.5


def test_common_word_far_moved_in_a_megabyte_is_found_by_its_context() -> None:
    """'Pakistan' occurs thousands of times; after 100 000 characters are inserted above it,
    more copies than are weighed lie nearer its old offset, yet its context finds it."""
    filler = _long_text(1_000_000, seed=3)
    middle = len(filler) // 2
    big = filler[:middle] + "\n" + ARTICLE + "\n" + filler[middle:]
    start = big.index("Pakistan is pivoting")
    annotation = annotate_span(big, start, start + 8)
    edited = "Inserted far above. " * 5000 + big
    assert edited.count("Pakistan", start - 100_000, start + 100_000) > MAX_OCCURRENCES
    found, seconds = _timed(annotation, edited)
    assert (found.status, found.start) == (AnchorStatus.MOVED, start + 100_000)
    assert seconds < 0.5


def test_long_quote_in_a_megabyte_is_found_by_its_ends_quickly() -> None:
    filler = _long_text(1_000_000, seed=11)
    passage = LINES[5]  # a whole paragraph of some 600 characters
    start = 500_000
    big = filler[:start] + passage + filler[start:]
    annotation = annotate_span(big, start, start + len(passage))
    edited_passage = passage.replace("preferred", "favoured")
    edited = "Inserted far above. " * 5000 + big.replace(passage, edited_passage)
    found, seconds = _timed(annotation, edited)
    assert found.status is AnchorStatus.FUZZY
    assert (found.start, found.end) == (start + 100_000, start + 100_000 + len(edited_passage))
    assert seconds < 0.5
