"""The codebook on the tags screen (T) at 80x24: the tree of codes with counts that include the
children, and each key: n creates, d describes, c colours (and the article tints the passages),
m adds a memo, p moves under a parent (with completion), D deletes after naming the count;
u undoes each."""

from __future__ import annotations

import pytest
from textual.color import Color

from annotations.codebook_store import Codebook
from reader.app.app import ReaderApp
from reader.app.code_tints import choices_of
from reader.app.dialogs.code_dialogs import CodeColourDialog, CodeTextDialog, ConfirmDeleteCodeDialog
from reader.app.palette import TEXT_CONTRAST, contrast, palette_of
from reader.app.screens.article import ArticleScreen
from reader.app.screens.tags import TagsScreen
from tests.app.helpers import open_screen, wait_until
from tests.app.test_fits_the_terminal import check_dialog

SIZE = (80, 24)


def rows(screen: TagsScreen) -> list[tuple[str, str]]:
    table = screen.query_one("#tags")
    return [(r[0].plain, r[1].plain.strip()) for r in (table.get_row_at(i) for i in range(table.row_count))]


async def highlight(pilot, screen: TagsScreen, path: str) -> None:
    table = screen.query_one("#tags")
    table.move_cursor(row=screen.order.index(path))
    await pilot.pause()


def details(screen: TagsScreen) -> str:
    return str(screen.query_one("#code-details").render())


@pytest.fixture
def framing_app(make_app, tag_phrase) -> ReaderApp:
    """The app on a store with one passage, coded "framing"."""
    tag_phrase("pivoting westward", "framing")
    return make_app()


async def open_codebook(pilot, app, at: str | None = None) -> TagsScreen:
    """The tags screen (T), with the code at path ``at`` highlighted when given."""
    screen = await open_screen(pilot, app, "T", TagsScreen)
    if at is not None:
        await highlight(pilot, screen, at)
    return screen


async def test_codes_are_a_tree_whose_counts_include_the_children(make_app, tag_phrase):
    tag_phrase("pivoting westward", "framing/pivot westward")
    tag_phrase("no other South Asian state", "framing/absent parties", "Framing")
    tag_phrase("Missing were Russia and China", "great powers")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot, app)
        assert rows(screen) == [
            ("Framing", "3"),  # spelled as its passage has it
            ("  absent parties", "1"),
            ("  pivot westward", "1"),
            ("great powers", "1"),
        ]
        passages = screen.query_one("#passages")
        assert passages.row_count == 2  # the parent lists its children's passages (one has both)


async def test_n_creates_a_code_before_it_is_used_and_u_undoes(framing_app):
    app = framing_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T", "n")
        assert isinstance(app.screen, CodeTextDialog)
        await pilot.press(*"fra")  # completes to an existing code's path and its separator
        assert app.screen.query_one("#code-input").completion == "framing/"
        await pilot.press("right", *"state actors", "enter")
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        assert rows(screen) == [("framing", "1"), ("  state actors", "0")]
        assert screen.current_tag == "framing/state actors"
        assert Codebook(app.store).get("framing/state actors") is not None
        await pilot.press("n", *"framing", "enter")  # a code already: refused, said
        assert any("a code already" in n.message for n in app.notices)
        await pilot.press("u")
        assert rows(screen) == [("framing", "1")]


async def test_d_describes_the_code_inertly_and_m_adds_dated_memos(framing_app):
    app = framing_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T", "d")
        assert isinstance(app.screen, CodeTextDialog)
        await pilot.press(*"[red]how the story is told", "enter")
        screen = app.screen
        assert "framing \u00b7 [red]how the story is told" in details(screen)
        await pilot.press("m", *"check the lede", "enter", "m", *"and the headline", "enter")
        code = Codebook(app.store).get("framing")
        assert [memo.text for memo in code.memos] == ["check the lede", "and the headline"]
        assert "2 memo(s)" in details(screen) and "and the headline" in details(screen)
        await pilot.press("u", "u", "u")
        assert Codebook(app.store).get("framing") is None
        assert "no description (d)" in details(screen)


