"""Entity corrections from the article view: shown at once, and in every other article."""

from __future__ import annotations

from pathlib import Path

from annotations.corrections import CorrectionBook
from reader.app.dialogs.entity_correction import EntityCorrectionDialog
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from tests.app.helpers import wait_until


async def choose(pilot, app, choice_id: str) -> None:
    options = app.screen.query_one("#correction-options")
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == choice_id)
    await pilot.press("enter")


async def test_a_correction_changes_the_same_name_in_a_second_article(
    make_app, corpus_dir: Path, store_path, reference_text
):
    (corpus_dir / "second.txt").write_text(
        "Centcom briefing\n2025-08-02\nA Centcom spokesman spoke about four new bases.\n", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(app.corpus.get("000_ff5b33da8fd122af"))
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        screen = app.screen
        view = screen.view
        centcom = reference_text.index("Centcom")
        assert view.entity_at(centcom) is None  # the model misses it
        await pilot.press("slash", *"Centcom", "enter", "v")  # select the word
        await pilot.press("equals_sign")
        assert isinstance(app.screen, EntityCorrectionDialog)
        await choose(pilot, app, "ORG")
        await wait_until(pilot, lambda: view.entity_at(centcom) is not None)
        assert (view.entity_at(centcom).label, view.style_at(centcom).color.name) == (
            "ORG",
            palette_of(app).entity["ORG"].rich_color.name,
        )
        # "four" is no entity: the caret on it, = and "not an entity".
        four = reference_text.index("four Central Asian")
        assert view.entity_at(four).label == "CARDINAL"
        view.move_caret(four)
        await pilot.press("equals_sign")
        await choose(pilot, app, "-")
        await wait_until(pilot, lambda: view.entity_at(four) is None)

        await pilot.press("escape")
        app.open_article(app.corpus.get("second"))
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ArticleScreen)
                and app.screen.article.id == "second"
                and app.screen.entities_ready
            ),
        )
        second = app.screen
        text = second.article.text
        for start in (text.index("Centcom"), text.index("Centcom", 10)):
            assert second.view.entity_at(start).label == "ORG"
        assert second.view.entity_at(text.index("four")) is None
        # Forgetting the rule brings back the model's reading.
        second.view.move_caret(text.index("four"))
        await pilot.press("slash", *"four", "enter", "v", "equals_sign")
        await choose(pilot, app, "*")
        await wait_until(pilot, lambda: second.view.entity_at(text.index("four")) is not None)
    assert [(c.words, c.label) for c in CorrectionBook(store_path).all()] == [("Centcom", "ORG")]
