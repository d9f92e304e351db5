"""A code as a JSON record: in the codebook file, and in the undo history beside annotations.

The undo history (:mod:`annotations.history`) keeps (before, after) pairs of records; a code's
record there is marked by its ``code`` field (annotation records have none) and carries an id
(``code:`` and the code's key) that no annotation id can take, so that one change can hold both
the passages a move re-tagged and the codes' descriptions it moved.
"""

from __future__ import annotations

from typing import Any

from annotations.codebook import Code, Memo
from annotations.model import from_iso, to_iso

#: What starts the history id of a code's record (annotation ids are UUIDs: never this).
ID_PREFIX = "code:"


def code_to_record(code: Code) -> dict[str, Any]:
    """The code as stored in the codebook file (its key is the file's document id)."""
    return {
        "path": code.path,
        "description": code.description,
        "colour": code.colour,
        "memos": [{"text": memo.text, "created": to_iso(memo.created)} for memo in code.memos],
    }


def code_from_record(record: dict[str, Any]) -> Code:
    """The code of a record; ``ValueError``, ``KeyError`` or ``TypeError`` for one that is not valid."""
    if not isinstance(record, dict):
        raise TypeError("a code must be an object")
    description = record.get("description", "")
    colour = record.get("colour")
    memos = record.get("memos", [])
    if not isinstance(record["path"], str) or not isinstance(description, str) or not isinstance(memos, list):
        raise TypeError("a code's path, description and memos must be text, text and a list")
    if colour is not None and not isinstance(colour, str):
        raise TypeError("a code's colour must be text")
    kept = []
    for memo in memos:
        if not isinstance(memo, dict) or not isinstance(memo.get("text"), str):
            raise TypeError("a memo must have a text")
        kept.append(Memo(memo["text"], from_iso(str(memo["created"]))))
    return Code(record["path"], description, colour, tuple(kept))


def history_record(code: Code) -> dict[str, Any]:
    """The code as one side of an undo history pair."""
    return {"id": ID_PREFIX + code.key, "code": code_to_record(code)}


def is_code_record(record: object) -> bool:
    """Whether a side of an undo history pair is a code's (not an annotation's)."""
    return isinstance(record, dict) and "code" in record


def code_of_history_record(record: dict[str, Any]) -> Code:
    """The code a history record holds; ``ValueError`` if its id is not the code's."""
    code = code_from_record(record["code"])
    if record.get("id") != ID_PREFIX + code.key:
        raise ValueError("a code's history record must be identified by the code's key")
    return code
