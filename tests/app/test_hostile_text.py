"""Article text is data: markup, ANSI and OSC sequences and control characters show as inert
characters and never reach the terminal as commands."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from annotations import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until

HOSTILE_BODY = "Plain [bold]x[/bold] then a lone [/] and \x1b[31mred\x1b[0m and \x1b]52;c;aGk=\x07 done."


async def test_hostile_text_is_shown_not_obeyed(tmp_path: Path, recognizer):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(f"Title [bold]x[/] \x1b[2J\n2025-01-01\n{HOSTILE_BODY}\n", encoding="utf-8")
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30)) as pilot:
            title_cell = app.screen.query_one("#articles").get_row_at(0)[0]
            assert isinstance(title_cell, Text) and title_cell.plain.startswith("Title [bold]x[/] \u241b[2J")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
            view = app.screen.view
            drawn = " ".join(" ".join(view.visible_text()).split())
            assert "Plain [bold]x[/bold] then a lone [/] and \u241b[31mred\u241b[0m" in drawn
            assert "\u241b]52;c;aGk=\u2407 done." in drawn
            assert "\x1b" not in drawn and "\x07" not in drawn
            # Offsets still match the stored text one for one.
            assert len(view.display_text) == len(view.text)
            await pilot.press("s", "t", *"hostile", "enter")
            await wait_until(pilot, lambda: len(view.annotations) == 1)
            assert "\x1b" in view.annotations[0].quote  # the data itself is kept as it was


async def test_square_brackets_of_the_reference_article_show(tmp_path: Path, corpus_dir: Path, recognizer):
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
            assert "[reaffirmed] Pakistan`s" in " ".join(" ".join(app.screen.view.visible_text()).split())
