"""Annotation: a tagged passage of one article, with enough context to find it again.

A passage is identified three ways at once, as the W3C Web Annotation model does: by character
offsets (``start``, ``end``), by its exact words (``quote``) and by the words around it
(``prefix``, ``suffix``). Offsets are fast; quote and context let the passage be re-anchored
when the article's text changes.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from annotations import graphemes
from annotations.coders import coder_of, default_coder

#: How many characters of context are kept on each side of a passage.
CONTEXT_CHARS = 32


def utc_now() -> datetime:
    """The current time in UTC, to the millisecond (what ISO 8601 in the store keeps)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def to_iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, the form used at every edge (store, export)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    """Parse an ISO 8601 time; a time without a zone is taken as UTC. ``ValueError`` for text
    that is not one, or one that falls outside the calendar once in UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # A time at the calendar's edge whose zone puts it past year 1 or 9999 in UTC.
        raise ValueError(f"{text!r} is outside the years 1 to 9999 in UTC") from None


#: C0 and C1 control characters and DEL: never part of a tag (ESC would reach the terminal).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def normalise_tag(tag: str) -> str:
    """A tag as stored: surrounding space trimmed, inner runs of space folded to one, and control
    characters (C0, DEL, C1) removed, so that a tag from an imported file cannot carry an escape
    sequence to the terminal. Control characters that are space (tab, newline) separate words.

    Case is kept as the user typed it; comparisons use :func:`tag_key`.
    """
    return " ".join(_CONTROL.sub("", " ".join(tag.split())).split())


def tag_key(tag: str) -> str:
    """The identity of a tag: tags that differ only in case or spacing are the same tag."""
    return normalise_tag(tag).casefold()


def merge_tags(tags: list[str]) -> list[str]:
    """Normalised tags with empties and case-insensitive duplicates removed, first kept."""
    seen: set[str] = set()
    merged: list[str] = []
    for tag in map(normalise_tag, tags):
        if tag and tag_key(tag) not in seen:
            seen.add(tag_key(tag))
            merged.append(tag)
    return merged


class EmptyPassage(ValueError):
    """A passage of no characters: nothing to tag, and nothing anchoring could find again."""


def check_passage(start: int, end: int, length: int | None = None) -> None:
    """Refuse a passage that selects nothing (``start >= end``) or, with the text's ``length``,
    one that is not inside the text; every place that makes a passage calls this, so an empty
    one never reaches the store (where anchoring and exports cannot place it)."""
    if start >= end:
        raise EmptyPassage(
            f"the passage {start}..{end} is empty: a passage must hold at least one character"
            if start == end
            else f"the passage {start}..{end} ends before it starts"
        )
    if start < 0 or (length is not None and end > length):
        raise ValueError(f"passage {start}..{end} is not inside a text of {length} characters")


@dataclass(frozen=True)
class ArticleRef:
    """What an export needs to name an article without the corpus at hand."""

    id: str
    title: str
    date: str | None
    path: str
    sha256: str

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "date": self.date, "path": self.path, "sha256": self.sha256}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ArticleRef:
        return cls(
            id=str(record["id"]),
            title=str(record.get("title", "")),
            date=record.get("date"),
            path=str(record.get("path", "")),
            sha256=str(record.get("sha256", "")),
        )


@dataclass(frozen=True)
class Annotation:
    """One tagged passage. Immutable: edits make a new value with a newer ``updated``.

    ``coder`` names who made it (see :mod:`annotations.coders`); edits keep it, as a passage stays
    the work of the coder who made it."""

    id: str
    article_id: str
    article_sha256: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    tags: list[str] = field(default_factory=list)
    note: str = ""
    created: datetime = field(default_factory=utc_now)
    updated: datetime = field(default_factory=utc_now)
    coder: str = field(default_factory=default_coder)

    @classmethod
    def create(
        cls,
        *,
        article_id: str,
        article_sha256: str,
        text: str,
        start: int,
        end: int,
        tags: list[str] | None = None,
        note: str = "",
        coder: str | None = None,
    ) -> Annotation:
        """A new annotation of ``text[start:end]``, with quote and context taken from ``text``,
        made by ``coder`` (default: the default coder)."""
        check_passage(start, end, len(text))
        now = utc_now()
        # Every passage made, resized or re-anchored comes through here: widened to whole
        # user-perceived characters, none cuts an emoji or an accented letter in two.
        start, end = graphemes.snap(text, start, end)
        return cls(
            id=uuid.uuid4().hex,
            article_id=article_id,
            article_sha256=article_sha256,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            tags=merge_tags(tags or []),
            note=note,
            created=now,
            updated=now,
            coder=coder_of(coder),
        )

    def retagged(self, tags: list[str]) -> Annotation:
        return replace(self, tags=merge_tags(tags), updated=utc_now())

    def with_note(self, note: str) -> Annotation:
        return replace(self, note=note, updated=utc_now())

    def moved(self, text: str, start: int, end: int, article_sha256: str) -> Annotation:
        """The same annotation over another passage of ``text`` (resized or re-anchored)."""
        fresh = Annotation.create(
            article_id=self.article_id, article_sha256=article_sha256, text=text, start=start, end=end
        )
        return replace(
            self,
            article_sha256=article_sha256,
            start=fresh.start,
            end=fresh.end,
            quote=fresh.quote,
            prefix=fresh.prefix,
            suffix=fresh.suffix,
            updated=utc_now(),
        )

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready form kept in the store and written by exports."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "article_sha256": self.article_sha256,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "tags": list(self.tags),
            "note": self.note,
            "created": to_iso(self.created),
            "updated": to_iso(self.updated),
            "coder": self.coder,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Annotation:
        return cls(
            id=str(record["id"]),
            article_id=str(record["article_id"]),
            article_sha256=str(record["article_sha256"]),
            start=int(record["start"]),
            end=int(record["end"]),
            quote=str(record["quote"]),
            prefix=str(record.get("prefix", "")),
            suffix=str(record.get("suffix", "")),
            tags=[str(tag) for tag in record.get("tags", [])],
            note=str(record.get("note", "")),
            created=from_iso(record["created"]),
            updated=from_iso(record["updated"]),
            coder=coder_of(record.get("coder")),
        )
