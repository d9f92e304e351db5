"""Tables fit an 80x24 terminal (issue 9.23): a long passage, title or file name is cut with an
ellipsis instead of pushing the other columns, headers and all, off the right edge."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from reader.app.screens.orphans import OrphansScreen
from reader.app.screens.problems import ProblemsScreen
from tests.app.helpers import open_entity_index, open_screen, wait_until
from tests.app.test_reanchoring import PASSAGE, edit_article

LONG = "An extraordinarily long headline about the talks that went on and on " * 3


def headers_on_screen(table: DataTable) -> list[str]:
    """The labels of the columns whose header is drawn whole inside the table."""
    header = table.render_line(0).text
    return [str(column.label) for column in table.ordered_columns if str(column.label) in header]


def all_headers(table: DataTable) -> list[str]:
    return [str(column.label) for column in table.ordered_columns]


async def settle(pilot, table: DataTable) -> None:
    await pilot.pause()
    await pilot.pause()
    assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing off the edge


async def test_orphans_fit_80_columns(make_app, tag_phrase, corpus_dir: Path):
    paragraph = next(line for line in next(corpus_dir.glob("*.txt")).read_text().split("\n") if PASSAGE in line)
    tag_phrase(paragraph, "a tag with a rather long name", "another tag")
    edit_article(corpus_dir, paragraph + "\n", "")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_screen(pilot, app, "O", OrphansScreen)
        table = screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1)
        await settle(pilot, table)
        assert headers_on_screen(table) == all_headers(table) == ["Status", "Passage", "Tags", "Article"]
        assert "\u2026" in table.render_line(1).text  # the passage is cut, and says so


async def test_entity_index_fits_80_columns(make_app, corpus_dir: Path):
    (corpus_dir / "long.txt").write_text(f"{LONG}\n2025-05-02\nChina and India met in Geneva.\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entity_index(pilot, app)
        await pilot.press("slash", *"china", "enter")
        for table in screen.query(DataTable):
            await settle(pilot, table)
            assert headers_on_screen(table) == all_headers(table)
        assert all_headers(screen.query_one("#index-articles", DataTable)) == ["Date", "Title", "Mentions"]


async def test_problems_fit_80_columns(make_app, corpus_dir: Path):
    (corpus_dir / f"{'a-file-with-a-very-long-name-' * 4}.json").write_text("{not json", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(ProblemsScreen(app.corpus))
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await settle(pilot, table)
        assert headers_on_screen(table) == all_headers(table) == ["File", "Why"]
