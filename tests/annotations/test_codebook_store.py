"""The codebook kept beside the passages: codes in use and defined, a tree by path, edits that
re-tag passages, every edit undone and redone through the undo history, a damaged file refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore, StoreError
from annotations.codebook import Code
from annotations.codebook_editing import CodebookEditor, NeedsConfirmation
from annotations.codebook_store import Codebook
from annotations.history import CORPUS, History
from annotations.model import Annotation

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."


def passage(tags: list[str], start: int = 0, end: int = 9, article_id: str = "budget") -> Annotation:
    return Annotation.create(
        article_id=article_id, article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=tags
    )


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "annotations.json")


@pytest.fixture
def editor(store: AnnotationStore) -> CodebookEditor:
    return CodebookEditor(History(store))


def tags_of(store: AnnotationStore) -> list[list[str]]:
    return sorted(a.tags for a in store.all())


def test_codes_are_the_tags_in_use_with_their_parents_and_those_created_before_use(
    store: AnnotationStore, editor: CodebookEditor
) -> None:
    store.add(passage(["framing/pivot westward", "absent parties"]))
    store.add(passage(["Framing/Pivot Westward"], 10, 20))
    editor.create("actors/state", "a government or its agency")
    codes = Codebook(store).codes()
    assert [c.path for c in codes] == ["absent parties", "actors", "actors/state", "framing", "framing/pivot westward"]
    assert Codebook(store).own_counts() == {"framing/pivot westward": 2, "absent parties": 1}
    assert Codebook(store).get("Actors / State") == Code("actors/state", "a government or its agency")
    raw = json.loads(Codebook(store).path.read_text(encoding="utf-8"))
    assert list(raw["codes"]) == ["actors/state"]  # only what the passages cannot say is kept
    with pytest.raises(ValueError, match="a code already"):
        editor.create("framing")


def test_description_colour_and_memos_are_undone_and_redone(store: AnnotationStore, editor: CodebookEditor) -> None:
    store.add(passage(["framing"]))
    editor.describe("framing", "  how the story is told ")
    editor.set_colour("framing", "#7aa2f7")
    editor.add_memo("framing", "first memo")
    book = Codebook(store)
    code = book.get("framing")
    assert code is not None and (code.description, code.colour) == ("how the story is told", "#7aa2f7")
    assert [m.text for m in code.memos] == ["first memo"]
    history = History(store)  # after a restart
    assert history.undo(CORPUS).label == "memo on framing"
    assert history.undo(CORPUS).label == "colour of framing"
    assert book.get("framing").colour is None
    assert history.undo(CORPUS).label == "description of framing"
    assert book.get("framing") is None
    assert history.redo(CORPUS).label == "description of framing"
    assert book.get("framing").description == "how the story is told"
    with pytest.raises(ValueError, match="#rrggbb"):
        editor.set_colour("framing", "red")


def test_move_renames_the_subtree_in_every_passage_and_carries_descriptions(
    store: AnnotationStore, editor: CodebookEditor
) -> None:
    store.add(passage(["pivot", "other"]))
    store.add(passage(["pivot/westward"], 10, 20))
    editor.describe("pivot/westward", "towards the West")
    done = editor.move("pivot", "framing")
    assert (done.label, done.passages) == ("move of pivot to framing/pivot", 2)
    assert tags_of(store) == [["framing/pivot", "other"], ["framing/pivot/westward"]]
    assert Codebook(store).get("framing/pivot/westward").description == "towards the West"
    assert Codebook(store).get("pivot/westward") is None
    History(store).undo(CORPUS)
    assert tags_of(store) == [["pivot", "other"], ["pivot/westward"]]
    assert Codebook(store).get("pivot/westward").description == "towards the West"
    assert Codebook(store).get("framing/pivot/westward") is None
    with pytest.raises(ValueError, match="under itself"):
        editor.move("pivot", "pivot/westward")


def test_rename_onto_an_existing_code_merges_keeping_the_target_description(
    store: AnnotationStore, editor: CodebookEditor
) -> None:
    store.add(passage(["west", "westward"]))
    store.add(passage(["westward"], 10, 20))
    editor.describe("west", "kept")
    editor.describe("westward", "dropped")
    editor.add_memo("westward", "memo travels")
    done = editor.rename("westward", "WEST")
    assert done.label == "merge of westward into west"
    assert tags_of(store) == [["west"], ["west"]]  # a passage that had both has it once
    merged = Codebook(store).get("west")
    assert (merged.description, [m.text for m in merged.memos]) == ("kept", ["memo travels"])
    History(store).undo(CORPUS)
    assert tags_of(store) == [["west", "westward"], ["westward"]]
    assert Codebook(store).get("westward").description == "dropped"


def test_delete_needs_the_count_of_passages_and_is_undone(store: AnnotationStore, editor: CodebookEditor) -> None:
    store.add(passage(["framing/a", "keep"]))
    store.add(passage(["framing/b"], 10, 20))
    store.add(passage(["framing"], 20, 30))
    editor.describe("framing/a", "gone with it")
    with pytest.raises(NeedsConfirmation) as asked:
        editor.delete("framing")
    assert asked.value.passages == 3
    assert len(store.all()) == 3 and Codebook(store).get("framing/a") is not None  # nothing changed
    with pytest.raises(NeedsConfirmation):
        editor.delete("framing", confirmed=2)
    done = editor.delete("framing", confirmed=3)
    assert (done.passages, done.codes) == (3, 1)
    assert tags_of(store) == [[], [], ["keep"]]
    assert [c.path for c in Codebook(store).codes()] == ["keep"]
    History(store).undo(CORPUS)
    assert tags_of(store) == [["framing"], ["framing/a", "keep"], ["framing/b"]]
    assert Codebook(store).get("framing/a").description == "gone with it"
    editor.create("unused")
    assert editor.delete("unused").codes == 1  # an unused code goes without confirmation


def test_undo_skips_a_code_changed_elsewhere_since(store: AnnotationStore, editor: CodebookEditor) -> None:
    editor.describe("framing", "mine")
    elsewhere = Codebook(AnnotationStore(store.path))  # another process, with its own history
    mine = elsewhere.get("framing")
    elsewhere.apply([(mine, Code("framing", "theirs"))])
    outcome = editor.history.undo(CORPUS)
    assert (outcome.applied, outcome.skipped) == (0, 1)
    assert Codebook(store).get("framing").description == "theirs"


@pytest.mark.parametrize(
    "damage", [b"{not json", b'{"codes": {"framing": {"path": "other"}}}', b'{"codes": {"x": {"nopath": 1}}}']
)
def test_a_damaged_codebook_is_an_error_naming_the_file_never_an_empty_codebook(
    store: AnnotationStore, editor: CodebookEditor, damage: bytes
) -> None:
    store.add(passage(["framing"]))
    editor.describe("framing", "how the story is told")
    book = Codebook(store)
    book.path.write_bytes(damage)
    with pytest.raises(StoreError) as failure:
        book.codes()
    assert str(book.path) in str(failure.value) and "damaged" in str(failure.value)
    with pytest.raises(StoreError):
        editor.describe("framing", "overwrites nothing")
    assert book.path.read_bytes() == damage


def test_a_missing_codebook_with_its_copy_left_is_damaged(store: AnnotationStore, editor: CodebookEditor) -> None:
    editor.describe("a", "one")
    editor.describe("a", "two")  # the second write leaves a copy of the first
    book = Codebook(store)
    book.path.unlink()
    with pytest.raises(StoreError, match="missing"):
        book.defined()
