"""A file that cannot be imported says where it broke (line, field), for every importable format."""

from __future__ import annotations

import json

import pytest

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export, FormatError

TEXT = "Title\n2025-07-27\nPakistan pitched itself as a key player."


def export() -> Export:
    made = [
        Annotation.create(
            article_id="a", article_sha256="", text=TEXT, start=17, end=25, tags=["country", "GPE"], note="n"
        ),
        Annotation.create(article_id="a", article_sha256="", text=TEXT, start=26, end=33, tags=[]),
    ]
    return Export(made, {"a": ArticleRef("a", "Title", "2025-07-27", "", "")}, {"a": TEXT})


def broken(name: str, change) -> str:
    text = formats.render(name, export())
    if name == "jsonl":
        lines = [json.loads(line) for line in text.splitlines()]
        change(lines)
        return "\n".join(json.dumps(line) for line in lines) + "\n"
    document = json.loads(text)
    change(document)
    return json.dumps(document, indent=2)


@pytest.mark.parametrize(
    ("name", "change", "line", "field", "words"),
    [
        ("json", lambda d: d["annotations"][1].update(start="12"), None, "annotations[1].start", "whole number"),
        ("json", lambda d: d["annotations"][0].update(created="soon"), None, "annotations[0].created", "ISO 8601"),
        (
            "json",
            lambda d: d["annotations"][1].update(id=d["annotations"][0]["id"]),
            None,
            "annotations[1]",
            "used twice",
        ),
        ("json", lambda d: d.update(version=9), None, "version", "newer reader"),
        (
            "jsonl",
            lambda ls: ls.append(
                {
                    "text": "x",
                    "meta": {"id": "b"},
                    "spans": [
                        {
                            "start": 0,
                            "end": 5,
                            "label": "t",
                            "meta": {
                                "annotation_id": "z",
                                "created": "2025-01-01T00:00:00Z",
                                "updated": "2025-01-01T00:00:00Z",
                            },
                        }
                    ],
                }
            ),
            2,
            "spans[0].end",
            "not inside the text",
        ),
        ("jsonl", lambda ls: ls[0]["spans"][0]["meta"].pop("updated"), 1, "spans[0].meta.updated", "missing"),
        ("jsonl", lambda ls: ls[0]["spans"][1].update(start=18), 1, "spans[1].start", "two passages"),
        ("jsonl", lambda ls: ls[0].pop("text"), 1, "text", "missing"),
        (
            "w3c",
            lambda d: d["first"]["items"][0]["target"]["selector"].pop(1),
            None,
            "first.items[0].target.selector",
            "TextPositionSelector",
        ),
        (
            "w3c",
            lambda d: d["first"]["items"][1]["target"]["selector"][1].update(end=None),
            None,
            "first.items[1].target.selector[1].end",
            "whole number",
        ),
        ("w3c", lambda d: d["first"]["items"][0].pop("target"), None, "first.items[0].target", "no target"),
        ("w3c", lambda d: d["first"].update(next="http://example.org/page2"), None, "first.next", "not in this file"),
    ],
)
def test_a_broken_file_names_the_line_and_field(name, change, line, field, words):
    text = broken(name, change)
    with pytest.raises(FormatError) as caught:
        formats.load(text)
    assert (caught.value.line, caught.value.field) == (line, field)
    assert words in caught.value.reason
    assert field in str(caught.value)


def test_json_syntax_errors_name_their_line():
    text = formats.render("json", export())
    lines = text.splitlines()
    lines[6] = lines[6] + ","  # a trailing comma inside the first article
    with pytest.raises(FormatError) as caught:
        formats.load("\n".join(lines))
    assert caught.value.line is not None and caught.value.line >= 7
    jsonl_text = formats.render("jsonl", export()) + '{"text": "broken\n'
    with pytest.raises(FormatError) as caught:
        formats.load(jsonl_text)
    assert caught.value.line == 2


@pytest.mark.parametrize("text", ["id,quote\n1,x\n", "[1, 2]", '{"something": "else"}'])
def test_files_that_are_no_export_are_refused(text: str):
    with pytest.raises(FormatError, match="not"):
        formats.load(text)


def test_formats_that_cannot_be_imported_say_so():
    with pytest.raises(ValueError, match="cannot be imported"):
        formats.load("id\n", "csv")
