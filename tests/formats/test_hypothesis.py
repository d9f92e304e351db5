"""Hypothesis API JSON: recognised (one annotation, a list, search rows), placed in the corpus's
articles by its words, with JavaScript's UTF-16 offsets converted to code points; refused with a
clear message when its page or words cannot be found, or when no corpus is given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore, ArticleRef, formats
from annotations.formats import FormatError, hypothesis
from annotations.formats.hypothesis import Page, utf16_to_index
from tests.test_cli import run

TEXT = "Talks 😀 in Islamabad 👍🏽 ended.\nThe talks in Islamabad resumed, and talks in Delhi began."
ARTICLE = ArticleRef("a", "Talks", None, "/corpus/a.txt", "")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def annotation(
    exact: str,
    start: int | None = None,
    *,
    prefix: str = "",
    suffix: str = "",
    uri: str = "https://example.org/news/a.html",
    id_: str = "Jz0bLh7SEe6",
) -> dict:
    """An annotation as the Hypothesis API returns it (``start`` in code points of TEXT)."""
    selectors: list[dict] = [
        {
            "type": "RangeSelector",
            "endOffset": 9,
            "startOffset": 0,
            "endContainer": "/main[1]/p[1]",
            "startContainer": "/main[1]/p[1]",
        },
    ]
    if start is not None:
        selectors.append(
            {"type": "TextPositionSelector", "start": utf16(TEXT[:start]), "end": utf16(TEXT[: start + len(exact)])}
        )
    selectors.append({"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix})
    return {
        "id": id_, "created": "2024-05-01T10:00:00.123456+00:00", "updated": "2024-05-02T11:00:00.000000+00:00",
        "user": "acct:reader@hypothes.is", "uri": uri, "text": "worth a **look**", "tags": ["Peace talks", "peace  TALKS", "place"],
        "group": "__world__", "permissions": {"read": ["group:__world__"]}, "target": [{"source": uri, "selector": selectors}],
        "document": {"title": ["Talks"]}, "links": {"html": "https://hypothes.is/a/" + id_}, "flagged": False, "hidden": False,
    }  # fmt: skip


def pages(uri: str) -> Page | None:
    return Page(ARTICLE, TEXT) if uri.endswith("/a.html") else None


@pytest.mark.parametrize(
    "shape",
    [lambda a: a, lambda a: [a], lambda a: {"total": 1, "rows": [a]}],
    ids=["one", "list", "search rows"],
)
def test_every_shape_of_the_api_is_recognised_and_imported(shape):
    text = json.dumps(shape(annotation("Islamabad", TEXT.index("Islamabad"))))
    assert formats.detect(text) == "hypothesis"
    [placed] = formats.load(text, pages=pages).annotations
    assert (placed.start, placed.quote, placed.article_id) == (TEXT.index("Islamabad"), "Islamabad", "a")
    assert placed.tags == ["Peace talks", "place"] and placed.note == "worth a **look**"


def test_utf16_offsets_after_emoji_are_converted_to_code_points():
    start = TEXT.index("ended")  # after 😀 and 👍🏽: three characters outside the BMP, six units
    [placed] = formats.load(json.dumps(annotation("ended", start)), pages=pages).annotations
    assert (placed.start, placed.end) == (start, start + len("ended"))
    assert utf16_to_index("a😀b", 3) == 2 and utf16_to_index("a😀b", 2) == 1


def test_a_quote_only_annotation_is_placed_by_its_quote_and_context():
    second = TEXT.index("talks in Delhi")
    [placed] = formats.load(
        json.dumps(annotation("talks in", prefix="resumed, and ", suffix=" Delhi")), pages=pages
    ).annotations
    assert (placed.start, placed.quote) == (second, "talks in")
    # Spacing aside: a page's line break where the article has a space.
    [spaced] = formats.load(json.dumps(annotation("Islamabad\nresumed")), pages=pages).annotations
    assert spaced.quote == "Islamabad resumed"


def test_what_cannot_be_placed_is_refused_by_name():
    with pytest.raises(FormatError, match="no article of the corpus is the page https://example.org/other.html"):
        formats.load(json.dumps(annotation("Islamabad", uri="https://example.org/other.html")), pages=pages)
    with pytest.raises(FormatError, match="not in the text"):
        formats.load(json.dumps(annotation("Kabul")), pages=pages)
    with pytest.raises(FormatError, match="needs the corpus") as refused:
        formats.load(json.dumps(annotation("Islamabad")))
    assert refused.value.needs_pages and "--" not in str(refused.value)


def test_page_notes_and_replies_are_passed_over():
    note = {**annotation("x"), "target": [{"source": "https://example.org/news/a.html"}]}
    reply = {
        **annotation("x", id_="r1"),
        "references": ["Jz0bLh7SEe6"],
        "target": [{"source": "https://example.org/news/a.html"}],
    }
    imported = formats.load(json.dumps({"total": 3, "rows": [annotation("Islamabad"), note, reply]}), pages=pages)
    assert len(imported.annotations) == 1 and imported.ignored == 2


def test_other_formats_are_not_taken_for_hypothesis():
    assert not hypothesis.is_document(
        {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "uri": "x", "target": []}
    )
    assert not hypothesis.is_document({"text": "x", "meta": {}, "spans": []})


def test_import_of_search_rows_against_a_corpus(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT + "\n", encoding="utf-8")
    (corpus / "b.md").write_text(
        "---\ntitle: B\nurl: https://news.example/b-story/\n---\nTalks in Delhi began.\n", encoding="utf-8"
    )
    rows = [
        annotation("ended", TEXT.index("ended")),
        annotation("Delhi", uri="https://NEWS.example/b-story#top", id_="b1"),
    ]
    source = tmp_path / "hypothesis.json"
    source.write_text(json.dumps({"total": 2, "rows": rows}), encoding="utf-8")
    target = tmp_path / "db.json"

    refused = run("import", str(source), "--db", str(target))
    assert refused.returncode == 1 and "Hypothesis" in refused.stderr and "--corpus" in refused.stderr
    assert "not valid JSON" not in refused.stderr and not target.exists()

    result = run("import", str(source), "--db", str(target), "--corpus", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "Imported 2 annotations" in result.stderr
    with AnnotationStore(target) as store:
        kept = {annotation.id: annotation for annotation in store.all()}
    assert kept["Jz0bLh7SEe6"].quote == "ended" and kept["Jz0bLh7SEe6"].start == TEXT.index("ended")
    assert kept["b1"].article_id == "b.md" and kept["b1"].quote == "Delhi"
