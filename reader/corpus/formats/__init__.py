"""Article file formats: one loader a format, chosen by the file's suffix.

:func:`read_file` reads a whole file into its articles (for the index); :func:`read_entry` reads
one article again when it is opened, found by the ``locator`` its loader gave it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from reader.corpus.decoding import Decoded, Unreadable, decode, read_regular_file
from reader.corpus.formats import html, json_records, markdown, plain_text
from reader.corpus.formats.common import Entry, FileContent, parse_date

Loader = Callable[[str, Path], FileContent]

LOADERS: dict[str, Loader] = {
    **dict.fromkeys(plain_text.SUFFIXES, plain_text.load),
    **dict.fromkeys(markdown.SUFFIXES, markdown.load),
    **dict.fromkeys(json_records.JSON_SUFFIXES, json_records.load_json),
    **dict.fromkeys(json_records.JSONL_SUFFIXES, json_records.load_jsonl),
    **dict.fromkeys(html.SUFFIXES, html.load),
}

#: Every suffix reader reads as articles, lower case.
SUFFIXES: tuple[str, ...] = tuple(LOADERS)

__all__ = [
    "SUFFIXES",
    "Entry",
    "FileContent",
    "Unreadable",
    "check_text",
    "failure_reason",
    "is_article_file",
    "parse_date",
    "read_entry",
    "read_file",
]


def is_article_file(name: str) -> bool:
    """Whether a file of this name is read as articles (by its suffix, in any case)."""
    return os.path.splitext(name)[1].lower() in LOADERS


def decode_file(path: Path, encoding: str | None = None) -> tuple[bytes, Decoded]:
    """The file's bytes and text; raises OSError, or :class:`Unreadable` if it is not text."""
    raw = read_regular_file(path)
    if encoding is None and path.suffix.lower() in html.SUFFIXES:
        encoding = html.declared_encoding(raw)
    return raw, decode(raw, encoding)


def failure_reason(error: BaseException, path: Path) -> str:
    """Why reading ``path`` failed, in words for the problems line, whatever the error was: one
    file's trouble (a format's library missing, a file nested too deep) never ends a listing."""
    if isinstance(error, Unreadable):
        return str(error)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, RecursionError):
        return "it is nested too deeply to be read"
    if isinstance(error, ImportError):
        return f"{path.suffix.lower() or 'this'} files cannot be read: a library they need is missing ({error}); reinstall reader"
    return f"it could not be read ({type(error).__name__}: {str(error)[:200]})"


def check_text(entry: Entry) -> None:
    """Raise UnicodeError when a field of ``entry`` cannot be written as UTF-8 (a lone surrogate
    from a JSON escape such as ``\\ud800``): such a text cannot be hashed, cached or shown."""
    for value in (entry.text, entry.title, entry.source, entry.url, entry.key):
        if value is not None:
            value.encode("utf-8")


def read_file(path: Path) -> tuple[FileContent, str]:
    """Every article in ``path`` and the encoding it was read with.

    Raises OSError, or :class:`Unreadable` when the file as a whole holds no readable article.
    """
    _, decoded = decode_file(path)
    content = LOADERS[path.suffix.lower()](decoded.text, path)
    if not content.entries:
        reasons = "; ".join(content.problems[:3]) or "it holds no article"
        raise Unreadable(f"no article could be read ({reasons})")
    return content, decoded.encoding


def read_entry(path: Path, locator: int | None, encoding: str | None = None) -> Entry:
    """The one article at ``locator`` in ``path`` (None: the file's only article), read anew."""
    _, decoded = decode_file(path, encoding)
    suffix = path.suffix.lower()
    if locator is not None and suffix in json_records.JSONL_SUFFIXES:
        return json_records.load_jsonl_line(decoded.text, path, locator)
    entries = LOADERS[suffix](decoded.text, path).entries
    if locator is None:
        if not entries:
            raise Unreadable("it holds no article any more")
        return entries[0]
    for entry in entries:
        if entry.locator == locator:
            return entry
    raise Unreadable(f"item {locator} is no longer an article")
