"""Every importable format gives back exactly what was exported: ids, offsets, tags, notes, times."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings

from annotations import formats
from annotations.formats import Export
from tests.formats.strategies import exports

ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def records(annotations) -> list[dict]:
    return sorted((annotation.to_record() for annotation in annotations), key=lambda record: record["id"])


@pytest.mark.parametrize("name", [name for name in formats.IMPORT_FORMATS if name in formats.EXPORT_FORMATS])
@ROUND_TRIP
@given(export=exports())
def test_export_then_import_loses_nothing(name: str, export: Export):
    text = formats.render(name, export)
    assert formats.detect(text) == name
    imported = formats.load(text)
    assert records(imported.annotations) == records(export.annotations)
    referenced = {annotation.article_id for annotation in export.annotations}
    expected_articles = {article_id: export.articles[article_id] for article_id in referenced}
    assert {key: imported.articles[key] for key in referenced} == expected_articles
    assert imported.ignored == 0


def words(text: str) -> list[tuple[int, int]]:
    """A stand-in tokenizer: runs of non-space characters."""
    return [match.span() for match in re.finditer(r"\S+", text)]


@ROUND_TRIP
@given(export=exports())
def test_jsonl_token_indices_cover_each_span_and_entities_are_not_imported(export: Export):
    entities = {article_id: [(0, 1, "GPE")] for article_id in export.texts}
    with_tokens = Export(export.annotations, export.articles, export.texts, tokenizer=words, entities=entities)
    text = formats.render("jsonl", with_tokens)
    imported = formats.load(text, "jsonl")
    assert records(imported.annotations) == records(export.annotations)
    assert imported.ignored == len(entities)
    for line in text.split("\n")[:-1]:
        task = json.loads(line)
        tokens = task["tokens"]
        for span in task["spans"] + task.get("untagged", []):
            if not tokens:
                assert "token_start" not in span
                continue
            first, last = tokens[span["token_start"]], tokens[span["token_end"]]
            assert span["token_start"] <= span["token_end"]
            touching = [t["id"] for t in tokens if t["start"] < span["end"] and t["end"] > span["start"]]
            if touching:  # the span is not all whitespace: its tokens are exactly those it touches
                assert (touching[0], touching[-1]) == (first["id"], last["id"])
