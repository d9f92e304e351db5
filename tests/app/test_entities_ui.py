"""Entity labels switched on and off, and the entity panel that walks through mentions."""

from __future__ import annotations

from reader.app.dialogs.label_filter import LabelFilterDialog
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from tests.app.helpers import open_article, open_entity_panel, wait_until


async def test_labels_toggle_off_and_on_and_the_legend_shows_it(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        view = screen.view
        assert view.style_at(0).color.name == palette_of(app).entity["GPE"].rich_color.name
        await pilot.press("L")
        assert isinstance(app.screen, LabelFilterDialog)
        labels = app.screen.query_one("#labels")
        gpe_index = [labels.get_option_at_index(i).value for i in range(labels.option_count)].index("GPE")
        labels.highlighted = gpe_index
        await pilot.press("space", "enter")
        assert view.hidden_labels == {"GPE"}
        assert (
            view.style_at(0).color is None
            or view.style_at(0).color.name != palette_of(app).entity["GPE"].rich_color.name
        )
        legend = screen.query_one("#legend").render()
        gpe_span = next(span for span in legend.spans if legend.plain[span.start : span.end].strip() == "GPE")
        assert "strike" in str(gpe_span.style)
        # Other labels stay coloured; the choice holds in the next article opened this session.
        org = next(e for e in view.entities if e.label == "ORG")
        assert view.style_at(org.start).color.name == palette_of(app).entity["ORG"].rich_color.name
        await pilot.press("escape", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        assert app.screen.view.hidden_labels == {"GPE"}
        await pilot.press("L", "a", "enter")
        assert app.screen.view.hidden_labels == set()
        assert app.screen.view.style_at(0).color.name == palette_of(app).entity["GPE"].rich_color.name


async def test_entity_panel_groups_by_label_and_enter_walks_the_mentions(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        panel = await open_entity_panel(pilot, screen)
        labels = [str(node.label) for node in panel.root.children]
        gpe = sum(1 for e in screen.view.entities if e.label == "GPE")
        assert labels[0] == f"GPE  {gpe}"  # the most frequent label first, with its count
        pakistan = next(node for node in panel.root.children[0].children if str(node.label).startswith("Pakistan"))
        mentions = [e.start for e in pakistan.data]
        assert all(reference_text[m : m + 8] == "Pakistan" for m in mentions) and len(mentions) > 5
        assert str(pakistan.label).endswith(f"\u00d7{len(mentions)}")
        panel.root.children[0].expand()
        await pilot.pause()
        panel.move_cursor(pakistan)
        await pilot.press("enter")
        assert screen.view.caret == mentions[1]  # the caret was on mention 0 (offset 0): the next one
        await pilot.press("enter")
        assert screen.view.caret == mentions[2]
