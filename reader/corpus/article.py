"""Article: one news article as the reader shows it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from annotations import ArticleRef


def text_sha256(text: str) -> str:
    """The hash that ties annotations to one exact version of an article's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """An article: ``text`` is exactly what is displayed, and every offset points into it.

    ``title`` is for display and already inert (see :mod:`reader.safe_text`); ``text`` is
    kept exactly as read. The text is the whole file (title line, date line, then one paragraph a line) with line ends
    normalised, so the title and date are part of the text and can be annotated too.
    """

    id: str
    title: str
    date: str | None
    path: Path
    text: str
    sha256: str

    def ref(self) -> ArticleRef:
        """The article as annotations and exports refer to it."""
        return ArticleRef(id=self.id, title=self.title, date=self.date, path=str(self.path), sha256=self.sha256)
