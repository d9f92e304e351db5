"""Quick tags keep their numbers as counts change, across restarts, until renumbered."""

from __future__ import annotations

import json
from pathlib import Path

from reader.quick_tags import QuickTags


def test_a_tag_keeps_its_number_when_counts_change(tmp_path: Path):
    quick = QuickTags(tmp_path / "quick.json", tmp_path / "store.json")
    assert quick.numbered([("alpha", 5), ("beta", 2)])[:3] == ["alpha", "beta", None]
    # beta overtakes alpha, gamma is new: nothing moves, gamma takes the free number 3.
    assert quick.numbered([("beta", 9), ("gamma", 3), ("alpha", 1)])[:4] == ["alpha", "beta", "gamma", None]


def test_numbers_survive_a_restart_and_are_per_store(tmp_path: Path):
    path = tmp_path / "quick.json"
    QuickTags(path, tmp_path / "one.json").numbered([("alpha", 5), ("beta", 2)])
    QuickTags(path, tmp_path / "two.json").numbered([("other", 1)])
    again = QuickTags(path, tmp_path / "one.json")
    assert again.numbered([("beta", 9), ("alpha", 1)])[:2] == ["alpha", "beta"]
    assert QuickTags(path, tmp_path / "two.json").numbered([])[:1] == ["other"]


def test_an_unused_tag_keeps_its_number_until_a_new_tag_needs_one(tmp_path: Path):
    quick = QuickTags(tmp_path / "quick.json", tmp_path / "store.json")
    nine = [(f"tag {n}", 10 - n) for n in range(1, 10)]
    assert quick.numbered(nine) == [f"tag {n}" for n in range(1, 10)]
    without_three = [pair for pair in nine if pair[0] != "tag 3"]
    assert quick.numbered(without_three)[2] == "tag 3"  # deleted (perhaps undone soon): kept
    assert quick.numbered([*without_three, ("new", 1)])[2] == "new"  # the only number to take


def test_renumber_puts_the_most_used_first(tmp_path: Path):
    path = tmp_path / "quick.json"
    quick = QuickTags(path, tmp_path / "store.json")
    quick.numbered([("alpha", 5), ("beta", 2)])
    assert quick.renumber([("beta", 9), ("alpha", 1)])[:3] == ["beta", "alpha", None]
    assert QuickTags(path, tmp_path / "store.json").numbered([("beta", 9), ("alpha", 1)])[:2] == ["beta", "alpha"]


def test_case_follows_the_store_and_a_damaged_file_is_ignored(tmp_path: Path):
    path = tmp_path / "quick.json"
    quick = QuickTags(path, tmp_path / "store.json")
    quick.numbered([("alpha", 5), ("beta", 2)])
    assert quick.numbered([("Alpha", 5), ("beta", 2)])[:2] == ["Alpha", "beta"]
    path.write_text("{not json", encoding="utf-8")
    fresh = QuickTags(path, tmp_path / "store.json")
    assert fresh.numbered([("beta", 3), ("alpha", 1)])[:2] == ["beta", "alpha"]
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "reader-quick-tags"
