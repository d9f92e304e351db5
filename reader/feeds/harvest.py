"""A whole fetch: every feed (concurrently), then every new or changed item's page (concurrently),
each article written as it arrives, with nothing written twice.

Feeds and pages are fetched on a small thread pool (the :class:`~reader.feeds.fetch.Fetcher`
keeps each host to its limit); everything that writes (articles, the ledger, the subscriptions)
happens on the calling thread, in the order results come in, so no lock is needed around the
corpus. The ledger is saved after each feed's last article and at the end; an article file
written before a crash is found again by its URL in its front matter, so it is updated, not
duplicated, on the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from reader.feeds.articles import Job, Outcome, fetch_article
from reader.feeds.extraction import feed_links
from reader.feeds.fetch import FEED_TYPES, PAGE_TYPES, Fetcher, FetchFailed, Response, is_local
from reader.feeds.ledger import Ledger, Record, text_hash
from reader.feeds.parsing import FeedDocument, FeedUnreadable, Item, parse_feed
from reader.feeds.subscriptions import Feed, Subscriptions
from reader.feeds.writing import write_article

#: The folder that ``reader add`` writes single pages into.
PAGES_FOLDER = "pages"


@dataclass
class FeedReport:
    """What one feed (or ``reader add``, named ``pages``) gave: counts, and each failure's reason."""

    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    from_feed: int = 0
    pending: int = 0
    not_modified: bool = False
    error: str = ""
    failures: list[str] = field(default_factory=list)
    #: Items written from the feed's own text, each with why its page could not be had.
    notes: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether the feed, or any of its items, could not be had."""
        return bool(self.error or self.failures)

    def line(self) -> str:
        """One line for people: ``name: 3 new, 1 updated, ...``."""
        if self.error:
            return f"{self.name}: failed: {self.error}"
        parts = [f"{self.new} new", f"{self.updated} updated"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate{'s' * (self.duplicates != 1)}")
        if self.from_feed:
            parts.append(f"{self.from_feed} from the feed's text")
        if self.failures:
            parts.append(f"{len(self.failures)} failed")
        if self.not_modified:
            parts.append("not modified since the last fetch")
        return f"{self.name}: " + ", ".join(parts)


class Progress:
    """What a fetch tells as it goes; the CLI and the app each override what they show."""

    def feed_started(self, report: FeedReport, total: int) -> None:
        """The feed was read: ``total`` pages are to be fetched for it."""

    def article_done(self, report: FeedReport, path: str | None) -> None:
        """One of the feed's items is done (``path`` the file written, if any)."""

    def feed_done(self, report: FeedReport) -> None:
        """Every item of the feed is done (or the feed failed)."""


