"""FeedsScreen (F): the feeds the corpus follows, and fetching them without freezing the UI.

Each feed shows its articles, those not read yet, those new in this session, and its last
fetch's result; ``enter`` shows its articles in a library of their own. ``a`` adds
a feed by its address, ``d`` removes the highlighted one (its articles stay), ``f`` fetches every
feed in a thread worker: a progress bar and a status line follow it, and the library looks again
at the corpus after each feed, so new articles appear in it while the rest still come in.
Nothing is fetched until ``f`` is pressed; leaving the screen stops a fetch at the next item.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from reader.app.base import ReaderScreen
from reader.app.widgets.fitted_table import FittedTable
from reader.app.worker_errors import failure_message
from reader.feeds.fetch import Policy
from reader.feeds.harvest import FeedReport, Progress
from reader.feeds.subscriptions import CorpusBusy, Feed, SubscriptionError, feeds_lock, load_subscriptions
from reader.paths import sample_corpus_dir
from reader.safe_text import inert


class _ScreenProgress(Progress):
    """Passes a fetch's progress (from the worker thread) to the screen, on the UI thread."""

    def __init__(self, screen: FeedsScreen) -> None:
        self.screen = screen

    def feed_started(self, report: FeedReport, total: int) -> None:
        self.screen.from_worker(self.screen.fetch_progress, report, total)

    def article_done(self, report: FeedReport, path: str | None) -> None:
        self.screen.from_worker(self.screen.fetch_progress, report, 0)

    def feed_done(self, report: FeedReport) -> None:
        self.screen.from_worker(self.screen.feed_fetched, report)


