"""Snippets of the rows a list draws (FullTextIndex.snippets): matched words marked, only the ids
asked for, and the same answer whether the last word is a prefix written as the terms it starts
(rows sought by rowid) or one searched as a prefix (read once and filtered instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.corpus.fulltext import FullTextIndex
from tests.corpus.test_fulltext import FILES, write

MARKS = ("<", ">")


@pytest.fixture
def index(tmp_path: Path) -> tuple[FullTextIndex, dict[str, str]]:
    write(tmp_path / "corpus", FILES)
    corpus = load_corpus(tmp_path / "corpus", index_dir=tmp_path / "cache")
    index = FullTextIndex.of(corpus)
    assert index.update(corpus)
    return index, {article.path.name: article.id for article in corpus.articles}


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("minister ", "<minister>"),  # a whole word: rows sought by rowid
        ("mi", "<minister>"),  # a prefix: written as the terms it starts, rows sought by rowid too
        ("minis", "<minister>"),  # the same, narrowed
        ("MÏNIS", "<minister>"),  # a prefix with an accent, searched as a prefix: matches read once and filtered
        ('"prime minister"', "<Prime minister>"),  # a phrase marked as one
    ],
)
def test_snippets_mark_the_matched_words_of_only_the_rows_asked_for(index, query: str, marked: str) -> None:
    fulltext, ids = index
    wanted = [ids["budget.txt"], ids["pakistan.txt"], "no-such-id"]
    found = fulltext.snippets(query, wanted, MARKS, 12)
    assert set(found) == {ids["budget.txt"]}  # pakistan.txt does not match; an unknown id is ignored
    assert marked in found[ids["budget.txt"]]
    assert "deficit" in found[ids["budget.txt"]] or "absent" in found[ids["budget.txt"]]


def test_accents_and_case_are_marked_as_typed_in_the_text(index) -> None:
    fulltext, ids = index
    found = fulltext.snippets("securite", [ids["geneve.txt"], ids["pakistan.txt"]], MARKS, 8)
    assert set(found) == {ids["geneve.txt"]} and "<Sécurité>" in found[ids["geneve.txt"]]


def test_no_word_or_no_ids_asks_nothing(index) -> None:
    fulltext, ids = index
    assert fulltext.snippets("  *- ", list(ids.values()), MARKS) == {}
    assert fulltext.snippets("budget", [], MARKS) == {}
