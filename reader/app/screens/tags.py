"""TagsScreen: every tag across the corpus, its passages, and renaming or merging tags.

Renaming a tag to the name of another merges the two. A rename is one change to every
annotation that carries the tag, undone as one (u), from this screen.
"""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotations import Annotation, ArticleRef
from annotations.history import CORPUS
from annotations.model import merge_tags, tag_key
from reader.app.base import ReaderScreen
from reader.app.dialogs.rename_tag import RenameTagDialog
from reader.app.store_guard import reports_store_errors
from reader.app.text_colours import BOLD, text_colours
from reader.app.widgets.tag_table import TagTable
from reader.safe_text import inert

BAR_WIDTH = 20


class TagsScreen(ReaderScreen[None]):
    CSS_PATH = "tags.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="tags.back"),
        Binding(
            "r", "rename", "Rename", tooltip="Rename the tag, or merge it into another by its name", id="tags.rename"
        ),
        Binding("u", "undo", "Undo", tooltip="Undo the last rename or merge", id="tags.undo"),
        Binding("ctrl+r", "redo", "Redo", tooltip="Redo the last undone rename or merge", id="tags.redo"),
        Binding(
            "tab",
            "switch_table",
            "Tags/passages",
            show=False,
            tooltip="Move between tags and passages",
            id="tags.tags-passages",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Tags by identity (tag_key): how spelled, how often used, in order; the passages shown.
        self.spelling: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.order: list[str] = []
        self.known_articles: dict[str, ArticleRef] = {}
        self.passages: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(" Tags across the corpus", style="bold"), id="tags-title")
        yield TagTable(cursor_type="row", zebra_stripes=True, id="tags")
        yield Static(Text(" Passages", style="bold"), id="passages-title")
        yield TagTable(cursor_type="row", id="passages")
        yield Footer()

    def on_mount(self) -> None:
        tags = self.query_one("#tags", TagTable)
        tags.add_column("Tag", key="tag")
        tags.add_column("Count", key="count")
        tags.add_column("", key="bar", width=BAR_WIDTH)
        tags.add_column("Articles", key="articles")
        passages = self.query_one("#passages", TagTable)
        passages.add_column("Passage", key="quote")
        passages.add_column("Article", key="title")
        passages.add_column("Date", key="date")
        self.refresh_tags()
        tags.focus()

    def on_screen_resume(self) -> None:
        self.refresh_tags()

    # -- data ------------------------------------------------------------------------------

    @reports_store_errors
    def refresh_tags(self) -> None:
        """List the tags, most used first, from the store's index (no article file is read)."""
        store = self.app.store
        counted = store.tag_counts()
        self.spelling = {tag_key(tag): tag for tag, _ in counted}
        self.counts = {tag_key(tag): count for tag, count in counted}
        self.order = [tag_key(tag) for tag, _ in counted]
        articles_of: dict[str, set[str]] = defaultdict(set)
        for article_id, keys in store.tags_by_article().items():
            for key in keys:
                articles_of[key].add(article_id)
        self.known_articles = store.articles()
        table = self.query_one("#tags", TagTable)
        row = table.cursor_row
        table.clear()
        most = max(self.counts.values(), default=1)
        tag = text_colours(self.app).tag
        for key in self.order:
            titles = sorted(self._title(article_id) for article_id in articles_of[key])
            bar = "\u2588" * max(1, round(BAR_WIDTH * self.counts[key] / most))
            table.add_row(
                Text(inert(self.spelling[key]), style=tag + BOLD),
                Text(str(self.counts[key]), justify="right"),
                Text(bar, style=tag),
                Text(f"{len(titles)}: " + "; ".join(titles), no_wrap=True, overflow="ellipsis"),
                key=key,
            )
        if self.order:
            table.move_cursor(row=min(row, len(self.order) - 1))
        self.show_passages()

    def _title(self, article_id: str) -> str:
        article = self.app.corpus.get(article_id)
        if article is not None:
            return article.title
        known = self.known_articles.get(article_id)
        return inert(known.title) if known else inert(article_id)

    @property
    def current_tag(self) -> str | None:
        table = self.query_one("#tags", TagTable)
        return self.order[table.cursor_row] if self.order else None

    @reports_store_errors
    def show_passages(self) -> None:
        """The passages of the highlighted tag, by article and position."""
        table = self.query_one("#passages", TagTable)
        table.clear()
        key = self.current_tag
        found = self.app.store.passages_with_tag(self.spelling[key]) if key else []
        self.passages = sorted(found, key=lambda a: (a.article_id, a.start))
        for annotation in self.passages:
            article = self.app.corpus.get(annotation.article_id)
            quote = " ".join(inert(annotation.quote).split())
            table.add_row(
                Text(quote, no_wrap=True, overflow="ellipsis"),
                Text(self._title(annotation.article_id), no_wrap=True, overflow="ellipsis"),
                Text((article.date if article else "") or "", style="dim"),
                key=annotation.id,
            )

    @on(DataTable.RowHighlighted, "#tags")
    def _tag_highlighted(self) -> None:
        self.show_passages()

    # -- actions ---------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#tags")
    def _tag_chosen(self) -> None:
        if self.passages:
            self.query_one("#passages", TagTable).focus()

    @on(DataTable.RowSelected, "#passages")
    def _passage_chosen(self, event: DataTable.RowSelected) -> None:
        annotation = self.passages[event.cursor_row]
        article = self.app.corpus.get(annotation.article_id)
        if article is None:
            self.notify("That article is not in the open corpus.", severity="warning")
            return
        self.app.open_article(article, caret=annotation.start)

    def action_switch_table(self) -> None:
        tags, passages = self.query_one("#tags", TagTable), self.query_one("#passages", TagTable)
        (passages if tags.has_focus else tags).focus()

    def action_rename(self) -> None:
        key = self.current_tag
        if key is None:
            return
        old = self.spelling[key]
        existing = [self.spelling[k] for k in self.order if k != key]
        self.app.push_screen(RenameTagDialog(old, existing), lambda new: self._rename(key, new))

    @reports_store_errors
    def _rename(self, key: str, new: str | None) -> None:
        if not new or new == self.spelling[key]:
            return
        merging = tag_key(new) in self.counts and tag_key(new) != key
        pairs = []
        for annotation in self.app.store.passages_with_tag(self.spelling[key]):
            tags = [new if tag_key(tag) == key else tag for tag in annotation.tags]
            pairs.append((annotation, annotation.retagged(merge_tags(tags))))
        label = f"merge of {self.spelling[key]} into {new}" if merging else f"rename of {self.spelling[key]} to {new}"
        self.app.history.update_many(CORPUS, label, pairs)
        self.refresh_tags()
        # Only the first letter is raised: str.capitalize() would lowercase the tag names in the label.
        sentence = label[:1].upper() + label[1:]
        self.notify(inert(f"{sentence}: {len(pairs)} annotation(s) changed (u undoes)."), markup=False)

    @reports_store_errors
    def action_undo(self) -> None:
        change = self.app.history.undo(CORPUS)
        self.refresh_tags()
        self.notify(inert(change.message("undo")) if change else "Nothing to undo.", markup=False)

    @reports_store_errors
    def action_redo(self) -> None:
        change = self.app.history.redo(CORPUS)
        self.refresh_tags()
        self.notify(inert(change.message("redo")) if change else "Nothing to redo.", markup=False)

    def action_back(self) -> None:
        self.dismiss(None)
