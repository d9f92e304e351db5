"""One item to one article: fetch its page, extract it, fall back to the feed's own words.

Runs in a worker thread; it reads the network and nothing else. What to write (and whether it
is new, changed, a duplicate) is decided afterwards on the thread that owns the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from reader.corpus.formats.common import parse_date
from reader.feeds.extraction import page_text
from reader.feeds.fetch import PAGE_TYPES, Fetcher, FetchFailed, is_local
from reader.feeds.ledger import Record
from reader.feeds.parsing import Item
from reader.feeds.writing import FetchedArticle


@dataclass(frozen=True)
class Job:
    """An item to fetch for a feed (``feed`` empty for a page added by ``reader add``)."""

    feed: str
    folder: str
    item: Item
    source: str = ""
    record: Record | None = None
    page_only: bool = False
    #: Whether the page may be on this machine or the local network (see :func:`is_local`).
    local_ok: bool = False


@dataclass(frozen=True)
class Outcome:
    """What fetching a job gave: an article to write, or nothing new, or the reason for nothing.

    ``note`` says why the feed's own content was used instead of the page.
    """

    job: Job
    article: FetchedArticle | None = None
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    note: str = ""
    failure: str = ""


def fetch_article(job: Job, fetcher: Fetcher, now: datetime | None = None) -> Outcome:
    """The article for ``job``: the page's text when it can be had and says more than the feed."""
    now = now or datetime.now(UTC)
    item = job.item
    page_paragraphs: list[str] = []
    title, published, source = item.title, item.published, job.source
    etag = modified = ""
    note = "" if item.url else "the item has no link"
    url = item.url
    if item.url and is_local(item.url) and not job.local_ok:
        note = "its link leads into this machine or the local network, which a feed from outside may not"
    elif item.url:
        record = job.record
        try:
            response = fetcher.get(
                item.url,
                PAGE_TYPES,
                etag=record.etag if record else "",
                last_modified=record.last_modified if record else "",
            )
        except FetchFailed as failure:
            note = str(failure)
        else:
            if response.not_modified:
                return Outcome(job, not_modified=True)
            etag, modified = response.etag, response.last_modified
            page = page_text(response.body, response.charset, response.url)
            page_paragraphs = page.paragraphs
            if not page_paragraphs:
                note = "no article text was found in the page"
            title = title or page.title
            source = page.site or source
            if published is None and page.date and parse_date(page.date):
                published = datetime.fromisoformat(str(parse_date(page.date))).replace(tzinfo=UTC)
    words = sum(map(len, page_paragraphs))
    if page_paragraphs and (job.page_only or words >= sum(map(len, item.paragraphs))):
        paragraphs, note = page_paragraphs, ""
    elif item.paragraphs and not job.page_only:
        paragraphs = item.paragraphs  # with no note when the feed simply says more than the page
    else:
        return Outcome(job, failure=note or "neither the page nor the feed holds any text")
    article = FetchedArticle(
        title=title or "(no title)",
        paragraphs=paragraphs,
        url=url,
        feed=job.feed,
        fetched=now,
        published=published,
        source=source,
        guid=item.guid,
    )
    return Outcome(job, article, etag, modified, note=note)
