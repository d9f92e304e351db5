"""The library remembers what was read and where the reader stopped, and follows the folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus
from reader.paths import reading_state_path
from tests.app.helpers import wait_until
from tests.conftest import REFERENCE

REF = "000_ff5b33da8fd122af"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    (folder / "second.txt").write_text("Second story\n2024-01-01\nA short one.\n", encoding="utf-8")
    return folder


async def open_selected(pilot, app: ReaderApp) -> ArticleScreen:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
    return app.screen


async def test_an_article_reopens_where_the_reader_stopped_even_after_a_restart(
    corpus: Path, store, recognizer, reference_text: str
):
    where = reference_text.index("steadfast")
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_selected(pilot, app)
        assert screen.view.caret == 0  # never opened: from the top
        await pilot.press("slash", *"steadfast", "enter")
        assert screen.view.caret == where
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        screen = await open_selected(pilot, app)
        assert screen.view.caret == where
        await pilot.press("G")  # to the end, then quit from the article itself
        end = screen.view.caret
        assert end > where
    saved = json.loads(reading_state_path().read_text(encoding="utf-8"))["articles"][REF]
    assert saved["caret"] == end and saved["read"]

    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_selected(pilot, app)
        assert screen.view.caret == end
        line = screen.view.caret_line()
        top = round(screen.view.scroll_y)
        assert top <= line < top + screen.view.scrollable_content_region.height  # and it is on screen


async def test_refresh_notices_new_changed_and_removed_files(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.search_ready)
        (corpus / "second.txt").unlink()
        (corpus / "third.md").write_text("# Third story\n\nNew today.\n", encoding="utf-8")
        (corpus / "broken.txt").write_bytes(b"\x00\x01\x02")
        await pilot.press("r")
        await wait_until(pilot, lambda: len(screen.corpus.articles) == 2 and screen.search_ready)
        assert sorted(article.id for article in screen.shown) == [REF, "third.md"]
        assert app.corpus is screen.corpus
        assert any("1 new, 0 changed, 1 removed" in n.message for n in app.notices)
        problems = str(screen.query_one("#problems").render())
        assert "broken.txt: the file is binary" in problems
        await pilot.press("slash", *"new today")  # the full text of the new file is searchable
        assert [article.id for article in screen.shown] == ["third.md"]


async def test_an_article_whose_file_vanished_is_a_message_not_a_crash(corpus: Path, store, recognizer):
    load_corpus(corpus)  # indexed: the next load lists from the index and reads texts lazily
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        (corpus / REFERENCE.name).unlink()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("cannot be read any more" in n.message and "Press r" in n.message for n in app.notices)
        await pilot.press("down", "enter")  # the other article still opens
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert app.screen.article.id == "second"


async def test_refresh_of_a_folder_that_went_away_says_so(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        shutil.rmtree(corpus)
        await pilot.press("f5")
        await wait_until(pilot, lambda: any("could not be read again" in n.message for n in app.notices))
        assert app.screen is screen and len(screen.shown) == 2  # the list stays as it was
