"""Number keys keep applying the same tag as counts change and after a restart, until `#`."""

from __future__ import annotations

from reader.app.screens.article import ArticleScreen
from tests.app.helpers import open_article


def bar(screen: ArticleScreen) -> str:
    return str(screen.query_one("#tag-bar").render())


async def test_quick_tag_numbers_stay_put_across_counts_and_restarts(make_app, tag_phrase, reference_text):
    tag_phrase("pivoting westward", "alpha")
    tag_phrase("the message that Pakistan", "alpha")
    tag_phrase("no other South Asian state", "beta")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        assert "1  alpha" in bar(screen) and "2  beta" in bar(screen)
    # beta becomes the most used tag (elsewhere: another window, an import).
    tag_phrase("Missing were Russia and China", "beta")
    tag_phrase("steadfast commitment", "beta")
    tag_phrase("four Central Asian", "beta")
    app = make_app()  # a restart
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        assert "1  alpha" in bar(screen) and "2  beta" in bar(screen)
        assert bar(screen).index("alpha") < bar(screen).index("beta")  # the bar in number order
        await pilot.press("slash", *"a linchpin", "enter", "s", "1")  # 1 pressed from memory
        sentence = next(a for a in app.store.all() if "linchpin" in a.quote)
        assert sentence.tags == ["alpha"]
        await pilot.press("number_sign")  # renumber by use: beta (4) before alpha (3)
        assert bar(screen).strip().startswith("1  beta") and "2  alpha" in bar(screen)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        assert bar(screen).strip().startswith("1  beta")