@dataclass
class Harvest:
    """One run over a corpus. Call :meth:`fetch_feeds` or :meth:`add_pages`, once."""

    corpus: Path
    subscriptions: Subscriptions
    ledger: Ledger
    fetcher: Fetcher
    progress: Progress = field(default_factory=Progress)
    workers: int = 8
    stop: threading.Event = field(default_factory=threading.Event)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    def fetch_feeds(self, feeds: Iterable[Feed]) -> list[FeedReport]:
        """Fetch ``feeds`` and their new items' pages; one report a feed, in the order given."""
        feeds = list(feeds)
        reports = {feed.url: FeedReport(feed.name) for feed in feeds}
        planned: set[str] = set()
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="reader-fetch")
        try:
            feed_futures: dict[Future[Any], Feed] = {pool.submit(self._read_feed, feed): feed for feed in feeds}
            page_futures: dict[Future[Any], FeedReport] = {}
            pending: set[Future[Any]] = set(feed_futures)
            while pending and not self.stop.is_set():
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    if future in feed_futures:
                        feed = feed_futures[future]
                        report = reports[feed.url]
                        jobs = self._plan(feed, report, future.result(), planned)
                        report.pending = len(jobs)
                        self.progress.feed_started(report, len(jobs))
                        for job in jobs:
                            page = pool.submit(fetch_article, job, self.fetcher, self.now())
                            page_futures[page] = report
                            pending.add(page)
                        if not jobs:
                            self._finish(report)
                    else:
                        self._take(page_futures.pop(future), future.result())
        finally:
            # Stopped (a key, Ctrl-C) or done: what has not started is dropped, what runs ends
            # within its timeouts, and what was written is kept in the ledger.
            pool.shutdown(wait=True, cancel_futures=True)
            self.ledger.save()
            self.subscriptions.save()
        return [reports[feed.url] for feed in feeds]

    def add_pages(self, urls: Iterable[str]) -> FeedReport:
        """Fetch single pages (``reader add``) into the pages folder; one report for all."""
        report = FeedReport(PAGES_FOLDER)
        jobs = []
        for url in dict.fromkeys(urls):
            record = self.ledger.find(url=url)
            item = Item(guid="", url=url, title="", published=None)
            folder = record.path.split("/")[0] if record else PAGES_FOLDER
            jobs.append(Job("", folder, item, "", record, page_only=True, local_ok=True))
        report.pending = len(jobs)
        self.progress.feed_started(report, len(jobs))
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="reader-add")
        try:
            futures = [pool.submit(fetch_article, job, self.fetcher, self.now()) for job in jobs]
            for future in futures:
                if self.stop.is_set():
                    break
                self._take(report, future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self.ledger.save()
        return report

    def _read_feed(self, feed: Feed) -> tuple[Response, FeedDocument] | FetchFailed | FeedUnreadable:
        """Fetch and parse one feed (on a worker thread); the failure is returned, not raised."""
        if self.stop.is_set():
            return FetchFailed("stopped")
        try:
            response = self.fetcher.get(feed.url, FEED_TYPES, etag=feed.etag, last_modified=feed.last_modified)
            if response.not_modified:
                return response, FeedDocument(feed.title, "", [])
            return response, parse_feed(response.body, response.url, response.content_type)
        except FetchFailed as failure:
            if str(failure).startswith("it is text/html"):
                return FetchFailed(f"{failure}{self._announced_feeds(feed.url)}")
            return failure
        except FeedUnreadable as failure:
            return failure

    def _announced_feeds(self, url: str) -> str:
        """`` (a web page; it announces the feed URL: ...)``, when the page names its feeds."""
        try:
            response = self.fetcher.get(url, PAGE_TYPES)
        except FetchFailed:
            return ""
        links = feed_links(response.body, response.charset, response.url)
        if not links:
            return " (a web page that names no feed)"
        return f" (a web page; its feed: `reader feeds add {links[0]}`)"

    def _plan(self, feed: Feed, report: FeedReport, result: object, planned: set[str]) -> list[Job]:
        """The jobs for a feed just read: new items, and seen items the feed says changed."""
        when = self.now().isoformat(timespec="seconds")
        if isinstance(result, FetchFailed | FeedUnreadable):
            report.error = str(result)
            self.subscriptions.update(feed, last_fetch=when, last_result=f"failed: {result}")
            return []
        assert isinstance(result, tuple)
        response, document = result
        if response.not_modified:
            report.not_modified = True
            self.subscriptions.update(feed, last_fetch=when, last_result="not modified")
            return []
        feed = self.subscriptions.update(
            feed,
            etag=response.etag,
            last_modified=response.last_modified,
            title=document.title or feed.title,
            last_fetch=when,
        )
        jobs: list[Job] = []
        for item in document.items:
            keys = {key for key in (item.url, item.guid) if key}
            if not keys:  # neither link nor guid: the item's words are its identity
                item = replace(item, guid="sha256:" + text_hash([item.title, *item.paragraphs]))
                keys = {item.guid}
            record = self.ledger.find(url=item.url, guid=item.guid)
            if keys & planned or (record is not None and record.feed != feed.name):
                report.duplicates += 1  # the same story from another feed (or twice in this one)
                continue
            planned.update(keys)
            if record is not None and record.signature == item.signature:
                report.unchanged += 1
                continue
            folder = record.path.split("/")[0] if record is not None else feed.folder
            source = document.title or _host(feed.url)
            jobs.append(Job(feed.name, folder, item, source, record, local_ok=is_local(feed.url)))
        return jobs

    def _take(self, report: FeedReport, outcome: Outcome) -> None:
        """Write what a job gave (on this thread only), count it, and tell the progress."""
        path = None
        job = outcome.job
        record = job.record
        if outcome.not_modified:
            report.unchanged += 1
            if record is not None:
                self.ledger.put(replace(record, signature=job.item.signature))
        elif outcome.article is None:
            report.failures.append(f"{job.item.title or job.item.url}: {outcome.failure}")
        else:
            article = outcome.article
            digest = text_hash(article.paragraphs)
            twin = self.ledger.same_text(digest)
            if record is None and twin is not None:
                report.duplicates += 1
            elif record is not None and outcome.note and record.origin == "page":
                # The page cannot be had this time: the full text written before is worth more
                # than the feed's summary, so the article stays as it was.
                report.unchanged += 1
                report.notes.append(f"{article.title}: {outcome.note}; the article is kept as it was")
            elif record is not None and record.sha256 == digest:
                report.unchanged += 1
                self.ledger.put(replace(record, signature=job.item.signature))
            else:
                try:
                    path = write_article(self.corpus, job.folder, article, record.path if record else "")
                except OSError as error:
                    report.failures.append(f"{article.title}: cannot be written ({error.strerror or error})")
                else:
                    report.written.append(path)
                    if record is None:
                        report.new += 1
                    else:
                        report.updated += 1
                    if outcome.note:
                        report.from_feed += 1
                        report.notes.append(f"{article.title}: {outcome.note}; the feed's text was kept")
                    self.ledger.put(
                        Record(
                            path=path,
                            url=article.url,
                            guid=job.item.guid,
                            feed=job.feed,
                            sha256=digest,
                            # no signature when the page could not be had: the next fetch tries it again
                            signature="" if outcome.note and job.item.url else job.item.signature,
                            fetched=article.fetched.isoformat(timespec="seconds"),
                            etag=outcome.etag,
                            last_modified=outcome.last_modified,
                            origin="feed" if outcome.note else "page",
                        )
                    )
        report.pending -= 1
        self.progress.article_done(report, path)
        if report.pending == 0:
            self._finish(report)

    def _finish(self, report: FeedReport) -> None:
        """Save the ledger and the feed's result once its last item is done, and tell the progress."""
        self.ledger.save()
        feed = next((each for each in self.subscriptions.feeds if each.name == report.name), None)
        if feed is not None and not report.error and not report.not_modified:
            self.subscriptions.update(feed, last_result=report.line().split(": ", 1)[1])
        self.progress.feed_done(report)


def _host(url: str) -> str:
    """The host of ``url`` without ``www.``: a source name when the feed has no title."""
    return (urlsplit(url).hostname or "").removeprefix("www.")
