"""A notice: one toast the app showed, kept in ``ReaderApp.notices`` as a public record."""

from __future__ import annotations

from typing import NamedTuple


class Notice(NamedTuple):
    """What a toast said (already made inert), so tests and logs need no Textual internals."""

    title: str
    message: str
    severity: str
