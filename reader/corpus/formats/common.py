"""What every format loader returns, and the shared shape of an article's displayed text.

A loader turns a file's decoded text into :class:`Entry` values. For formats other than the
reference ``.txt`` the displayed text is composed the same way: the title line, the date line
(when there is a date), then one paragraph a line, so the article view styles line 0 as the
title and line 1 as the date whatever the file looked like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

#: Longest title kept for the list; a plain-text file's first line can be a whole paragraph.
MAX_TITLE = 200

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """One article as a loader found it in a file.

    ``text`` is exactly what will be displayed; ``title`` is raw (made inert by the corpus);
    ``key`` is an id the file gave the article (a JSON ``id`` field), ``locator`` says where the
    article is in a file that holds many (a JSON Lines line number, a JSON array position).
    """

    text: str
    title: str
    date: str | None = None
    source: str | None = None
    url: str | None = None
    key: str | None = None
    locator: int | None = None


@dataclass
class FileContent:
    """The articles of one file, and the parts of it that could not be read (``line 4: ...``)."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_date(value: Any) -> str | None:
    """A date as ``YYYY-MM-DD``, from ISO text, RFC 2822 text or a date; None if it is not one."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if not candidate:
        return None
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(candidate).isoformat()[:10]
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(candidate).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def one_line(value: str) -> str:
    """``value`` with every run of whitespace (line ends included) made one space, trimmed."""
    return _SPACES.sub(" ", value).strip()


def short_title(line: str) -> str:
    """A title for the list: one line, at most :data:`MAX_TITLE` characters, cut at a word."""
    title = one_line(line)
    if len(title) <= MAX_TITLE:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE)
    return title[: cut if cut > MAX_TITLE // 2 else MAX_TITLE].rstrip() + "\u2026"


def optional_text(value: Any) -> str | None:
    """A metadata field as one line of text, or None when it is absent or empty."""
    if value is None:
        return None
    text = one_line(str(value))
    return text or None


def compose(title: str, article_date: str | None, paragraphs: Iterable[str]) -> str:
    """The displayed text: title line, date line if any, then the non-empty paragraphs, one a line."""
    lines = [one_line(title)]
    if article_date:
        lines.append(article_date)
    lines.extend(line for line in (paragraph.replace("\n", " ").strip() for paragraph in paragraphs) if line)
    return "\n".join(lines)


def text_paragraphs(text: str) -> list[str]:
    """The non-empty lines of a plain text field, each trimmed: one paragraph a line."""
    return [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]
