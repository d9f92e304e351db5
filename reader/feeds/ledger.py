"""What was fetched already, so nothing is written twice: ``<corpus>/.reader-fetched.json``.

One record a written article: its file (relative to the corpus), URL, the feed's guid for it,
the SHA-256 of its text, and a signature of the feed entry (so a seen item is fetched again only
when the feed says it changed). An item is a duplicate when its URL, its guid or its text is
already there, whichever feed it came from. Hidden, JSON, replaced atomically, like
:mod:`reader.feeds.subscriptions`. A damaged ledger is set aside (``.damaged``) and started
afresh: the worst that follows is an article fetched again into the file it already has.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from annotations.atomic_file import replace_text

FILE_NAME = ".reader-fetched.json"


@dataclass(frozen=True)
class Record:
    """One fetched article: where it was written and what identifies it."""

    path: str
    url: str
    guid: str
    feed: str
    sha256: str
    signature: str
    fetched: str
    etag: str = ""
    last_modified: str = ""
    #: Where the text came from: ``page`` (extracted from the item's page) or ``feed`` (its own text).
    origin: str = "page"


def text_hash(paragraphs: list[str]) -> str:
    """The SHA-256 of an article's text, spacing aside (the same story fetched twice hashes alike)."""
    joined = "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip())
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


class Ledger:
    """The records of a corpus, looked up by URL, guid and text hash."""

    def __init__(self, corpus: Path, records: list[Record] | None = None, notice: str = "") -> None:
        self.corpus = corpus
        self.notice = notice
        self._by_path: dict[str, Record] = {}
        self._by_url: dict[str, Record] = {}
        self._by_guid: dict[str, Record] = {}
        self._by_text: dict[str, Record] = {}
        for record in records or []:
            self.put(record)

    @property
    def records(self) -> list[Record]:
        """Every record, in the order first written."""
        return list(self._by_path.values())

    @property
    def path(self) -> Path:
        """The ledger file of this corpus."""
        return self.corpus / FILE_NAME

    def find(self, url: str = "", guid: str = "") -> Record | None:
        """The record for this URL or guid, or None (empty keys match nothing)."""
        return (self._by_url.get(url) if url else None) or (self._by_guid.get(guid) if guid else None)

    def same_text(self, sha256: str) -> Record | None:
        """The record of an article with this text hash, or None."""
        return self._by_text.get(sha256)

    def put(self, record: Record) -> None:
        """Add ``record``, or replace the one for the same file."""
        old = self._by_path.pop(record.path, None)
        if old is not None:
            for index, key in ((self._by_url, old.url), (self._by_guid, old.guid), (self._by_text, old.sha256)):
                if key and index.get(key) is old:
                    del index[key]
        self._by_path[record.path] = record
        for index, key in ((self._by_url, record.url), (self._by_guid, record.guid), (self._by_text, record.sha256)):
            if key:
                index.setdefault(key, record)
                if index[key].path == record.path:
                    index[key] = record

    def count(self, feed: str) -> int:
        """How many articles were fetched from ``feed``."""
        return sum(1 for record in self.records if record.feed == feed)

    def save(self) -> None:
        """Write the ledger whole, atomically."""
        document = {"version": 1, "records": [asdict(record) for record in self.records]}
        replace_text(self.path, [json.dumps(document, ensure_ascii=False, indent=1), "\n"])


def load_ledger(corpus: Path) -> Ledger:
    """The corpus's ledger; empty when there is none, or a fresh one (with a notice) when damaged."""
    path = corpus / FILE_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        records = [Record(**{name: str(value) for name, value in entry.items()}) for entry in document["records"]]
    except FileNotFoundError:
        return Ledger(corpus)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        damaged = path.with_name(path.name + ".damaged")
        try:
            path.replace(damaged)
        except OSError:
            pass
        return Ledger(corpus, notice=f"the list of fetched articles {path} was damaged; set aside as {damaged.name}")
    return Ledger(corpus, records)
