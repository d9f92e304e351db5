"""A passage of no characters is refused wherever a passage is made: by the model, by the import
of every format, and by the store; an older store that holds one still exports (issue 9.14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore, ArticleRef, formats
from annotations.formats import Export, FormatError
from annotations.model import EmptyPassage
from reader.export import place
from tests.test_cli import run

TEXT = "Pakistan pitched itself as a key player."


def made() -> Annotation:
    return Annotation.create(article_id="a", article_sha256="", text=TEXT, start=0, end=8, tags=["country"])


def emptied(annotation: Annotation) -> Annotation:
    """The same annotation, made empty behind the model's back (as an old store may hold it)."""
    from dataclasses import replace

    return replace(annotation, end=annotation.start, quote="")


def test_the_model_refuses_an_empty_passage():
    with pytest.raises(EmptyPassage, match="empty"):
        Annotation.create(article_id="a", article_sha256="", text=TEXT, start=5, end=5)


def test_the_store_refuses_an_empty_passage(tmp_path: Path):
    with AnnotationStore(tmp_path / "db.json") as store:
        with pytest.raises(EmptyPassage):
            store.add(emptied(made()))
        assert store.all() == []


@pytest.mark.parametrize("name", ["json", "jsonl", "w3c"])
def test_every_import_refuses_an_empty_passage(name: str):
    annotation = made()
    text = formats.render(name, Export([annotation], {"a": ArticleRef("a", "", None, "", "")}, {"a": TEXT}))
    if name == "json":
        document = json.loads(text)
        document["annotations"][0].update(end=0, quote="")
    elif name == "w3c":
        document = json.loads(text)
        selectors = document["first"]["items"][0]["target"]["selector"]
        selectors[0]["exact"] = ""
        selectors[1]["end"] = selectors[1]["start"]
    else:
        document = json.loads(text)
        document["spans"][0]["end"] = 0
    with pytest.raises(FormatError, match="empty"):
        formats.load(json.dumps(document), name)


def test_import_of_an_empty_w3c_passage_with_a_corpus_says_so_and_adds_nothing(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT + "\n", encoding="utf-8")
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation",
        "target": {"source": "urn:reader:article:a", "selector": [
            {"type": "TextPositionSelector", "start": 5, "end": 5}, {"type": "TextQuoteSelector", "exact": ""}]},
    }  # fmt: skip
    source = tmp_path / "empty.jsonld"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "db.json"
    result = run("import", str(source), "--db", str(target), "--corpus", str(corpus))
    assert result.returncode == 1 and "unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert "empty" in result.stderr and "Nothing was imported" in result.stderr
    assert not target.exists()


def test_an_empty_passage_already_stored_is_left_out_of_text_exports_not_a_crash():
    good, bad = made(), emptied(made())
    placed, left_out = place([good, bad], {"a": TEXT})
    assert [a.id for a in placed] == [good.id] and [a.id for a in left_out] == [bad.id]
