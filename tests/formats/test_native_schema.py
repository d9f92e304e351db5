"""The native JSON document against the JSON Schema shipped with reader."""

from __future__ import annotations

import copy
import fnmatch
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from jsonschema import Draft202012Validator

from annotations import Annotation, AnnotationStore, ArticleRef, formats
from annotations.formats import Export, native_json
from tests.formats.strategies import exports
from tests.helpers import quoted

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(native_json.schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_an_export_of_a_real_store_is_valid(validator, tmp_path: Path, reference_text: str):
    text = reference_text.rstrip("\n")
    ref = ArticleRef("000_ff5b33da8fd122af", "Pakistan pitches itself", "2025-07-27", "/c/000.txt", "f" * 64)
    with AnnotationStore(tmp_path / "store.json") as store:
        for phrase, tags, note in (
            ("pivoting westward", ["pivot westward"], "why"),
            ("no other South Asian state", [], ""),
        ):
            store.add(quoted(text, phrase, tags, article_id=ref.id, article_sha256=ref.sha256, note=note), ref)
        document = json.loads(formats.render("json", Export(store.all(), store.articles())))
    assert list(validator.iter_errors(document)) == []
    assert len(document["annotations"]) == 2


@settings(max_examples=40, deadline=None)
@given(export=exports())
def test_every_export_is_valid(validator, export: Export):
    document = json.loads(formats.render("json", export))
    assert [error.message for error in validator.iter_errors(document)] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["annotations"][0].pop("created"), "created"),
        (lambda d: d["annotations"][0].update(start=-1), "start"),
        (lambda d: d["annotations"][0].update(tags=["ok", " padded "]), "tags"),
        (lambda d: d["annotations"][0].update(updated="2025-07-27 10:00"), "updated"),
        (lambda d: d["articles"][0].update(date="27 July 2025"), "date"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["annotations"][0].update(colour="red"), "colour"),
    ],
)
def test_the_schema_rejects_what_reader_never_writes(validator, change, field: str, reference_text: str):
    text = reference_text.rstrip("\n")
    made = Annotation.create(article_id="a", article_sha256="", text=text, start=0, end=8, tags=["t"])
    document = json.loads(formats.render("json", Export([made], {"a": ArticleRef("a", "T", "2025-07-27", "", "")})))
    assert list(validator.iter_errors(document)) == []
    broken = copy.deepcopy(document)
    change(broken)
    errors = list(validator.iter_errors(broken))
    assert errors and any(field in json.dumps(list(error.absolute_path) + [error.message]) for error in errors)


def test_the_schema_is_package_data():
    """Installed from a wheel too: pyproject's package data takes in the schema file."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["annotations"]
    relative = "formats/schemas/reader-annotations.schema.json"
    assert (ROOT / "annotations" / relative).is_file()
    assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)
