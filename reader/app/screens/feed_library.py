"""FeedLibraryScreen: the library narrowed to one feed's articles (enter on a feed in ``F``).

Everything the library does works here (search, filters, open, tag); the articles are those in
the feed's subfolder. ``esc`` (with no prompt open) goes back to the feeds. A fresh look at the
folder (``r``, or a fetch) keeps the narrowing, and the app keeps the whole corpus.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from reader.app.screens.library import LibraryScreen
from reader.corpus import Corpus
from reader.safe_text import inert


def feed_articles(corpus: Corpus, folder: str) -> Corpus:
    """The part of ``corpus`` below ``folder`` (its articles' ids start with ``folder/``)."""
    return corpus.narrowed(f"{folder}/")


class FeedLibraryScreen(LibraryScreen):
    # Not in the footer (the library's keys fill it at 80 columns): the title line says it, and ? lists it.
    """The library over one feed's articles; esc goes back to the feeds."""

    BINDINGS = [Binding("escape", "cancel_prompt", "Back to the feeds", show=False, id="feed-library.back")]

    def __init__(self, corpus: Corpus, folder: str, name: str) -> None:
        super().__init__(feed_articles(corpus, folder))
        self.folder = folder
        self.feed_name = name

    def on_mount(self) -> None:
        """Name the feed in the title line, with how to go back."""
        super().on_mount()
        title = f" feed {inert(self.feed_name)} (esc: back to the feeds) \u00b7 {inert(str(self.corpus.root / self.folder))}"
        self.query_one("#library-title", Static).update(Text(title, no_wrap=True, overflow="ellipsis"))

    def action_cancel_prompt(self) -> None:
        """Close the prompt if one is open, else go back to the feeds."""
        if self.prompt is None:
            self.app.pop_screen()
        else:
            super().action_cancel_prompt()

    def corpus_refreshed(self, old: Corpus, fresh: Corpus, quiet: bool = False) -> None:
        """Show the feed's part of the fresh corpus, and give the app the whole of it."""
        super().corpus_refreshed(old, feed_articles(fresh, self.folder), quiet)
        self.app.corpus = fresh  # the app keeps the whole corpus; this screen shows its part
