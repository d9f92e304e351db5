"""The app brings annotations kept under an older version's article ids over to today's ids."""

from __future__ import annotations

from pathlib import Path

from annotations import Annotation, AnnotationStore, ArticleRef
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until


async def test_annotations_under_an_old_id_show_on_their_article(make_app, corpus_dir: Path, store_path: Path) -> None:
    (corpus_dir / "sub").mkdir()
    only = corpus_dir / "sub" / "only.txt"
    only.write_text("Only story\n2024-05-05\nA body to tag.\n", encoding="utf-8")
    article = next(a for a in load_corpus(corpus_dir, use_index=False).articles if a.path == only)
    with AnnotationStore(store_path) as store:  # as an older version kept it: the stem was the id
        kept = store.add(
            Annotation.create(
                article_id="only", article_sha256=article.sha256, text=article.text, start=0, end=4, tags=["t"]
            ),
            ArticleRef("only", article.title, article.date, str(only), article.sha256),
        )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.facts_ready)
        assert screen.facts.counts.get("sub/only") == 1 and "only" not in screen.facts.counts
        assert app.store.get(kept.id).article_id == "sub/only"
        assert any("new id" in str(n.message) for n in app.notices)
