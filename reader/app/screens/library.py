"""LibraryScreen: the articles of the corpus, with their dates and how many passages are tagged."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from reader.corpus import Article, Corpus
from reader.safe_text import inert


class ArticleTable(DataTable[Text]):
    """The article list; j and k move like the arrows."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open_article", "Open"),
    ]

    def __init__(self, corpus: Corpus) -> None:
        super().__init__()
        self.corpus = corpus

    def compose(self) -> ComposeResult:
        yield Static(Text(f" reader \u00b7 {inert(str(self.corpus.root))}", no_wrap=True, overflow="ellipsis"), id="library-title")
        yield ArticleTable(cursor_type="row", zebra_stripes=True, id="articles")
        yield Static(self._problems_text(), id="problems")
        yield Footer()

    def _problems_text(self) -> Text:
        problems = self.corpus.problems
        if not problems:
            return Text(f" {len(self.corpus.articles)} articles", style="dim")
        text = Text(f" {len(self.corpus.articles)} articles \u00b7 {len(problems)} file(s) skipped: ", style="dim")
        text.append(inert("; ".join(f"{p.path.name}: {p.reason}" for p in problems[:3])), style="#e0af68")
        if len(problems) > 3:
            text.append(f"; and {len(problems) - 3} more", style="#e0af68")
        return text

    def on_mount(self) -> None:
        table = self.query_one(ArticleTable)
        table.add_column("Title", key="title")
        table.add_column("Date", key="date", width=10)
        table.add_column("Tagged", key="tagged", width=6)
        self.fill()
        table.focus()

    def on_screen_resume(self) -> None:
        self.fill()

    def fill(self) -> None:
        """(Re)list the articles with their current annotation counts, keeping the cursor."""
        table = self.query_one(ArticleTable)
        row = table.cursor_row
        counts = self.app.store.counts_by_article()
        table.clear()
        for article in self.corpus.articles:
            count = counts.get(article.id, 0)
            table.add_row(
                Text(article.title, no_wrap=True, overflow="ellipsis"),
                Text(article.date or "", style="dim"),
                Text(str(count) if count else "\u00b7", justify="right", style="bold" if count else "dim"),
                key=article.id,
            )
        if self.corpus.articles:
            table.move_cursor(row=min(row, len(self.corpus.articles) - 1))

    @property
    def selected_article(self) -> Article | None:
        table = self.query_one(ArticleTable)
        if not self.corpus.articles:
            return None
        return self.corpus.articles[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_article()

    def action_open_article(self) -> None:
        article = self.selected_article
        if article is not None:
            self.app.open_article(article)
