"""ArticleList: the library's articles, one a row, drawn through the Line API.

Only the rows on screen are drawn, so showing or filtering 10,000 articles costs what showing 40
does. Titles are drawn as plain segments (never parsed as markup).

While a full-text query is active (:attr:`ArticleList.snippets` set), each article takes two
lines: its row as always, and under it, indented, a snippet of its matched text with the matched
words highlighted (:mod:`reader.app.widgets.snippets`), fetched for the rows on screen only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from functools import partial

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.app.text_colours import BOLD, text_colours
from reader.app.widgets.snippets import Snippets, snippet_segments, words_for
from reader.corpus import Article
from reader.corpus.titles import shown_title

DATE_WIDTH = 10
COUNT_WIDTH = 5
UNREAD_MARK = "\u25cf"


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "\u2026"


def _position_of(rows: Sequence[Article], article_id: str) -> int | None:
    """Where ``article_id`` is among ``rows``: asked of the rows when they can tell (a catalog's
    rows look it up), else looked for."""
    find = getattr(rows, "position_of", None)
    if find is not None:
        return find(article_id)
    return next((index for index, article in enumerate(rows) if article.id == article_id), None)


class ArticleList(ScrollView, can_focus=True):
    """The articles to show, one a row: unread mark, title, date and number of annotations."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--date",
        "article-list--count",
    }

    # One Binding a key (not "down,j"), so the help lists each key once.
    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False, id="library.down"),
        Binding("j", "move(1)", "Down", show=False, id="library.down"),
        Binding("up", "move(-1)", "Up", show=False, id="library.up"),
        Binding("k", "move(-1)", "Up", show=False, id="library.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="library.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="library.page-up"),
        Binding("home", "edge(-1)", "First", show=False, id="library.first"),
        Binding("g", "edge(-1)", "First", show=False, id="library.first"),
        Binding("end", "edge(1)", "Last", show=False, id="library.last"),
        Binding("G", "edge(1)", "Last", show=False, id="library.last"),
    ]

    class Chosen(Message):
        """The user clicked the row under the cursor: open it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The articles shown: a sequence that fetches the rows on screen (never copied here).
        self.rows: Sequence[Article] = []
        self.counts: Mapping[str, int] = {}
        self.read: Set[str] = set()
        #: What tells apart articles whose titles are the same, by id (shown after the title).
        self.details: Mapping[str, str] = {}
        self.cursor_row = 0
        #: The snippets of the active full-text query's hits (None: no query, one line a row).
        self.snippets: Snippets | None = None

    @property
    def row_height(self) -> int:
        """Lines an article takes: two with a snippet under it, else one."""
        return 1 if self.snippets is None else 2

    def show(
        self,
        rows: Sequence[Article],
        counts: Mapping[str, int],
        read: Set[str],
        keep: str | None = None,
        snippets: Snippets | None = None,
    ) -> None:
        """Show ``rows``, the cursor on the article ``keep`` if it is among them, each with its
        snippet from ``snippets`` (kept if it is for the same query as before)."""
        if snippets is None or not snippets.same_as(self.snippets):
            self.snippets = snippets
        self.rows = rows
        self.counts = counts
        self.read = read
        position = _position_of(rows, keep) if keep else None
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)
        self.move_cursor(position if position is not None else self.cursor_row)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def current(self) -> Article | None:
        return self.rows[self.cursor_row] if self.rows else None

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        step = self.row_height
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        first, last = self.cursor_row * step, self.cursor_row * step + step - 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif height and last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, direction: int) -> None:
        rows = self.scrollable_content_region.height // self.row_height
        self.move_cursor(self.cursor_row + direction * max(rows - 1, 1))

    def action_edge(self, direction: int) -> None:
        self.move_cursor(0 if direction < 0 else len(self.rows) - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        row = (event.y + round(self.scroll_y)) // self.row_height
        if 0 <= row < len(self.rows):
            if row == self.cursor_row:
                self.post_message(self.Chosen())
            self.move_cursor(row)

    def get_row_at(self, index: int) -> tuple[Text, Text, Text, Text]:
        """The cells of row ``index`` as drawn: title, date, annotation count, unread mark."""
        article = self.rows[index]
        count = self.counts.get(article.id, 0)
        unread = article.id not in self.read
        return (
            Text(shown_title(article.title, self.details.get(article.id)), style="bold" if unread else ""),
            Text(article.date or "", style="dim"),
            Text(str(count) if count else "\u00b7", justify="right", style="bold" if count else "dim"),
            Text(UNREAD_MARK if unread else " "),
        )

    def render_line(self, y: int) -> Strip:
        line = y + round(self.scroll_y)
        index, part = divmod(line, self.row_height)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        article = self.rows[index]
        if index == self.cursor_row:
            base = base + self.get_component_rich_style("article-list--cursor")
        if part:
            return self._snippet_line(index, width, base)
        unread = article.id not in self.read
        count = self.counts.get(article.id, 0)
        title_width = max(width - 2 - 2 - DATE_WIDTH - COUNT_WIDTH - 1, 4)
        segments = [
            Segment(
                f"{UNREAD_MARK} " if unread else "  ", base + self.get_component_rich_style("article-list--unread")
            ),
            Segment(
                fit(shown_title(article.title, self.details.get(article.id)), title_width), base + Style(bold=unread)
            ),
            Segment("  ", base),
            Segment(fit(article.date or "", DATE_WIDTH), base + self.get_component_rich_style("article-list--date")),
            Segment(
                (str(count) if count else "\u00b7").rjust(COUNT_WIDTH),
                base + (Style(bold=True) if count else self.get_component_rich_style("article-list--count")),
            ),
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def _snippet_line(self, index: int, width: int, base: Style) -> Strip:
        """The line under row ``index``: its snippet, indented, the matched words highlighted."""
        snippets = self.snippets
        assert snippets is not None
        marked = snippets.known.get(self.rows[index].id)
        if marked is None:  # not fetched yet: the whole window's, in a worker
            top = round(self.scroll_y) // self.row_height
            shown = self.rows[top : top + self.size.height // self.row_height + 1]
            window = [self.rows[index].id, *(article.id for article in shown)]
            if wanted := snippets.missing(window):
                fetch = partial(self._fetch, snippets, wanted, words_for(width - 4))
                self.run_worker(fetch, thread=True, group="snippets")
            marked = "\u2026"
        colours = text_colours(self.app)
        segments = [Segment("    ", base)]
        segments += snippet_segments(
            marked, width - 4, base + colours.muted, colours.tag + BOLD + Style(underline=True)
        )
        return Strip(segments).adjust_cell_length(width, base)

    def _fetch(self, snippets: Snippets, wanted: list[str], words: int) -> None:
        """Fetch the snippets of ``wanted`` (in a worker), then draw them if still shown."""
        if snippets is not self.snippets:  # the query changed while this waited
            return
        try:
            fetched = snippets.fetch(wanted, words)
        except Exception:  # the index closed or replaced meanwhile: rows without snippets
            fetched = {}
        try:
            self.app.call_from_thread(self._arrived, snippets, wanted, fetched)
        except RuntimeError:  # the app has gone
            pass

    def _arrived(self, snippets: Snippets, wanted: list[str], fetched: dict[str, str]) -> None:
        snippets.arrived(wanted, fetched)
        if snippets is self.snippets:
            self.refresh()
