"""Article: one news article as the reader shows it, its text read only when it is needed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotations import ArticleRef


def text_sha256(text: str) -> str:
    """The hash that ties annotations to one exact version of an article's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ArticleUnavailable(Exception):
    """An article's file can no longer be read; the message names the file and what to do."""


class Article:
    """An article: ``text`` is exactly what is displayed, and every offset points into it.

    ``title`` is for display and already inert (see :mod:`reader.safe_text`); ``text`` is kept
    exactly as read. For the reference ``.txt`` shape the text is the whole file (title line, date
    line, then one paragraph a line) with line ends normalised; other formats compose the same
    shape (see :mod:`reader.corpus.formats.common`), so the title and date can be annotated too.

    An article listed from the corpus catalog has no text yet: ``text`` reads it from its file on
    first use (raising :class:`ArticleUnavailable` if the file has gone or changed into something
    unreadable) and keeps it. ``sha256`` is the hash of the text; until the text is read it is
    the hash recorded when the file was indexed, which is the same as long as the file is.
    Treat an article as immutable: only the first read of its text fills it in.
    """

    __slots__ = ("_path", "_sha256", "_text", "date", "encoding", "id", "locator", "source", "title", "url")

    def __init__(
        self,
        id: str,
        title: str,
        date: str | None,
        path: Path | str,
        text: str | None = None,
        sha256: str | None = None,
        *,
        source: str | None = None,
        url: str | None = None,
        locator: int | None = None,
        encoding: str | None = None,
    ) -> None:
        if text is None and sha256 is None:
            raise ValueError("an article needs its text, or the sha256 of the text to read later")
        self.id = id
        self.title = title
        self.date = date
        #: A str until first asked for: making 10,000 Path objects is a visible part of a listing.
        self._path = path
        self.source = source
        self.url = url
        #: Where the article is in a file that holds many (line or position); None if alone.
        self.locator = locator
        #: The encoding the file was read with, tried first when the text is read again.
        self.encoding = encoding
        self._text = text
        self._sha256 = sha256 if sha256 is not None else text_sha256(text or "")

    @property
    def path(self) -> Path:
        if not isinstance(self._path, Path):
            self._path = Path(self._path)
        return self._path

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.read_text()
            self._sha256 = text_sha256(self._text)
        return self._text

    @property
    def sha256(self) -> str:
        return self._sha256

    @property
    def is_loaded(self) -> bool:
        """Whether the text has been read (reading it costs a file read and a parse)."""
        return self._text is not None

    def read_text(self) -> str:
        """The text as the file holds it now, read without keeping it (for whole-corpus passes
        that should not leave every text in memory); raises :class:`ArticleUnavailable`."""
        from reader.corpus.formats import check_text, failure_reason, read_entry

        try:
            entry = read_entry(self.path, self.locator, self.encoding)
            check_text(entry)
            return entry.text
        except Exception as error:  # noqa: BLE001 - whatever went wrong, it is this article's, said in words
            reason = (
                failure_reason(error, self.path)
                if not isinstance(error, UnicodeError)
                else "it holds a character that is not text"
            )
        raise ArticleUnavailable(
            f"{self.path} cannot be read any more ({reason}). Press r in the list to refresh the corpus."
        )

    def ref(self) -> ArticleRef:
        """The article as annotations and exports refer to it."""
        return ArticleRef(id=self.id, title=self.title, date=self.date, path=str(self.path), sha256=self.sha256)

    def _identity(self) -> tuple[str, Path, int | None, str]:
        return (self.id, self.path, self.locator, self._sha256)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return self._identity() == other._identity() and (self.title, self.date) == (other.title, other.date)

    def __hash__(self) -> int:
        return hash((self.id, self.path, self.locator))

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, title={self.title!r}, date={self.date!r}, path={str(self.path)!r})"
