"""The differences screen's follow-ups (issue 13, point 4): coders and the agreed layer's name
chosen in the coders dialog and remembered in the store's adjudication file, ``e`` settling with
the tag dialog, and "neither" remembered across sessions (and undone)."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.adjudication import adjudication_path
from reader.app.dialogs.coders_dialog import CodersDialog
from reader.app.dialogs.tag_dialog import TagDialog
from reader.app.screens.differences import DifferencesScreen
from reader.app.widgets.fitted_table import FittedTable
from tests.app.helpers import wait_until
from tests.app.test_agreement_screen import CAT, import_coders
from tests.app.test_differences import ANA, BEN, title
from tests.app.test_fits_the_terminal import check_dialog, check_footer


async def open_differences(app, pilot, coders: tuple[str, str] = ("ana", "ben")) -> DifferencesScreen:
    """D, then (if the default coders are not ``coders``) the coders dialog to make them so."""
    await pilot.press("D")
    await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen))
    screen = app.screen
    if screen.coders != coders:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CodersDialog))
        listing = app.screen.query_one("#coders")
        listing.highlighted = app.screen.names.index(coders[0])
        await pilot.press("a")
        listing.highlighted = app.screen.names.index(coders[1])
        await pilot.press("b", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen) and app.screen is not screen)
        screen = app.screen
    assert screen.coders == coders
    return screen


async def go_to(pilot, screen: DifferencesScreen, kind: str) -> int:
    index = next(i for i, d in enumerate(screen.items) if d.kind == kind)
    screen.query_one(FittedTable).move_cursor(row=index)
    await pilot.pause()
    return index


def adjudication(store_path: Path) -> dict:
    return json.loads(adjudication_path(store_path).read_text(encoding="utf-8"))


async def test_coders_and_agreed_name_chosen_and_remembered(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN), ("cat", CAT))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_differences(app, pilot)
        check_footer(app, "differences screen")
        assert screen.agreed == "agreed"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CodersDialog))
        check_dialog(app, "#coders-dialog", "#coders-help", "#coders-agreed")
        listing = app.screen.query_one("#coders")
        listing.highlighted = app.screen.names.index("cat")
        await pilot.press("b", "tab", "ctrl+u", *"final", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen) and app.screen is not screen)
        screen = app.screen
        assert screen.coders == ("ana", "cat") and screen.agreed == "final"
        assert "\u2192 final" in title(screen)
        assert adjudication(store_path)["agreed"] == "final"
        await go_to(pilot, screen, "only A")
        await pilot.press("a")
        await wait_until(pilot, lambda: "1 of" in title(screen))
        assert [a.quote for a in app.store.all() if a.coder == "final"] == [screen.items[screen.done[-1][0]].a[0].quote]
        await pilot.press("escape")
    app = make_app()  # next session: the agreed layer is still "final"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen))
        assert app.screen.agreed == "final"


async def test_edit_settles_with_the_codes_typed_in_the_tag_dialog_and_undoes(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_differences(app, pilot)
        index = await go_to(pilot, screen, "codes")  # "key player": role against claim
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        field = app.screen.query_one("#tag-input")
        assert field.value == "role, claim, "  # both coders' codes to start from
        await pilot.press("ctrl+u", *"stance", "enter")
        await wait_until(pilot, lambda: "1 of 4 settled" in title(screen))
        assert screen.decisions[index] == "edit"
        agreed = [(a.quote, a.tags) for a in app.store.all() if a.coder == "agreed"]
        assert agreed == [("key player", ["stance"])]
        screen.query_one(FittedTable).move_cursor(row=index)
        await pilot.press("e")  # settled already: no dialog
        await pilot.pause()
        assert app.screen is screen and "Already settled" in str(app.notices[-1].message)
        await pilot.press("u")
        await wait_until(pilot, lambda: "0 of 4 settled" in title(screen))
        assert not [a for a in app.store.all() if a.coder == "agreed"]


async def test_neither_is_remembered_next_session_and_undone(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_differences(app, pilot)
        only_b = await go_to(pilot, screen, "only B")
        await pilot.press("n")
        await wait_until(pilot, lambda: "1 of 4 settled" in title(screen))
        only_a = await go_to(pilot, screen, "only A")
        await pilot.press("n")
        await wait_until(pilot, lambda: "2 of 4 settled" in title(screen))
        assert len(adjudication(store_path)["dismissed"]) == 2
        await pilot.press("u")  # the second neither is forgotten again
        await wait_until(pilot, lambda: "1 of 4 settled" in title(screen))
        [kept] = adjudication(store_path)["dismissed"]
        assert kept["start"] == screen.items[only_b].start and kept["agreed"] == "agreed"
        assert not [a for a in app.store.all() if a.coder == "agreed"]  # neither writes no passage
        await pilot.press("escape")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_differences(app, pilot)
        assert "1 of 4 settled" in title(screen)
        assert screen.earlier == {only_b} and only_a not in screen.earlier
        assert str(screen.query_one(FittedTable).get_cell(str(only_b), "settled")) == "earlier"


async def test_a_damaged_adjudication_file_is_said_and_left_alone(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN))
    damaged = adjudication_path(store_path)
    damaged.write_text('{"agreed": [1', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_differences(app, pilot)
        assert any("not remembered" in str(n.message) for n in app.notices)
        await go_to(pilot, screen, "only B")
        await pilot.press("n")
        await wait_until(pilot, lambda: "1 of 4 settled" in title(screen))
    assert damaged.read_text(encoding="utf-8") == '{"agreed": [1'
