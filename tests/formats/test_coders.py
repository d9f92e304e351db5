"""Every format carries the coder: json, jsonl (span meta) and w3c (``creator``) give it back on
import, csv has a column, brat names coders when an export mixes them, Hypothesis's ``user`` is
read as the coder; and a file written before coders existed reads as the default coder's."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import Annotation, ArticleRef, coders, formats
from annotations.formats import Export, w3c
from tests.formats.test_hypothesis import annotation as hypothesis_annotation
from tests.formats.test_hypothesis import pages

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."
ARTICLE = ArticleRef("budget", "Budget talks", "2024-05-01", "budget.txt", "")
ROUND_TRIP_FORMATS = ("json", "jsonl", "w3c")


@pytest.fixture(autouse=True)
def _default_reset() -> Iterator[None]:
    coders.set_default_coder(None)
    yield
    coders.set_default_coder(None)


def passage(phrase: str, coder: str, tags: list[str] | None = None, note: str = "") -> Annotation:
    start = TEXT.index(phrase)
    return Annotation.create(
        article_id="budget",
        article_sha256="",
        text=TEXT,
        start=start,
        end=start + len(phrase),
        tags=tags or ["politics"],
        note=note,
        coder=coder,
    )


def two_coders() -> Export:
    """The same passage coded by ada and bob, and one more of bob's."""
    annotations = [
        passage("Ministers met", "ada"),
        passage("Ministers met", "bob", ["government"]),
        passage("walked out", "bob", note="a protest"),
    ]
    return Export(annotations, {"budget": ARTICLE}, {"budget": TEXT})


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
def test_each_importable_format_gives_back_each_passages_coder(name: str) -> None:
    export = two_coders()
    coders.set_default_coder("someone else")  # not used: every passage names its coder
    imported = formats.load(formats.render(name, export))
    assert {a.id: a.coder for a in imported.annotations} == {a.id: a.coder for a in export.annotations}
    assert sorted(a.coder for a in imported.annotations) == ["ada", "bob", "bob"]


def without_coders(name: str, text: str) -> str:
    """``text`` (an export in format ``name``) as reader wrote it before coders existed."""
    if name == "jsonl":
        tasks = [json.loads(line) for line in text.splitlines()]
        for task in tasks:
            for span in task["spans"] + task.get("untagged", []):
                del span["meta"]["coder"]
        return "".join(json.dumps(task) + "\n" for task in tasks)
    document = json.loads(text)
    items = document["annotations"] if name == "json" else document["first"]["items"]
    for item in items:
        del item["coder" if name == "json" else "creator"]
    return json.dumps(document)


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
def test_a_file_without_coders_reads_as_the_default_coder(name: str) -> None:
    old = without_coders(name, formats.render(name, two_coders()))
    assert "bob" not in old
    coders.set_default_coder("grace")
    imported = formats.load(old)
    assert [a.coder for a in imported.annotations] == ["grace"] * 3


def test_w3c_creator_is_a_person_with_an_iri_and_the_name() -> None:
    document = json.loads(formats.render("w3c", Export([passage("budget", "Ada Lovelace/é")], {"budget": ARTICLE})))
    (item,) = document["first"]["items"]
    assert item["creator"] == {
        "id": "urn:reader:coder:Ada%20Lovelace%2F%C3%A9",
        "type": "Person",
        "name": "Ada Lovelace/é",
    }


@pytest.mark.parametrize(
    ("creator", "coder"),
    [
        ({"type": "Person", "name": "ada", "nickname": "a"}, "ada"),
        ({"type": "Person", "nickname": "a"}, "a"),
        ([{"type": "Software", "name": "bot"}, {"name": "second"}], "bot"),
        ("urn:reader:coder:Ada%20L", "Ada L"),
        ("acct:ada@example.org", "acct:ada@example.org"),
        ({"type": "Person", "id": "urn:reader:coder:bob"}, "bob"),
        ({"type": "Person"}, "grace"),
        ("\x1b[31m", "[31m"),
        (7, "grace"),
    ],
)
def test_w3c_creators_of_other_tools_are_read_as_coders(creator: object, coder: str) -> None:
    document = json.loads(formats.render("w3c", Export([passage("budget", "ada")], {"budget": ARTICLE})))
    document["first"]["items"][0]["creator"] = creator
    coders.set_default_coder("grace")
    (imported,) = w3c.read_document(document).annotations
    assert imported.coder == coder


def test_csv_has_a_coder_column_last() -> None:
    two_coders_export = two_coders()
    rows = list(csv.DictReader(io.StringIO(formats.render("csv", two_coders_export))))
    assert list(rows[0])[-1] == "coder"
    assert sorted(row["coder"] for row in rows) == ["ada", "bob", "bob"]
    assert {row["id"]: row["coder"] for row in rows} == {a.id: a.coder for a in two_coders_export.annotations}


def test_csv_coder_cell_cannot_be_a_formula() -> None:
    export = Export([passage("budget", "=HYPERLINK(1)")], {"budget": ARTICLE})
    (row,) = csv.DictReader(io.StringIO(formats.render("csv", export)))
    assert row["coder"] == "'=HYPERLINK(1)"


def brat_notes(tmp_path: Path, export: Export) -> list[str]:
    folder = formats.write("brat", export, tmp_path / "brat")
    lines = (folder / "budget.ann").read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[2] for line in lines if line.startswith("#")]


def test_brat_names_the_coders_only_when_an_export_mixes_them(tmp_path: Path) -> None:
    assert sorted(brat_notes(tmp_path / "two", two_coders())) == ["coder: ada", "coder: bob", "coder: bob; a protest"]
    one = Export([passage("walked out", "bob", note="a protest")], {"budget": ARTICLE}, {"budget": TEXT})
    assert brat_notes(tmp_path / "one", one) == ["a protest"]


def test_hypothesis_user_is_the_coder() -> None:
    record = hypothesis_annotation("in Islamabad", 8)
    record["user"] = "acct:ada@hypothes.is"
    (imported,) = formats.load(json.dumps(record), "hypothesis", pages=pages).annotations
    assert imported.coder == "ada@hypothes.is"
    del record["user"]
    coders.set_default_coder("grace")
    (imported,) = formats.load(json.dumps(record), "hypothesis", pages=pages).annotations
    assert imported.coder == "grace"
