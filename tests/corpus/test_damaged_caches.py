"""The corpus catalog and text cache are disposable: damaged, they are set aside with a notice
and rebuilt, and the corpus still opens; the JSON index of earlier versions is removed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.corpus.catalog import CATALOG_NAME
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


def test_the_catalog_is_sqlite_in_the_cache_folder_and_the_old_json_index_goes(folder: Path) -> None:
    old = corpus_index_dir(folder) / "index.json"
    old.parent.mkdir(parents=True)
    old.write_text('{"format": "reader-corpus-index"}', encoding="ascii")
    load_corpus(folder)
    with sqlite3.connect(corpus_index_dir(folder) / CATALOG_NAME) as db:
        assert dict(db.execute("SELECT key, value FROM meta"))["format"] == "reader-corpus-catalog"
        assert {name for (name,) in db.execute("SELECT name FROM files")} == {"a0.txt", "a1.txt", "a2.txt"}
    assert not old.exists()


def _cut_short(whole: bytes) -> bytes:
    return whole[: len(whole) // 3]


def _bad_page(whole: bytes) -> bytes:
    return whole[:100] + b"\xff" * 4000 + whole[4100:]


@pytest.mark.parametrize(
    "damage",
    [lambda whole: b"\xff\xfe not a database", _cut_short, _bad_page, lambda whole: b""],
    ids=["not-sqlite", "cut-short", "bad-pages", "empty"],
)
def test_a_damaged_catalog_is_set_aside_and_rebuilt(folder: Path, damage) -> None:
    first = [a.id for a in load_corpus(folder).articles]
    catalog = corpus_index_dir(folder) / CATALOG_NAME
    whole = catalog.read_bytes()
    damaged = damage(whole)
    catalog.write_bytes(damaged)
    for suffix in ("-wal", "-shm"):
        Path(f"{catalog}{suffix}").unlink(missing_ok=True)
    again = load_corpus(folder)
    assert [a.id for a in again.articles] == first
    notices = take_notices()
    if damaged:  # an empty file is a new database to SQLite: nothing to set aside
        assert (catalog.parent / (CATALOG_NAME + ".damaged")).read_bytes() == damaged
        [notice] = notices
        assert str(catalog) in notice and "set aside" in notice
    with sqlite3.connect(catalog) as db:  # rebuilt
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


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
