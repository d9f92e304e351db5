"""The corpus index: what each file of a corpus held when it was last read, so that listing a
corpus reads only the files that changed.

One file in the user cache folder for each corpus root (see :func:`reader.paths.corpus_index_dir`).
For each file, by path relative to the root: its size and modification time, the encoding it was
read with, and its articles' metadata (title, date, source, url, the sha256 of the text, and where
the article is in the file), or the reason it could not be read. A file whose size or mtime
differs from the record is read again; so is one modified so close to the last scan that a
change within the file system's timestamp granularity could have gone unseen.

The index is a cache: a missing, damaged or older-format index is rebuilt, and one that cannot be
written only costs speed on the next start. It is written with :mod:`marshal` (plain tuples,
lists and strings, no code): it loads several times faster than JSON, which is most of a warm
start on 10,000 articles; the format is tied to the Python version, which is in the header, so
another Python simply rebuilds it.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

from annotations.atomic_file import replace_bytes
from reader.corpus.article import text_sha256
from reader.corpus.formats import Entry
from reader.safe_text import inert

FORMAT = "reader-corpus-index"
VERSION = 1
INDEX_NAME = "index.marshal"
#: marshal's format can change between Python versions: an index is only read by the one that wrote it.
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

#: A file modified less than this before a scan started is read again on the next scan.
RACY_NS = 2_000_000_000


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
        return cls(inert(entry.title), entry.date, text_sha256(entry.text), entry.source, entry.url, entry.key, entry.locator)


class IndexedFile(NamedTuple):
    """One file as the index remembers it: its articles, or why it could not be read."""

    stamp: FileStamp
    encoding: str | None = None
    articles: list[ArticleRecord] = []
    problems: list[str] = []
    unreadable: str | None = None

    def to_record(self) -> tuple[Any, ...]:
        """Plain tuples and lists only, as :mod:`marshal` wants them."""
        articles = [tuple(article) for article in self.articles]
        return (self.stamp.size, self.stamp.mtime_ns, self.encoding, self.unreadable, list(self.problems), articles)

    @classmethod
    def from_record(cls, record: tuple[Any, ...]) -> IndexedFile:
        size, mtime_ns, encoding, unreadable, problems, articles = record
        return cls(FileStamp(size, mtime_ns), encoding, list(map(ArticleRecord._make, articles)), problems, unreadable)


class CorpusIndex:
    """The index of one corpus root, kept in ``folder`` (the texts themselves are not in it)."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root
        self.files: dict[str, IndexedFile] = {}
        self.scanned_ns = 0

    @property
    def path(self) -> Path:
        return self.folder / INDEX_NAME

    def load(self) -> None:
        """Read the index from disk; anything unusable leaves it empty (everything is read anew)."""
        self.files = {}
        try:
            header, scanned_ns, files = marshal.loads(self.path.read_bytes())
            if header != (FORMAT, VERSION, PYTHON, str(self.root)):
                return
            self.scanned_ns = int(scanned_ns)
            self.files = {name: IndexedFile.from_record(record) for name, record in files.items()}
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            self.files = {}

    def save(self) -> bool:
        """Write the index atomically; False (and nothing raised) if it cannot be written."""
        files = {name: indexed.to_record() for name, indexed in self.files.items()}
        try:
            data = marshal.dumps(((FORMAT, VERSION, PYTHON, str(self.root)), self.scanned_ns, files))
            replace_bytes(self.path, data, parents=True)
        except (OSError, ValueError):
            return False
        return True

    def is_current(self, name: str, stamp: FileStamp) -> bool:
        """Whether the record for ``name`` can be trusted for a file that now has ``stamp``."""
        indexed = self.files.get(name)
        return (
            indexed is not None
            and indexed.stamp == stamp
            and stamp.mtime_ns < self.scanned_ns - RACY_NS
        )
