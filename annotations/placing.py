"""Placing stored annotations in an article's text as it is now: the one policy that the article
screen, export, import and the orphans screen all follow.

Each annotation is anchored (:func:`annotations.anchoring.anchor`). An exact or moved passage is
placed unasked, brought up to date (new offsets and context, the text's hash, and widened to
whole user-perceived characters: :mod:`annotations.graphemes`), and marked ``changed`` when the
stored record should learn that. A fuzzy passage waits for the user to confirm it; an orphaned
one is kept as it was. Nothing here writes: callers store what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from annotations.anchoring import Anchor, AnchorStatus, reanchored
from annotations.model import Annotation


@dataclass(frozen=True)
class Placement:
    """One stored annotation in the current text: ``annotation`` is it as placed (the stored one
    itself when nothing changed, or when it was not placed), ``anchor`` how it was found."""

    stored: Annotation
    annotation: Annotation
    anchor: Anchor

    @property
    def status(self) -> AnchorStatus:
        return self.anchor.status

    @property
    def placed(self) -> bool:
        """Whether the passage is used without asking (exact or moved)."""
        return self.anchor.trusted

    @property
    def changed(self) -> bool:
        """Whether the placed annotation differs from the stored record (the store should update it)."""
        return self.annotation is not self.stored


def placement(annotation: Annotation, text: str, text_sha256: str) -> Placement:
    """Where ``annotation`` lies in ``text`` (whose SHA-256 is ``text_sha256``), by the policy above."""
    placed, found = reanchored(annotation, text, text_sha256)
    return Placement(annotation, placed, found)


@dataclass(frozen=True)
class Placements:
    """The placements of several annotations of one text, in the order they were given."""

    all: list[Placement]

    @property
    def placed(self) -> list[Annotation]:
        """The annotations placed (exact or moved), as placed."""
        return [p.annotation for p in self.all if p.placed]

    @property
    def changed(self) -> list[Annotation]:
        """The placed annotations whose stored record is out of date."""
        return [p.annotation for p in self.all if p.placed and p.changed]

    @property
    def unplaced(self) -> list[Placement]:
        """The fuzzy (awaiting the user) and orphaned ones, each as stored."""
        return [p for p in self.all if not p.placed]

    def counts(self) -> Counter[AnchorStatus]:
        """How many of each status."""
        return Counter(p.status for p in self.all)


def place(stored: Iterable[Annotation], text: str, text_sha256: str) -> Placements:
    """Every one of ``stored`` (annotations of the article whose text is ``text``) placed in it."""
    return Placements([placement(annotation, text, text_sha256) for annotation in stored])
