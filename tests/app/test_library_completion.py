"""The library's tag filter: the completion it shows is what Enter takes (issue 9.24)."""

from __future__ import annotations

from pathlib import Path

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.corpus import load_corpus
from tests.app import test_library_finding as finding
from tests.app.helpers import wait_until
from tests.app.test_library_finding import REF, filter_line, ready, shown

#: The library tests' four-article corpus (a fixture found by name); the store is tests/app/conftest.py's.
corpus = finding.corpus


async def test_enter_takes_the_completion_the_tag_filter_shows(corpus: Path, store: AnnotationStore, recognizer):
    articles = load_corpus(corpus)
    article = articles.get(REF)
    start = article.text.index("pivoting westward")
    store.add(
        Annotation.create(article_id=article.id, article_sha256=article.sha256, text=article.text,
                          start=start, end=start + len("pivoting westward"), tags=["Pivot westward"]),
        article.ref(),
    )  # fmt: skip
    app = ReaderApp(articles, store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("t", *"piv")
        field = app.screen.query_one("#library-input")
        await wait_until(pilot, lambda: "pivot westward" in field.render_line(0).text.casefold())
        await pilot.press("enter")
        assert shown(app) == [REF] and "tag Pivot westward" in filter_line(app)
