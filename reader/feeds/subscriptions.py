"""The feeds a corpus follows, kept in a small JSON file in the corpus folder.

``<corpus>/.reader-feeds.json`` holds, for each feed, its name, URL and subfolder, and what the
last fetch learnt (the server's ETag and Last-Modified for a conditional request, the feed's
title, the result). It lives in the corpus folder, not the store's, because subscriptions and the
articles they bring belong together: copy or move the folder and its feeds come along. It is
hidden (a leading dot) so the corpus never reads it as an article, and JSON (not TOML) because
the standard library both reads and writes it. It is replaced whole, atomically
(:func:`annotations.atomic_file.replace_text`): a crash leaves the old file or the new one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from annotations.atomic_file import replace_text
from reader.spoken import Spoken

FILE_NAME = ".reader-feeds.json"
VERSION = 1


class SubscriptionError(Spoken, ValueError):
    """The subscriptions cannot be read or changed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Feed:
    """One subscription: what the user gave, and what the last fetch learnt about the feed."""

    name: str
    url: str
    folder: str
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    last_fetch: str = ""
    last_result: str = ""


@dataclass
class Subscriptions:
    """The feeds of one corpus, in the order they were added."""

    corpus: Path
    feeds: list[Feed] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """The feeds file of this corpus."""
        return self.corpus / FILE_NAME

    def find(self, name_or_url: str) -> Feed | None:
        """The feed with this name (case aside) or this URL, or None."""
        wanted = name_or_url.strip()
        for feed in self.feeds:
            if feed.url == wanted or feed.name.casefold() == wanted.casefold():
                return feed
        return None

    def add(self, url: str, name: str | None = None, title: str = "") -> Feed:
        """Add a feed (its URL checked); raises :class:`SubscriptionError` if it is there already."""
        url = checked_url(url)
        if any(feed.url == url for feed in self.feeds):
            raise SubscriptionError(f"{url} is already a feed of this corpus.")
        chosen = (name or "").strip() or default_name(url, title)
        if self.find(chosen) is not None:
            if name:
                raise SubscriptionError(f"A feed named {chosen!r} is already there; choose another --name.")
            chosen = self._free_name(chosen)
        folder = self._free_folder(slug(chosen) or "feed")
        feed = Feed(name=chosen, url=url, folder=folder, title=title)
        self.feeds.append(feed)
        return feed

    def remove(self, name_or_url: str) -> Feed:
        """Stop following a feed (by name or URL); its articles stay."""
        feed = self.find(name_or_url)
        if feed is None:
            raise SubscriptionError(f"No feed named {name_or_url!r} in {self.path}; `reader feeds list` shows them.")
        self.feeds.remove(feed)
        return feed

    def update(self, feed: Feed, **changes: str) -> Feed:
        """Replace ``feed`` (found by URL) with a copy changed so; returns the copy."""
        changed = replace(feed, **changes)
        self.feeds = [changed if each.url == feed.url else each for each in self.feeds]
        return changed

    def save(self) -> None:
        """Write the feeds file whole, atomically."""
        document = {"version": VERSION, "feeds": [asdict(feed) for feed in self.feeds]}
        replace_text(self.path, [json.dumps(document, ensure_ascii=False, indent=2), "\n"])

    def _free_name(self, name: str) -> str:
        """``name`` with the first free number after it."""
        number = 2
        while self.find(f"{name} {number}") is not None:
            number += 1
        return f"{name} {number}"

    def _free_folder(self, folder: str) -> str:
        """A subfolder not taken by another feed, nor reserved."""
        taken = {feed.folder for feed in self.feeds}
        candidate, number = folder, 2
        while candidate in taken or candidate.casefold() in RESERVED_FOLDERS:
            candidate, number = f"{folder}-{number}", number + 1
        return candidate


#: Subfolder names a feed never takes: ``pages`` holds what ``reader add`` fetched.
RESERVED_FOLDERS = frozenset({"pages"})


def load_subscriptions(corpus: Path) -> Subscriptions:
    """The corpus's subscriptions; none when the file is not there yet.

    Raises :class:`SubscriptionError` when the file is there but cannot be read as subscriptions
    (it is left as it is: the user's list is never overwritten by an empty one).
    """
    subscriptions = Subscriptions(corpus)
    path = subscriptions.path
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return subscriptions
    except (OSError, UnicodeDecodeError) as error:
        raise SubscriptionError(f"The feeds file {path} cannot be read ({error}); fix or remove it.") from None
    try:
        document = json.loads(raw)
        entries = document["feeds"]
        if not isinstance(entries, list) or not isinstance(document.get("version"), int):
            raise TypeError
        if document["version"] > VERSION:
            raise SubscriptionError(f"The feeds file {path} was written by a newer reader; update reader to use it.")
        subscriptions.feeds = [_feed(entry) for entry in entries]
    except (ValueError, KeyError, TypeError) as error:
        if isinstance(error, SubscriptionError):
            raise
        raise SubscriptionError(
            f"The feeds file {path} is damaged (not the JSON reader writes); fix it or move it away."
        ) from None
    return subscriptions


def _feed(entry: Any) -> Feed:
    """One feed from the file; TypeError when a field is missing or unsafe."""
    if not isinstance(entry, dict):
        raise TypeError
    known = {name: str(entry[name]) for name in Feed.__dataclass_fields__ if name in entry}
    feed = Feed(**known)
    if not feed.name or not feed.url or not feed.folder or feed.folder != slug(feed.folder):
        raise TypeError  # a folder that is not a plain slug could point outside the corpus
    return feed


def checked_url(url: str) -> str:
    """``url`` trimmed, if it is an http(s) URL with a host; else :class:`SubscriptionError`."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise SubscriptionError(f"{url!r} is not an http(s) address; only http:// and https:// are fetched.")
    if any(character.isspace() or unicodedata.category(character) == "Cc" for character in url):
        raise SubscriptionError(f"{url!r} holds spaces or control characters; give the address as the site shows it.")
    return url


def default_name(url: str, title: str = "") -> str:
    """A name for a feed given without one: its title, else its host (``www.`` dropped)."""
    if title.strip():
        return " ".join(title.split())[:60]
    host = urlsplit(url).hostname or "feed"
    return host.removeprefix("www.")


_NOT_SLUG = re.compile(r"[^\w]+")


def slug(text: str, limit: int = 60) -> str:
    """``text`` as a safe file or folder name: letters and digits (any script), runs of anything
    else made one ``-``, lower case, at most ``limit`` characters and 150 bytes; never ``.``,
    ``..``, a slash or a leading dot, so no title or URL can reach outside its folder."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _NOT_SLUG.sub("-", folded).replace("_", "-")
    words = re.sub(r"-{2,}", "-", words).strip("-")[:limit].strip("-")
    while len(words.encode("utf-8")) > 150:
        words = words[:-1].rstrip("-")
    return words


LOCK_NAME = ".reader-feeds.lock"


class CorpusBusy(Spoken):
    """Another reader process is changing this corpus's feeds (fetching, adding, removing)."""


@contextmanager
def feeds_lock(corpus: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the corpus's feeds lock (``.reader-feeds.lock``, hidden, beside the feeds file) while a
    fetch or a change to the subscriptions runs, so two processes never write over each other.
    Raises :class:`CorpusBusy` if it is not free within ``wait`` seconds."""
    from filelock import FileLock, Timeout

    lock = FileLock(corpus / LOCK_NAME)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise CorpusBusy(f"another reader process is fetching into {corpus} or changing its feeds") from None
    try:
        yield
    finally:
        lock.release()
