"""The codebook as CSV, as Taguette exchanges it: one row per code, for spreadsheets and scripts.

Columns: ``code, parent, description, colour, count``. ``code`` is the code's full path
(``framing/pivot westward``), ``parent`` its parent's path (empty at the top), ``colour``
``#rrggbb`` or empty, ``count`` how many passages carry the code itself (its children are counted
on their own rows). Memos are not in this format. Written with the csv module (RFC 4180, CRLF,
UTF-8 with a byte order mark for spreadsheets); a cell a spreadsheet would run as a formula gets
a leading ``'`` (:func:`~annotations.formats.csv_format.inert_cell`), taken off again on import.

Reading back, only ``code`` is required; ``parent`` may hold the parent of a code given by its
own name alone; ``description`` and ``colour``, when their column is there, set them (empty
clears); ``count`` is ignored. A row that is not valid is refused with its line number, and
then no code is read at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from annotations.codebook import SEPARATOR, Code, code_path, is_colour, parent_of
from annotations.formats.csv_format import FILE_ENCODING, inert_cell
from annotations.formats.fields import FormatError
from annotations.model import tag_key

#: The format's name, for ``reader export -f`` and ``reader import -f``.
NAME = "codebook-csv"
DESCRIPTION = "the codebook, one row per code (code, parent, description, colour, count), as Taguette exchanges it"
COLUMNS = ("code", "parent", "description", "colour", "count")
__all__ = ["COLUMNS", "FILE_ENCODING", "NAME", "CodebookRows", "is_document", "loads", "render"]


@dataclass(frozen=True)
class CodebookRows:
    """The codes a file gives, and which of its columns it has (a missing one changes nothing)."""

    codes: list[Code]
    columns: frozenset[str]

    def sets(self, column: str) -> bool:
        return column in self.columns


def render(codes: list[Code], counts: Mapping[str, int]) -> str:
    """The header and one row per code, in the order given (``counts`` by code key)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for code in codes:
        cells = [code.path, code.parent or "", code.description, code.colour or ""]
        writer.writerow([*map(inert_cell, cells), counts.get(code.key, 0)])
    return buffer.getvalue()


def _cell(value: str | None) -> str:
    """A cell as written before :func:`inert_cell` guarded it against spreadsheets."""
    value = value or ""
    return value[1:] if value.startswith("'") and inert_cell(value[1:]) == value else value


def is_document(text: str) -> bool:
    """Whether ``text`` looks like a codebook CSV: its header's first column is ``code``."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        header = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return False
    return bool(header) and header[0].strip().casefold() == "code"


def loads(text: str) -> CodebookRows:
    """The codes of a codebook CSV's ``text``; :class:`FormatError` naming the line of the first
    row that is not valid (no code, a parent that disagrees with the path, a colour not of the
    form ``#rrggbb``, a code given twice, a row with more cells than the header)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), restkey="\0extra")
    try:
        header = [name.strip().casefold() for name in reader.fieldnames or []]
    except csv.Error as error:
        raise FormatError(f"not CSV ({error})", line=1) from None
    if "code" not in header:
        raise FormatError("the header has no 'code' column (expected: " + ", ".join(COLUMNS) + ")", line=1)
    reader.fieldnames = header
    codes: list[Code] = []
    seen: set[str] = set()
    try:
        for row in reader:
            line = reader.line_num
            codes.append(_code(row, header, line, seen))
    except csv.Error as error:
        raise FormatError(f"not CSV ({error})", line=reader.line_num) from None
    return CodebookRows(codes, frozenset(header))


def _code(row: dict[str, str | None], header: list[str], line: int, seen: set[str]) -> Code:
    if row.get("\0extra"):
        raise FormatError(f"the row has more cells than the header's {len(header)}", line=line)
    path, parent = code_path(_cell(row.get("code"))), code_path(_cell(row.get("parent")))
    if not path:
        raise FormatError("the row has no code", line=line, field="code")
    if parent and SEPARATOR not in path:
        path = f"{parent}{SEPARATOR}{path}"
    elif parent and tag_key(parent) != tag_key(parent_of(path) or ""):
        raise FormatError(f"the code {path!r} is not under the parent {parent!r}", line=line, field="parent")
    colour = _cell(row.get("colour")).strip() or None
    if colour is not None and not is_colour(colour):
        raise FormatError(f"the colour {colour!r} is not of the form #rrggbb", line=line, field="colour")
    key = tag_key(path)
    if key in seen:
        raise FormatError(f"the code {path!r} is given twice", line=line, field="code")
    seen.add(key)
    description = _cell(row.get("description")).strip() if "description" in header else ""
    return Code(path, description, colour)
