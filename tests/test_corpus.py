from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reader.corpus import CorpusError, load_corpus
from reader.corpus.loader import parse_date
from reader.paths import sample_corpus_dir


def test_reference_article_fields(corpus_dir: Path, reference_text: str):
    corpus = load_corpus(corpus_dir)
    [article] = corpus.articles
    assert article.id == "000_ff5b33da8fd122af"
    assert article.title == "Pakistan pitches itself as key player in regional peace dynamics"
    assert article.date == "2025-07-27"
    assert article.text == reference_text.rstrip("\n")
    assert article.sha256 == hashlib.sha256(article.text.encode()).hexdigest()
    assert article.ref().sha256 == article.sha256 and article.ref().path == str(article.path)


def test_sample_corpus_ships_the_reference_article(reference_text: str):
    ids = [article.id for article in load_corpus(sample_corpus_dir()).articles]
    assert "000_ff5b33da8fd122af" in ids


def test_recursive_newest_first_and_crlf_bom(tmp_path: Path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "old.txt").write_text("Old one\n2020-01-01\nText.", encoding="utf-8")
    (tmp_path / "a" / "b" / "new.txt").write_bytes("\ufeffNew one\r\n2024-05-06\r\nBody.\r\n".encode())
    corpus = load_corpus(tmp_path)
    assert [a.title for a in corpus.articles] == ["New one", "Old one"]
    assert corpus.articles[0].text == "New one\n2024-05-06\nBody."


def test_unreadable_files_are_problems_and_the_rest_loads(corpus_dir: Path):
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (corpus_dir / "latin1.txt").write_bytes("Caf\xe9 story\n2025-01-01\nText".encode("latin-1"))
    (corpus_dir / "notes.docx").write_bytes(b"PK\x03\x04 not an article suffix")
    corpus = load_corpus(corpus_dir)
    assert sorted(a.id for a in corpus.articles) == ["000_ff5b33da8fd122af", "latin1"]
    assert corpus.get("latin1").title == "Caf\u00e9 story" and corpus.get("latin1").text.startswith("Caf\u00e9")
    reasons = {p.path.name: p.reason for p in corpus.problems}
    assert set(reasons) == {"empty.txt", "binary.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]


def test_missing_folder_and_file_instead_of_folder(tmp_path: Path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(CorpusError, match="is a file"):
        load_corpus(tmp_path / "f.txt")


def test_duplicate_stems_get_distinct_ids(tmp_path: Path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"Title {folder}\n2025-01-01\nBody")
    ids = sorted(a.id for a in load_corpus(tmp_path).articles)
    assert ids == ["x/same", "y/same"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [("2025-07-27", "2025-07-27"), (" 2025-07-27T10:00:00Z ", "2025-07-27"), ("July 27", None), ("", None)],
)
def test_parse_date(line: str, expected: str | None):
    assert parse_date(line) == expected
