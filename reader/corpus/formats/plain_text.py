"""``.txt`` articles: the reference shape (title line, ISO date line, one paragraph a line), or
plain text whose first line is the title and that has no date line.

The text is displayed as it is in the file (line ends normalised, trailing blank lines dropped),
so offsets into the file's text and into the display are the same.
"""

from __future__ import annotations

from pathlib import Path

from reader.corpus.formats.common import Entry, FileContent, parse_date, short_title

SUFFIXES = (".txt",)


def load(text: str, path: Path) -> FileContent:
    text = text.rstrip("\n")
    lines = text.split("\n", 2)
    title = short_title(lines[0]) or path.stem
    article_date = parse_date(lines[1]) if len(lines) > 1 else None
    return FileContent([Entry(text=text, title=title, date=article_date)])
