"""``reader.export.export_annotations``: what the app's export action calls."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Annotation, ArticleRef
from reader.corpus.article import text_sha256
from reader.export import ExportError, export_annotations
from tests.helpers import quoted

OLD = "Title\n2025-07-27\nPakistan is pivoting westward, the conference showed. China was absent."
NEW = "Title\n2025-07-27\nA new first sentence. Pakistan is pivoting westward, the conference showed. China was not there."


def annotate(text: str, phrase: str, tags: list[str]) -> Annotation:
    return quoted(text, phrase, tags, article_id="a", article_sha256=text_sha256(text))


@pytest.fixture
def made() -> list[Annotation]:
    return [annotate(OLD, "pivoting westward", ["pivot"]), annotate(OLD, "China was absent", ["absent"])]


def test_text_formats_place_annotations_in_the_text_as_it_is_now(tmp_path: Path, made):
    """The article changed: the moved passage is written where it is now, the lost one is left out
    and reported, never written at offsets that point at other words."""
    heard: list[str] = []
    articles = {"a": ArticleRef("a", "Title", "2025-07-27", "", text_sha256(NEW))}
    where = export_annotations("jsonl", made, articles, tmp_path / "out.jsonl", {"a": NEW}, report=heard.append)
    assert where == tmp_path / "out.jsonl"
    [task] = [json.loads(line) for line in where.read_text(encoding="utf-8").splitlines()]
    assert task["text"] == NEW
    [span] = task["spans"]
    assert NEW[span["start"] : span["end"]] == "pivoting westward" and span["label"] == "pivot"
    assert span["meta"]["article_sha256"] == text_sha256(NEW)
    assert len(heard) == 1 and "Left out 1 annotation" in heard[0]


def test_formats_without_text_write_the_store_as_it_is(tmp_path: Path, made):
    where = export_annotations("json", made, {}, tmp_path / "out.json", None)
    document = json.loads(where.read_text(encoding="utf-8"))
    assert [record["start"] for record in document["annotations"]] == [a.start for a in made]


def test_brat_writes_a_folder_and_needs_the_texts(tmp_path: Path, made):
    folder = export_annotations("brat", made, {}, tmp_path / "brat", {"a": OLD})
    assert folder.is_dir() and (folder / "a.ann").read_text(encoding="utf-8").count("\n") == 2
    with pytest.raises(ExportError, match="not in the corpus"):
        export_annotations("brat", made, {}, tmp_path / "brat2", {})


def test_an_unwritable_destination_is_an_export_error(tmp_path: Path, made):
    with pytest.raises(ExportError, match="Cannot write"):
        export_annotations("csv", made, {}, tmp_path / "missing" / "out.csv", None)
    assert not (tmp_path / "missing").exists()
