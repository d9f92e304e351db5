"""Undo and redo of annotation changes, kept on disk so they survive a restart.

A change is a list of (before, after) pairs of annotation records: ``before`` is None for a
creation, ``after`` is None for a deletion. One change may touch many annotations (renaming a
tag across the corpus), and is undone as one. Changes are kept per scope: an article's id for
edits made while reading it, :data:`CORPUS` for corpus-wide ones.

The history is a small JSON file beside the store, replaced atomically on every change; losing it
loses only the ability to undo, never an annotation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotations.atomic_file import replace_text
from annotations.model import Annotation
from annotations.store import AnnotationStore

#: The scope of changes that span articles (tag rename and merge).
CORPUS = "*"

#: How many changes each scope remembers.
DEPTH = 200

Record = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One undoable step: a label for the user and the records it replaced."""

    label: str
    pairs: list[tuple[Record | None, Record | None]]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "pairs": [list(pair) for pair in self.pairs]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(str(data["label"]), [(before, after) for before, after in data["pairs"]])

    def inverted(self) -> Change:
        return Change(self.label, [(after, before) for before, after in reversed(self.pairs)])


def history_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".history.json")


class History:
    """The undo and redo stacks of each scope, applied through an :class:`AnnotationStore`."""

    def __init__(self, store: AnnotationStore, path: Path | None = None) -> None:
        self.store = store
        self.path = path or history_path(store.path)
        self._scopes: dict[str, dict[str, list[dict[str, Any]]]] = self._load()

    def _load(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self) -> None:
        try:
            replace_text(self.path, (json.dumps(self._scopes, ensure_ascii=False),))
        except OSError:
            pass  # losing the history loses only the ability to undo, never an annotation

    def _stack(self, scope: str, name: str) -> list[dict[str, Any]]:
        return self._scopes.setdefault(scope, {"undo": [], "redo": []})[name]

    # -- recording -------------------------------------------------------------------------

    def record(self, scope: str, change: Change) -> None:
        """Remember a change that was just made; a new change clears what could be redone."""
        undo = self._stack(scope, "undo")
        undo.append(change.to_json())
        del undo[:-DEPTH]
        self._stack(scope, "redo").clear()
        self._save()

    # -- changes that record themselves ----------------------------------------------------

    def add(self, scope: str, annotation: Annotation, *args: Any) -> Annotation:
        self.store.add(annotation, *args)
        self.record(scope, Change("tag passage", [(None, annotation.to_record())]))
        return annotation

    def update(self, scope: str, label: str, before: Annotation, after: Annotation) -> Annotation:
        self.store.update(after)
        self.record(scope, Change(label, [(before.to_record(), after.to_record())]))
        return after

    def update_many(self, scope: str, label: str, pairs: list[tuple[Annotation, Annotation]]) -> None:
        for _, after in pairs:
            self.store.update(after)
        self.record(scope, Change(label, [(b.to_record(), a.to_record()) for b, a in pairs]))

    def delete(self, scope: str, annotation: Annotation) -> Annotation | None:
        removed = self.store.delete(annotation.id)
        if removed is not None:
            self.record(scope, Change("delete", [(removed.to_record(), None)]))
        return removed

    # -- undo and redo ---------------------------------------------------------------------

    def can_undo(self, scope: str) -> bool:
        return bool(self._scopes.get(scope, {}).get("undo"))

    def can_redo(self, scope: str) -> bool:
        return bool(self._scopes.get(scope, {}).get("redo"))

    def undo(self, scope: str) -> Change | None:
        """Revert the scope's last change; returns it (for a message), or None if none is left."""
        return self._move(scope, "undo", "redo", invert=True)

    def redo(self, scope: str) -> Change | None:
        return self._move(scope, "redo", "undo", invert=False)

    def _move(self, scope: str, source: str, target: str, invert: bool) -> Change | None:
        stack = self._stack(scope, source)
        if not stack:
            return None
        change = Change.from_json(stack.pop())
        self._apply(change.inverted() if invert else change)
        self._stack(scope, target).append(change.to_json())
        self._save()
        return change

    def _apply(self, change: Change) -> None:
        """Make the store hold each pair's ``after`` (None: the annotation is removed)."""
        for before, after in change.pairs:
            if after is None:
                if before is not None:
                    self.store.delete(str(before["id"]))
            elif self.store.get(str(after["id"])) is None:
                self.store.add(Annotation.from_record(after))
            else:
                self.store.update(Annotation.from_record(after))
