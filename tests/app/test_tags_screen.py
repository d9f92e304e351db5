"""The corpus-wide tags screen: counts, passages, opening a passage, rename and merge, undo."""

from __future__ import annotations

from annotations.model import tag_key
from reader.app.dialogs.rename_tag import RenameTagDialog
from reader.app.screens.article import ArticleScreen
from reader.app.screens.tags import TagsScreen
from tests.app.helpers import open_screen, wait_until


async def test_tags_listed_with_counts_bars_and_passages(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "absent parties")
    tag_phrase("Missing were Russia and China", "absent parties", "great powers")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot, app, "T", TagsScreen)
        tags = screen.query_one("#tags")
        rows = [[cell.plain for cell in tags.get_row_at(i)] for i in range(tags.row_count)]
        assert [(r[0], r[1].strip()) for r in rows] == [
            ("absent parties", "2"),
            ("great powers", "1"),
            ("pivot westward", "1"),
        ]
        assert len(rows[0][2]) == 2 * len(rows[1][2])  # bars in proportion
        assert rows[0][3].startswith("1: Pakistan pitches itself")
        passages = screen.query_one("#passages")
        assert sorted(passages.get_row_at(i)[0].plain for i in range(passages.row_count)) == [
            "Missing were Russia and China",
            "no other South Asian state",
        ]


async def test_enter_on_a_passage_opens_the_article_at_it(make_app, tag_phrase):
    annotation = tag_phrase("no other South Asian state", "absent parties")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T", "enter", "enter")  # the tag, then its (only) passage
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert app.screen.view.caret == annotation.start
        await pilot.press("escape")
        assert isinstance(app.screen, TagsScreen)


async def test_rename_into_an_existing_tag_merges_and_undo_restores(make_app, tag_phrase):
    first = tag_phrase("pivoting westward", "westward shift")
    second = tag_phrase("no other South Asian state", "absent parties", "Pivot Westward")
    third = tag_phrase("Missing were Russia and China", "pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        screen = app.screen
        tags = screen.query_one("#tags")
        order = [tags.get_row_at(i)[0].plain for i in range(tags.row_count)]
        await pilot.press(*["down"] * order.index("westward shift"), "r")
        assert isinstance(app.screen, RenameTagDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"pivot westward", "enter")
        store = app.store
        assert store.get(first.id).tags == ["pivot westward"]
        assert store.get(second.id).tags == ["absent parties", "Pivot Westward"]  # untouched
        assert store.get(third.id).tags == ["pivot westward"]
        counts = {tag_key(tag): count for tag, count in store.tag_counts()}
        assert counts == {"pivot westward": 3, "absent parties": 1}  # one tag now, three passages
        assert tags.row_count == 2
        await pilot.press("u")
        assert store.get(first.id).tags == ["westward shift"] and tags.row_count == 3
        await pilot.press("ctrl+r")
        assert store.get(first.id).tags == ["pivot westward"]


async def test_undo_in_an_article_never_undoes_a_rename_made_since(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        await pilot.press("slash", *"no other South", "enter", "s", "t", *"absent", "enter")
        [made] = app.store.all()
        await pilot.press("T", "r", "ctrl+a", "ctrl+k", *"absent parties", "enter", "escape")
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("u")  # would undo the creation, but the annotation was renamed since
        [kept] = app.store.all()
        assert kept.id == made.id and kept.tags == ["absent parties"]
        assert any("changed since" in str(n.message) for n in app.notices)
