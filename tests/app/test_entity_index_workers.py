"""The entity index (I) lists a corpus's entities from the model's totals before its articles are
put in the overview, counted as the former way counts (every article's entities into an
EntityIndex); moving the cursor never waits for an entity's articles (asked in a worker), and an
answer for an entity the cursor has left is not shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from reader.app.app import ReaderApp
from reader.app.screens.entity_index import SHOWN_AT_MOST, EntityIndexScreen
from reader.corpus import load_corpus
from reader.corpus.article import Article
from reader.nlp.cache import EntityCache
from reader.nlp.entity_index import EntityIndex, EntityKey
from reader.nlp.entity_overview import EntityOverview, MentioningArticle
from tests.app.helpers import entity_articles_shown, gold_corpus, open_screen, wait_until


async def test_the_list_shows_before_the_articles_are_in_and_the_cursor_never_waits(
    tmp_path, store, recognizer, monkeypatch
):
    folder = gold_corpus(tmp_path / "corpus")  # a text twice: the articles of its entities are not its texts
    monkeypatch.setattr(recognizer, "cache", EntityCache(tmp_path / "entities"))  # its totals: this corpus's
    former = EntityIndex()
    for article in load_corpus(folder).articles:  # every article recognised, so summarised
        former.add(article.id, article.text, recognizer.entities(article.text))
    filling, held_key = threading.Event(), threading.Event()
    fill, ask = EntityOverview.add_articles, EntityOverview.articles
    held: list[EntityKey] = []

    def add_articles(
        overview: EntityOverview, articles: Iterable[Article], should_stop: Callable[[], bool] | None = None
    ) -> int:
        filling.wait(30)  # the articles go in only when the test says so
        return fill(overview, articles, should_stop)

    def articles(overview: EntityOverview, key: EntityKey, limit: int | None = None) -> list[MentioningArticle]:
        if held and key == held[0]:
            held_key.wait(30)  # this entity's answer comes late
        return ask(overview, key, limit)

    monkeypatch.setattr(EntityOverview, "add_articles", add_articles)
    monkeypatch.setattr(EntityOverview, "articles", articles)
    app = ReaderApp(load_corpus(folder), store, recognizer)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await open_screen(pilot, app, "I", EntityIndexScreen)
            await wait_until(pilot, lambda: bool(screen.entities))
            overview = screen.overview
            assert overview is not None and not overview.filled.is_set()  # listed with no article put in
            by_screen = {(e.key, e.name): (e.articles, e.total) for e in screen.entities}
            assert by_screen == {(e.key, e.name): (e.articles, e.total) for e in former.entities.values()}
            first = screen.current
            assert first is not None and screen.articles_for is None
            await pilot.press("down")  # while the first entity's articles wait for the overview
            second = screen.current
            assert second is not None and second.key != first.key and screen.articles_for is None
            assert second.name in str(screen.query_one("#index-chart-title").render())
            filling.set()
            await entity_articles_shown(pilot, screen)
            assert screen.articles_for == second.key
            expected = set(former.entities[second.key].mentions)
            assert {row.id for row in screen.articles_shown} == expected
            held.append(second.key)
            await pilot.press("up", "down")  # the second entity's articles are asked again, and held
            await pilot.press("up")
            await entity_articles_shown(pilot, screen)
            assert screen.articles_for == first.key
            held_key.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.articles_for == first.key  # the late answer for the entity left is dropped
            table = screen.query_one("#index-articles")
            assert (
                table.row_count
                == len(screen.articles_shown)
                == min(len(former.entities[first.key].mentions), SHOWN_AT_MOST)
            )
    finally:
        filling.set()
        held_key.set()
