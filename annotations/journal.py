"""The index journal: an append-only file of article summaries, from which the store's index is built.

Answering "which passages carry this tag", "how many annotations has each article" or "which
article holds annotation X" from the shards alone would mean opening every shard. The journal
keeps what those questions need, one line per change: an article's :class:`Summary` (its
annotation ids with their tags in text order, its reference and a digest of its shard's bytes).
A later line for an article supersedes the earlier ones, so the index is the last line of each
article. Appending a line costs one small write and one fsync, however large the store.

The journal is derivable: every line can be rebuilt from the shards, and the store rebuilds the
whole journal when it is missing or damaged. Lines are written *before* the shard they
describe, so after a crash at most the last line can describe a change that never reached its
shard; the store checks that line against its shard's digest before trusting it (see
:mod:`annotations.store`).

File format (UTF-8, one JSON object per line, every line ending with a newline)::

    {"journal": "reader-annotation-index", "format": 1, "token": "<random hex>"}
    {"a": "<article id>", "h": "<shard digest or null>", "ref": {...} | null, "ann": [["<id>", ["tag", ...]], ...], "n": <shard bytes>}
    ...

A line without its newline at the end of the file is torn (a crash while appending, or another
process appending right now) and is not read. The token changes whenever the file is rewritten
whole (compacted or rebuilt), so a reader that follows the file by offset notices a new file even
if the filesystem reuses the old one's inode.
"""

from __future__ import annotations

import gc
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotations.storage import DamagedFile, append_durably, replace_atomically

MAGIC = "reader-annotation-index"
FORMAT = 1

#: One annotation in a summary: its id and its tags as spelled, e.g. ``["3f2a...", ["Budget"]]``.
Entry = list[Any]


@dataclass
class Summary:
    """What the index keeps about one article: enough to count, list tags and find annotations.

    ``entries`` are ``[annotation id, [tags]]`` in text order; ``digest`` identifies the shard's
    bytes (``None`` when the article has no shard); ``ref`` is the article's reference record.
    ``size`` is the shard's length in bytes (``None`` in lines written before it was recorded):
    comparing it with the file's size, one ``stat``, tells a journal that lost lines
    (:mod:`annotations.recovery`).
    """

    article_id: str
    digest: str | None
    ref: dict[str, Any] | None
    entries: list[Entry] = field(default_factory=list)
    size: int | None = None

    def line(self) -> bytes:
        """The journal line for this summary, newline included."""
        record: dict[str, Any] = {"a": self.article_id, "h": self.digest, "ref": self.ref, "ann": self.entries}
        if self.size is not None:
            record["n"] = self.size
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"

    @classmethod
    def from_record(cls, record: Any) -> Summary:
        """The summary a parsed journal line holds; ``ValueError`` if it is not one."""
        if not isinstance(record, dict):
            raise ValueError("a line is not a JSON object")
        article_id, digest, ref, entries = record.get("a"), record.get("h"), record.get("ref"), record.get("ann")
        if not isinstance(article_id, str) or not isinstance(entries, list):
            raise ValueError("a line has no article id or no list of annotations")
        if not (digest is None or isinstance(digest, str)) or not (ref is None or isinstance(ref, dict)):
            raise ValueError(f"the line of article {article_id!r} has a malformed digest or reference")
        size = record.get("n")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
            raise ValueError(f"the line of article {article_id!r} has a malformed size")
        return cls(article_id, digest, ref, entries, size)


class JournalDamaged(DamagedFile):
    """The journal is not readable as a journal (not a torn last line: something else)."""


class JournalReplaced(Exception):
    """The file is another journal than the one being followed (it was rewritten): start over."""


def header_line(token: str) -> bytes:
    return json.dumps({"journal": MAGIC, "format": FORMAT, "token": token}).encode("utf-8") + b"\n"


