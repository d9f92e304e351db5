"""Entity and annotation colours come from the running theme and read on dark and light themes."""

from __future__ import annotations

from textual.color import Color

from reader.app.palette import contrast, palette_of
from reader.app.screens.article import ArticleScreen
from tests.app.helpers import wait_until


def drawn(rich_colour) -> Color:
    return Color(*rich_colour.get_truecolor())


async def test_entity_colours_read_on_dark_and_light_themes_and_follow_the_theme(make_app, tag_phrase, reference_text):
    """Under textual-dark and textual-light, every entity drawn reads at 4.5:1 (text) against the
    background under it (plain or annotated), and a change of theme changes the colours drawn."""
    tag_phrase("the message that Pakistan is pivoting westward", "pivot westward")
    app = make_app()
    drawn_by_theme: dict[str, dict[str, str]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        view = app.screen.view
        annotated = reference_text.index("Pakistan is pivoting") + 2
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            background = palette_of(app).background
            colours: dict[str, str] = {}
            for entity in view.entities:
                style = view.style_at(entity.start)
                ground = drawn(style.bgcolor) if style.bgcolor else background
                ratio = contrast(drawn(style.color), ground)
                assert ratio >= 4.5, (theme, entity.label, style, ratio)
                colours[entity.label] = style.color.name
            under_tag = view.style_at(annotated)
            assert under_tag.bgcolor is not None and contrast(drawn(under_tag.color), drawn(under_tag.bgcolor)) >= 4.5
            drawn_by_theme[theme] = colours | {"annotation": under_tag.bgcolor.name}
    dark, light = drawn_by_theme["textual-dark"], drawn_by_theme["textual-light"]
    assert len(dark) > 3
    assert all(dark[key] != light[key] for key in dark)
