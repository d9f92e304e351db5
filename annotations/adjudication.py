"""What an adjudication remembers beside the store: the agreed layer's name and the differences
settled as "neither".

Settling a difference with A's, B's or both coders' passages leaves passages in the agreed layer,
and those show the difference as settled next session. Settling it with *neither* leaves nothing
there, so it is remembered here instead: a small JSON file beside the store
(``annotations.json.adjudication.json``), replaced whole at each change (atomically: a reader sees
the old file or the new one). A dismissed difference is known by the agreed layer it was settled
into, its article and extent, and the ids of the coders' passages there, so a difference whose
passages a coder has since changed comes back to be settled again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotations.atomic_file import replace_text
from annotations.differences import AGREED, Difference

#: The file's format version.
VERSION = 1

#: A dismissed difference: (agreed layer, article id, start, end, ids of the passages there).
Dismissed = tuple[str, str, int, int, tuple[str, ...]]


class AdjudicationFileError(ValueError):
    """The file beside the store cannot be read as an adjudication; the message names it."""


def adjudication_path(store_path: Path) -> Path:
    """The adjudication file of the store at ``store_path``."""
    return store_path.with_name(store_path.name + ".adjudication.json")


def dismissed_key(difference: Difference, agreed: str) -> Dismissed:
    """How a difference settled with "neither" into the layer ``agreed`` is remembered."""
    ids = tuple(sorted(p.id for p in (*difference.a, *difference.b)))
    return (agreed, difference.article_id, difference.start, difference.end, ids)


@dataclass
class Adjudication:
    """The agreed layer's name (the last chosen) and every difference dismissed, by layer."""

    agreed: str = AGREED
    dismissed: set[Dismissed] = field(default_factory=set)

    def to_record(self) -> dict[str, object]:
        rows = [
            {"agreed": agreed, "article": article, "start": start, "end": end, "passages": list(ids)}
            for agreed, article, start, end, ids in sorted(self.dismissed)
        ]
        return {"version": VERSION, "agreed": self.agreed, "dismissed": rows}


def read_adjudication(path: Path) -> Adjudication:
    """The adjudication kept at ``path``; an empty one when there is no file yet. Raises
    :class:`AdjudicationFileError` when the file is not one (it is then left as it is)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Adjudication()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AdjudicationFileError(
            f"the adjudication file {path} cannot be read ({error}); it is left as it is"
        ) from None
    try:
        agreed = document["agreed"]
        dismissed = {
            (row["agreed"], row["article"], int(row["start"]), int(row["end"]), tuple(row["passages"]))
            for row in document["dismissed"]
        }
        if not isinstance(agreed, str) or not all(isinstance(part, str) for key in dismissed for part in key[4]):
            raise TypeError("not text")
    except (KeyError, TypeError, ValueError) as error:
        raise AdjudicationFileError(
            f"the adjudication file {path} is not one reader wrote ({error!r}); it is left as it is"
        ) from None
    return Adjudication(agreed, dismissed)


def write_adjudication(path: Path, adjudication: Adjudication) -> None:
    """Replace the file at ``path`` with ``adjudication`` at once (OSError leaves the old one)."""
    replace_text(path, [json.dumps(adjudication.to_record(), ensure_ascii=False, indent=1) + "\n"], parents=True)


def change_adjudication(
    path: Path, *, agreed: str | None = None, dismiss: Dismissed | None = None, restore: Dismissed | None = None
) -> Adjudication:
    """Read the file, change it (the agreed name; a difference dismissed or brought back) and
    write it again: what another session wrote meanwhile is kept. Returns what was written."""
    adjudication = read_adjudication(path)
    if agreed is not None:
        adjudication.agreed = agreed
    if dismiss is not None:
        adjudication.dismissed.add(dismiss)
    if restore is not None:
        adjudication.dismissed.discard(restore)
    write_adjudication(path, adjudication)
    return adjudication