class FeedsScreen(ReaderScreen[None]):
    """The feeds of the corpus, with a fetch that runs in the background."""

    CSS_PATH = "feeds.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="feeds.back"),
        Binding("f", "fetch", "Fetch", tooltip="Fetch every feed and its new articles", id="feeds.fetch"),
        Binding("enter", "open_feed", "Articles", tooltip="The highlighted feed's articles", id="feeds.articles"),
        Binding("a", "add", "Add", tooltip="Follow a feed: type its address", id="feeds.add"),
        Binding(
            "d",
            "remove",
            "Remove",
            tooltip="Stop following the highlighted feed (its articles stay)",
            id="feeds.remove",
        ),
        Binding("j", "cursor('down')", "Down", show=False, id="feeds.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="feeds.up"),
    ]

    def __init__(self, policy: Policy | None = None) -> None:
        super().__init__()
        self.policy = policy
        self.new_counts: dict[str, int] = {}
        self.results: dict[str, str] = {}
        self.stop = threading.Event()
        self.fetching = False
        self.total = 0
        self._feeds: list[Feed] = []

    @property
    def corpus_root(self) -> Path:
        """The folder of the corpus the app shows."""
        return Path(self.app.corpus.root)

    def compose(self) -> ComposeResult:
        yield Static(Text(f" Feeds of {inert(str(self.corpus_root))}", style="bold"), id="feeds-title")
        yield FittedTable(flexible="result", caps={"name": 24, "when": 20}, cursor_type="row", id="feeds")
        yield ProgressBar(show_eta=False, id="feeds-progress")
        yield Static("", id="feeds-status")
        yield Input(placeholder="the feed's address (http or https), then enter; esc cancels", id="feeds-input")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(FittedTable)
        for label, key in (
            ("Feed", "name"),
            ("Articles", "articles"),
            ("Unread", "unread"),
            ("New", "new"),
            ("Last fetch", "when"),
            ("Result", "result"),
        ):
            table.add_column(label, key=key)
        self.query_one("#feeds-input", Input).display = False
        self.query_one(ProgressBar).display = False
        self.show_feeds()
        table.focus()

    def on_unmount(self) -> None:
        """Leaving the screen stops a fetch at the next item."""
        self.stop.set()

    def show_feeds(self) -> None:
        """Fill the table from the feeds file and the ledger (small files: read on the UI thread)."""
        from reader.feeds.ledger import load_ledger

        table = self.query_one(FittedTable)
        table.clear()
        try:
            feeds = load_subscriptions(self.corpus_root).feeds
        except SubscriptionError as error:
            self.set_status(str(error))
            return
        self._feeds = feeds
        ledger = load_ledger(self.corpus_root)
        read = self.app.reading.read_ids()
        for feed in feeds:
            paths = [record.path for record in ledger.records if record.feed == feed.name]
            unread = sum(1 for path in paths if path not in read)  # a .md article's id is its path
            result = self.results.get(feed.name) or feed.last_result or "never fetched"
            when = feed.last_fetch[:16].replace("T", " ") if feed.last_fetch else ""
            counts = (len(paths), unread, self.new_counts.get(feed.name, 0))
            cells = (feed.name, *map(str, counts), when, result)
            table.add_row(*(Text(inert(cell)) for cell in cells), key=feed.url)
        table.fit()
        if not feeds:
            self.set_status("No feed yet: press a and type a feed's address.")

    def set_status(self, message: str) -> None:
        """Show ``message`` on the status line (inert)."""
        self.query_one("#feeds-status", Static).update(Text(" " + inert(message)))

    def action_back(self) -> None:
        """Close the address prompt, else go back."""
        field = self.query_one("#feeds-input", Input)
        if field.display:
            field.display = False
            self.query_one(FittedTable).focus()
            return
        self.app.pop_screen()

    def action_cursor(self, direction: str) -> None:
        """Move the highlight (j / k)."""
        table = self.query_one(FittedTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()

    def on_screen_resume(self) -> None:
        """Back from a feed's articles: fewer may be unread."""
        self.show_feeds()  # back from a feed's articles: fewer unread

    @on(DataTable.RowSelected, "#feeds")
    def _feed_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()  # the table takes enter itself: choosing a row is the same as the binding
        self.action_open_feed()

    def action_open_feed(self) -> None:
        """The highlighted feed's articles, in a library of their own."""
        from reader.app.screens.feed_library import FeedLibraryScreen

        table = self.query_one(FittedTable)
        if not table.row_count:
            return
        url = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        feed = next((each for each in self._feeds if each.url == url), None)
        if feed is not None:
            self.app.push_screen(FeedLibraryScreen(self.app.corpus, feed.folder, feed.name))

    def action_add(self) -> None:
        """Ask for a feed's address below the table."""
        field = self.query_one("#feeds-input", Input)
        field.value = ""
        field.display = True
        field.focus()

    @on(Input.Submitted, "#feeds-input")
    def _address_given(self, event: Input.Submitted) -> None:
        """Follow the feed typed (under the feeds lock); a bad address is a message."""
        event.stop()
        address = event.value.strip()
        event.input.display = False
        self.query_one(FittedTable).focus()
        if not address or not self._own_corpus():
            return
        try:
            with feeds_lock(self.corpus_root, wait=2.0):
                subscriptions = load_subscriptions(self.corpus_root)
                feed = subscriptions.add(address)
                subscriptions.save()
        except (SubscriptionError, CorpusBusy, OSError) as error:
            self.notify(str(error), title="Feed not added", severity="error", timeout=10, markup=False)
            return
        self.notify(f"Following {feed.name}; press f to fetch.", markup=False)
        self.show_feeds()

    def _own_corpus(self) -> bool:
        """Whether the corpus may take feeds: not the sample, which lives inside the installed package."""
        if self.corpus_root.resolve() != sample_corpus_dir().resolve():
            return True
        self.notify("The sample corpus takes no feeds: open reader on a folder of your own.", markup=False)
        return False

    def action_remove(self) -> None:
        """Stop following the highlighted feed; its articles stay."""
        table = self.query_one(FittedTable)
        if self.fetching or not table.row_count:
            return
        url = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        try:
            with feeds_lock(self.corpus_root, wait=2.0):
                subscriptions = load_subscriptions(self.corpus_root)
                feed = subscriptions.remove(url)
                subscriptions.save()
        except (SubscriptionError, CorpusBusy, OSError) as error:
            self.notify(str(error), title="Feed not removed", severity="error", timeout=10, markup=False)
            return
        self.notify(f"No longer following {feed.name}; its articles stay.", markup=False)
        self.show_feeds()

    def action_fetch(self) -> None:
        """Start fetching every feed in the background (not on the sample corpus)."""
        if self.fetching:
            self.notify("A fetch is already running.", markup=False)
            return
        if not self._own_corpus():
            return
        self.fetching = True
        self.total = 0
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.set_status("Fetching the feeds\u2026")
        self.fetch_all()

    @work(thread=True, exclusive=True, group="feeds-fetch")
    def fetch_all(self) -> None:
        """Fetch every feed (a worker thread: the UI never waits on the network)."""
        from reader.feeds.fetch import Fetcher
        from reader.feeds.harvest import Harvest
        from reader.feeds.ledger import load_ledger

        message = ""
        reports: list[FeedReport] = []
        try:
            with feeds_lock(self.corpus_root):
                subscriptions = load_subscriptions(self.corpus_root)
                with Fetcher(self.policy) as fetcher:
                    harvest = Harvest(
                        self.corpus_root, subscriptions, load_ledger(self.corpus_root), fetcher, _ScreenProgress(self)
                    )
                    harvest.stop = self.stop
                    reports = harvest.fetch_feeds(subscriptions.feeds)
        except (SubscriptionError, CorpusBusy, OSError) as error:
            message = failure_message(error)
        finally:
            self.fetching = False
        self.from_worker(self.fetch_finished, reports, message, always=self._refresh_library)

    def from_worker(
        self, callback: Callable[..., object], *arguments: object, always: Callable[[], object] | None = None
    ) -> None:
        """Run ``callback`` on the UI thread while this screen is shown (the user may have left it
        mid-fetch); ``always`` runs either way. Nothing runs once the app is closing."""

        def run() -> None:
            if always is not None:
                always()
            if self.is_attached:
                callback(*arguments)

        try:
            self.app.call_from_thread(run)
        except RuntimeError:
            pass  # the app has closed: there is nothing left to show

    def fetch_progress(self, report: FeedReport, total: int) -> None:
        """A feed was read (``total`` pages to fetch) or one of its items is done."""
        bar = self.query_one(ProgressBar)
        if total:
            self.total += total
            bar.update(total=self.total)
        elif report.pending >= 0:
            bar.advance(1)
        self.set_status(f"Fetching {report.name}: {report.new} new, {report.pending} to go")

    def feed_fetched(self, report: FeedReport) -> None:
        """A feed is done: its counts in the table, and the library looks again for its articles."""
        self.new_counts[report.name] = self.new_counts.get(report.name, 0) + report.new
        self.results[report.name] = report.line().split(": ", 1)[1]
        self.show_feeds()
        if report.new or report.updated:
            self._refresh_library()

    def fetch_finished(self, reports: list[FeedReport], problem: str) -> None:
        """The fetch is over: the summary on the status line and in a toast."""
        self.fetching = False
        self.query_one(ProgressBar).display = False
        if problem:
            self.set_status(problem)
            self.notify(problem, title="Fetch failed", severity="error", timeout=10, markup=False)
            return
        new = sum(report.new for report in reports)
        updated = sum(report.updated for report in reports)
        failed = sum(1 for report in reports if report.failed)
        summary = f"Fetched: {new} new, {updated} updated, {failed} with failures."
        self.set_status(summary)
        self.notify(summary, severity="warning" if failed else "information", markup=False)
        self.show_feeds()

    def _refresh_library(self) -> None:
        """Let every library screen look again at the corpus folder."""
        from reader.app.screens.library import LibraryScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refresh_corpus(screen.corpus)
