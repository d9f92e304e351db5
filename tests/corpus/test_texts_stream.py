"""Texts of a whole corpus, streamed: the text store is matched with the catalog a batch of lines
at a time and the files to read are fetched a page at a time, so memory stays the same for any
corpus; these check that what comes out is what a whole-corpus pass gave (every article once,
with its text), across batch and page boundaries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.corpus import catalog_update, load_corpus
from reader.corpus import loader as loader_module
from reader.corpus import texts as texts_module
from reader.corpus.texts import article_texts

OLD = 1_600_000_000_000_000_000  # 2020-09: well before any scan, so never "too recent to trust"
SAME = "Same wire story\n2025-02-02\nThe same text in two files."


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Nine articles; ``a_same`` and ``d_same`` have one text (one hash), ``c`` has two records."""
    root = tmp_path / "corpus"
    write(root, "a_same.txt", SAME)
    write(root, "b.txt", "Bee\n2025-01-02\nBody b.")
    write(root, "c.jsonl", '{"title": "Feed one", "text": "x"}\n{"title": "Feed two", "text": "y"}\n')
    write(root, "d_same.txt", SAME)
    for number in range(4):
        write(root, f"y{number % 2}/e{number}.txt", f"Article {number}\n2025-01-0{number + 1}\nBody {number}.")
    return root


def expected(folder: Path) -> list[tuple[str, str]]:
    return sorted((a.id, a.read_text()) for a in load_corpus(folder, use_index=False).articles)


def test_store_lines_matched_a_few_at_a_time_give_every_article_once(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(texts_module, "LINES", 2)  # the two lines of SAME fall in different batches
    corpus = load_corpus(folder)
    store = corpus.text_store
    assert store is not None and [sha for sha, _ in store].count(corpus.get("a_same").sha256) == 2
    progress: list[tuple[int, int]] = []
    given = sorted((a.id, t) for a, t in article_texts(corpus, progress=lambda d, t: progress.append((d, t))))
    assert given == expected(folder) and len(given) == 9
    assert progress[-1] == (9, 9)
    hashes = [sha for sha, _ in store]
    assert len(hashes) == len(set(hashes)) == 8  # the line met twice was stale: the store was rewritten

    import reader.corpus.formats as formats

    def no_parsing(*_: object) -> None:
        raise AssertionError("a text was parsed from its file")

    monkeypatch.setattr(formats, "read_entry", no_parsing)
    assert sorted((a.id, t) for a, t in article_texts(load_corpus(folder))) == given


def test_articles_missing_from_the_store_are_read_from_their_files_and_added(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(texts_module, "LINES", 3)
    corpus = load_corpus(folder)
    store = corpus.text_store
    assert store is not None
    lines = store.path.read_text(encoding="utf-8").splitlines(keepends=True)
    store.path.write_text("".join(lines[1:4]), encoding="utf-8")  # a_same's text (both articles) among those lost
    order = [a.id for a, _ in article_texts(load_corpus(folder))]
    assert sorted(order) == [article_id for article_id, _ in expected(folder)]
    assert order.index("a_same") + 1 == order.index("d_same")  # one text: its articles one after the other
    assert len(list(store)) == 8


def test_a_narrowed_corpus_gives_the_texts_of_its_own_articles(folder: Path) -> None:
    part = load_corpus(folder).narrowed("y1/")
    assert sorted((a.id, t) for a, t in article_texts(part)) == [
        (article_id, text) for article_id, text in expected(folder) if article_id.startswith("y1/")
    ]


def test_files_to_read_are_fetched_a_page_at_a_time(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_update, "READ_PAGE", 2)
    monkeypatch.setattr(loader_module, "BATCH", 3)  # records written between pages
    reads: list[str] = []
    real = loader_module.read_file

    def counting(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path.relative_to(folder).as_posix())
        return real(path)

    monkeypatch.setattr(loader_module, "read_file", counting)
    cold = load_corpus(folder)
    assert sorted(reads) == sorted(set(reads)) and len(reads) == 8
    assert sorted((a.id, a.read_text()) for a in cold.articles) == expected(folder)
    reads.clear()
    write(folder, "b.txt", "Bee again\n2025-01-02\nBody b, longer now.")
    write(folder, "y1/e3.txt", "Article three\n2025-01-04\nBody 3, changed.")
    write(folder, "z.txt", "Zed\n2025-03-01\nNew.")
    fresh = cold.refreshed()
    assert sorted(reads) == ["b.txt", "y1/e3.txt", "z.txt"]
    assert (fresh.changes.added, fresh.changes.changed, fresh.changes.removed) == (1, 2, 0)
    assert sorted((a.id, a.read_text()) for a in fresh.articles) == expected(folder)


def test_a_store_gone_missing_is_written_whole_again_from_the_files(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(texts_module, "LINES", 2)
    corpus = load_corpus(folder)
    store = corpus.text_store
    assert store is not None
    before = sorted(path.name for path in store.path.parent.iterdir())
    store.path.unlink()
    again = load_corpus(folder)
    assert sorted((a.id, t) for a, t in article_texts(again)) == expected(folder)
    texts = list(store)  # the texts read from their files, each once, waited in a temporary file
    assert sorted(sha for sha, _ in texts) == sorted({a.sha256 for a in again.articles}) and len(texts) == 8
    assert sorted(path.name for path in store.path.parent.iterdir()) == before  # that file is gone
    assert sorted((a.id, t) for a, t in article_texts(load_corpus(folder))) == expected(folder)
