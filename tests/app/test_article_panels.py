"""The article's side panels: Esc leaves the panel, not the article (issue 9.17)."""

from __future__ import annotations

from reader.app.widgets.annotation_panel import AnnotationPanel
from tests.app.helpers import open_article, open_entity_panel


async def test_esc_in_the_entity_panel_closes_it_and_stays_in_the_article(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        panel = await open_entity_panel(pilot, screen)
        await pilot.press("escape")
        assert app.screen is screen
        assert not panel.display and screen.view.has_focus
        await pilot.press("escape")  # from the text, Esc goes back as before
        assert app.screen is not screen


async def test_esc_in_the_annotation_panel_returns_to_the_text(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        panel = screen.query_one(AnnotationPanel)
        assert panel.display
        panel.focus()
        await pilot.pause()
        await pilot.press("escape")
        assert app.screen is screen and screen.view.has_focus
