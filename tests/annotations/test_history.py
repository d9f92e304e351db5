"""The undo history: applied through the store without overwriting later edits, never losing a
change when the store fails, and kept in a small, checked file that several processes share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotations import AnnotationStore, StoreError
from annotations import history as history_module
from annotations.history import CORPUS, DEPTH, ORPHANS, Change, History, Outcome, history_path
from annotations.model import Annotation
from annotations.store import ChangedElsewhere
from tests.helpers import spy

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."


def annotation(start: int = 0, end: int = 9, tags: list[str] | None = None, article_id: str = "budget") -> Annotation:
    return Annotation.create(
        article_id=article_id, article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=tags or ["politics"]
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


@pytest.fixture
def store(path: Path) -> AnnotationStore:
    return AnnotationStore(path)


def stacks(history: History, scope: str) -> tuple[list[str], list[str]]:
    """The labels on the scope's undo and redo stacks, as the file says (bottom first)."""
    data = json.loads(history.path.read_text(encoding="utf-8")).get(scope, {"undo": [], "redo": []})
    return [c["label"] for c in data["undo"]], [c["label"] for c in data["redo"]]


# -- undo and redo -----------------------------------------------------------------------------


def test_undo_and_redo_of_add_update_delete_survive_a_restart(store: AnnotationStore) -> None:
    history = History(store)
    added = history.add("budget", annotation())
    retagged = history.update("budget", "retag", added, added.retagged(["economy"]))
    history.delete("budget", retagged)
    assert store.get(added.id) is None

    again = History(store)  # as after a restart
    outcome = again.undo("budget")
    assert isinstance(outcome, Outcome)
    assert (outcome.label, outcome.applied, outcome.skipped) == ("delete", 1, 0)
    assert store.get(added.id) == retagged
    assert again.undo("budget").label == "retag"
    assert store.get(added.id) == added
    assert again.undo("budget").label == "tag passage"
    assert store.get(added.id) is None
    assert again.undo("budget") is None
    assert again.redo("budget").message("redo") == "Redid tag passage."
    assert again.redo("budget").label == "retag"
    assert store.get(added.id) == retagged


def test_undo_does_not_overwrite_an_edit_made_elsewhere_since(path: Path, store: AnnotationStore) -> None:
    history = History(store)
    added = history.add("budget", annotation())
    retagged = history.update("budget", "retag", added, added.retagged(["economy"]))
    elsewhere = AnnotationStore(path)  # another window or process
    noted = elsewhere.update(retagged.with_note("mine"))

    outcome = history.undo("budget")
    assert outcome is not None and (outcome.applied, outcome.skipped) == (0, 1)
    assert "changed since" in outcome.message("undo")
    assert store.get(added.id) == noted  # the later edit is kept
    assert not history.can_redo("budget")  # nothing was undone, so nothing can be redone

    # Undoing the creation would delete the annotation edited elsewhere: skipped too.
    outcome = history.undo("budget")
    assert outcome is not None and (outcome.label, outcome.applied, outcome.skipped) == ("tag passage", 0, 1)
    assert store.get(added.id) == noted


def test_undoing_a_delete_never_replaces_an_annotation_put_back_elsewhere(path: Path, store: AnnotationStore) -> None:
    history = History(store)
    added = history.add("budget", annotation())
    history.delete("budget", added)
    changed = AnnotationStore(path).add(added.with_note("put back elsewhere"))
    outcome = history.undo("budget")
    assert outcome is not None and (outcome.applied, outcome.skipped) == (0, 1)
    assert store.get(added.id) == changed


