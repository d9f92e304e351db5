"""An article changed on disk after it was annotated: passages follow, doubtful ones are asked
about, lost ones are kept and listed, and can be re-attached or deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import Annotation
from reader.app.app import ReaderApp
from reader.app.dialogs.confirm_anchor import ConfirmAnchorDialog
from reader.app.screens.article import ArticleScreen
from reader.app.screens.orphans import OrphansScreen
from reader.app.widgets.annotation_panel import AnnotationPanel
from tests.app.helpers import open_screen, wait_until

PASSAGE = "the message that Pakistan is pivoting westward was very clear"


def edit_article(corpus_dir: Path, old: str, new: str) -> str:
    path = next(corpus_dir.glob("*.txt"))
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text.rstrip("\n")


async def open_article(pilot, app):
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, (ArticleScreen, ConfirmAnchorDialog)))


@pytest.fixture
def reworded(make_app, tag_phrase, corpus_dir: Path) -> tuple[Annotation, str, ReaderApp]:
    """PASSAGE tagged, then one word of it changed on disk: the annotation, the article's new text, and the app."""
    annotation = tag_phrase(PASSAGE, "pivot westward")
    text = edit_article(corpus_dir, "pivoting westward was very", "pivoting westward was abundantly")
    return annotation, text, make_app()


async def test_text_inserted_before_moves_the_passage_silently(make_app, tag_phrase, corpus_dir):
    annotation = tag_phrase(PASSAGE, "pivot westward")
    text = edit_article(corpus_dir, "ISLAMABAD:", "ISLAMABAD (updated 28 July):")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app)
        assert isinstance(app.screen, ArticleScreen)
        [placed] = app.screen.view.annotations
        assert placed.id == annotation.id and text[placed.start : placed.end] == PASSAGE
        stored = app.store.get(annotation.id)
        assert (
            stored.start == annotation.start + len(" (updated 28 July)")
            and stored.article_sha256 != annotation.article_sha256
        )


async def test_a_changed_word_is_asked_about_and_moves_only_on_yes(reworded):
    annotation, text, app = reworded
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app)
        assert isinstance(app.screen, ConfirmAnchorDialog)
        assert app.store.get(annotation.id) == annotation  # nothing moved before the answer
        await pilot.press("y")
        moved = app.store.get(annotation.id)
        assert moved.quote == "the message that Pakistan is pivoting westward was abundantly clear"
        assert text[moved.start : moved.end] == moved.quote and moved.tags == ["pivot westward"]
        assert [a.id for a in app.screen.view.annotations] == [annotation.id]


async def test_no_leaves_it_orphaned_in_the_panel_and_it_can_be_reattached(reworded):
    annotation, text, app = reworded
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app)
        await pilot.press("n")
        screen = app.screen
        assert screen.view.annotations == [] and app.store.get(annotation.id) == annotation
        panel = screen.query_one(AnnotationPanel)
        assert panel.display and [a.id for a in panel.orphans] == [annotation.id]
        assert "not found in the text" in str(panel.get_option_at_index(0).prompt)
        panel.focus()
        await pilot.press("enter")  # re-attach: select the passage where it is now, then t
        assert screen.reattaching is not None
        await pilot.press("slash", *"the message that", "enter", "s", "t")
        reattached = app.store.get(annotation.id)
        assert reattached.quote == text[reattached.start : reattached.end]
        assert reattached.quote.startswith("For a country long known") and reattached.tags == ["pivot westward"]
        assert panel.orphans == []


async def test_deleted_paragraph_orphans_are_listed_corpus_wide_and_deleted_only_on_request(
    make_app, tag_phrase, corpus_dir
):
    annotation = tag_phrase(PASSAGE, "pivot westward")
    kept = tag_phrase("no other South Asian state", "absent parties")
    paragraph = next(line for line in (next(corpus_dir.glob("*.txt")).read_text().split("\n")) if PASSAGE in line)
    edit_article(corpus_dir, paragraph + "\n", "")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot, app, "O", OrphansScreen)
        table = screen.query_one("#orphans")
        await wait_until(pilot, lambda: table.row_count == 1)
        row = [cell.plain for cell in table.get_row_at(0)]
        assert row[0] == "orphaned" and row[1] == PASSAGE and row[3].startswith("Pakistan pitches")
        await pilot.press("d")
        await wait_until(pilot, lambda: table.row_count == 0)
        assert app.store.get(annotation.id) is None and app.store.get(kept.id) is not None
        await pilot.press("u")
        await wait_until(pilot, lambda: table.row_count == 1)
        assert app.store.get(annotation.id) == annotation


async def test_a_passage_awaiting_a_decision_says_so_in_the_panel_and_enter_asks_again(reworded):
    annotation, _, app = reworded
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app)
        assert isinstance(app.screen, ConfirmAnchorDialog)
        await pilot.press("escape")  # decide later
        screen = app.screen
        panel = screen.query_one(AnnotationPanel)
        entry = str(panel.get_option_at_index(0).prompt)
        assert "waiting for your decision" in entry and "alike" in entry and "not found" not in entry
        panel.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmAnchorDialog)
        await pilot.press("y")
        assert app.store.get(annotation.id).quote.endswith("abundantly clear")
        assert panel.orphans == []
