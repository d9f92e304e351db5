"""Find in an article like less and vim (issue 9.18): every match highlighted, "k of n" in the
status line, and a step past the last match wraps and says so."""

from __future__ import annotations

import re

from tests.app.helpers import open_article


def status(screen) -> str:
    return str(screen.query_one("#status").render())


def said(app, words: str) -> bool:
    return any(words in str(n.message) for n in app.notices)


async def test_every_match_is_highlighted_counted_and_the_wrap_is_told(make_app, reference_text):
    text = reference_text.rstrip("\n")
    starts = [m.start() for m in re.finditer("pakistan", text, re.IGNORECASE)]
    assert len(starts) > 3
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(pilot, app, find="pakistan")
        view = screen.view
        assert view.caret == starts[0]
        await pilot.pause()
        assert f"1 of {len(starts)}" in status(screen)
        highlight = view.style_at(starts[1] + 1).bgcolor
        assert highlight is not None
        for start in starts:  # every match, not only the one under the caret
            assert view.style_at(start + 1).bgcolor == highlight
        shown = "\n".join(view.visible_text()).casefold()
        assert shown.count("pakistan") >= 2  # more than one match on screen, all drawn
        assert view.style_at(starts[1] - 2).bgcolor != highlight  # and nothing else
        await pilot.press("N")  # back from the first: wraps to the last
        await pilot.pause()
        assert view.caret == starts[-1] and f"{len(starts)} of {len(starts)}" in status(screen)
        assert said(app, "search hit TOP, continuing at BOTTOM")
        await pilot.press("n")
        await pilot.pause()
        assert view.caret == starts[0] and f"1 of {len(starts)}" in status(screen)
        assert said(app, "search hit BOTTOM, continuing at TOP")
        await pilot.press("n")
        await pilot.pause()
        assert view.caret == starts[1] and f"2 of {len(starts)}" in status(screen)
