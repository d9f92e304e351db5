"""Emoji, flags, accented letters and CJK in the article view: the caret, selections and resizes
move by user-perceived character, and lines are laid out in the cells the terminal draws."""

from __future__ import annotations

from pathlib import Path

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
FLAG = "\U0001f1f5\U0001f1f0"
CAFE = "cafe\u0301"
BODY = f"Family {FAMILY} and flag {FLAG} met at the {CAFE} today."


def emoji_corpus(tmp_path: Path, body: str = BODY) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "emoji.txt").write_text(f"Emoji title\n2025-01-01\n{body}\n", encoding="utf-8")
    return corpus


async def open_only_article(pilot, app: ReaderApp) -> ArticleScreen:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
    return app.screen


async def test_caret_and_selection_move_by_whole_emoji_and_tag_it_whole(tmp_path: Path, recognizer):
    corpus = emoji_corpus(tmp_path)
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(100, 30)) as pilot:
            view = (await open_only_article(pilot, app)).view
            family = view.text.index(FAMILY)
            view.move_caret(family)
            await pilot.press("l")
            assert view.caret == family + len(FAMILY)
            await pilot.press("h")
            assert view.caret == family
            view.move_caret(family + 2)  # a click or a line motion inside the emoji lands on its start
            assert view.caret == family
            await pilot.press("v", "shift+right", "shift+left")
            start, end = view.selection
            assert view.text[start:end] == FAMILY
            await pilot.press("shift+right", "shift+right")
            start, end = view.selection
            assert view.text[start:end] == FAMILY + " a"
            await pilot.press("shift+left", "shift+left")
            await pilot.press("t", *"family", "enter")
            await wait_until(pilot, lambda: len(view.annotations) == 1)
            assert store.all()[0].quote == FAMILY
            flag = view.text.index(FLAG)
            view.move_caret(flag)
            await pilot.press("l")
            assert view.caret == flag + len(FLAG)  # a flag is one step, not two regional indicators


async def test_growing_an_annotation_takes_the_accent_with_its_letter(tmp_path: Path, recognizer):
    corpus = emoji_corpus(tmp_path)
    article = load_corpus(corpus).articles[0]
    start = article.text.index("met at the")
    annotation = Annotation.create(
        article_id=article.id, article_sha256=article.sha256, text=article.text, start=start, end=start + 10, tags=["t"]
    )
    with AnnotationStore(tmp_path / "a.json") as store:
        store.add(annotation, article.ref())
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(100, 30)) as pilot:
            view = (await open_only_article(pilot, app)).view
            view.move_caret(start)
            await pilot.press("greater_than_sign")
            await wait_until(pilot, lambda: store.get(annotation.id).end != start + 10)
            assert store.get(annotation.id).quote == f"met at the {CAFE}"


async def test_drawn_lines_are_as_wide_as_the_terminal_draws_them_with_the_caret_on_an_emoji(
    tmp_path: Path, recognizer
):
    from rich.cells import cell_len

    body = f"{FAMILY}{FAMILY} 巴基斯坦周六表示，它是地区和平的关键参与者。{FLAG} and {CAFE} " * 6
    corpus = emoji_corpus(tmp_path, body)
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(100, 30)) as pilot:
            view = (await open_only_article(pilot, app)).view
            for target in (view.text.index(FAMILY), view.text.index(FLAG), view.text.index(CAFE) + 3):
                view.move_caret(target)
                await pilot.press("v", "l", "l")  # a selection's edges too
                width = view.scrollable_content_region.width
                for y in range(view.scrollable_content_region.height):
                    strip = view.render_line(y)
                    # What Textual lays out (segment by segment) is what the terminal draws (whole).
                    assert strip.cell_length == cell_len(strip.text) == width, (y, strip.text)
                await pilot.press("escape")
