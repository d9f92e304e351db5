"""``.html`` articles: the main text, title, date and site name extracted by trafilatura.

Navigation, footers and comments are left out by the extractor; what remains is shown as the
title line, the date line and one paragraph a line. trafilatura is imported on the first HTML
file, so a corpus without any does not pay for it.
"""

from __future__ import annotations

import re
from pathlib import Path

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

SUFFIXES = (".html", ".htm")

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_encoding(raw: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` near its top, if any."""
    match = _DECLARED.search(raw[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def load(text: str, path: Path) -> FileContent:
    import trafilatura

    document = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True)
    body = getattr(document, "text", None) if document is not None else None
    if not body or not body.strip():
        raise Unreadable("no article text was found in the page")
    title = short_title(getattr(document, "title", None) or "") or path.stem
    paragraphs = text_paragraphs(body)
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    article_date = parse_date(getattr(document, "date", None))
    source = optional_text(getattr(document, "sitename", None) or getattr(document, "hostname", None))
    return FileContent(
        [
            Entry(
                compose(title, article_date, paragraphs),
                title,
                article_date,
                source,
                optional_text(getattr(document, "url", None)),
            )
        ]
    )
