"""One placing policy (annotations.placing) for the article screen, export, import and orphans."""

from __future__ import annotations

import hashlib

from annotations.anchoring import AnchorStatus
from annotations.model import Annotation
from annotations.placing import place


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_place_sorts_exact_moved_fuzzy_and_orphaned_and_says_what_the_store_must_learn():
    old = "Intro line. The ministers met in Geneva to discuss trade. Nothing else happened that day at all."
    notes = {
        phrase: Annotation.create(
            article_id="a",
            article_sha256=sha(old),
            text=old,
            start=old.index(phrase),
            end=old.index(phrase) + len(phrase),
            tags=["t"],
        )
        for phrase in ("Intro line", "met in Geneva", "discuss trade", "that day at all")
    }
    new = (
        "A new opening paragraph was added above. Intro line. The ministers met in Geneva to discuss "
        "tariffs. Nothing else happened."
    )
    placements = place(notes.values(), new, sha(new))

    statuses = {p.stored.quote: p.status for p in placements.all}
    assert statuses["Intro line"] is AnchorStatus.MOVED and statuses["met in Geneva"] is AnchorStatus.MOVED
    assert statuses["that day at all"] is AnchorStatus.ORPHANED
    assert [new[a.start : a.end] for a in placements.placed] == ["Intro line", "met in Geneva"]
    assert placements.changed == placements.placed  # both moved: the store learns their offsets
    assert [p.stored for p in placements.unplaced] == [notes["discuss trade"], notes["that day at all"]]
    assert sum(placements.counts().values()) == 4


def test_an_unchanged_text_places_every_annotation_as_stored_with_nothing_to_update():
    text = "Plain words here, and more plain words after them."
    note = Annotation.create(article_id="a", article_sha256=sha(text), text=text, start=6, end=11, tags=["t"])
    placements = place([note], text, sha(text))
    assert placements.placed == [note] and placements.changed == [] and placements.unplaced == []


def test_a_passage_that_cuts_a_character_is_widened_to_whole_characters_even_in_an_unchanged_text():
    text = "Flags: \U0001f1ef\U0001f1f5 and more words follow here."
    start = text.index("\U0001f1f5")  # the second half of the flag
    note = Annotation.create(
        article_id="a", article_sha256=sha(text), text=text, start=start, end=start + 5, tags=["t"]
    )
    [placed] = place([note], text, sha(text)).placed
    assert (placed.start, placed.end) == (start - 1, start + 5)
