"""The w3c export against the W3C Web Annotation test suite's MUST schemas, and a structural check
of each MUST of the model that applies to reader's annotations.

The suite's schemas are read from ``../shared/w3c-annotation-tests`` beside the project, never
copied into it; where that folder is absent the schema tests skip and say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from rfc3986_validator import validate_rfc3986

from annotations import ArticleRef, formats
from annotations.formats import Export, w3c
from annotations.model import to_iso
from tests.formats.strategies import exports
from tests.helpers import quoted

_PROJECT = Path(__file__).resolve().parent.parent.parent
#: The suite beside the project (``../shared``), or beside the folder of worktrees holding it.
SUITE = next(
    (
        folder
        for folder in (
            _PROJECT.parent / "shared" / "w3c-annotation-tests",
            _PROJECT.parent.parent / "shared" / "w3c-annotation-tests",
        )
        if folder.is_dir()
    ),
    _PROJECT.parent / "shared" / "w3c-annotation-tests",
)
MUST_LISTS = {
    "annotation": "annotations/annotationMusts.test",
    "collection": "collections/collectionMusts.test",
    "page": "collections/pages/pageMusts.test",
}
needs_suite = pytest.mark.skipif(
    not (SUITE / "definitions").is_dir(),
    reason=f"the W3C Web Annotation test suite is not at {SUITE} (it is read from ../shared, beside the project)",
)


@pytest.fixture(scope="module")
def musts() -> dict[str, list[tuple[str, Draft4Validator]]]:
    """The suite's MUST assertions by what they check, each as a validator with its name."""
    definitions = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted((SUITE / "definitions").glob("*.json"))
    ]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in definitions
    )
    found: dict[str, list[tuple[str, Draft4Validator]]] = {}
    for kind, listing in MUST_LISTS.items():
        names = json.loads((SUITE / listing).read_text(encoding="utf-8"))["assertions"]
        found[kind] = []
        for name in names:
            schema = json.loads((SUITE / name).read_text(encoding="utf-8"))
            assert schema.get("expectedResult", "valid") == "valid", name
            validator = Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
            found[kind].append((name, validator))
    return found


def failures(validators: list[tuple[str, Draft4Validator]], document: object) -> list[str]:
    return [
        f"{name}: {error.message[:200]}" for name, validator in validators for error in validator.iter_errors(document)
    ][:5]


