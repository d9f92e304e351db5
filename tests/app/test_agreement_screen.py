"""The agreement screen (K): the same figures as ``reader agree --json`` for the same store, the
coders chosen in a dialog, and Enter on a code opening its differences (issue 13, point 3)."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.agreement import Figures
from reader.app.dialogs.coders_dialog import CodersDialog
from reader.app.dialogs.help import HelpScreen
from reader.app.screens.agreement import OVERALL, AgreementScreen, figure_cells
from reader.app.screens.differences import DifferencesScreen
from tests.app.helpers import wait_until
from tests.app.test_differences import ANA, BEN, coder_export
from tests.app.test_fits_the_terminal import check_dialog, check_footer
from tests.test_cli import run

#: A third coder, counted in alpha only.
CAT = [("pivoting westward", "pivot"), ("key player", "role")]


def import_coders(tmp_path: Path, corpus_dir: Path, store_path: Path, *coders: tuple[str, list]) -> None:
    for coder, passages in coders:
        exported = coder_export(tmp_path, corpus_dir, coder, passages)
        imported = run("import", str(exported), "--db", str(store_path), "--corpus", str(corpus_dir))
        assert imported.returncode == 0, imported.stderr


def cli_figures(store_path: Path, corpus_dir: Path, *coders: str) -> dict:
    named = [part for coder in coders for part in ("--coder", coder)]
    result = run("agree", *named, "--db", str(store_path), "--corpus", str(corpus_dir), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def row_cells(screen: AgreementScreen, key: str) -> list[str]:
    table = screen.query_one("#agreement")
    return [str(cell) for cell in table.get_row(key)][1:]


async def test_agreement_screen_shows_the_figures_reader_agree_prints(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN), ("cat", CAT))
    expected = cli_figures(store_path, corpus_dir, "ana", "ben")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, CodersDialog))
        dialog = app.screen
        assert isinstance(dialog, CodersDialog)
        check_dialog(app, "#coders-dialog", "#coders-help")
        # ana has the most passages (the user, coder of this session, has none): she is A.
        assert (dialog.a, dialog.b) == ("ana", "ben")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.agreement is not None)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        assert screen.agreement.to_record() == expected
        for code, figures in expected["codes"].items():
            assert row_cells(screen, code) == figure_cells(Figures(**figures))
        assert row_cells(screen, OVERALL) == figure_cells(Figures(**expected["overall"]))
        check_footer(app, "agreement screen")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(app.screen.plain_text().split())
        assert "How far coders agree, per code" in help_text and "The differences where the highlighted" in help_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        # Enter on a code: its differences only.
        table = screen.query_one("#agreement")
        table.move_cursor(row=table.get_row_index("role"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DifferencesScreen))
        differences = app.screen
        assert differences.code == "role" and differences.coders == ("ana", "ben")
        assert [d.kind for d in differences.items] == ["codes"]  # "key player": role against claim
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)


async def test_agreement_coders_chosen_in_the_dialog_with_a_third_in_alpha(
    make_app, store_path: Path, corpus_dir: Path, tmp_path: Path
):
    import_coders(tmp_path, corpus_dir, store_path, ("ana", ANA), ("ben", BEN), ("cat", CAT))
    expected = cli_figures(store_path, corpus_dir, "cat", "ben", "ana")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, CodersDialog))
        dialog = app.screen
        names = dialog.names
        listing = dialog.query_one("#coders")
        listing.highlighted = names.index("cat")
        await pilot.press("a")  # cat becomes A; ana (A before) takes B's place
        listing.highlighted = names.index("ben")
        await pilot.press("b")
        listing.highlighted = names.index("ana")
        await pilot.press("space")  # ana counts in alpha
        assert (dialog.a, dialog.b, dialog.more) == ("cat", "ben", ["ana"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.agreement is not None)
        screen = app.screen
        assert screen.coders == ("cat", "ben", "ana")
        assert screen.agreement.to_record() == expected
        # c chooses again: back to ana and ben, figures recomputed.
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CodersDialog))
        listing = app.screen.query_one("#coders")
        listing.highlighted = names.index("ana")
        await pilot.press("a", "space")  # ana is A now; space on a compared coder does nothing
        assert (app.screen.a, app.screen.b, app.screen.more) == ("ana", "ben", [])
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.agreement is not None)
        assert screen.agreement.to_record() == cli_figures(store_path, corpus_dir, "ana", "ben")


async def test_agreement_with_one_coder_says_what_to_do(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("K")
        await wait_until(pilot, lambda: any("two coders" in str(n.message) for n in app.notices))
        assert not isinstance(app.screen, (AgreementScreen, CodersDialog))
