"""The undo history's file: what one change is, and which entries of the file are valid.

A change is a list of (before, after) pairs of annotation records, kept with a label for the
user and the session that made it. Entries are checked when the file is read, so that one that
is not valid (not the right shape, a time or an offset out of range) is dropped, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from annotations.codebook_records import code_of_history_record, is_code_record
from annotations.model import Annotation

Record = dict[str, Any]
Pair = tuple[Record | None, Record | None]
Stacks = dict[str, list["Change"]]
UNDO, REDO = "undo", "redo"


@dataclass(frozen=True)
class Change:
    """One undoable step: a label for the user and the records it replaced; ``owner`` is the
    session that made it ("" for none known: anyone's to undo)."""

    label: str
    pairs: list[Pair]
    owner: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"label": self.label, "pairs": [list(pair) for pair in self.pairs]}
        if self.owner:
            data["owner"] = self.owner
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(str(data["label"]), [(before, after) for before, after in data["pairs"]], str(data.get("owner", "")))

    def inverted(self) -> Change:
        return Change(self.label, [(after, before) for before, after in reversed(self.pairs)], self.owner)


def valid_scopes(data: object) -> tuple[dict[str, Stacks], bool]:
    """The valid scopes of the file's ``data``, and whether everything in it was valid."""
    if not isinstance(data, dict):
        return {}, False
    clean = True
    scopes: dict[str, Stacks] = {}
    for scope, stacks in data.items():
        if not isinstance(stacks, dict) or not set(stacks) <= {UNDO, REDO}:
            clean = False
            continue
        valid: Stacks = {UNDO: [], REDO: []}
        for name in (UNDO, REDO):
            entries = stacks.get(name, [])
            if not isinstance(entries, list):
                clean = False
                continue
            for entry in entries:
                change = _valid_change(entry)
                if change is None:
                    clean = False
                else:
                    valid[name].append(change)
        if valid[UNDO] or valid[REDO]:
            scopes[scope] = valid
    return scopes, clean


def _valid_change(entry: object) -> Change | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        return None
    pairs = entry.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        return None
    valid: list[Pair] = []
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            return None
        before, after = pair
        if before is None and after is None:
            return None
        for side in (before, after):
            if side is not None and not _valid_record(side):
                return None
        if before is not None and after is not None and before["id"] != after["id"]:
            return None
        valid.append((before, after))
    owner = entry.get("owner", "")
    return Change(entry["label"], valid, owner) if isinstance(owner, str) else None


def _valid_record(record: object) -> bool:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return False
    if is_code_record(record):  # a code's description, colour or memos (annotations.codebook_store)
        try:
            code_of_history_record(record)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            return False
        return True
    try:
        Annotation.from_record(record)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return False  # OverflowError: a number too large for an offset (1e999 reads as infinity)
    return True
