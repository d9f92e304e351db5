"""Encodings and unreadable files: what loads, and what is listed as a problem with its reason."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.corpus.decoding import Unreadable, decode
from tests.conftest import REFERENCE

BODY = "Caf\u00e9 owners in Z\u00fcrich say na\u00efve rules hurt trade"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ((BODY + "\n2025-01-01\nText.").encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + (BODY + "\n2025-01-01\nText.").encode("utf-8"), "utf-8-sig"),
        ((BODY + "\r\n2025-01-01\r\nText.\r\n").encode("utf-8"), "utf-8"),
        ((BODY + "\r2025-01-01\rText.").encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + (BODY + "\n2025-01-01\nText.").encode("utf-16-le"), "utf-16"),
        ((BODY + "\n2025-01-01\nText.").encode("latin-1"), "cp1252"),
        ((BODY + " \u2014 \u201cquoted\u201d\n2025-01-01\nText.").encode("cp1252"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "crlf", "cr", "utf16-bom", "latin1", "cp1252"],
)
def test_each_encoding_decodes_to_the_same_text(raw: bytes, encoding: str):
    decoded = decode(raw)
    assert decoded.encoding == encoding
    assert decoded.text.split("\n")[0].startswith(BODY)
    assert "\r" not in decoded.text and "\ufeff" not in decoded.text


def test_cyrillic_legacy_file_is_detected():
    text = "\u041f\u0440\u0430\u0432\u0438\u0442\u0435\u043b\u044c\u0441\u0442\u0432\u043e \u043e\u0431\u044a\u044f\u0432\u0438\u043b\u043e \u043e \u043d\u043e\u0432\u043e\u043c \u0431\u044e\u0434\u0436\u0435\u0442\u0435 \u043d\u0430 \u0441\u043b\u0435\u0434\u0443\u044e\u0449\u0438\u0439 \u0433\u043e\u0434"
    assert decode(text.encode("cp1251")).text == text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b" \n\t\r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 40, "binary"),
    ],
)
def test_files_that_are_not_text_are_refused_with_a_reason(raw: bytes, reason: str):
    with pytest.raises(Unreadable, match=reason):
        decode(raw)


def test_a_previous_encoding_is_tried_first():
    raw = "na\u00efve".encode("cp1252")
    assert decode(raw, "cp1252").text == "na\u00efve"
    assert decode("na\u00efve".encode(), "cp1252").text == "na\u00efve"  # UTF-8 wins when it is UTF-8...
    assert decode(raw, "no-such-codec").text == "na\u00efve"  # ...and a bad hint is ignored


def test_folder_with_empty_binary_and_latin1_files_among_good_ones(tmp_path: Path):
    """Done-when of issue 6: the problems are listed, the rest opens."""
    (tmp_path / REFERENCE.name).write_bytes(REFERENCE.read_bytes())
    (tmp_path / "good.md").write_text("# Good markdown\n\nBody.\n", encoding="utf-8")
    (tmp_path / "crlf_bom.txt").write_bytes(codecs.BOM_UTF8 + b"Windows story\r\n2024-02-02\r\nBody.\r\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tmp_path / "latin1.txt").write_bytes(
        "Caf\u00e9 culture\n2025-01-01\nCr\u00e8me br\u00fbl\u00e9e.".encode("latin-1")
    )
    corpus = load_corpus(tmp_path)
    titles = {a.id: a.title for a in corpus.articles}
    assert set(titles) == {"000_ff5b33da8fd122af", "good.md", "crlf_bom", "latin1"}
    assert titles["latin1"] == "Caf\u00e9 culture" and corpus.get("latin1").text.endswith(
        "Cr\u00e8me br\u00fbl\u00e9e."
    )
    assert corpus.get("crlf_bom").text == "Windows story\n2024-02-02\nBody."
    reasons = {p.path.name: p.reason for p in corpus.problems}
    assert reasons == {"empty.txt": "the file is empty", "image.json": "the file is binary, not text"}
    for article in corpus.articles:  # every listed article opens
        assert article.text.split("\n")[0] == article.title
