"""Article ids depend on the article's own file only; stores made with older ids are brought over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore, ArticleRef
from annotations.rekey import finish_moves, move_annotations, pending_path
from reader.corpus import load_corpus
from reader.corpus.identity import file_id
from reader.corpus.rekey import settle_ids

HTML = "<html><head><title>Page story</title></head><body><article><p>{}</p></article></body></html>"
BODY = "The harbour of Karachi reopened on Monday after a strike of nine days, officials said in a statement."


def ids(root: Path) -> dict[str, str]:
    """Article id by file name (relative, with /)."""
    corpus = load_corpus(root, use_index=False)
    return {
        article.path.relative_to(root).as_posix() + (f"#{article.locator}" if article.locator else ""): article.id
        for article in corpus.articles
    }


def test_ids_do_not_change_when_a_sibling_comes_goes_or_is_renamed(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Text story\n2025-01-01\nBody.", encoding="utf-8")
    alone = ids(tmp_path)
    assert alone == {"x.txt": "x"}
    (tmp_path / "x.html").write_text(HTML.format(BODY), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text("Other\nBody.", encoding="utf-8")
    together = ids(tmp_path)
    assert together == {"x.txt": "x", "x.html": "x.html", "sub/x.txt": "sub/x"}
    (tmp_path / "x.html").rename(tmp_path / "y.html")
    assert ids(tmp_path) == {"x.txt": "x", "y.html": "y.html", "sub/x.txt": "sub/x"}
    (tmp_path / "y.html").unlink()
    (tmp_path / "x.md").write_text("# Markdown story\n\nBody.", encoding="utf-8")
    assert ids(tmp_path) == {"x.txt": "x", "x.md": "x.md", "sub/x.txt": "sub/x"}


def test_no_two_files_share_an_id() -> None:
    names = ["x.txt", "x.html.txt", "x.html", "x.TXT", "a#1.txt", "sub/x.txt"]
    assert len({file_id(name) for name in names}) == len(names)
    assert file_id("x.txt") == "x" and file_id("x.html.txt") == "x.html.txt" and file_id("x.TXT") == "x.TXT"


def passage(store: AnnotationStore, article_id: str, path: Path, text: str, tag: str) -> Annotation:
    """An annotation on the first word of ``text``, kept as an older version would have."""
    from reader.corpus.article import text_sha256

    annotation = Annotation.create(
        article_id=article_id, article_sha256=text_sha256(text), text=text, start=0, end=4, tags=[tag]
    )
    return store.add(annotation, ArticleRef(article_id, "t", None, str(path), text_sha256(text)))


def test_a_store_with_old_ids_is_brought_over_without_losing_a_passage(tmp_path: Path) -> None:
    """Old ids: x.html was ``x``, x.txt ``x~2``, sub/only.txt ``only``, a JSON Lines record its
    key. x.html is then removed: x.txt must not show its annotations, and keep its own."""
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "x.html").write_text(HTML.format(BODY), encoding="utf-8")
    (root / "x.txt").write_text("Text story\n2025-01-01\nBody.", encoding="utf-8")
    (root / "sub" / "only.txt").write_text("Only story\nBody.", encoding="utf-8")
    (root / "feed.jsonl").write_text(
        json.dumps({"id": "w1", "title": "One", "text": "First"})
        + "\n"
        + json.dumps({"title": "Two", "text": "Second"})
        + "\n",
        encoding="utf-8",
    )
    before = {
        a.path.name + (f"#{a.locator}" if a.locator else ""): a for a in load_corpus(root, use_index=False).articles
    }
    with AnnotationStore(tmp_path / "store.json") as store:
        html_note = passage(store, "x", root / "x.html", before["x.html"].text, "html")
        txt_note = passage(store, "x~2", root / "x.txt", before["x.txt"].text, "txt")
        only_note = passage(store, "only", root / "sub" / "only.txt", before["only.txt"].text, "only")
        keyed = passage(store, "w1", root / "feed.jsonl", before["feed.jsonl#1"].text, "keyed")
        by_line = passage(store, "feed#2", root / "feed.jsonl", before["feed.jsonl#2"].text, "line")
        elsewhere = passage(store, "y", tmp_path / "other" / "y.txt", "Else where", "other")
        (root / "x.html").unlink()
        corpus = load_corpus(root, use_index=False)
        assert settle_ids(corpus, store) == 5
        placed = {a.id: a.article_id for a in store.all()}
        assert placed == {
            html_note.id: "x.html",  # its file is gone: not on x.txt, and back if x.html comes back
            txt_note.id: "x",
            only_note.id: "sub/only",
            keyed.id: "feed.jsonl#w1",
            by_line.id: "feed.jsonl#2",
            elsewhere.id: "y",  # another corpus's article is left alone
        }
        assert {a.id for a in store.for_article("x")} == {txt_note.id} and corpus.get("x").path.name == "x.txt"
        assert store.get(txt_note.id).tags == ["txt"] and store.get(txt_note.id).quote == txt_note.quote
        assert settle_ids(load_corpus(root, use_index=False), store) == 0  # settled once for all
        assert not pending_path(store).exists()


def test_a_move_cut_short_is_finished_next_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with AnnotationStore(tmp_path / "store.json") as store:
        notes = [passage(store, "old", tmp_path / "a.txt", f"Text number {n}", f"t{n}") for n in range(3)]
        target = ArticleRef("new", "t", None, str(tmp_path / "a.txt"), notes[0].article_sha256)
        real_add = store.add
        calls = 0

        def failing_add(annotation: Annotation, article: ArticleRef | None = None) -> Annotation:
            nonlocal calls
            calls += 1
            if calls == 2:
                raise OSError("disk full")
            return real_add(annotation, article)

        monkeypatch.setattr(store, "add", failing_add)
        with pytest.raises(OSError):
            move_annotations(store, [(notes, target)])
        monkeypatch.setattr(store, "add", real_add)
        assert pending_path(store).exists()
        assert finish_moves(store) == 2
        assert sorted(a.id for a in store.for_article("new")) == sorted(n.id for n in notes)
        assert store.for_article("old") == [] and not pending_path(store).exists()


def test_a_recorded_path_that_may_be_read_wrongly_moves_nothing(tmp_path: Path) -> None:
    """A ref recorded with a path relative to another working folder can resolve to a file that
    is not there; annotations made on the text of the article that has their id stay on it."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "x.txt").write_text("Text story\nBody.", encoding="utf-8")
    (root / "y.txt").write_text("Why story\nBody.", encoding="utf-8")
    corpus = load_corpus(root, use_index=False)
    with AnnotationStore(tmp_path / "store.json") as store:
        same_name = passage(store, "x", root / "old" / "x.txt", corpus.get("x").text, "a")
        same_text = passage(store, "y", root / "old" / "renamed.txt", corpus.get("y").text, "b")
        assert settle_ids(corpus, store) == 0
        assert store.get(same_name.id).article_id == "x" and store.get(same_text.id).article_id == "y"
