"""The library's search through the on-disk full-text index (Pilot): best match first, no texts
kept in memory, and a refreshed corpus found by its new words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.app.app import ReaderApp
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus
from reader.corpus.fulltext import FULLTEXT_NAME, FullTextIndex
from tests.app.helpers import wait_until
from tests.helpers import write_corpus

FILES = {
    # newest first by date, but "budget" is in the older one's title: it ranks first
    "weather.txt": "Weather report\n2025-05-01\nRain again; a budget of sunshine, budget, and budget.",
    "budget.txt": "Budget passes\n2024-12-31\nThe finance minister said the deficit would fall.",
    "harbour.txt": "Harbour strike ends\n2024-06-07\nDock workers in Karachi went back to work.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", FILES)


def shown(screen: LibraryScreen) -> list[str]:
    return [article.id for article in screen.shown]


async def test_the_library_searches_the_index_best_first_and_keeps_no_texts(corpus: Path, store, recognizer):
    loaded = load_corpus(corpus)
    store_file = loaded.text_store
    assert store_file is not None and len(list(store_file)) == len(FILES)  # read while listing: straight to disk
    assert loaded.fresh_texts  # and kept for the index (a small corpus), until it is built
    app = ReaderApp(loaded, store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready)
        assert isinstance(screen.finder.search, FullTextIndex) and len(screen.finder.search) == len(FILES)
        assert loaded.index_dir is not None and (loaded.index_dir / FULLTEXT_NAME).is_file()
        assert loaded.fresh_texts == {}  # the texts went to the text store and the index, not memory
        assert shown(screen) == ["weather", "budget", "harbour"]
        await pilot.press("slash", *"budget")
        assert shown(screen) == ["budget", "weather"]
        assert "best match first" in str(screen.query_one("#library-filters").render())
        await pilot.press("enter", "s")  # by title, as asked: no longer ranked
        assert shown(screen) == ["budget", "weather"]
        assert "by title" in str(screen.query_one("#library-filters").render())
        await pilot.press("slash", *"karach")
        assert shown(screen) == ["harbour"]  # in the text only
        await pilot.press("space", *"budget")
        assert shown(screen) == []  # every word must occur


async def test_a_changed_file_is_found_by_its_new_words_after_a_refresh(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready)
        path = corpus / "harbour.txt"
        path.write_text("Harbour strike ends\n2024-06-07\nA zeppelin hovered over the docks.", encoding="utf-8")
        later = path.stat().st_mtime_ns + 5_000_000_000
        os.utime(path, ns=(later, later))
        (corpus / "budget.txt").unlink()
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.corpus.get("budget") is None and screen.search_ready)
        await pilot.press("slash", *"zeppelin")
        assert shown(screen) == ["harbour"]
        await pilot.press(*["backspace"] * 8, *"karachi")
        assert shown(screen) == []  # the old text is gone from the index
        await pilot.press(*["backspace"] * 7, *"deficit")
        assert shown(screen) == []  # and so is the deleted file
