"""The dialogs: help shows keys as typed, rename keeps names as typed, the tag dialog adds to the
tags already there, the note dialog asks before it throws a note away, the `=` dialog writes
nothing when nothing changes and the status line follows a correction at once."""

from __future__ import annotations

from reader.app.screens.article import ArticleScreen
from reader.app.screens.tags import RenameTagDialog, TagsScreen
from tests.app.helpers import wait_until


async def open_article(pilot, app, find: str | None = None) -> ArticleScreen:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
    screen = app.screen
    await wait_until(pilot, lambda: screen.entities_ready)
    if find:
        await pilot.press("slash", *find, "enter")
    return screen


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_help_shows_keys_as_typed_not_their_names(make_app):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_article(pilot, app)
        await pilot.press("question_mark")
        shown = app.screen.plain_text()
        rows = {line.split("  ")[0].strip(): line for line in shown.splitlines() if line.strip()}
        for key in (">", "<", "=", "]", "[", ")", "}"):
            assert key in rows, f"{key!r} is not listed in the help"
        for name in ("greater_than_sign", "less_than_sign", "equals_sign", "square_bracket", "parenthesis", "dollar"):
            assert name not in shown


async def test_rename_message_keeps_the_tag_names_as_typed(make_app, tag_phrase):
    tag_phrase("pivoting westward", "Westward Shift")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("r")
        assert isinstance(app.screen, RenameTagDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"Pivot West", "enter")
        said = [m for m in messages(app) if m.startswith("Rename of")]
        assert said == ["Rename of Westward Shift to Pivot West: 1 annotation(s) changed (u undoes)."]
