"""Grapheme clusters: a passage never cuts a user-perceived character in two."""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from annotations import Annotation
from annotations.graphemes import cluster_at, is_boundary, next_start, previous_start, snap

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
FLAG = "\U0001f1f5\U0001f1f0"
THUMB = "\U0001f44d\U0001f3fd"
ACCENTED = "e\u0301"
TEXT = f"a {FAMILY} b{FLAG}{THUMB} caf{ACCENTED}!"


def test_each_user_perceived_character_is_one_cluster():
    for piece in (FAMILY, FLAG, THUMB, ACCENTED):
        start = TEXT.index(piece)
        for inside in range(start, start + len(piece)):
            assert cluster_at(TEXT, inside) == (start, start + len(piece))
        assert not any(is_boundary(TEXT, inside) for inside in range(start + 1, start + len(piece)))


def test_steps_go_by_cluster_both_ways():
    family = TEXT.index(FAMILY)
    assert next_start(TEXT, family) == family + len(FAMILY)
    assert previous_start(TEXT, family + len(FAMILY)) == family
    assert previous_start(TEXT, family + 2) == family - 1  # from inside the family: the space before
    flag = TEXT.index(FLAG)
    assert next_start(TEXT, flag) == TEXT.index(THUMB)
    assert previous_start(TEXT, len(TEXT)) == len(TEXT) - 1
    assert next_start(TEXT, len(TEXT) - 1) == len(TEXT)


def test_snap_widens_a_passage_that_cuts_a_cluster():
    family = TEXT.index(FAMILY)
    assert snap(TEXT, family, family + 2) == (family, family + len(FAMILY))  # "👨\u200d" becomes the family
    accent = TEXT.index(ACCENTED)
    assert snap(TEXT, 0, accent + 1) == (0, accent + 2)
    assert snap(TEXT, 2, 5) == (2, family + len(FAMILY))


def test_an_annotation_made_over_half_an_emoji_holds_all_of_it():
    family = TEXT.index(FAMILY)
    made = Annotation.create(article_id="a", article_sha256="s", text=TEXT, start=family, end=family + 2)
    assert made.quote == FAMILY
    moved = made.moved(TEXT, TEXT.index(FLAG) + 1, TEXT.index(THUMB) + 1, "s")
    assert moved.quote == FLAG + THUMB


PIECES = st.sampled_from(
    [
        "a",
        " ",
        "\n",
        "\u4e2d",
        FAMILY,
        FLAG,
        THUMB,
        ACCENTED,
        "\u0301",
        "\U0001f1fa",
        "\u200d",
        "\r\n",
        "\u0915\u094d\u0937",
    ]
)


@given(st.lists(PIECES, max_size=30), st.data())
def test_clusters_agree_with_segmenting_the_whole_text(pieces: list[str], data):
    text = "".join(pieces)
    whole = [(m.start(), m.end()) for m in regex.finditer(r"\X", text, flags=regex.DOTALL)]
    for start, end in whole:
        for inside in range(start, end):
            assert cluster_at(text, inside) == (start, end)
    if text:
        low = data.draw(st.integers(0, len(text) - 1))
        high = data.draw(st.integers(low + 1, len(text)))
        start, end = snap(text, low, high)
        assert is_boundary(text, start) and is_boundary(text, end) and start <= low and end >= high


def test_an_imported_passage_that_cuts_an_emoji_is_placed_over_the_whole_of_it():
    from annotations.anchoring import AnchorStatus, reanchored

    family = TEXT.index(FAMILY)
    made = Annotation.create(article_id="a", article_sha256="s", text=TEXT, start=family, end=family + 5)
    record = made.to_record() | {
        "end": family + 2,
        "quote": TEXT[family : family + 2],
        "suffix": TEXT[family + 2 : family + 34],
    }
    imported = Annotation.from_record(record)  # as a file may hold it: "👨\u200d"
    placed, found = reanchored(imported, TEXT, "s")
    assert found.status is AnchorStatus.EXACT
    assert (placed.start, placed.end, placed.quote) == (family, family + len(FAMILY), FAMILY)
