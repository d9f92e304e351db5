"""A feed's bytes to its items, through feedparser (RSS 0.9x, 1.0, 2.0 and Atom, any encoding).

feedparser is only ever given bytes (given a string it would open it as a URL or a file), and
the final URL as the document's location, so relative links resolve against where the feed was
really found. A feed with errors that still yields items is read (feedparser is forgiving, as
readers must be); one that yields none is a failure with feedparser's reason.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from reader.feeds.extraction import fragment_paragraphs


class FeedUnreadable(ValueError):
    """The bytes are not a feed reader can read; ``str()`` says why."""


@dataclass(frozen=True)
class Item:
    """One entry of a feed: how to find its page, and what the feed itself says of it."""

    guid: str
    url: str
    title: str
    published: datetime | None
    paragraphs: list[str] = field(default_factory=list)
    signature: str = ""


@dataclass(frozen=True)
class FeedDocument:
    """A feed as read: its title, site link, items, and what feedparser found wrong (if anything)."""

    title: str
    link: str
    items: list[Item]
    problem: str = ""


def parse_feed(body: bytes, url: str, content_type: str = "") -> FeedDocument:
    """The feed in ``body`` (fetched from ``url``); raises FeedUnreadable when it holds no feed at all."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    problem = _problem(parsed)
    if not parsed.entries:
        if parsed.get("version") or not problem:
            return FeedDocument(_text(parsed.feed.get("title")), _text(parsed.feed.get("link")), [], problem)
        raise FeedUnreadable(f"it is not a feed that can be read ({problem})")
    items = [_item(entry, url) for entry in parsed.entries]
    return FeedDocument(_text(parsed.feed.get("title")), _text(parsed.feed.get("link")), items, problem)


def _item(entry: Any, base: str) -> Item:
    """One entry as an Item: its link made absolute, its best content as paragraphs, its signature."""
    link = _text(entry.get("link"))
    url = urljoin(base, link) if link else ""
    guid = _text(entry.get("id"))
    contents = [part.get("value", "") for part in entry.get("content", []) if part.get("value")]
    summary = entry.get("summary", "") or ""
    html = max(contents, key=len) if contents else summary
    paragraphs = fragment_paragraphs(html) if html else []
    title = _text(entry.get("title"))
    stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
    updated = _text(dict.get(entry, "updated")) or _text(dict.get(entry, "published"))
    signature = hashlib.sha256("\x1f".join([title, updated, html]).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return Item(guid=guid, url=url, title=title, published=published, paragraphs=paragraphs, signature=signature)


def _problem(parsed: Any) -> str:
    """What feedparser found wrong with the document, in one line; empty when nothing."""
    if not parsed.get("bozo"):
        return ""
    error = parsed.get("bozo_exception")
    return " ".join(str(error).split())[:200] if error else "it is not well-formed"


def _text(value: Any) -> str:
    """A feed field as one line of text (empty for none)."""
    return " ".join(str(value).split()) if value else ""