def test_a_rename_is_undone_where_it_can_be_and_reports_the_rest(path: Path, store: AnnotationStore) -> None:
    history = History(store)
    first, second = store.add(annotation(0, 9, ["tax"])), store.add(annotation(10, 20, ["tax"], "other"))
    third = store.add(annotation(30, 40, ["tax"]))
    pairs = [(a, a.retagged(["taxes"])) for a in (first, second, third)]
    history.update_many(CORPUS, "rename of tax to taxes", pairs)
    AnnotationStore(path).update(pairs[1][1].retagged(["levies"]))  # renamed again elsewhere

    outcome = history.undo(CORPUS)
    assert outcome is not None and (outcome.applied, outcome.skipped) == (2, 1)
    assert store.get(first.id) == first and store.get(third.id) == third
    assert store.get(second.id).tags == ["levies"]
    outcome = history.redo(CORPUS)  # only what was undone is redone
    assert outcome is not None and (outcome.applied, outcome.skipped) == (2, 0)
    assert store.get(first.id).tags == ["taxes"] and store.get(second.id).tags == ["levies"]


def test_a_failed_undo_keeps_the_change_to_undo(store: AnnotationStore, monkeypatch: pytest.MonkeyPatch) -> None:
    history = History(store)
    added = history.add("budget", annotation())
    history.update("budget", "retag", added, added.retagged(["economy"]))

    def fail(*_: Any, **__: Any) -> None:
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "update_many", fail)
    with pytest.raises(StoreError):
        history.undo("budget")
    assert stacks(history, "budget") == (["tag passage", "retag"], [])
    assert History(store).can_undo("budget")
    monkeypatch.undo()
    assert history.undo("budget").applied == 1
    assert store.get(added.id) == added