async def test_c_colours_the_code_and_the_article_tints_its_passages_readably(make_app, tag_phrase):
    coloured = tag_phrase("pivoting westward", "framing/pivot")
    plain = tag_phrase("no other South Asian state", "absent parties")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot, app, "framing")
        await pilot.press("c")
        assert isinstance(app.screen, CodeColourDialog)
        await pilot.press("3")
        chosen = choices_of(app)["3"]
        assert Codebook(app.store).get("framing").colour == chosen
        await highlight(pilot, screen, "framing/pivot")
        await pilot.press("enter", "enter")  # the child inherits the colour: open its passage
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        view = app.screen.view
        tint = view.style_at(coloured.start).bgcolor
        assert tint is not None and tint != view.style_at(plain.start).bgcolor
        assert view.style_at(plain.start).bgcolor == palette_of(app).annotation[0].bgcolor
        foreground = Color.parse(app.get_css_variables()["foreground"])
        ground = Color.from_rich_color(tint)
        assert contrast(palette_of(app).background + foreground, ground) >= TEXT_CONTRAST
        await pilot.press("escape")
        await highlight(pilot, app.screen, "framing")
        await pilot.press("c", "0")  # no colour: the theme's tint again
        assert Codebook(app.store).get("framing").colour is None


async def test_p_moves_a_code_under_another_with_completion_and_u_undoes(make_app, tag_phrase):
    moving = tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "framing")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot, app, "pivot westward")
        await pilot.press("p")
        assert isinstance(app.screen, CodeTextDialog)
        await pilot.press(*"fr", "enter")  # Enter takes the completion shown: framing
        assert app.store.get(moving.id).tags == ["framing/pivot westward"]
        assert rows(screen) == [("framing", "2"), ("  pivot westward", "1")]
        assert any(n.message.startswith("Move of pivot westward to framing/pivot westward") for n in app.notices)
        await pilot.press("p", "ctrl+a", "ctrl+k", *"framing/pivot westward", "enter")  # under itself
        assert any("under itself" in n.message for n in app.notices)
        await pilot.press("u")
        assert app.store.get(moving.id).tags == ["pivot westward"]


async def test_shift_d_deletes_only_after_a_confirmation_naming_the_count(make_app, tag_phrase):
    first = tag_phrase("pivoting westward", "framing/pivot", "kept")
    second = tag_phrase("no other South Asian state", "framing")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot, app, "framing")
        await pilot.press("D")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDeleteCodeDialog)
        assert "taken off 2 passage(s)" in str(dialog.query_one("Label").render())
        await pilot.press("n")
        assert app.store.get(first.id).tags == ["framing/pivot", "kept"]
        await pilot.press("D", "y")
        assert app.store.get(first.id).tags == ["kept"] and app.store.get(second.id).tags == []
        assert rows(screen) == [("kept", "1")]
        await pilot.press("u")
        assert app.store.get(first.id).tags == ["framing/pivot", "kept"]
        await pilot.press("n", *"unused", "enter", "D")  # unused: gone at once
        assert "unused" not in screen.order


async def test_every_codebook_dialog_fits_80x24_and_help_lists_every_key(make_app, tag_phrase):
    tag_phrase("pivoting westward", "[red]framing/" + "long name " * 12)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot, app)
        assert rows(screen)[0][0] == "[red]framing"  # a hostile name is shown as written, never as markup
        await highlight(pilot, screen, screen.order[1])
        for key in ("n", "d", "m", "p", "c", "D"):
            await pilot.press(key)
            await pilot.pause()
            check_dialog(app, "#code-dialog", "#code-help")
            await pilot.press("escape")
            assert app.screen is screen
        await pilot.press("question_mark")
        shown = app.screen.plain_text()
        for words in (
            "Create a code",
            "what the code means",
            "Colour the code",
            "dated memo",
            "under another",
            "Delete the code",
            "Redo",
        ):
            assert words in shown


async def test_a_code_created_before_use_is_offered_when_tagging(framing_app):
    app = framing_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("T", "n", *"actors/state", "enter", "escape")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        await pilot.press("slash", *"no other South", "enter", "s", "t", *"stat")
        options = app.screen.query_one("#tag-options")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["actors/state"]
        await pilot.press("down", "enter")  # choose it
        await wait_until(pilot, lambda: len(app.store.all()) == 2)
        assert any(a.tags == ["actors/state"] for a in app.store.all())
