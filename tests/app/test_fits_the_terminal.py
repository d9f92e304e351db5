"""Every screen and every dialog is usable at 80x24 (and at 140x45): each dialog lies inside the
screen with its hint line (and buttons) in view, and each footer shows every binding it lists,
`q` and `?` among them, clear of the command palette key."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region

from annotations import StoreError
from annotations.anchoring import Anchor, AnchorStatus
from reader.app.app import ReaderApp
from reader.app.dialogs.confirm_anchor import ConfirmAnchorDialog
from reader.app.screens.article import ArticleScreen
from reader.app.store_problem import StoreProblemApp
from tests.app.helpers import wait_until

SIZES = [(80, 24), (140, 45)]


def check_footer(app: App, where: str) -> None:
    """Every key the footer shows is whole, on screen and clear of the palette key; q and ? shown."""
    width, height = app.size
    keys = list(app.screen.query("FooterKey"))
    palette = [key for key in keys if key.has_class("-command-palette")]
    shown = {key.key for key in keys}
    assert "q" in shown, f"{where}: q is not in the footer"
    if isinstance(app, ReaderApp):
        assert "question_mark" in shown, f"{where}: ? is not in the footer"
    for key in keys:
        region = key.region
        assert region.width > 0, f"{where}: {key.key_display} {key.description} is off the footer"
        assert region.right <= width and region.y == height - 1, f"{where}: {key.description} is cut"
        if key not in palette:
            assert not any(region.overlaps(p.region) for p in palette), (
                f"{where}: {key.description} is under the palette key"
            )


def check_dialog(app: App, box: str, *visible: str) -> None:
    """The dialog ``box`` lies inside the screen; each of ``visible`` (hint lines, buttons) inside it."""
    screen = app.screen
    area = Region(0, 0, *app.size)
    dialog = screen.query_one(box)
    name = type(screen).__name__
    assert area.contains_region(dialog.region), f"{name}: {dialog.region} runs off the {app.size} screen"
    for selector in visible:
        for widget in screen.query(selector):
            assert widget.region.height > 0 and widget.region.width > 0, f"{name}: {selector} is not shown"
            assert dialog.region.contains_region(widget.region), f"{name}: {selector} is cut off {widget.region}"


async def go(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_screen_and_dialog_fits(size, make_app, tag_phrase, corpus_dir: Path, reference_text):
    (corpus_dir / "empty.txt").write_bytes(b"")  # one problem, for the problems screen
    # The worst case for the dialogs: a long passage, a long note, many tags.
    start = reference_text.index("no other South Asian state")
    annotation = tag_phrase(
        reference_text[start : start + 400], *(f"tag number {n}" for n in range(20)), note="note " * 80
    )
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: app.screen.query("FooterKey"))
        await pilot.pause()
        check_footer(app, "library")
        await go(pilot, "question_mark")
        check_dialog(app, "#help-body")
        await go(pilot, "escape", "p")
        check_footer(app, "problems")
        await go(pilot, "escape", "T")
        check_footer(app, "tags")
        await go(pilot, "r")
        check_dialog(app, "#rename-dialog", "#rename-help", "#rename-input")
        await go(pilot, "escape", "X")
        check_dialog(app, "#export-dialog", "#export-help", "#export-path", "RadioButton")
        await go(pilot, "escape", "escape", "I")
        check_footer(app, "entity index")
        await go(pilot, "escape", "O")
        check_footer(app, "orphans")
        await go(pilot, "escape", "X")
        check_dialog(app, "#export-dialog", "#export-help", "#export-path", "RadioButton")
        await go(pilot, "escape")

        app.open_article(app.corpus.get("000_ff5b33da8fd122af"))
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        screen = app.screen
        await pilot.pause()
        check_footer(app, "article")
        screen.view.move_caret(annotation.start)
        await go(pilot, "t")
        check_dialog(app, "#tag-dialog", "#tag-help", "#tag-result", "#tag-input")
        await go(pilot, "escape", "c")
        check_dialog(app, "#note-dialog", "#note-help", "#note-text")
        await go(pilot, "x", "escape")
        check_dialog(app, "#unsaved-dialog", "Button")
        await go(pilot, "d")
        screen.view.move_caret(reference_text.index("four Central Asian"))
        await go(pilot, "equals_sign")
        check_dialog(app, "#correction-dialog", "#correction-help", "#correction-options")
        await go(pilot, "escape", "L")
        check_dialog(app, "#label-dialog", "#label-help", "#labels")
        await go(pilot, "escape", "question_mark")
        check_dialog(app, "#help-body")
        await go(pilot, "escape", "X")
        check_dialog(app, "#export-dialog", "#export-help", "#export-path", "RadioButton")
        await go(pilot, "escape")
        text = screen.article.text
        candidate = Anchor(
            AnchorStatus.FUZZY, annotation.start, annotation.end + 40, text[annotation.start : annotation.end + 40], 0.8
        )
        app.push_screen(ConfirmAnchorDialog(annotation, candidate, text))
        await pilot.pause()
        check_dialog(app, "#anchor-dialog", "#anchor-help", ".anchor-quote")
        await go(pilot, "escape")
        assert app.screen is screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_store_problem_screen_fits(size, tmp_path: Path):
    path = tmp_path / "annotations.json"
    backup = tmp_path / "annotations.json.bak"
    error = StoreError(f"{path} is damaged (not JSON). Its last good version is {backup}.", path=path, backup=backup)
    app = StoreProblemApp(error, path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        check_dialog(app, "#problem", "#problem-message", "#problem-choices")
        check_footer(app, "store problem")
        await go(pilot, "n")
        check_dialog(app, "#problem", "#new-path")
