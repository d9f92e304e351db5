"""Entity corrections: rules kept in the store, applied wherever the same words recur."""

from __future__ import annotations

import json
from pathlib import Path

from annotations import AnnotationStore
from annotations.corrections import CorrectionBook, EntityCorrection
from reader.nlp import Entity
from reader.nlp.corrections import apply_corrections

TEXT = "General Michael Kurilla of Centcom met four Field Marshal Syed Asim Munir aides. Centcom said so."


def rule(words: str, label: str | None) -> EntityCorrection:
    return EntityCorrection(words, label)


def test_relabel_remove_and_add_everywhere_the_words_recur():
    model = [
        Entity(TEXT.index("four"), TEXT.index("four") + 4, "CARDINAL"),
        Entity(TEXT.index("Asim"), TEXT.index("Munir") + 5, "PERSON"),
        Entity(TEXT.index("Field"), TEXT.index("Asim") - 1, "ORG"),
    ]
    fixed = apply_corrections(
        TEXT, model, [rule("Centcom", "ORG"), rule("four", None), rule("Field Marshal Syed Asim Munir", "PERSON")]
    )
    spans = [(TEXT[e.start : e.end], e.label) for e in fixed]
    assert spans == [("Centcom", "ORG"), ("Field Marshal Syed Asim Munir", "PERSON"), ("Centcom", "ORG")]


def test_whole_words_only_and_case_as_written():
    text = "US officials and us. USAID too."
    fixed = apply_corrections(text, [], [rule("US", "GPE")])
    assert [(text[e.start : e.end], e.start) for e in fixed] == [("US", 0)]


def test_a_correction_applies_inside_a_word_where_letters_turn_to_digits():
    text = "The post9/11 era, 9/11 itself, 19/11 and 9/111; the Kasim and Asim2 labels."
    model = [Entity(text.index("post9/11"), text.index("post9/11") + 8, "CARDINAL")]
    fixed = apply_corrections(text, model, [rule("9/11", "EVENT"), rule("Asim", "PERSON")])
    assert [(text[e.start : e.end], e.start, e.label) for e in fixed] == [
        ("9/11", text.index("9/11"), "EVENT"),  # inside "post9/11", which the model's span gave way to
        ("9/11", text.index("9/11 itself"), "EVENT"),
        ("Asim", text.index("Asim2"), "PERSON"),  # not inside "Kasim"; "19/11" and "9/111" are other numbers
    ]


def test_spacing_in_the_text_does_not_matter():
    text = "Field  Marshal\nAsim Munir"
    fixed = apply_corrections(text, [], [rule("Field Marshal Asim Munir", "PERSON")])
    assert [(e.start, e.end) for e in fixed] == [(0, len(text))]


def test_book_keeps_rules_in_the_store_folder_and_another_process_sees_them(tmp_path: Path):
    store_path = tmp_path / "annotations.json"
    AnnotationStore(store_path).close()
    book = CorrectionBook(store_path)
    assert book.all() == []
    book.set("  Centcom ", "ORG")
    book.set("four", None)
    book.set("Centcom", "FAC")  # replaces the older rule about the same words
    other = CorrectionBook(store_path)  # as another reader process would see it
    assert sorted((c.words, c.label) for c in other.all()) == [("Centcom", "FAC"), ("four", None)]
    raw = json.loads(book.path.read_text(encoding="utf-8"))  # a TinyDB file of the store
    assert set(raw["corrections"]) == {"Centcom", "four"}
    assert book.path.parent == store_path.with_name(store_path.name + ".d")
    assert other.forget("four").label is None
    assert [(c.words, c.label) for c in book.all()] == [("Centcom", "FAC")]


def test_export_of_ner_training_data_carries_the_corrections(tmp_path: Path, corpus_dir: Path, reference_text: str):
    import os
    import shutil
    import subprocess
    import sys

    store_path = tmp_path / "db.json"
    AnnotationStore(store_path).close()
    CorrectionBook(store_path).set("Centcom", "ORG")
    CorrectionBook(store_path).set("four", None)
    reader = shutil.which("reader", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [reader, "export", "--db", str(store_path), "-f", "jsonl", "--entities", "--corpus", str(corpus_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    [task] = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    entity_spans = [
        (task["text"][s["start"] : s["end"]], s["label"])
        for s in task["spans"]
        if s.get("meta", {}).get("source") == "entity"
    ]
    assert ("Centcom", "ORG") in entity_spans
    assert not any(words == "four" for words, _ in entity_spans)


def test_book_failures_are_store_errors_naming_the_file(tmp_path: Path, monkeypatch):
    import errno
    import os

    import pytest
    from filelock import FileLock

    from annotations import StoreError, layout
    from annotations.store import LOCK_TIMEOUT

    store_path = tmp_path / "annotations.json"
    AnnotationStore(store_path).close()
    assert CorrectionBook(store_path).lock_timeout == LOCK_TIMEOUT
    book = CorrectionBook(store_path, lock_timeout=0.1)
    book.set("Centcom", "ORG")

    with FileLock(str(layout.lock_path(store_path))):  # another process is writing
        with pytest.raises(StoreError, match="busy"):
            book.set("four", None)
        with pytest.raises(StoreError, match="busy"):
            book.forget("Centcom")

    def disk_full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", disk_full)
        with pytest.raises(StoreError, match="No space left") as full:
            book.set("four", None)
    assert str(book.path) in str(full.value) and "not saved" in str(full.value)
    assert [c.words for c in CorrectionBook(store_path).all()] == ["Centcom"]

    book.path.write_text('{"corrections": {"x": {"label": "ORG"}}}', encoding="utf-8")  # a rule without words
    for call in (book.all, lambda: book.forget("x")):
        with pytest.raises(StoreError, match="damaged") as damaged:
            call()
        assert str(book.path) in str(damaged.value)
    book.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="damaged"):
        CorrectionBook(store_path).set("y", "ORG")

    lost = tmp_path / "lost.json"  # a store whose folder is a file: the corrections cannot be kept
    layout.folder(lost).write_text("", encoding="utf-8")
    for call in (CorrectionBook(lost).all, lambda: CorrectionBook(lost).set("x", "ORG")):
        with pytest.raises(StoreError, match="corrections file"):
            call()
