"""The jsonl export of the reference article loads into spaCy as it is: every span is a span of
the Doc built from the task's tokens, with the quote as its text and the token indices it says."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export
from tests.helpers import quoted

PHRASES = (
    ("ISLAMABAD", ["place"], ""),
    ("Pakistan`s steadfast commitment", ["commitment", "Pakistan"], "possessive with a backtick"),
    ("pivoting westward", ["pivot westward"], "the thesis"),
    ("no other South Asian state", ["absent parties"], ""),
    ("`Strengthening Bonds, Securing Peace`", ["slogan"], "quoted with backticks"),
    ("very clear.\nThe conference`s theme", ["across paragraphs"], ""),
    ("Missing were Russia and China", [], "untagged, with a note"),
)


@pytest.fixture(scope="module")
def task(recognizer, reference_text: str) -> tuple[dict, list[Annotation]]:
    text = reference_text.rstrip("\n")
    ref = ArticleRef("000_ff5b33da8fd122af", "Pakistan pitches itself", "2025-07-27", "", "")
    made = [quoted(text, phrase, tags, article_id=ref.id, note=note) for phrase, tags, note in PHRASES]
    entities = [(e.start, e.end, e.label) for e in recognizer.entities(text)]
    export = Export(made, {ref.id: ref}, {ref.id: text}, recognizer.token_spans, {ref.id: entities})
    [line] = formats.render("jsonl", export).splitlines()
    return json.loads(line), made


def doc_of(recognizer, task: dict) -> Doc:
    """The Doc a spaCy user builds from a task: its tokens' words and spaces."""
    tokens = task["tokens"]
    return Doc(recognizer.load().vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])


def test_tokens_rebuild_the_text_exactly(recognizer, task):
    line, _ = task
    assert doc_of(recognizer, line).text == line["text"]


def test_each_tag_span_is_a_spacy_span_with_the_quote_and_its_tokens(recognizer, task):
    line, made = task
    doc = doc_of(recognizer, line)
    by_id = {annotation.id: annotation for annotation in made}
    tagged = [span for span in line["spans"] if "annotation_id" in span["meta"]]
    assert len(tagged) == sum(len(annotation.tags) for annotation in made)
    for span in tagged + line["untagged"]:
        annotation = by_id[span["meta"]["annotation_id"]]
        found = doc.char_span(span["start"], span["end"])
        assert found is not None, annotation.quote
        assert found.text == annotation.quote
        assert (span["token_start"], span["token_end"]) == (found.start, found.end - 1)
        assert span["meta"]["note"] == annotation.note
    labels = {(span["meta"]["annotation_id"], span["label"]) for span in tagged}
    assert labels == {(annotation.id, tag) for annotation in made for tag in annotation.tags}
    assert [span["meta"]["annotation_id"] for span in line["untagged"]] == [made[-1].id]


def test_entity_spans_align_with_the_tokens_and_train_as_ents(recognizer, task):
    line, _ = task
    doc = doc_of(recognizer, line)
    entities = [span for span in line["spans"] if span["meta"].get("source") == "entity"]
    assert entities
    spans = []
    for span in entities:
        found = doc.char_span(span["start"], span["end"], label=span["label"])
        assert found is not None and (found.start, found.end - 1) == (span["token_start"], span["token_end"])
        spans.append(found)
    doc.ents = spans  # what a NER training example needs: no overlaps, all aligned
    assert {"Pakistan", "China"} <= {ent.text for ent in doc.ents}


def test_the_task_names_its_article(task):
    line, _ = task
    assert line["meta"] == {
        "id": "000_ff5b33da8fd122af",
        "title": "Pakistan pitches itself",
        "date": "2025-07-27",
        "path": "",
        "sha256": "",
    }
