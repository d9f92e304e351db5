"""The text of the bars (titles, filters, status, legend, tags, footer) reads on dark and light
themes: every character drawn has a WCAG contrast of at least 4.5:1 against the cell under it,
and follows a change of theme.

The cells are read from what Textual composes for the screen (colours resolved, dim text
already blended by Textual), on the library and on an article, under textual-dark and
textual-light, switching theme while the screens are open.
"""

from __future__ import annotations

import unicodedata

from textual.color import Color
from textual.filter import dim_color
from textual.widget import Widget
from textual.widgets import Footer

from reader.app.palette import TEXT_CONTRAST, contrast
from reader.app.screens.article import ArticleScreen
from reader.app.screens.library import LibraryScreen
from tests.app.helpers import wait_until

THEMES = ("textual-dark", "textual-light")


def _is_text(character: str) -> bool:
    """Letters, digits, punctuation and symbols; not the footer's box-drawing divider (a rule)."""
    return not character.isspace() and not unicodedata.name(character, "").startswith(("BOX DRAWINGS", "LEFT ONE"))


def low_contrast(app, widget: Widget) -> list[tuple[str, float, str]]:
    """Each run of text in ``widget`` drawn at under 4.5:1, with its contrast and style."""
    strips = app.screen._compositor.render_strips()
    region = widget.region
    assert region.area > 0, f"{widget!r} is not on screen"
    poor = []
    for y in range(region.y, region.bottom):
        for segment in strips[y].crop(region.x, region.right):
            text = "".join(c for c in segment.text if _is_text(c))
            if segment.control or not text:
                continue
            style = segment.style
            assert style is not None and style.color is not None and style.bgcolor is not None, segment
            fore, back = style.color, style.bgcolor
            if style.reverse:
                fore, back = back, fore
            if style.dim:  # Textual blends dim text itself; if a terminal were left to, it would be dimmer still
                fore = dim_color(back, fore)
            ratio = contrast(Color(*fore.get_truecolor()), Color(*back.get_truecolor()))
            if ratio < TEXT_CONTRAST:
                poor.append((text[:30], round(ratio, 2), str(style)))
    return poor


async def test_bar_text_reads_on_dark_and_light_themes(make_app, tag_phrase, corpus_dir):
    (corpus_dir / "surrogate.json").write_text('{"title": "x", "text": "\\ud800"}', encoding="utf-8")
    tag_phrase("the message that Pakistan is pivoting westward", "pivot westward")
    app = make_app()
    checked: dict[str, int] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.corpus.problems, "the problems line needs a problem"
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            for widget in (*screen.query("#library-title, #library-filters, #problems"), screen.query_one(Footer)):
                assert low_contrast(app, widget) == [], (theme, widget.id or "footer")
                checked[theme] = checked.get(theme, 0) + 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        article = app.screen
        assert isinstance(article, ArticleScreen)
        article.view.move_caret(article.article.text.index("Pakistan is pivoting") + 2)  # a tag and a note at the caret
        await pilot.press("v", "right", "right")  # a selection, shown in the status line
        await pilot.pause()
        for theme in (*THEMES, THEMES[0]):  # and back: the colours follow each change
            app.theme = theme
            await pilot.pause()
            status = str(article.query_one("#status").render())
            assert "pivot westward" in status and "selected" in status, status
            for widget in (*article.query("#article-title, #status, #legend, #tag-bar"), article.query_one(Footer)):
                assert low_contrast(app, widget) == [], (theme, widget.id or "footer")
                checked[theme] += 1
    assert checked == {"textual-dark": 4 + 5 + 5, "textual-light": 4 + 5}


def test_the_check_sees_poor_contrast() -> None:
    """The contrast the test asks for is not met by what Textual's light theme gives by itself
    for the footer keys ($footer-key-foreground on $footer-background, under 3:1)."""
    assert contrast(Color.parse("#0178D4"), Color.parse("#D0D0D0")) < TEXT_CONTRAST
