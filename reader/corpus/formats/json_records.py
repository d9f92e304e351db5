"""``.json`` and ``.jsonl`` articles: objects with ``title``, ``date``, ``text``, and optionally
``url``, ``source`` and ``id``.

A ``.json`` file holds one object or an array of them; a ``.jsonl`` file one object a line. Each
record is an article of its own, found again by its ``locator`` (the line number in JSON Lines,
the 1-based position in an array). A record that cannot be read is reported with its line or
position and the others still load. ``text`` is split into one paragraph a line and shown under
the title and date lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.corpus.decoding import Unreadable
from reader.corpus.formats.common import (
    Entry,
    FileContent,
    compose,
    optional_text,
    parse_date,
    short_title,
    text_paragraphs,
)

JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def record_entry(record: Any, path: Path, locator: int | None) -> Entry:
    """The article of one JSON object; raises ValueError saying what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object with title, date and text")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('no "text" field with the article\'s text')
    title = short_title(str(record.get("title") or "")) or (f"{path.stem} #{locator}" if locator else path.stem)
    article_date = parse_date(record.get("date"))
    key = record.get("id")
    if isinstance(key, bool) or not isinstance(key, str | int):
        key = None
    return Entry(
        text=compose(title, article_date, text_paragraphs(text)),
        title=title,
        date=article_date,
        source=optional_text(record.get("source")),
        url=optional_text(record.get("url")),
        key=optional_text(key),
        locator=locator,
    )


def load_json(text: str, path: Path) -> FileContent:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise Unreadable(f"the file is not valid JSON (line {error.lineno}: {error.msg})") from None
    if isinstance(document, dict):
        try:
            return FileContent([record_entry(document, path, None)])
        except ValueError as error:
            raise Unreadable(f"the JSON object has {error}") from None
    if not isinstance(document, list):
        raise Unreadable("the JSON is neither an article object nor an array of them")
    content = FileContent()
    for position, record in enumerate(document, start=1):
        try:
            content.entries.append(record_entry(record, path, position))
        except ValueError as error:
            content.problems.append(f"item {position}: {error}")
    return content


def load_jsonl(text: str, path: Path) -> FileContent:
    content = FileContent()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            content.problems.append(f"line {number}: not valid JSON ({error.msg})")
            continue
        try:
            content.entries.append(record_entry(record, path, number))
        except ValueError as error:
            content.problems.append(f"line {number}: {error}")
    return content


def load_jsonl_line(text: str, path: Path, locator: int) -> Entry:
    """Only the article on line ``locator``, without reading the others."""
    lines = text.split("\n")
    if not 0 < locator <= len(lines) or not lines[locator - 1].strip():
        raise Unreadable(f"line {locator} is no longer an article")
    try:
        return record_entry(json.loads(lines[locator - 1]), path, locator)
    except ValueError as error:  # JSONDecodeError is a ValueError
        raise Unreadable(f"line {locator}: {error}") from None
