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
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    [task] = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    entity_spans = [(task["text"][s["start"] : s["end"]], s["label"]) for s in task["spans"] if s.get("meta", {}).get("source") == "entity"]
    assert ("Centcom", "ORG") in entity_spans
    assert not any(words == "four" for words, _ in entity_spans)
