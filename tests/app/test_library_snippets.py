"""The library's search hits with a snippet of their matched text under each (Pilot, 80x24):
the matched words highlighted in the theme's colour, hostile text inert, gone with the query."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from textual.pilot import Pilot

from reader.app.app import ReaderApp
from reader.app.screens.library import LibraryScreen
from reader.app.text_colours import text_colours
from reader.app.widgets.article_list import ArticleList
from reader.corpus import load_corpus
from tests.app.helpers import wait_until
from tests.helpers import write_corpus

FILES = {
    "harbour.txt": "Harbour strike ends\n2024-06-07\nDock workers in Karachi went back to work after the zeppelin left.",
    "budget.txt": "Budget passes\n2024-12-31\nThe finance minister said the deficit would fall.",
    "hostile.txt": (
        "Odd one\n2024-01-01\nBefore \x1b]2;pwned\x07 the [red]alarm[/red] \x1b[31m and a zeppelin \u202ehidden after."
    ),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", FILES)


def lines(articles: ArticleList) -> list[list[Segment]]:
    """The segments of every line the list draws now."""
    return [list(articles.render_line(y)) for y in range(articles.size.height)]


async def settled(pilot: Pilot, articles: ArticleList) -> list[list[Segment]]:
    """The list's lines once the snippets of the rows on screen have arrived from their worker."""
    lines(articles)  # drawing asks for them
    await wait_until(pilot, lambda: articles.snippets is None or not articles.snippets.pending)
    return lines(articles)


def text_of(line: list[Segment]) -> str:
    return "".join(segment.text for segment in line)


async def test_typing_a_query_shows_snippets_with_the_words_highlighted_and_clearing_removes_them(
    corpus: Path, store, recognizer
):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready)
        articles = screen.article_list
        assert articles.row_height == 1 and len(lines(articles)[0]) > 0
        await pilot.press("slash", *"zeppelin")
        await pilot.pause()
        assert sorted(article.id for article in screen.shown) == ["harbour", "hostile"]
        assert articles.row_height == 2
        drawn = await settled(pilot, articles)
        # Row, then its snippet, for each hit.
        titles = [text_of(drawn[0]), text_of(drawn[2])]
        assert any("Harbour strike ends" in title for title in titles)
        snippet_lines = [drawn[1], drawn[3]]
        highlight = text_colours(app).tag
        for line in snippet_lines:
            marked = [segment for segment in line if segment.text == "zeppelin"]
            assert marked, text_of(line)
            style = marked[0].style
            assert style is not None and style.bold and style.underline and style.color == highlight.color
            plain = [segment for segment in line if segment.text.strip() and segment.text != "zeppelin"]
            assert plain and all(segment.style is not None and not segment.style.underline for segment in plain)
        harbour = next(line for line in snippet_lines if "Karachi" in text_of(line))
        assert "after the zeppelin left" in text_of(harbour)
        # Clearing the query: one line a row again, no snippet drawn.
        await pilot.press(*["backspace"] * len("zeppelin"))
        await pilot.pause()
        assert articles.row_height == 1 and articles.snippets is None
        drawn = lines(articles)
        assert not any("Karachi" in text_of(line) for line in drawn)
        assert not any(segment.style is not None and segment.style.underline for line in drawn for segment in line)
        assert "Budget passes" in "".join(text_of(line) for line in drawn)


async def test_hostile_text_in_an_articles_body_stays_inert_in_its_snippet(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready)
        await pilot.press("slash", *"alarm")
        await pilot.pause()
        assert [article.id for article in screen.shown] == ["hostile"]
        line = (await settled(pilot, screen.article_list))[1]
        shown = text_of(line)
        assert "[red]alarm[/r" in shown  # markup shown as typed, not parsed
        assert "\u241b]2;pwned\u2407" in shown  # OSC 2 drawn as control pictures
        assert not any(ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0 for character in shown)
        marked = [segment for segment in line if segment.style is not None and segment.style.underline]
        assert [segment.text for segment in marked] == ["alarm"]
        assert all(segment.style is None or segment.style.color != "red" for segment in line)


async def test_a_long_corpus_fetches_snippets_for_the_rows_on_screen_only(tmp_path: Path, store, recognizer):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        (folder / f"a{number:02}.txt").write_text(
            f"Article {number}\n2024-01-{number % 28 + 1:02}\nSome words, then the quokka, then more.", encoding="utf-8"
        )
    app = ReaderApp(load_corpus(folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready)
        await pilot.press("slash", *"quokka", "enter")
        await pilot.pause()
        articles = screen.article_list
        assert len(screen.shown) == 60 and articles.snippets is not None
        await settled(pilot, articles)
        fetched = len(articles.snippets.known)
        assert 0 < fetched < 60  # a window, not the whole list
        await pilot.press("end")
        await pilot.pause()
        drawn = await settled(pilot, articles)
        last = articles.size.height - 1
        assert "quokka" in text_of(drawn[last]) and articles.cursor_row == 59
        assert fetched < len(articles.snippets.known) < 60 + 1
