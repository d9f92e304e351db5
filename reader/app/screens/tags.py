"""TagsScreen (key T): the codebook. Every code as a tree by its path, its passages, and its edits.

A code is a tag whose path (``framing/pivot westward``) places it under its parent; counts
include the children. Codes can be created before any passage carries them (n), described (d),
coloured (c: the tint of their passages), given dated memos (m), moved under another parent (p),
renamed or merged into another code by its name (r), and deleted (D, after a confirmation that
names how many passages lose it). Each edit is one change undone as one (u) from this screen; the
work is done by :class:`annotations.codebook_editing.CodebookEditor`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from annotations import Annotation, ArticleRef
from annotations.codebook import SEPARATOR, Code
from annotations.codebook_editing import CodebookEditor
from annotations.codebook_store import code_key, in_subtree
from annotations.history import CORPUS
from reader.app.base import ReaderScreen
from reader.app.dialogs.code_dialogs import CodeColourDialog, CodeTextDialog, ConfirmDeleteCodeDialog
from reader.app.dialogs.rename_tag import RenameTagDialog
from reader.app.store_guard import reports_store_errors
from reader.app.text_colours import BOLD, text_colours
from reader.app.widgets.tag_table import TagTable
from reader.safe_text import inert

BAR_WIDTH = 20


def _sentence(text: str) -> str:
    """Only the first letter raised: str.capitalize() would lowercase the codes' names."""
    return text[:1].upper() + text[1:]


def _paths_to(key: str) -> list[str]:
    """The code ``key`` and each of its parents (``a/b`` is counted under ``a`` and ``a/b``)."""
    parts = key.split(SEPARATOR)
    return [SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts) + 1)]


