"""``reader fetch``: fetch a corpus's feeds and the full pages of their new items.

One progress line a feed on stderr (a bar while it runs, on a terminal), then a summary: new,
updated, failed with each reason. Exit 0 when everything was fetched (an item written from the
feed's own text because its page could not be had is a note, not a failure), 1 when a feed or an
item could not be had at all (it is tried again on the next fetch).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from reader.cli.feeds import feeds_corpus, reading
from reader.cli.shared import EXIT_ERROR, EXIT_OK, UserError, add_corpus_option, say
from reader.feeds.harvest import FeedReport, Harvest, Progress
from reader.safe_text import inert

_BAR = 20


def parser() -> argparse.ArgumentParser:
    """The parser of ``reader fetch``."""
    parser = argparse.ArgumentParser(
        prog="reader fetch",
        description="Fetch the corpus's feeds: each new item's full page is extracted (else the feed's own text "
        "is kept) and written as a .md article under the feed's subfolder.",
    )
    add_corpus_option(parser, "whose feeds to fetch (default: the corpus in your settings)")
    parser.add_argument(
        "--feed", action="append", default=[], metavar="NAME", help="only this feed (by name or URL); repeatable"
    )
    return parser


class LineProgress(Progress):
    """A line a feed on stderr: a bar redrawn in place on a terminal, the result when it is done."""

    def __init__(self, live: bool) -> None:
        self.live = live
        self.totals: dict[str, int] = {}
        self.lock = threading.Lock()

    def feed_started(self, report: FeedReport, total: int) -> None:
        self.totals[report.name] = total
        self._draw(report)

    def article_done(self, report: FeedReport, path: str | None) -> None:
        self._draw(report)

    def feed_done(self, report: FeedReport) -> None:
        with self.lock:
            end = "\r\x1b[K" if self.live else ""
            sys.stderr.write(end + inert(report.line()) + "\n")
            sys.stderr.flush()

    def _draw(self, report: FeedReport) -> None:
        """Redraw the feed's bar in place (on a terminal only)."""
        total = self.totals.get(report.name, 0)
        if not self.live or not total:
            return
        done = total - report.pending
        filled = _BAR * done // total
        with self.lock:
            sys.stderr.write(f"\r\x1b[K{inert(report.name)} [{'#' * filled}{'.' * (_BAR - filled)}] {done}/{total}")
            sys.stderr.flush()


def run(arguments: argparse.Namespace) -> int:
    """Fetch every feed (or those named) and print the summary."""
    corpus = feeds_corpus(arguments.corpus)
    subscriptions = reading(corpus)
    feeds = subscriptions.feeds
    if arguments.feed:
        chosen = []
        for wanted in arguments.feed:
            feed = subscriptions.find(wanted)
            if feed is None:
                raise UserError(
                    f"No feed named {wanted!r} in {corpus}; `reader feeds list --corpus {corpus}` shows them."
                )
            chosen.append(feed)
        feeds = chosen
    if not feeds:
        raise UserError(f"{corpus} follows no feed yet; add one with `reader feeds add URL --corpus {corpus}`.")
    reports = harvest(corpus, lambda run: run.fetch_feeds(feeds))
    return summarise(reports)


def harvest(corpus: Path, work: Callable[[Harvest], list[FeedReport] | FeedReport]) -> list[FeedReport]:
    """Run ``work`` (given the Harvest) under the corpus's feeds lock, with progress on stderr."""
    from reader.feeds.fetch import Fetcher
    from reader.feeds.ledger import load_ledger
    from reader.feeds.subscriptions import CorpusBusy, feeds_lock

    try:
        with feeds_lock(corpus):
            ledger = load_ledger(corpus)
            if ledger.notice:
                say(f"reader: {ledger.notice}")
            with Fetcher() as fetcher:
                run = Harvest(corpus, reading(corpus), ledger, fetcher, LineProgress(sys.stderr.isatty()))
                try:
                    result = work(run)
                except KeyboardInterrupt:
                    run.stop.set()
                    raise
    except CorpusBusy as error:
        raise UserError(f"{error}; try again when it is done.") from None
    except OSError as error:
        raise UserError(f"{corpus} cannot be written: {error.strerror or error}.") from None
    return result if isinstance(result, list) else [result]


def summarise(reports: list[FeedReport]) -> int:
    """The summary on stderr; the exit code."""
    new = sum(report.new for report in reports)
    updated = sum(report.updated for report in reports)
    failed = [report for report in reports if report.failed]
    for report in reports:
        for note in report.notes:
            say(f"reader: note: {report.name}: {note}")
        for reason in report.failures:
            say(f"reader: failed: {report.name}: {reason}")
        if report.error:
            say(f"reader: failed: {report.name}: {report.error}")
    items_failed = sum(len(report.failures) for report in reports)
    feeds_failed = sum(1 for report in reports if report.error)
    say(
        f"reader: {new} new, {updated} updated, {feeds_failed} feed{'s' * (feeds_failed != 1)} failed, "
        f"{items_failed} item{'s' * (items_failed != 1)} failed."
    )
    return EXIT_ERROR if failed else EXIT_OK
