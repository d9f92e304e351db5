"""The codebook's vocabulary: a code is a tag with a place in a hierarchy and what describes it.

A passage's tags *are* its codes: the tag ``framing/pivot westward`` is the code ``pivot
westward`` under the parent ``framing``. The hierarchy lives in the name (its ``/``-separated
path), so a flat tag from an older store is already a top-level code, nothing is migrated in the
passages, and moving a code under another parent is renaming its tag (which the store already
does, undoably). What a code has beyond its name (description, colour, memos) is kept apart from
the passages, by the code's :func:`~annotations.model.tag_key`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from annotations.model import normalise_tag, tag_key, utc_now

#: What separates a parent from its child in a code's path.
SEPARATOR = "/"

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def code_path(typed: str) -> str:
    """A code's path as stored: each part normalised as a tag, empty parts dropped
    (``" framing //  pivot westward "`` is ``"framing/pivot westward"``)."""
    parts = (normalise_tag(part) for part in normalise_tag(typed).split(SEPARATOR))
    return SEPARATOR.join(part for part in parts if part)


def parent_of(path: str) -> str | None:
    """The parent's path of a code, or None for a top-level code."""
    head, _, _ = code_path(path).rpartition(SEPARATOR)
    return head or None


def leaf_of(path: str) -> str:
    """The code's own name, without its parents (``pivot westward``)."""
    return code_path(path).rpartition(SEPARATOR)[2]


def ancestors_of(path: str) -> list[str]:
    """Every parent's path, nearest last (``a/b/c`` has ``a`` and ``a/b``)."""
    parts = code_path(path).split(SEPARATOR)
    return [SEPARATOR.join(parts[:depth]) for depth in range(1, len(parts))]


def is_colour(value: str) -> bool:
    """``#rrggbb``, the one colour form a codebook keeps (and REFI-QDA exchanges)."""
    return _COLOUR.fullmatch(value) is not None


@dataclass(frozen=True)
class Memo:
    """A dated piece of free text about a code (several per code, oldest first)."""

    text: str
    created: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Code:
    """A code of the codebook: its path, and what tells a coder when to apply it."""

    path: str
    description: str = ""
    #: ``#rrggbb`` chosen by the user, or None for the theme's tint.
    colour: str | None = None
    memos: tuple[Memo, ...] = ()

    def __post_init__(self) -> None:
        if not code_path(self.path):
            raise ValueError("a code needs a name")
        object.__setattr__(self, "path", code_path(self.path))  # frozen: set once, as stored
        if self.colour is not None and not is_colour(self.colour):
            raise ValueError(f"{self.colour!r} is not a colour of the form #rrggbb")

    @property
    def key(self) -> str:
        """The code's identity, as tags compare (case and spacing aside)."""
        return tag_key(self.path)

    @property
    def parent(self) -> str | None:
        return parent_of(self.path)

    @property
    def name(self) -> str:
        """The code's own name, without its parents."""
        return leaf_of(self.path)

    def moved_to(self, path: str) -> Code:
        return replace(self, path=code_path(path))
