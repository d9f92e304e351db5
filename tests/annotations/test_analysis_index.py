"""The analysis from the store's index (no passage read) against the analysis of every passage
read, on a real store, through adding, re-tagging, a code rename, undo and redo, deletion, and a
second store following the same files."""

from __future__ import annotations

from pathlib import Path

from annotations import AnnotationStore
from annotations.analysis import GROUPINGS, ArticleInfo, code_matrix, coded_entries, coded_passages
from annotations.analysis_index import index_matrix
from annotations.codebook_editing import CodebookEditor
from annotations.history import CORPUS, History
from annotations.model import Annotation

TEXT = "Ministers met on Tuesday to discuss the budget. The opposition walked out before the vote."
ARTICLES = {
    "budget": ArticleInfo("budget", "Budget talks", "2025-07-02", "Dawn"),
    "vote": ArticleInfo("vote", "The vote", "2025-09-14", "Tribune"),
    "walkout": ArticleInfo("walkout", "Walkout", None, None),
}


def passage(article_id: str, start: int, end: int, tags: list[str]) -> Annotation:
    return Annotation.create(
        article_id=article_id, article_sha256="ab" * 32, text=TEXT, start=start, end=end, tags=tags
    )


def assert_index_agrees(store: AnnotationStore, seen: set[int] | None = None) -> None:
    """Every table the index gives equals the one from every passage read; the generation is
    steady while nothing changes and, given the ``seen`` ones, new after every change."""
    generation = store.generation()
    if seen is not None:
        assert generation not in seen
        seen.add(generation)
    full = coded_passages(store.all())
    indexed = coded_entries(store.tagged())
    assert indexed.passages == {} and full.read and (not full.by_code or not indexed.read)
    assert indexed.by_code == full.by_code and indexed.spelling == full.spelling
    assert indexed.codes_by_passage == full.codes_by_passage and indexed.by_article == full.by_article
    for by in GROUPINGS:
        read = code_matrix(full, ARTICLES, by)
        counted = index_matrix(*store.tag_articles(), dict(store.tagged()), ARTICLES, by)
        assert (counted.codes, counted.spelling, counted.columns, counted.labels) == (
            read.codes,
            read.spelling,
            read.columns,
            read.labels,
        )
        assert {code: counted.counts(code) for code in read.codes} == {code: read.counts(code) for code in read.codes}
        assert counted.column_totals() == read.column_totals() and not counted.has_ids and read.has_ids
        assert [counted.total(code) for code in read.codes] == [read.total(code) for code in read.codes]
        # The ids behind each number, found in the index's entries when asked, as many as asked.
        for code in read.codes:
            assert list(counted.row(code)) == list(read.row(code)) and len(counted.row(code)) == read.total(code)
            assert counted.row(code)[:1] == read.row(code)[:1]
            for column in read.columns:
                assert list(counted.passages(code, column)) == list(read.passages(code, column))
    assert store.generation() == generation


def test_the_index_counts_as_the_passages_do_through_every_change(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    store = AnnotationStore(path)
    history = History(store)
    editor = CodebookEditor(history)
    seen: set[int] = set()
    first = store.add(passage("budget", 0, 9, ["framing/pivot", "Absent parties"]))
    # Two spellings of one code on one passage (different tags, one code): counted once.
    store.add(passage("budget", 10, 20, ["framing / pivot", "framing/pivot ", "actors"]))
    store.add(passage("vote", 0, 9, ["absent  PARTIES"]))
    store.add(passage("vote", 30, 40, ["framing"]))
    store.add(passage("walkout", 5, 15, []))  # no code: left out
    store.add(passage("walkout", 20, 30, ["Framing / Pivot"]))
    assert_index_agrees(store, seen)
    assert code_matrix(coded_passages(store.all()), ARTICLES).counts("framing/pivot") == [2, 0, 1]

    history.update(first.article_id, "tags", first, first.retagged(["actors"]))
    assert_index_agrees(store, seen)
    editor.rename("framing", "frames")
    assert "frames/pivot" in coded_entries(store.tagged()).by_code
    assert_index_agrees(store, seen)
    history.undo(CORPUS)
    assert "framing/pivot" in coded_entries(store.tagged()).by_code
    assert_index_agrees(store, seen)
    history.undo(first.article_id)
    assert_index_agrees(store, seen)
    history.redo(CORPUS)
    assert_index_agrees(store, seen)
    store.delete(first.id)
    assert_index_agrees(store, seen)

    other = AnnotationStore(path, read_only=True)  # a second store, following the journal
    assert_index_agrees(other)
    before = other.generation()
    store.add(passage("vote", 50, 60, ["actors/state"]))
    assert other.generation() != before
    assert_index_agrees(other)


def test_passages_are_read_by_id_in_the_order_asked(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "annotations.json")
    one = store.add(passage("budget", 0, 9, ["a"]))
    two = store.add(passage("vote", 0, 9, ["b"]))
    three = store.add(passage("budget", 10, 20, ["a"]))
    assert store.get_many([three.id, "no such id", two.id, one.id]) == [three, two, one]
    assert store.get_many([]) == []
