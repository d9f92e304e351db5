"""The corpus index: a warm start reads no article file; changes, new and removed files are seen."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from reader.corpus import ArticleUnavailable, load_corpus
from reader.corpus import loader as loader_module
from reader.corpus.catalog import CATALOG_NAME
from reader.corpus.texts import TEXTS_NAME, article_texts
from reader.paths import corpus_index_dir

OLD = 1_600_000_000_000_000_000  # 2020-09: well before any scan, so never "too recent to trust"


def write(folder: Path, name: str, text: str, *, mtime_ns: int = OLD) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every article file that loading reads (parses), in order."""
    seen: list[Path] = []
    real = loader_module.read_file

    def counting(path: Path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(loader_module, "read_file", counting)
    return seen


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for number in range(5):
        write(root, f"y{number % 2}/a{number}.txt", f"Article {number}\n2025-01-0{number + 1}\nBody {number}.")
    write(root, "feed.jsonl", '{"title": "Feed one", "text": "x"}\n{"title": "Feed two", "text": "y"}\n')
    return root


def test_warm_start_reads_no_file_and_lists_the_same(folder: Path, reads: list[Path]):
    cold = load_corpus(folder)
    assert len(reads) == 6 and (corpus_index_dir(folder) / CATALOG_NAME).is_file()
    reads.clear()
    warm = load_corpus(folder)
    assert reads == []
    assert [(a.id, a.title, a.date, a.sha256, a.locator) for a in warm.articles] == [
        (a.id, a.title, a.date, a.sha256, a.locator) for a in cold.articles
    ]
    assert not any(article.is_loaded for article in warm.articles)
    # The text is read when it is asked for, and is the text that was indexed.
    for before, after in zip(cold.articles, warm.articles, strict=True):
        assert after.text == before.text and after.sha256 == before.sha256


def test_changed_new_and_removed_files_are_noticed(folder: Path, reads: list[Path]):
    load_corpus(folder)
    reads.clear()
    write(folder, "y0/a0.txt", "Article zero, longer now\n2025-01-01\nBody.")  # size changes
    write(folder, "y1/a1.txt", "Article 1\n2025-01-02\nBodx 1.", mtime_ns=OLD + 10**9)  # same size, new mtime
    write(folder, "new.md", "# A new one\n\nText.")
    (folder / "y0" / "a2.txt").unlink()
    corpus = load_corpus(folder)
    assert sorted(path.name for path in reads) == ["a0.txt", "a1.txt", "new.md"]
    titles = {a.id: a.title for a in corpus.articles}
    assert titles["y0/a0"] == "Article zero, longer now" and "y0/a2" not in titles and titles["new.md"] == "A new one"
    assert corpus.get("y1/a1").text.endswith("Bodx 1.")


def test_a_file_changed_too_soon_after_the_scan_is_read_again(tmp_path: Path, reads: list[Path]):
    path = tmp_path / "fresh.txt"
    path.write_text("Fresh\n2025-01-01\nOne.", encoding="utf-8")
    load_corpus(tmp_path)
    stamp = path.stat().st_mtime_ns
    path.write_text("Fresh\n2025-01-01\nTwo.", encoding="utf-8")  # same size...
    os.utime(path, ns=(stamp, stamp))  # ...and the same mtime, as a coarse clock would give
    reads.clear()
    assert load_corpus(tmp_path).articles[0].text.endswith("Two.")
    assert [p.name for p in reads] == ["fresh.txt"]


def test_problems_are_remembered_until_the_file_changes(tmp_path: Path, reads: list[Path]):
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "ok.txt", "Ok\nbody")
    load_corpus(tmp_path)
    reads.clear()
    corpus = load_corpus(tmp_path)
    assert reads == [] and [p.reason for p in corpus.problems] == ["the file is empty"]
    write(tmp_path, "empty.txt", "Not empty any more\nbody")
    corpus = load_corpus(tmp_path)
    assert corpus.problems == [] and len(corpus.articles) == 2


def test_a_damaged_index_is_rebuilt(folder: Path, reads: list[Path]):
    load_corpus(folder)
    gc.collect()  # the corpus gone, as between two runs: its catalog closed, the log merged in
    catalog = corpus_index_dir(folder) / CATALOG_NAME
    assert not Path(f"{catalog}-wal").exists()
    catalog.write_bytes(b"\x00garbage")
    reads.clear()
    assert len(load_corpus(folder).articles) == 7 and len(reads) == 6
    reads.clear()
    load_corpus(folder)
    assert reads == []


def test_an_index_that_cannot_be_written_costs_only_speed(folder: Path, tmp_path: Path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the index folder should be")
    assert len(load_corpus(folder, index_dir=blocked).articles) == 7


def test_each_corpus_has_its_own_index(tmp_path: Path):
    write(tmp_path / "one", "a.txt", "One\nx")
    write(tmp_path / "two", "a.txt", "Two\nx")
    assert load_corpus(tmp_path / "one").articles[0].title == "One"
    assert load_corpus(tmp_path / "two").articles[0].title == "Two"
    assert corpus_index_dir(tmp_path / "one") != corpus_index_dir(tmp_path / "two")


def test_hidden_files_and_folders_are_not_articles(tmp_path: Path):
    write(tmp_path, ".git/notes.txt", "Hidden\nx")
    write(tmp_path, ".draft.txt", "Hidden\nx")
    write(tmp_path, "shown.txt", "Shown\nx")
    assert [a.title for a in load_corpus(tmp_path).articles] == ["Shown"]


def test_an_article_whose_file_went_away_says_so_when_opened(folder: Path):
    load_corpus(folder)
    corpus = load_corpus(folder)
    article = corpus.get("y1/a3")
    (folder / "y1" / "a3.txt").unlink()
    with pytest.raises(ArticleUnavailable, match=r"a3\.txt cannot be read any more .*Press r"):
        article.text  # noqa: B018


def test_texts_come_from_the_text_store_once_it_is_written(folder: Path, monkeypatch: pytest.MonkeyPatch):
    cold = load_corpus(folder)
    first = {article.id: text for article, text in article_texts(cold)}
    assert first == {article.id: article.text for article in load_corpus(folder, use_index=False).articles}
    assert (corpus_index_dir(folder) / TEXTS_NAME).is_file()

    import reader.corpus.formats as formats

    def no_parsing(*_: object) -> None:
        raise AssertionError("a text was parsed from its file")

    monkeypatch.setattr(formats, "read_entry", no_parsing)
    warm = load_corpus(folder)
    progress: list[tuple[int, int]] = []
    assert {a.id: t for a, t in article_texts(warm, progress=lambda d, t: progress.append((d, t)))} == first
    assert progress[-1] == (7, 7)


def test_the_text_store_drops_texts_of_changed_articles(folder: Path):
    corpus = load_corpus(folder)
    list(article_texts(corpus))
    write(folder, "y0/a0.txt", "Article 0 rewritten\n2025-01-01\nNew body.")
    corpus = load_corpus(folder)
    texts = {article.id: text for article, text in article_texts(corpus)}
    assert texts["y0/a0"] == "Article 0 rewritten\n2025-01-01\nNew body."
    store = corpus.text_store
    assert store is not None and len(list(store)) == 7  # the old text of a0 is gone
