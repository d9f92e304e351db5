"""What the corpus catalog (:mod:`reader.corpus.catalog`) records of each file: its stamp (size
and modification time: what tells it changed without reading it), the encoding it was read
with, and its articles' metadata (title, date, source, url, the sha256 of the text, and where the
article is in the file), or the reason it could not be read.
"""

from __future__ import annotations

from typing import NamedTuple

from reader.corpus.article import text_sha256
from reader.corpus.formats import Entry
from reader.safe_text import inert


class FileStamp(NamedTuple):
    """What tells a file changed without reading it: its size and modification time."""

    size: int
    mtime_ns: int


class ArticleRecord(NamedTuple):
    """An article's metadata as indexed: enough to list it, and to find and check its text.

    ``title`` is already inert (:func:`reader.safe_text.inert`).
    """

    title: str
    date: str | None
    sha256: str
    source: str | None = None
    url: str | None = None
    key: str | None = None
    locator: int | None = None

    @classmethod
    def from_entry(cls, entry: Entry) -> ArticleRecord:
        """The record of a loaded entry; its title made inert once here, not on every listing."""
        return cls(
            inert(entry.title), entry.date, text_sha256(entry.text), entry.source, entry.url, entry.key, entry.locator
        )


class IndexedFile(NamedTuple):
    """One file as the index remembers it: its articles, or why it could not be read."""

    stamp: FileStamp
    encoding: str | None = None
    articles: list[ArticleRecord] = []
    problems: list[str] = []
    unreadable: str | None = None
