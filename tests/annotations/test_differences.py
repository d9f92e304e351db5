"""Differences between two coders' layers and what settling them writes (annotations/differences.py)."""

from __future__ import annotations

from annotations.differences import already_settled, compare_layers, settle
from annotations.model import Annotation

TEXT = "The council met on Monday and the mayor spoke about the budget and the strike. " * 3


def passage(coder: str, start: int, end: int, *tags: str, article: str = "a1") -> Annotation:
    return Annotation.create(
        article_id=article, article_sha256="0" * 64, text=TEXT, start=start, end=end, tags=list(tags), coder=coder
    )


def test_each_kind_of_difference_is_found_and_agreements_set_apart() -> None:
    a = [passage("ana", 0, 11, "place"), passage("ana", 30, 39, "person"), passage("ana", 56, 62, "money")]
    a.append(passage("ana", 100, 110, "x"))
    b = [passage("ben", 0, 11, "Place"), passage("ben", 30, 39, "official"), passage("ben", 50, 62, "money")]
    b.append(passage("ben", 150, 160, "y"))
    comparison = compare_layers(a, b)
    kinds = [(d.start, d.end, d.kind) for d in comparison.differences]
    assert kinds == [(30, 39, "codes"), (50, 62, "boundaries"), (100, 110, "only A"), (150, 160, "only B")]
    assert [p.id for p in comparison.agreements] == [a[0].id]  # codes compared case aside


def test_passages_chained_by_overlaps_are_one_difference() -> None:
    a = [passage("ana", 0, 20, "t"), passage("ana", 25, 40, "t")]
    b = [passage("ben", 15, 30, "t")]
    (difference,) = compare_layers(a, b).differences
    assert (difference.start, difference.end, difference.kind) == (0, 40, "boundaries")
    assert len(difference.a) == 2 and len(difference.b) == 1


def test_settling_copies_the_choice_into_the_agreed_layer() -> None:
    a = [passage("ana", 30, 39, "person")]
    b = [passage("ben", 30, 39, "official"), passage("ben", 0, 5, "place", article="a2")]
    codes, only_b = compare_layers(a, b).differences
    (both,) = settle(codes, "both", "final")
    assert (both.coder, both.start, both.end, both.tags) == ("final", 30, 39, ["person", "official"])
    assert both.id not in {a[0].id, b[0].id}
    assert [p.tags for p in settle(codes, "a")] == [["person"]] and settle(codes, "a")[0].coder == "agreed"
    assert [p.tags for p in settle(codes, "b")] == [["official"]]
    assert settle(codes, "neither") == [] and settle(only_b, "a") == []
    assert already_settled(codes, settle(codes, "b")) and not already_settled(only_b, settle(codes, "b"))
