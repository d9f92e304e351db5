"""The corpus index: what each file of a corpus held when it was last read, so that listing a
corpus reads only the files that changed.

One file in the user cache folder for each corpus root (see :func:`reader.paths.corpus_index_dir`).
For each file, by path relative to the root: its size and modification time, the encoding it was
read with, and its articles' metadata (title, date, source, url, the sha256 of the text, and where
the article is in the file), or the reason it could not be read. A file whose size or mtime
differs from the record is read again; so is one modified so close to the last scan that a
change within the file system's timestamp granularity could have gone unseen.

The index is a cache: a missing or older-format index is rebuilt; a damaged one (not UTF-8, not
JSON, nested too deep, records of the wrong shape) is set aside (:mod:`reader.disposable`) and
rebuilt; one that cannot be written only costs speed on the next start. It is JSON, with
records as plain arrays, ASCII only (file names that are not UTF-8 survive as escapes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from annotations.atomic_file import replace_bytes
from reader.corpus.article import text_sha256
from reader.corpus.formats import Entry
from reader.disposable import set_aside
from reader.safe_text import inert

FORMAT = "reader-corpus-index"
VERSION = 2
INDEX_NAME = "index.json"
#: Where version 1 kept the index, with marshal: removed when the JSON index is written.
OLD_INDEX_NAME = "index.marshal"

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

    def to_record(self) -> tuple[Any, ...]:
        """Plain arrays, numbers and strings, for JSON."""
        articles = [tuple(article) for article in self.articles]
        return (self.stamp.size, self.stamp.mtime_ns, self.encoding, self.unreadable, list(self.problems), articles)

    @classmethod
    def from_record(cls, record: list[Any]) -> IndexedFile:
        """The file from its JSON record; TypeError or ValueError if the record is not one."""
        size, mtime_ns, encoding, unreadable, problems, articles = record
        records = list(map(ArticleRecord._make, articles))
        if not (isinstance(size, int) and isinstance(mtime_ns, int) and isinstance(problems, list)):
            raise TypeError("not a file record")
        for article in records:
            if not (isinstance(article.title, str) and isinstance(article.sha256, str)):
                raise TypeError("not an article record")
        return cls(FileStamp(size, mtime_ns), encoding, records, problems, unreadable)


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
        """Read the index from disk; a missing, older or damaged one leaves it empty (everything
        is read anew), a damaged one set aside with a notice."""
        self.files = {}
        try:
            raw = self.path.read_bytes()
        except OSError:
            return
        try:
            document = json.loads(raw.decode("utf-8"))
            if (
                document.get("format") != FORMAT
                or document.get("version") != VERSION
                or document.get("root") != str(self.root)
            ):
                return
            scanned_ns = document["scanned_ns"]
            files = {str(name): IndexedFile.from_record(record) for name, record in document["files"].items()}
            if not isinstance(scanned_ns, int):
                raise TypeError("scanned_ns is not a number")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            set_aside(self.path, f"the corpus index cannot be read: {type(error).__name__}")
            return
        self.scanned_ns, self.files = scanned_ns, files

    def save(self) -> bool:
        """Write the index atomically; False (and nothing raised) if it cannot be written."""
        files = {name: indexed.to_record() for name, indexed in self.files.items()}
        document = {
            "format": FORMAT,
            "version": VERSION,
            "root": str(self.root),
            "scanned_ns": self.scanned_ns,
            "files": files,
        }
        try:
            data = json.dumps(document, separators=(",", ":")).encode("ascii")
            replace_bytes(self.path, data, parents=True)
            (self.folder / OLD_INDEX_NAME).unlink(missing_ok=True)
        except (OSError, ValueError):
            return False
        return True

    def is_current(self, name: str, stamp: FileStamp) -> bool:
        """Whether the record for ``name`` can be trusted for a file that now has ``stamp``."""
        indexed = self.files.get(name)
        return indexed is not None and indexed.stamp == stamp and stamp.mtime_ns < self.scanned_ns - RACY_NS