class Journal:
    """One process's view of a journal file: where it has read up to, and how to add to it.

    :meth:`follow` returns the lines added since the last call, so keeping an index current costs
    one ``fstat`` when nothing changed. Writing (:meth:`append`, :meth:`rewrite`) requires the
    store's lock.
    """

    def __init__(self, path: Path, scratch: Path) -> None:
        self.path = path
        self.scratch = scratch
        self._token: str | None = None
        self._identity: tuple[int, int] | None = None
        #: Bytes read (header and whole lines); the next line starts here.
        self._offset = 0
        #: The file size when last looked at: if it is unchanged, there is nothing new.
        self._size = -1
        #: Lines (summaries) in the file as far as read: how much a rewrite would save.
        self.lines = 0
        #: Bytes after the last whole line when last looked at (a torn or unfinished line).
        self.torn = 0

    @property
    def size(self) -> int:
        """The bytes of whole lines (header included) as far as read or written: what a rewrite would shrink."""
        return self._offset

    def reset(self) -> None:
        """Forget the position: the next :meth:`follow` reads the file from the start."""
        self._token, self._identity, self._offset, self._size, self.lines, self.torn = None, None, 0, -1, 0, 0

    def follow(self) -> list[Summary]:
        """The summaries added since the last call (all of them, the first time or after :meth:`reset`).

        Raises ``FileNotFoundError`` if there is no journal, :class:`JournalReplaced` if the
        file was rewritten since it was last followed, and :class:`JournalDamaged` if a whole
        line is not a summary.
        """
        fd = os.open(self.path, os.O_RDONLY)
        try:
            status = os.fstat(fd)
            identity = (status.st_dev, status.st_ino)
            if identity == self._identity and status.st_size == self._size:
                return []
            if self._token is None or identity != self._identity or status.st_size < self._offset:
                token, header_end = self._read_header(fd)
                if self._token is None:
                    self._token, self._offset = token, header_end
                elif token != self._token or status.st_size < self._offset:
                    raise JournalReplaced(str(self.path))
            self._identity = identity
            data = _read_range(fd, self._offset, status.st_size)
        finally:
            os.close(fd)
        end = data.rfind(b"\n") + 1
        summaries: list[Summary] = []
        with gc_paused():
            for number, raw in enumerate(data[:end].splitlines(), start=self.lines + 2):
                try:
                    summaries.append(Summary.from_record(json.loads(raw)))
                except (UnicodeDecodeError, ValueError) as error:
                    raise JournalDamaged(self.path, f"line {number} is not an index record ({error})") from None
        self._offset += end
        self._size = status.st_size
        self.lines += len(summaries)
        self.torn = len(data) - end
        return summaries

    def append(self, summary: Summary) -> None:
        """Add ``summary`` at the end, durably (under the store's lock, after :meth:`follow`)."""
        line = summary.line()
        at_end = self._size == self._offset and self.torn == 0
        try:
            append_durably(self.path, line)
        except BaseException:
            self._size = -1  # the file may have grown by part of the line: look again next time
            raise
        if at_end:
            self._offset += len(line)
            self._size = self._offset
            self.lines += 1

    def rewrite(self, summaries: list[Summary]) -> None:
        """Replace the journal atomically with one line per summary, under a new token.

        Used to compact it, to drop a torn last line, and to rebuild it from the shards. Needs
        the store's lock.
        """
        token = secrets.token_hex(8)
        header = header_line(token)
        body = b"".join(summary.line() for summary in summaries)
        replace_atomically(self.path, header + body, scratch=self.scratch)
        status = os.stat(self.path)
        self._token, self._identity = token, (status.st_dev, status.st_ino)
        self._offset = self._size = len(header) + len(body)
        self.lines, self.torn = len(summaries), 0

    def _read_header(self, fd: int) -> tuple[str, int]:
        """The token of the journal open at ``fd`` and where its first record starts."""
        head = os.pread(fd, 4096, 0)
        end = head.find(b"\n") + 1
        try:
            header = json.loads(head[:end]) if end else None
        except (UnicodeDecodeError, ValueError):
            header = None
        if not isinstance(header, dict) or header.get("journal") != MAGIC or not isinstance(header.get("token"), str):
            raise JournalDamaged(self.path, "its first line is not a journal header")
        if header.get("format") != FORMAT:
            raise JournalDamaged(self.path, f"it has format {header.get('format')!r}, expected {FORMAT}")
        return header["token"], end


def new_journal_bytes(summaries: list[Summary]) -> bytes:
    """The whole content of a new journal holding ``summaries`` (for a folder being built)."""
    return header_line(secrets.token_hex(8)) + b"".join(summary.line() for summary in summaries)


def _read_range(fd: int, start: int, end: int) -> bytes:
    chunks: list[bytes] = []
    while start < end:
        chunk = os.pread(fd, end - start, start)
        if not chunk:
            break
        chunks.append(chunk)
        start += len(chunk)
    return b"".join(chunks)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    Loading a large journal creates hundreds of thousands of small lists and strings, none of
    them in cycles; each one would count towards a full collection that scans them all again,
    which made loading 100,000 annotations several times slower.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
