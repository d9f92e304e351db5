"""The undo history is disposable, but never silently: a damaged file (a time or a number out
of range) is set aside with a one-line notice, and a file that cannot be written (full disk) is
reported while the edit itself stays saved."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from annotations import history as history_module
from annotations.history import Change, History, history_path
from annotations.model import Annotation

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."


def annotation(start: int = 0, end: int = 9) -> Annotation:
    return Annotation.create(article_id="budget", article_sha256="", text=TEXT, start=start, end=end, tags=["politics"])


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations.json")


@pytest.mark.parametrize(
    "damage",
    [
        {"created": "99999-01-01T00:00:00Z"},
        {"updated": "9999-12-31T23:59:59-05:00"},  # in range where written, not once in UTC
        {"start": 1e999},  # JSON's 1e999 reads as infinity
        {"end": "1" * 5000},
        {"created": 10**30},
    ],
)
def test_an_entry_out_of_range_is_set_aside_with_a_notice(store: AnnotationStore, damage: dict) -> None:
    good = Change("retag", [(None, annotation().to_record())]).to_json()
    bad = Change("note", [(None, {**annotation(10, 20).to_record(), **damage})]).to_json()
    file = history_path(store.path)
    raw = json.dumps({"budget": {"undo": [good, bad], "redo": []}}).replace("Infinity", "1e999")
    file.write_text(raw, encoding="utf-8")

    history = History(store)  # never raises
    set_aside = list(file.parent.glob(file.name + ".damaged-*"))
    assert [path.read_text(encoding="utf-8") for path in set_aside] == [raw]
    assert history.notice is not None and "\n" not in history.notice
    assert str(file) in history.notice and str(set_aside[0]) in history.notice
    assert history.undo("budget").label == "retag"  # the rest is kept


def test_a_clean_file_gives_no_notice(store: AnnotationStore) -> None:
    History(store).add("budget", annotation())
    assert History(store).notice is None


def test_a_history_that_cannot_be_written_says_so_and_the_edit_is_saved(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(store)
    told: list[str] = []
    history.on_problem = told.append

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(history_module, "replace_text", full)
    added = history.add("budget", annotation())
    assert store.get(added.id) == added  # the edit itself is saved
    assert len(told) == 1
    assert str(history.path) in told[0] and "No space left on device" in told[0] and "tag passage" in told[0]
    retagged = history.update("budget", "retag", added, added.retagged(["economy"]))
    assert len(told) == 2 and '"retag"' in told[1]
    # Within this window the changes can still be undone.
    assert history.undo("budget").label == "retag"
    assert store.get(added.id) == added
    assert retagged != added
