"""A long article whose entities are not cached yet (issue 9.2): the part on screen is coloured
first, the legend shows how far recognition got, and closing the article or quitting the app
stops it; the next article's entities do not wait behind it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotations import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus
from reader.nlp import Cancelled, EntityRecognizer
from reader.nlp.cache import EntityCache
from reader.nlp.recognition import RECOGNITION_THREAD
from tests.app.helpers import wait_until
from tests.conftest import REFERENCE

LONG_NAME = "999_long.txt"


class WatchedRecognizer(EntityRecognizer):
    """The session's pipeline with an empty cache, remembering how each recognition ended."""

    def __init__(self, recognizer: EntityRecognizer, folder: Path) -> None:
        super().__init__(recognizer.model, EntityCache(folder))
        self._nlp = recognizer.load()
        self._lock = recognizer._lock
        #: text -> "found" or "cancelled", set when the recognition of that text ended.
        self.ended: dict[str, str] = {}
        self.changed = threading.Condition()

    def entities(self, text: str, **options) -> list:
        try:
            found = super().entities(text, **options)
        except Cancelled:
            self._end(text, "cancelled")
            raise
        self._end(text, "found")
        return found

    def _end(self, text: str, how: str) -> None:
        with self.changed:
            self.ended.setdefault(text, how)
            self.changed.notify_all()

    def wait_for_end(self, text: str, timeout: float = 120.0) -> str | None:
        with self.changed:
            self.changed.wait_for(lambda: text in self.ended, timeout)
            return self.ended.get(text)


def long_corpus(folder: Path, reference_text: str) -> str:
    """The corpus folder with the reference article and a long one (its body 30 times, ~180 KB);
    returns the long article's text."""
    folder.mkdir()
    title, date, *body = reference_text.rstrip("\n").split("\n")
    text = "\n".join([f"{title} (long)", date, *(body * 30)]) + "\n"
    (folder / LONG_NAME).write_text(text, encoding="utf-8")
    (folder / REFERENCE.name).write_text(reference_text, encoding="utf-8")
    return text.rstrip("\n")


def join_recognition_threads() -> None:
    """Wait for the recognitions' own threads to end (they stop at their next step)."""
    for thread in threading.enumerate():
        if thread.name == RECOGNITION_THREAD:
            thread.join(timeout=120)


def article_named(app: ReaderApp, name: str):
    return next(article for article in app.corpus.articles if article.path.name == name)


def legend_text(screen: ArticleScreen) -> str:
    return screen.query_one("#legend").render().plain


@pytest.fixture
def long_reading(tmp_path: Path, recognizer, reference_text: str) -> Iterator[tuple[ReaderApp, WatchedRecognizer, str]]:
    """The app on the long corpus, recognising with an empty cache it watches; and the long article's text."""
    text = long_corpus(tmp_path / "corpus", reference_text)
    watched = WatchedRecognizer(recognizer, tmp_path / "cache")
    with AnnotationStore(tmp_path / "store.json") as store:
        yield ReaderApp(load_corpus(tmp_path / "corpus"), store, watched), watched, text


async def open_named(pilot, app: ReaderApp, name: str, ready: Callable[[ArticleScreen], bool]) -> ArticleScreen:
    """Open the article whose file is ``name`` (as the library does) and wait until ``ready`` holds for it."""
    app.call_later(app.open_article, article_named(app, name))
    await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and ready(app.screen))
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


def some_entities(screen: ArticleScreen) -> bool:
    """The first entities are drawn (recognition may still be going on)."""
    return bool(screen.view.entities)


async def test_the_screen_is_coloured_before_the_rest_is_read_and_quitting_stops_recognition(long_reading):
    app, watched, text = long_reading
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        screen = await open_named(pilot, app, LONG_NAME, some_entities)
        assert not screen.entities_ready  # only the part on screen so far
        shown = legend_text(screen)[: screen.size.width]  # as much as the screen shows
        assert "entities: " in shown and "%" in shown
        assert (
            screen.view.style_at(0).color.name == palette_of(app).entity["GPE"].rich_color.name
        )  # "Pakistan", on screen
        assert max(e.start for e in screen.view.entities) < len(text) // 2
        await pilot.press("q")
    assert not app.is_running
    assert watched.wait_for_end(text) == "cancelled"
    join_recognition_threads()
    assert watched.cached(text) is None  # stopped, not run on to the end


async def test_the_next_article_does_not_wait_for_a_long_one_that_was_left(long_reading):
    app, watched, text = long_reading
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await open_named(pilot, app, LONG_NAME, some_entities)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ArticleScreen))
        screen = await open_named(pilot, app, REFERENCE.name, lambda screen: screen.entities_ready)
        assert screen.article.path.name == REFERENCE.name
        assert screen.entity_status == "" and screen.view.entities
        # The short article's entities came while the long one was unfinished: it was stopped.
        assert watched.cached(text) is None
        assert watched.wait_for_end(text) == "cancelled"
    join_recognition_threads()
    assert watched.cached(text) is None