def items_with_context(collection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each annotation of the collection exactly as written: the suite's strict check reads each
    alone, so each must carry its own ``@context`` (none is lent from the collection)."""
    yield from collection.get("first", {}).get("items", [])


def reference_export(reference_text: str) -> Export:
    text = reference_text.rstrip("\n")
    ref = ArticleRef("000_ff5b33da8fd122af", "Pakistan pitches itself", "2025-07-27", "/corpus/000.txt", "a" * 64)
    made = [
        quoted(text, phrase, tags, article_id=ref.id, article_sha256=ref.sha256, note=note)
        for phrase, tags, note in (
            ("pivoting westward", ["pivot westward"], 'the thesis, "in short"'),
            ("no other South Asian state", ["absent parties", "South Asia"], ""),
            ("Pakistan`s steadfast commitment", [], "no tag, just a note"),
            ("ISLAMABAD", [], ""),
        )
    ]
    return Export(made, {ref.id: ref}, {ref.id: text})


@needs_suite
def test_suite_harness_rejects_the_suites_own_incorrect_samples(musts, reference_text: str):
    """The validators really check: annotations the suite calls incorrect fail a MUST, and so does
    one of ours whose id is not an IRI (so ``format: uri`` is checked, not skipped)."""
    for sample in ("anno2.json", "anno3.json"):
        document = json.loads((SUITE / "tools" / "samples" / "incorrect" / sample).read_text(encoding="utf-8"))
        assert failures(musts["annotation"], document), sample
    item = next(items_with_context(json.loads(formats.render("w3c", reference_export(reference_text)))))
    assert failures(musts["annotation"], {**item, "id": "not an IRI"})


@needs_suite
def test_reference_export_passes_every_must_of_the_suite(musts, reference_text: str):
    collection = json.loads(formats.render("w3c", reference_export(reference_text)))
    assert failures(musts["collection"], collection) == []
    assert failures(musts["page"], collection) == []
    items = list(items_with_context(collection))
    assert len(items) == 4
    for item in items:
        assert failures(musts["annotation"], item) == []


@needs_suite
@settings(max_examples=15, deadline=None)
@given(export=exports(max_articles=2, max_annotations=3))
def test_random_exports_pass_every_must_of_the_suite(musts, export: Export):
    collection = json.loads(formats.render("w3c", export))
    assert failures(musts["collection"], collection) == []
    if export.annotations:  # an empty collection has no page to check
        assert failures(musts["page"], collection) == []
    for item in items_with_context(collection):
        assert failures(musts["annotation"], item) == []


def is_iri(value: object) -> bool:
    return isinstance(value, str) and bool(validate_rfc3986(value, rule="URI"))


def test_each_must_of_the_model_holds_structurally(reference_text: str):
    """Context, ids, types, target with source and both selectors, body purposes, times."""
    export = reference_export(reference_text)
    collection = json.loads(formats.render("w3c", export))
    assert w3c.ANNO_CONTEXT in collection["@context"]
    assert collection["type"] == "AnnotationCollection" and is_iri(collection["id"])
    assert collection["total"] == len(export.annotations)
    page = collection["first"]
    assert page["type"] == "AnnotationPage" and is_iri(page["id"]) and collection["last"] == page["id"]
    by_iri = {w3c.annotation_iri(annotation.id): annotation for annotation in export.annotations}
    assert sorted(item["id"] for item in page["items"]) == sorted(by_iri)
    for item in page["items"]:
        annotation = by_iri[item["id"]]
        assert is_iri(item["id"]) and item["type"] == "Annotation" and "bodyValue" not in item
        assert item["created"] == to_iso(annotation.created) and item["modified"] == to_iso(annotation.updated)
        datetime.fromisoformat(item["created"].replace("Z", "+00:00"))
        target = item["target"]
        assert is_iri(target["source"]["id"]) and target["source"]["id"] == w3c.article_iri(annotation.article_id)
        selectors = {selector["type"]: selector for selector in target["selector"]}
        quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
        assert (
            quote["exact"]
            == annotation.quote
            == export.texts[annotation.article_id][position["start"] : position["end"]]
        )
        assert quote.get("prefix", "") == annotation.prefix and quote.get("suffix", "") == annotation.suffix
        bodies = item.get("body", [])
        assert all(body["type"] == "TextualBody" and isinstance(body["value"], str) for body in bodies)
        assert [body["value"] for body in bodies if body["purpose"] == "tagging"] == annotation.tags
        assert [body["value"] for body in bodies if body["purpose"] == "commenting"] == (
            [annotation.note] if annotation.note else []
        )
        assert {body["purpose"] for body in bodies} <= {"tagging", "commenting"}


def test_an_empty_export_is_a_collection_without_pages():
    collection = json.loads(formats.render("w3c", Export([])))
    assert collection["total"] == 0 and "first" not in collection and collection["type"] == "AnnotationCollection"
    assert formats.load(json.dumps(collection)).annotations == []


def test_annotations_of_other_tools_are_read_with_what_reader_keeps():
    """A single annotation from elsewhere: no reader terms, an IRI body, a note without purpose."""
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno/7",
        "type": "Annotation",
        "created": "2024-05-01T10:00:00Z",
        "body": ["http://example.org/term/peace", {"type": "TextualBody", "value": "worth a look"},
                 {"type": "TextualBody", "purpose": ["tagging"], "value": "  peace   talks "}],
        "target": {
            "source": "http://example.org/article.txt",
            "selector": [{"type": "TextPositionSelector", "start": 3, "end": 8},
                         {"type": "TextQuoteSelector", "exact": "hello"}],
        },
    }  # fmt: skip
    [annotation] = formats.load(json.dumps(document)).annotations
    assert annotation.id == "http://example.org/anno/7" and annotation.article_id == "http://example.org/article.txt"
    assert (annotation.start, annotation.end, annotation.quote) == (3, 8, "hello")
    assert annotation.tags == ["peace talks"] and annotation.note == "worth a look"
    assert annotation.updated == annotation.created and annotation.article_sha256 == ""


def test_each_annotation_of_the_collection_carries_its_own_context(reference_text: str):
    collection = json.loads(formats.render("w3c", reference_export(reference_text)))
    for item in collection["first"]["items"]:
        assert item["@context"] == collection["@context"] and w3c.ANNO_CONTEXT in item["@context"]


def test_odd_values_from_elsewhere_still_export_as_valid_reader_json(reference_text: str):
    """Long context, and ``reader:`` terms of the wrong type or shape, are trimmed or dropped on
    import, so the json export of what came in validates against reader's own schema."""
    from jsonschema import Draft202012Validator

    from annotations.formats import native_json

    long_prefix, long_suffix = "p" * 40 + "<near", "near>" + "s" * 200
    document = {
        "@context": [w3c.ANNO_CONTEXT, {"reader": w3c.READER_TERMS}], "id": "urn:x:odd", "type": "Annotation",
        "target": {
            "reader:sha256": "NOT A HASH",
            "source": {"id": "urn:reader:article:a", "type": "Text", "label": ["a", "list"],
                       "reader:date": "July 2025", "reader:path": 7, "reader:sha256": "A" * 64},
            "selector": [{"type": "TextPositionSelector", "start": 3, "end": 8},
                         {"type": "TextQuoteSelector", "exact": "hello", "prefix": long_prefix, "suffix": long_suffix}],
        },
    }  # fmt: skip
    imported = formats.load(json.dumps(document))
    [annotation] = imported.annotations
    assert annotation.prefix == long_prefix[-32:] and annotation.suffix == long_suffix[:32]
    assert annotation.article_sha256 == "" and imported.articles["a"].sha256 == "a" * 64
    assert (
        imported.articles["a"].date is None and imported.articles["a"].path == "" and imported.articles["a"].title == ""
    )
    schema = json.loads(native_json.schema_path().read_text(encoding="utf-8"))
    exported = json.loads(formats.render("json", Export(imported.annotations, imported.articles)))
    assert list(Draft202012Validator(schema).iter_errors(exported)) == []
