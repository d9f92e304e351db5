"""The corpus index and text cache are disposable: damaged, they are set aside with a notice
and rebuilt, and the corpus still opens; the index is JSON, not marshal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.corpus.index import INDEX_NAME
from reader.corpus.texts import TEXTS_NAME, article_texts
from reader.disposable import take_notices
from reader.paths import corpus_index_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for number in range(3):
        (root / f"a{number}.txt").write_text(
            f"Article {number}\n2025-01-0{number + 1}\nBody {number}.", encoding="utf-8"
        )
    take_notices()
    return root


def test_the_index_is_json_in_the_cache_folder(folder: Path) -> None:
    load_corpus(folder)
    index = corpus_index_dir(folder) / INDEX_NAME
    document = json.loads(index.read_text(encoding="ascii"))
    assert document["format"] == "reader-corpus-index" and set(document["files"]) == {"a0.txt", "a1.txt", "a2.txt"}
    assert not list(corpus_index_dir(folder).glob("*.marshal"))


@pytest.mark.parametrize(
    "damage",
    [b"\xff\xfe not utf-8", b"[" * 100_000, b'{"format": "reader-corpus-index", "version": 2, "files": 3}', b"{"],
    ids=["not-utf8", "nested", "wrong-records", "cut-short"],
)
def test_a_damaged_index_is_set_aside_and_rebuilt(folder: Path, damage: bytes) -> None:
    first = load_corpus(folder)
    index = corpus_index_dir(folder) / INDEX_NAME
    document = json.loads(index.read_text(encoding="ascii"))
    if b"files" in damage:  # the right header with nonsense inside
        damage = json.dumps({**document, "files": {"a0.txt": [1, 2, 3]}}).encode()
    index.write_bytes(damage)
    again = load_corpus(folder)
    assert [a.id for a in again.articles] == [a.id for a in first.articles]
    assert (index.parent / (INDEX_NAME + ".damaged")).read_bytes() == damage
    [notice] = take_notices()
    assert str(index) in notice and "set aside" in notice
    assert json.loads(index.read_text(encoding="ascii"))["files"]  # rebuilt


def test_a_text_cache_with_a_byte_that_is_not_utf8_is_set_aside(folder: Path) -> None:
    corpus = load_corpus(folder)
    expected = {a.id: t for a, t in article_texts(corpus)}
    texts = corpus_index_dir(folder) / TEXTS_NAME
    lines = texts.read_bytes().split(b"\n")
    lines[1] = lines[1][:10] + b"\xff\xc0" + lines[1][10:]
    texts.write_bytes(b"\n".join(lines))
    again = load_corpus(folder)
    assert {a.id: t for a, t in article_texts(again)} == expected
    [notice] = take_notices()
    assert str(texts) in notice and (texts.parent / (TEXTS_NAME + ".damaged")).is_file()
    assert len(list(again.text_store)) == 3  # written afresh, whole
