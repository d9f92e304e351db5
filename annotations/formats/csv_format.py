"""CSV for spreadsheets: one row per annotation, quoted so commas, quotes and line breaks survive.

Columns: ``id, article_id, title, date, start, end, quote, tags, note, created, updated, coder``
(``coder`` last, so that sheets made for the columns before it still read them); tags
are joined with ``"; "``. Rows end with CRLF (RFC 4180) and a file is written with a UTF-8 byte
order mark, which spreadsheet programs need to read it as UTF-8.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or their fullwidth forms ``＝＋－＠``, which
some spreadsheets read as the same), a tab or a carriage return, or with any space or line
break before one of those, would be run as a formula by a spreadsheet (article text is not
trusted), so such a cell is written with a leading ``'``, which spreadsheets hide. This format is
for reading; it is not imported back.
"""

from __future__ import annotations

import csv
import io

from annotations.formats.exchange import Export
from annotations.model import to_iso

COLUMNS = ("id", "article_id", "title", "date", "start", "end", "quote", "tags", "note", "created", "updated", "coder")
TAG_SEPARATOR = "; "
#: Encoding for a file; ``utf-8-sig`` adds the byte order mark spreadsheets look for.
FILE_ENCODING = "utf-8-sig"
#: What starts a formula: the ASCII signs and their fullwidth forms (U+FF1D, U+FF0B, U+FF0D, U+FF20).
_FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_STARTS = (*_FORMULA_SIGNS, "\t", "\r")


def inert_cell(value: str) -> str:
    """``value`` as a cell a spreadsheet shows as text, never runs as a formula: spreadsheets
    skip leading space and line breaks, so a sign after them starts a formula too."""
    if value.startswith(_FORMULA_STARTS) or value.lstrip().startswith(_FORMULA_SIGNS):
        return "'" + value
    return value


def render(export: Export) -> str:
    """The header and one row per annotation (by article, then position)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for article_id, group in export.by_article().items():
        article = export.article(article_id)
        for annotation in group:
            row: list[str | int] = [
                annotation.id,
                article_id,
                article.title,
                article.date or "",
                annotation.start,
                annotation.end,
                annotation.quote,
                TAG_SEPARATOR.join(annotation.tags),
                annotation.note,
                to_iso(annotation.created),
                to_iso(annotation.updated),
                annotation.coder,
            ]
            writer.writerow([inert_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue()
