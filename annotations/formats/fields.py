"""Reading the fields of an imported file, so that every complaint says where the file broke.

An import must write nothing when its file is wrong, and tell the user where to look: the line
(for line-based formats and JSON syntax errors) and the field, as a path such as
``annotations[3].start``. :class:`Record` wraps one JSON object together with that location, and
its typed getters raise :class:`FormatError` carrying it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotations.model import from_iso

#: Marks a getter's ``default`` as absent: the field is required.
_REQUIRED: Any = object()


class FormatError(ValueError):
    """A file that cannot be imported; ``line`` and ``field`` say where, when they are known.
    ``needs_pages`` is true when it could be imported given the corpus that holds its pages
    (the application says how to give one)."""

    def __init__(
        self, reason: str, *, line: int | None = None, field: str | None = None, needs_pages: bool = False
    ) -> None:
        self.reason = reason
        self.line = line
        self.field = field
        self.needs_pages = needs_pages
        super().__init__(self.__str__())

    def __str__(self) -> str:
        place = []
        if self.line is not None:
            place.append(f"line {self.line}")
        if self.field:
            place.append(f"field {self.field!r}")
        return f"{', '.join(place)}: {self.reason}" if place else self.reason


def parse_json(text: str, *, line: int | None = None) -> Any:
    """``text`` parsed as JSON; a syntax error becomes a :class:`FormatError` with its line.

    ``line`` is the number of the line ``text`` is in, for formats with one document a line.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = line if line is not None else error.lineno
        raise FormatError(f"not valid JSON ({error.msg} at column {error.colno})", line=where) from None
    except RecursionError:
        raise FormatError("not valid JSON (nested too deeply)", line=line) from None


@dataclass(frozen=True)
class Record:
    """One JSON object of an imported file, with the line and field path it was found at."""

    value: dict[str, Any]
    path: str = ""
    line: int | None = None

    @classmethod
    def of(cls, value: object, path: str = "", line: int | None = None) -> Record:
        """``value`` as a record; anything but a JSON object is an error at ``path``."""
        if not isinstance(value, dict):
            raise FormatError(f"expected an object, found {_kind(value)}", line=line, field=path or None)
        return cls(value, path, line)

    def where(self, key: str | int) -> str:
        """The field path of ``key`` inside this record."""
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | int | None, reason: str) -> FormatError:
        """An error about ``key`` of this record (or the record itself when ``key`` is None)."""
        return FormatError(reason, line=self.line, field=(self.path or None) if key is None else self.where(key))

    def has(self, key: str) -> bool:
        return key in self.value

    def get(self, key: str, default: Any = _REQUIRED) -> Any:
        """The raw value of ``key``; a missing required field is an error."""
        if key in self.value:
            return self.value[key]
        if default is _REQUIRED:
            raise self.fail(key, "this field is missing")
        return default

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {_kind(value)}")
        return value

    def identifier(self, key: str) -> str:
        """Non-empty text that names something (an annotation, an article)."""
        value = self.text(key)
        if not value:
            raise self.fail(key, "an id cannot be empty")
        return value

    def optional_text(self, key: str) -> str | None:
        """Text or null (or absent, read as null)."""
        value = self.get(key, None)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, f"expected text or null, found {_kind(value)}")
        return value

    def offset(self, key: str) -> int:
        """A character offset: a whole number from 0 up."""
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f"expected a whole number from 0 up, found {_kind(value)}")
        return value

    def time(self, key: str) -> datetime:
        """An ISO 8601 time (a time without a zone is taken as UTC)."""
        value = self.get(key)
        if not isinstance(value, str):
            raise self.fail(key, f"expected an ISO 8601 time, found {_kind(value)}")
        try:
            return from_iso(value)
        except ValueError:
            raise self.fail(key, f"{value!r} is not an ISO 8601 time") from None

    def texts(self, key: str, default: Any = _REQUIRED) -> list[str]:
        """A list of texts."""
        value = self.get(key, default)
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, found {_kind(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise FormatError(
                    f"expected text, found {_kind(item)}", line=self.line, field=f"{self.where(key)}[{index}]"
                )
        return list(value)

    def record(self, key: str) -> Record:
        return Record.of(self.get(key), self.where(key), self.line)

    def records(self, key: str, default: Any = _REQUIRED) -> list[Record]:
        """The objects of a list (a single object is read as a list of one)."""
        value = self.get(key, default)
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise self.fail(key, f"expected a list of objects, found {_kind(value)}")
        base = self.where(key)
        return [Record.of(item, f"{base}[{index}]", self.line) for index, item in enumerate(items)]


_SHA256 = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def sha256_or_empty(value: object) -> str:
    """``value`` as a text hash (lowercase hex SHA-256), or empty when it is not one.

    A hash is only ever compared with the hash of a text: one of another shape (from another
    tool's file) would never match, and must not reach reader's own exports, whose schema
    allows a hash or nothing.
    """
    if not isinstance(value, str):
        return ""
    lowered = value.strip().lower()
    return lowered if _SHA256.fullmatch(lowered) else ""


def date_or_none(value: object) -> str | None:
    """``value`` as a publication date (YYYY-MM-DD), or None when it is not one (a date is only
    shown and exported; one of another shape is dropped rather than written on as it came)."""
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        return value.strip()
    return None


def text_or_empty(value: object) -> str:
    """``value`` if it is text, else empty: for descriptive fields of other tools' files
    (a title, a path) that reader can do without."""
    return value if isinstance(value, str) else ""


def _kind(value: object) -> str:
    """How a JSON value is described in an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    return "an object"