class TagsScreen(ReaderScreen[None]):
    CSS_PATH = "tags.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", show=False, id="tags.back"),
        Binding("n", "new_code", "New", tooltip="Create a code (parent/child) before using it", id="tags.new"),
        Binding(
            "d",
            "describe",
            "Describe",
            show=False,
            tooltip="Say what the code means and when to apply it",
            id="tags.describe",
        ),
        Binding("c", "colour", "Colour", show=False, tooltip="Colour the code's passages", id="tags.colour"),
        Binding("m", "memo", "Memo", show=False, tooltip="Add a dated memo to the code", id="tags.memo"),
        Binding(
            "p",
            "move",
            "Parent",
            show=False,
            tooltip="Move the code (and its children) under another",
            id="tags.parent",
        ),
        Binding(
            "r", "rename", "Rename", tooltip="Rename the code, or merge it into another by its name", id="tags.rename"
        ),
        Binding("D", "delete", "Delete", tooltip="Delete the code from every passage (asks first)", id="tags.delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change to the codebook", id="tags.undo"),
        Binding("ctrl+r", "redo", "Redo", show=False, tooltip="Redo the last undone change", id="tags.redo"),
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
        #: Codes by identity (code key): the code, its path, its count with its children, in tree order.
        self.codes: dict[str, Code] = {}
        self.spelling: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.order: list[str] = []
        self.known_articles: dict[str, ArticleRef] = {}
        self.passages: list[Annotation] = []

    @property
    def editor(self) -> CodebookEditor:
        return CodebookEditor(self.app.history)

    def compose(self) -> ComposeResult:
        title = Text(" Codebook: codes across the corpus", style="bold")
        title.append("  d describe \u00b7 c colour \u00b7 m memo \u00b7 p parent \u00b7 ? every key", style="dim")
        yield Static(title, id="tags-title")
        yield TagTable(cursor_type="row", zebra_stripes=True, id="tags")
        yield Static(id="code-details")
        yield Static(Text(" Passages", style="bold"), id="passages-title")
        yield TagTable(cursor_type="row", id="passages")
        yield Footer()

    def on_mount(self) -> None:
        tags = self.query_one("#tags", TagTable)
        tags.add_column("Code", key="tag")
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
    def refresh_tags(self, keep: str | None = None) -> None:
        """List the codes as a tree, each counted with its children (from the store's index and
        the codebook file: no article file is read); the cursor stays on ``keep`` if given."""
        store, codebook = self.app.store, self.app.history.codebook
        codes = codebook.codes()
        own = codebook.own_counts()
        self.codes = {code.key: code for code in codes}
        self.order = [code.key for code in codes]
        self.spelling = {code.key: code.path for code in codes}
        self.counts = dict.fromkeys(self.order, 0)
        for key, count in own.items():
            for path in _paths_to(key):
                self.counts[path] = self.counts.get(path, 0) + count
        articles_of: dict[str, set[str]] = defaultdict(set)
        for article_id, keys in store.tags_by_article().items():
            for tag in keys:
                for path in _paths_to(code_key(tag)):
                    articles_of[path].add(article_id)
        self.known_articles = store.articles()
        table = self.query_one("#tags", TagTable)
        row = self.order.index(keep) if keep in self.order else table.cursor_row
        table.clear()
        most = max(self.counts.values(), default=1) or 1
        tag_style = text_colours(self.app).tag
        for key in self.order:
            code = self.codes[key]
            colour = Style(color=code.colour) if code.colour else tag_style
            titles = sorted(self._title(article_id) for article_id in articles_of[key])
            bar = "\u2588" * max(1, round(BAR_WIDTH * self.counts[key] / most)) if self.counts[key] else ""
            indent = "  " * key.count(SEPARATOR)
            table.add_row(
                Text(indent + inert(code.name), style=colour + BOLD, no_wrap=True, overflow="ellipsis"),
                Text(str(self.counts[key]), justify="right"),
                Text(bar, style=colour),
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

    @property
    def current_code(self) -> Code | None:
        key = self.current_tag
        return None if key is None else self.codes[key]

    def _show_details(self, code: Code | None) -> None:
        """One line under the tree: the highlighted code's path, description and last memo."""
        details = Text(no_wrap=True, overflow="ellipsis")
        if code is not None:
            details.append(f" {inert(code.path)}", style="bold")
            details.append(f" \u00b7 {inert(code.description)}" if code.description else " \u00b7 no description (d)")
            if code.memos:
                last = code.memos[-1]
                details.append(f" \u00b7 {len(code.memos)} memo(s), {last.created:%Y-%m-%d}: {inert(last.text)}")
        self.query_one("#code-details", Static).update(details)

    @reports_store_errors
    def show_passages(self) -> None:
        """The passages of the highlighted code and its children, by article and position."""
        table = self.query_one("#passages", TagTable)
        table.clear()
        code = self.current_code
        self._show_details(code)
        found = self.editor.passages_under(code.path) if code else []
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

    @reports_store_errors
    def _edit(self, edit: Callable[[], str], keep: str | None = None) -> None:
        """Make an edit that returns what it did in words; a refused one (a bad name, a move
        under itself) is said and changes nothing. The tree is redrawn on the code ``keep``."""
        try:
            said = edit()
        except ValueError as refused:
            self.notify(inert(_sentence(str(refused)) + "."), severity="warning", markup=False)
            return
        self.refresh_tags(keep)
        self.notify(inert(said), markup=False)

    def _ask(self, dialog: CodeTextDialog, then: Callable[[Code, str], str], keep_new: bool = False) -> None:
        """Ask for a line of text about the highlighted code, then edit it with the answer."""
        code = self.current_code
        if code is None:
            return

        def answered(text: str | None) -> None:
            if text is not None:
                self._edit(lambda: then(code, text), None if keep_new else code.key)

        self.app.push_screen(dialog, answered)

    def action_new_code(self) -> None:
        def answered(path: str | None) -> None:
            if path:
                created = self.editor.create
                self._edit(lambda: f"Created the code {created(path).path} (d describes it).", code_key(path))

        paths = [self.spelling[key] + SEPARATOR for key in self.order]
        hint = "parent/child places it under a parent"
        self.app.push_screen(CodeTextDialog("New code:", hint=hint, paths=paths), answered)

    def action_describe(self) -> None:
        code = self.current_code
        if code is not None:
            dialog = CodeTextDialog(f"What \u201c{code.path}\u201d means, and when to apply it:", code.description)
            self._ask(dialog, lambda c, text: f"Described {self.editor.describe(c.path, text).path}.")

    def action_memo(self) -> None:
        code = self.current_code
        if code is not None:
            dialog = CodeTextDialog(f"A memo on \u201c{code.path}\u201d (dated today):")
            self._ask(dialog, lambda c, text: f"Memo {len(self.editor.add_memo(c.path, text).memos)} on {c.path} kept.")

    def action_move(self) -> None:
        code = self.current_code
        if code is None:
            return
        others = [self.spelling[key] for key in self.order if not in_subtree(key, code.key)]
        dialog = CodeTextDialog(
            f"Move \u201c{code.path}\u201d under the code:", code.parent or "", "empty: the top", others
        )

        def moved(c: Code, parent: str) -> str:
            done = self.editor.move(c.path, parent or None)
            return f"{_sentence(done.label)}: {done.passages} annotation(s) changed (u undoes)."

        self._ask(dialog, moved, keep_new=True)

    def action_colour(self) -> None:
        code = self.current_code
        if code is None:
            return

        def answered(colour: str | None) -> None:
            if colour is not None:
                self._edit(lambda: f"Colour of {self.editor.set_colour(code.path, colour or None).path} set.", code.key)

        self.app.push_screen(CodeColourDialog(code.path), answered)

    def action_rename(self) -> None:
        code = self.current_code
        if code is None:
            return
        existing = [self.spelling[k] for k in self.order if k != code.key]
        self.app.push_screen(RenameTagDialog(code.path, existing), lambda new: self._rename(code, new))

    def _rename(self, code: Code, new: str | None) -> None:
        if not new or new == code.path:
            return

        def rename() -> str:
            done = self.editor.rename(code.path, new)
            return f"{_sentence(done.label)}: {done.passages} annotation(s) changed (u undoes)."

        self._edit(rename, code_key(new))

    @reports_store_errors
    def action_delete(self) -> None:
        code = self.current_code
        if code is None:
            return
        passages = len(self.editor.passages_under(code.path))

        def delete(confirmed: bool | None = True) -> None:
            if confirmed:
                done = self.editor.delete
                self._edit(lambda: f"{_sentence(done(code.path, passages).label)} (u undoes).")

        if passages:
            self.app.push_screen(ConfirmDeleteCodeDialog(code.path, passages), delete)
        else:
            delete()

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
