"""The feeds screen (F) through key presses, against the loopback server: add a feed, fetch it,
see its articles arrive in the library and in the feed's own list, open one and tag it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.app.screens.article import ArticleScreen
from reader.app.screens.feed_library import FeedLibraryScreen
from reader.app.screens.feeds import FeedsScreen
from reader.app.screens.library import LibraryScreen
from reader.app.widgets.fitted_table import FittedTable
from reader.feeds.ledger import load_ledger
from reader.feeds.subscriptions import load_subscriptions
from tests.app.helpers import wait_until
from tests.app.test_fits_the_terminal import check_footer
from tests.feeds.samples import RSS_TYPE, page, paragraphs_of, rss
from tests.feeds.server import Answer, FeedServer

#: Set READER_SHOTS to a folder to keep a picture of the screen after the fetch.
SHOTS = Path(os.environ["READER_SHOTS"]) if os.environ.get("READER_SHOTS") else None


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()


async def test_a_feed_added_and_fetched_in_the_app_brings_articles_to_tag(make_app, server: FeedServer) -> None:
    links = [server.route(f"/s{n}", Answer(page(f"Loopback story {n}"))) for n in (1, 2)]
    feed = server.route(
        "/rss",
        Answer(
            rss([(f"Loopback story {n}", link, "x") for n, link in zip((1, 2), links, strict=True)]),
            content_type=RSS_TYPE,
        ),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        library = app.screen
        assert isinstance(library, LibraryScreen)
        before = len(app.corpus.articles)
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        assert server.requests == []  # opening the screen fetches nothing
        screen = app.screen
        await pilot.press("a", *feed, "enter")
        await wait_until(pilot, lambda: screen.query_one(FittedTable).row_count == 1)
        await pilot.press("f")
        await wait_until(pilot, lambda: len(app.corpus.articles) == before + 2)
        await wait_until(pilot, lambda: not screen.fetching)
        await pilot.pause()
        check_footer(app, "feeds")
        if SHOTS:
            app.save_screenshot("feeds.svg", str(SHOTS))
        assert "Fetched: 2 new" in str(screen.query_one("#feeds-status").render())
        table = screen.query_one(FittedTable)
        assert [str(cell) for cell in table.get_row_at(0)[:4]] == ["127.0.0.1", "2", "2", "2"]  # articles, unread, new

        await pilot.press("enter")  # the feed's own articles, in a library of their own
        await wait_until(pilot, lambda: isinstance(app.screen, FeedLibraryScreen))
        feed_library = app.screen
        await pilot.pause()
        check_footer(app, "a feed's articles")
        assert sorted(article.title for article in feed_library.shown) == ["Loopback story 1", "Loopback story 2"]
        await pilot.press("g", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        article = app.screen
        assert article.article.title.startswith("Loopback story")
        assert paragraphs_of(article.article.title)[0] in article.article.text
        await pilot.press("s", "t", *"from the feed", "enter")
        await wait_until(pilot, lambda: len(app.store.all()) == 1)
        await pilot.press("escape", "escape")
        await wait_until(pilot, lambda: app.screen is screen)
        await wait_until(pilot, lambda: str(table.get_row_at(0)[2]) == "1")  # one read now
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is library)
        assert len(library.corpus.articles) == before + 2  # and in the whole library too
        [annotation] = app.store.all()
        assert annotation.tags == ["from the feed"] and annotation.article_id.startswith("127-0-0-1/")


async def test_a_failed_feed_is_shown_with_its_reason_and_the_app_goes_on(
    make_app, server: FeedServer, corpus_dir: Path
) -> None:
    subscriptions = load_subscriptions(corpus_dir)
    subscriptions.add(server.url("/missing"), "Missing")
    subscriptions.save()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        screen = app.screen
        await pilot.press("f")
        await wait_until(
            pilot, lambda: not screen.fetching and "Fetched" in str(screen.query_one("#feeds-status").render())
        )
        row = [str(cell) for cell in screen.query_one(FittedTable).get_row_at(0)]
        assert row[0] == "Missing" and row[-1] == "failed: the server answered 404 Not Found"
        assert "1 with failures" in str(screen.query_one("#feeds-status").render())


async def test_the_sample_corpus_takes_no_feeds(store_path: Path, recognizer) -> None:
    from annotations import AnnotationStore
    from reader.app.app import ReaderApp
    from reader.corpus import load_corpus
    from reader.paths import sample_corpus_dir

    before = sorted(path.name for path in sample_corpus_dir().iterdir())
    with AnnotationStore(store_path) as store:
        app = ReaderApp(load_corpus(sample_corpus_dir()), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("F")
            await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen))
            await pilot.press("a", *"http://127.0.0.1:9/feed", "enter", "f")
            await pilot.pause()
            assert [notice.message for notice in app.notices].count(
                "The sample corpus takes no feeds: open reader on a folder of your own."
            ) == 2
    assert sorted(path.name for path in sample_corpus_dir().iterdir()) == before


async def test_leaving_the_screen_mid_fetch_stops_it_quietly(make_app, server: FeedServer, corpus_dir: Path) -> None:
    links = [server.route(f"/slow{n}", Answer(page(f"Slow {n}"), delay=0.3)) for n in range(20)]
    server.route("/rss", Answer(rss([(f"Slow {n}", link, "x") for n, link in enumerate(links)]), content_type=RSS_TYPE))
    subscriptions = load_subscriptions(corpus_dir)
    subscriptions.add(server.url("/rss"), "Slow")
    subscriptions.save()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        library = app.screen
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedsScreen))
        screen = app.screen
        await pilot.press("f")
        await wait_until(pilot, lambda: len(server.requests) >= 2)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is library)
        await wait_until(pilot, lambda: not screen.fetching)
        assert len(server.hits("/rss")) == 1 and len(server.requests) < 21  # stopped before the end
    assert len(load_ledger(corpus_dir).records) == len(list(corpus_dir.rglob("*.md")))  # what was written is kept
