"""What the user has read: which articles were opened, and where the caret was in each when they
left it, so an article reopens where the reader stopped.

A small JSON file in the user state folder (:func:`reader.paths.reading_state_path`), written
whole or not at all. It is a convenience, not data: a file that cannot be read is set aside as
``reading.json.damaged`` with a notice, and reading starts afresh; one that cannot be written costs only the
positions since the last write.

    {"format": "reader-reading-state", "version": 1,
     "articles": {"<article id>": {"read": "2025-07-27T10:00:00Z", "caret": 1234}}}
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotations.atomic_file import replace_text
from reader.disposable import set_aside

FORMAT = "reader-reading-state"
VERSION = 1


class ReadingState:
    """Read articles and last caret offsets, by article id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Set when the file was damaged and set aside, for the app to show.
        self.notice: str | None = None
        self._articles: dict[str, dict[str, Any]] = self._load()
        self._dirty = False

    def _load(self) -> dict[str, dict[str, Any]]:
        """The articles of the file; a damaged file (not UTF-8, not JSON, nested too deep, not
        a reading state) is set aside with a notice (:mod:`reader.disposable`)."""
        try:
            raw = self.path.read_bytes()
        except OSError:
            return {}
        try:
            document = json.loads(raw.decode("utf-8"))
            articles = document["articles"]
            if document.get("format") != FORMAT or not isinstance(articles, dict):
                raise ValueError("not a reading state")
            return {str(key): value for key, value in articles.items() if isinstance(value, dict)}
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
            self.notice = set_aside(self.path, f"what was read cannot be known from it: {type(error).__name__}")
            return {}

    def is_read(self, article_id: str) -> bool:
        return article_id in self._articles

    def read_ids(self) -> set[str]:
        return set(self._articles)

    def caret(self, article_id: str) -> int:
        """Where the caret was when the article was last left (0 if never)."""
        value = self._articles.get(article_id, {}).get("caret", 0)
        return value if isinstance(value, int) and value >= 0 else 0

    def opened(self, article_id: str) -> None:
        """The article was opened: it counts as read from now on. Written at once."""
        record = self._articles.setdefault(article_id, {})
        record["read"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._dirty = True
        self.save()

    def stopped_at(self, article_id: str, caret: int) -> None:
        """The caret is at ``caret`` in the article; kept in memory until :meth:`save`."""
        record = self._articles.setdefault(article_id, {})
        if record.get("caret") != caret:
            record["caret"] = max(int(caret), 0)
            self._dirty = True

    def forget(self, article_id: str) -> None:
        """Mark the article unread again (its position is forgotten too). Written at once."""
        if self._articles.pop(article_id, None) is not None:
            self._dirty = True
            self.save()

    def save(self) -> bool:
        """Write the state if it changed; False if the file cannot be written."""
        if not self._dirty:
            return True
        document = {"format": FORMAT, "version": VERSION, "articles": self._articles}
        try:
            replace_text(self.path, (json.dumps(document, ensure_ascii=False, indent=1),), parents=True)
        except OSError:
            return False
        self._dirty = False
        return True