def test_an_undo_that_fails_part_way_splits_the_change(
    path: Path, store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(store)
    first, second = store.add(annotation(0, 9, ["tax"])), store.add(annotation(10, 20, ["tax"], "other"))
    pairs = [(a, a.retagged(["taxes"])) for a in (first, second)]
    history.update_many(CORPUS, "rename", pairs)

    real_change = store._change

    def change(article_id: str, body: Any) -> None:
        if article_id == "budget":  # undone after "other" (undo goes backwards)
            raise StoreError("the disk is full")
        real_change(article_id, body)

    monkeypatch.setattr(store, "_change", change)
    with pytest.raises(StoreError):
        history.undo(CORPUS)
    assert store.get(second.id) == second and store.get(first.id).tags == ["taxes"]
    assert stacks(history, CORPUS) == (["rename"], ["rename"])  # the undone part can be redone
    monkeypatch.undo()
    assert history.undo(CORPUS).applied == 1
    assert store.get(first.id) == first
    assert stacks(history, CORPUS) == ([], ["rename", "rename"])
    assert history.redo(CORPUS).applied == 1 and history.redo(CORPUS).applied == 1
    assert [store.get(a.id).tags for a in (first, second)] == [["taxes"], ["taxes"]]


# -- changes that record themselves ------------------------------------------------------------


def test_an_update_of_an_annotation_changed_elsewhere_is_refused_and_not_recorded(
    path: Path, store: AnnotationStore
) -> None:
    history = History(store)
    added = history.add("budget", annotation())
    noted = AnnotationStore(path).update(added.with_note("elsewhere"))
    with pytest.raises(ChangedElsewhere, match="another window or process"):
        history.update("budget", "retag", added, added.retagged(["economy"]))
    with pytest.raises(ChangedElsewhere):
        history.delete("budget", added)
    assert store.get(added.id) == noted
    assert stacks(history, "budget") == (["tag passage"], [])


def test_a_rename_that_fails_part_way_records_what_it_wrote(path: Path, store: AnnotationStore) -> None:
    history = History(store)
    first, second = store.add(annotation(0, 9, ["tax"])), store.add(annotation(10, 20, ["tax"], "other"))
    AnnotationStore(path).update(second.with_note("elsewhere"))
    with pytest.raises(ChangedElsewhere, match="1 annotation"):
        history.update_many(CORPUS, "rename", [(a, a.retagged(["taxes"])) for a in (first, second)])
    assert store.get(first.id).tags == ["taxes"] and store.get(second.id).tags == ["tax"]
    assert history.undo(CORPUS).applied == 1
    assert store.get(first.id) == first


def test_a_rename_writes_each_article_once(store: AnnotationStore, monkeypatch: pytest.MonkeyPatch) -> None:
    history = History(store)
    annotations = [store.add(annotation(i, i + 5, ["tax"], article)) for article in ("a", "b") for i in (0, 10, 20)]
    changes = spy(monkeypatch, store, "_change")
    history.update_many(CORPUS, "rename", [(a, a.retagged(["taxes"])) for a in annotations])
    assert [article for article, _ in changes] == ["a", "b"]
    changes.clear()
    assert history.undo(CORPUS).applied == 6
    assert sorted(article for article, _ in changes) == ["a", "b"]


def test_orphan_deletes_have_their_own_scope(store: AnnotationStore) -> None:
    history = History(store)
    assert ORPHANS != CORPUS
    first, second = store.add(annotation(0, 9, ["tax"])), store.add(annotation(10, 20))
    history.update_many(CORPUS, "rename", [(first, first.retagged(["taxes"]))])
    history.delete(ORPHANS, second)
    assert history.undo(ORPHANS).label == "delete"
    assert store.get(second.id) == second and store.get(first.id).tags == ["taxes"]


# -- the file ----------------------------------------------------------------------------------


def test_a_damaged_history_file_is_set_aside_and_never_raises(store: AnnotationStore) -> None:
    file = history_path(store.path)
    file.write_text("{not json", encoding="utf-8")
    history = History(store)
    assert not history.can_undo("budget")
    assert [p.read_text() for p in file.parent.glob(file.name + ".damaged-*")] == ["{not json"]
    history.add("budget", annotation())
    assert history.can_undo("budget")


def test_a_damaged_entry_is_dropped_and_the_rest_kept(store: AnnotationStore) -> None:
    good = Change("retag", [(None, annotation().to_record())]).to_json()
    file = history_path(store.path)
    file.write_text(
        json.dumps(
            {
                "budget": {"undo": [good, {"label": "bad", "pairs": [[None, {"id": 1}]]}, "junk"], "redo": []},
                "other": [1, 2],
                "empty": {"undo": [{"label": "no pairs", "pairs": []}]},
            }
        ),
        encoding="utf-8",
    )
    history = History(store)
    assert stacks(history, "budget") == (["retag"], [])
    assert set(json.loads(file.read_text())) == {"budget"}
    assert len(list(file.parent.glob(file.name + ".damaged-*"))) == 1
    assert history.can_undo("budget") and not history.can_undo("other")


def test_the_file_is_compact_and_capped(store: AnnotationStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_module, "DEPTH", 3)
    monkeypatch.setattr(history_module, "MAX_SCOPES", 2)
    history = History(store)
    record = annotation().to_record()
    for number in range(5):
        history.record("a", Change(f"a{number}", [(None, record)]))
    assert stacks(history, "a") == (["a2", "a3", "a4"], [])
    history.record("b", Change("b", [(None, record)]))
    history.record("a", Change("a5", [(None, record)]))  # "a" is now the most recently used
    history.record("c", Change("c", [(None, record)]))  # so "b" goes
    raw = history.path.read_text(encoding="utf-8")
    assert list(json.loads(raw)) == ["a", "c"]
    assert "\n" not in raw and ", " not in raw and '": ' not in raw
    assert DEPTH == 200


def test_two_processes_recording_keep_each_others_changes(store: AnnotationStore) -> None:
    one, two = History(store), History(store)  # as in two processes sharing the store
    one.add("budget", annotation(0, 9))
    two.add("other", annotation(10, 20, article_id="other"))
    two.add("budget", annotation(30, 40))
    one.add(CORPUS, annotation(50, 60))
    assert stacks(one, "budget") == (["tag passage", "tag passage"], [])
    assert stacks(one, "other") == (["tag passage"], [])
    assert stacks(one, CORPUS) == (["tag passage"], [])
    assert one.undo("other") is not None  # seen from the other process
    assert stacks(two, "other") == ([], ["tag passage"])
