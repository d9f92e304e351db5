"""The library shows what tells apart two articles with the same title."""

from __future__ import annotations

from pathlib import Path

from reader.app.screens.library import LibraryScreen


async def test_rows_with_the_same_title_show_their_file_names(make_app, corpus_dir: Path) -> None:
    body = "The harbour of Karachi reopened on Monday after a strike of nine days, officials said in a statement."
    (corpus_dir / "story.html").write_text(
        f"<html><head><title>Same story</title></head><body><article><p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    (corpus_dir / "story.txt").write_text("Same story\n2025-01-01\nBody.", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        article_list = screen.article_list
        titles = {str(article_list.get_row_at(i)[0]) for i in range(article_list.row_count)}
        assert {"Same story \u00b7 story.html", "Same story \u00b7 story.txt"} <= titles
        assert any(t.startswith("Pakistan pitches") and "\u00b7" not in t for t in titles)
        drawn = "\n".join(str(line) for line in (article_list.render_line(y).text for y in range(3)))
        assert "story.html" in drawn and "story.txt" in drawn
