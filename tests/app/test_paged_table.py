"""PagedTable shows a long list a page of rows at a time: the first page at once, the next when
the cursor comes near the last row added or a row further down is asked for, each row at its
item's index; a new list starts again from its first page."""

from __future__ import annotations

from textual.app import App, ComposeResult

from reader.app.widgets.paged_table import MARGIN, PAGE, PagedTable


class Listing(App[None]):
    def compose(self) -> ComposeResult:
        yield PagedTable(flexible="name", cursor_type="row", id="table")

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.add_column("Name", key="name")
        table.focus()


def row_of(number: int) -> tuple[str]:
    return (f"item {number}",)


async def test_rows_come_a_page_at_a_time_as_the_cursor_nears_the_end():
    app = Listing()
    async with app.run_test(size=(40, 20)) as pilot:
        table = app.query_one(PagedTable)
        table.show(range(2 * PAGE + 50), row_of)
        assert table.row_count == PAGE
        table.move_cursor(row=PAGE - MARGIN - 1)
        await pilot.pause()
        assert table.row_count == PAGE  # not near the end yet
        await pilot.press("down")
        assert table.row_count == 2 * PAGE
        table.reveal(2 * PAGE + 10)
        assert table.row_count == 2 * PAGE + 50
        assert [table.get_row_at(i)[0] for i in (0, PAGE, 2 * PAGE + 49)] == [
            "item 0",
            f"item {PAGE}",
            f"item {2 * PAGE + 49}",
        ]
        table.reveal(10_000)  # no such item: nothing more to add
        assert table.row_count == 2 * PAGE + 50
        table.show(["only"], lambda item: (item,))
        assert table.row_count == 1 and list(table.items) == ["only"]
