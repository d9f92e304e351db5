"""The codebook of a store: what its codes have beyond their names, kept beside the passages.

The codes themselves are the tags of the passages (see :mod:`annotations.codebook`); this file
keeps what a code has beyond its name (description, colour, memos) and the codes created before
any passage carries them. It is one TinyDB-format JSON file in the store's folder
(``codebook.json``: ``{"codes": {key: record}}``), replaced atomically with a backup, like the
store's own files, and written under the store's lock; reading never waits. A damaged file is
reported as a :class:`~annotations.errors.StoreError` naming it (never read as an empty codebook,
which the next write would make true).

Changes are made in pairs (the code as the caller read it, the code it becomes), applied only if
the file still holds the first: that is how the undo history (:mod:`annotations.history`)
replays them without overwriting another window's edit. The edits a user makes, recorded for
undo, are in :mod:`annotations.codebook_editing`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from annotations import layout
from annotations.codebook import SEPARATOR, Code, ancestors_of, code_path
from annotations.codebook_records import code_from_record, code_to_record
from annotations.errors import ChangedElsewhere, StoreError
from annotations.guard import guarded
from annotations.locking import StoreLock
from annotations.model import tag_key
from annotations.storage import AtomicJSONStorage, StoreDamaged, backup_path
from annotations.store import AnnotationStore

FILE_NAME = "codebook.json"
TABLE = "codes"

#: One change of the file: the code as read (None: none yet) and what it becomes (None: removed).
CodeChange = tuple[Code | None, Code | None]


def code_key(path: str) -> str:
    """The identity of a code (and of the tag that is its path): case and spacing aside."""
    return tag_key(code_path(path))


def in_subtree(key: str, root: str) -> bool:
    """Whether the code ``key`` is the code ``root`` or one of its descendants (keys both)."""
    return key == root or key.startswith(root + SEPARATOR)


def damaged_message(file: Path, reason: str) -> str:
    """The codebook file cannot be read: say which, and what to do."""
    return (
        f"The codebook file {file} is damaged: {reason}. It was not changed, and no passage was "
        f"lost (codes are the passages' tags). Put back its copy {file.name}.bak, or move the file "
        "aside to start the codebook's descriptions, colours and memos afresh."
    )


def unusable_message(file: Path, error: OSError) -> str:
    """The codebook file could not be read or written at all."""
    return (
        f"Could not use the codebook file {file}: {error.strerror or error}. Check that its folder "
        "exists and that you may read and write there."
    )


class Codebook:
    """The codebook of ``store``: the codes in use and those defined, with their descriptions."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.path = layout.folder(store.path) / FILE_NAME
        #: The store's lock, through the one guard the store uses (:mod:`annotations.guard`).
        self._lock = StoreLock(store.path, layout.lock_path(store.path), store.lock_timeout)
        self._cache: tuple[tuple[int, int, int], dict[str, Code]] | None = None

    # -- the file --------------------------------------------------------------------------

    def _guarded(self, *, locked: bool) -> AbstractContextManager[None]:
        if locked and self.store.read_only:
            raise PermissionError(f"the store {self.store.path} is open read-only: the codebook cannot change")
        self._lock.on_wait = self.store.on_lock_wait
        return guarded(self._lock, locked=locked, damaged=self._damaged, unusable=self._unusable)

    def _damaged(self, _file: Path, reason: str) -> StoreError:
        return StoreError(damaged_message(self.path, reason), path=self.store.path)

    def _unusable(self, error: OSError) -> StoreError:
        return StoreError(unusable_message(self.path, error), path=self.store.path)

    def _read(self) -> dict[str, Code]:
        """The codes kept in the file, by key; re-read only when the file changed."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            if backup_path(self.path).exists():
                raise StoreDamaged(self.path, "the file is missing but its copy is there") from None
            return {}
        stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and self._cache[0] == stamp:
            return dict(self._cache[1])
        tables = AtomicJSONStorage(self.path).read() or {}
        records = tables.get(TABLE, {})
        if not isinstance(records, dict):
            raise StoreDamaged(self.path, f"its {TABLE!r} entry is not an object")
        codes: dict[str, Code] = {}
        for key, record in records.items():
            try:
                code = code_from_record(record)
            except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
                raise StoreDamaged(self.path, f"the code {key!r} in it is not valid ({error})") from None
            if code.key != key:
                raise StoreDamaged(self.path, f"the code {key!r} in it is stored under another code's name")
            codes[key] = code
        self._cache = (stamp, codes)
        return dict(codes)

    def _write(self, codes: dict[str, Code]) -> None:
        data: dict[str, Any] = {TABLE: {key: code_to_record(codes[key]) for key in sorted(codes)}}
        AtomicJSONStorage(self.path).write(data)
        self._cache = None

    # -- reading ---------------------------------------------------------------------------

    def defined(self) -> dict[str, Code]:
        """The codes the file keeps (created, described, coloured or with memos), by key."""
        with self._guarded(locked=False):
            return self._read()

    def get(self, path: str) -> Code | None:
        """The code kept for ``path`` in the file, if any (a code only in use is not kept)."""
        return self.defined().get(code_key(path))

    def own_counts(self) -> dict[str, int]:
        """How many passages carry each code itself (children not included), by key."""
        counts: dict[str, int] = {}
        for tag, count in self.store.tag_counts():
            key = code_key(tag)
            if key:
                counts[key] = counts.get(key, 0) + count
        return counts

    def codes(self) -> list[Code]:
        """Every code: those kept in the file, every tag in use (a plain code when nothing is
        kept about it) and the parents their paths name; ordered as a tree (parents first,
        siblings by name, case aside)."""
        found = self.defined()
        for tag, _count in self.store.tag_counts():
            path = code_path(tag)
            if path and code_key(path) not in found:
                found[code_key(path)] = Code(path)
        for code in list(found.values()):
            for parent in ancestors_of(code.path):
                found.setdefault(code_key(parent), Code(parent))
        return sorted(found.values(), key=lambda code: code.key.split(SEPARATOR))

    # -- writing ---------------------------------------------------------------------------

    def apply(self, changes: list[CodeChange], *, skip_changed: bool = False) -> list[bool]:
        """Make each change, in order, in one write of the file under the store's lock.

        A change whose ``before`` is not what the file holds (another window changed it) is
        refused: :class:`ChangedElsewhere` and nothing written, or with ``skip_changed`` it alone is left
        out. Returns, for each change, whether it was made.
        """
        made: list[bool] = []
        with self._guarded(locked=True):
            codes = self._read()
            for before, after in changes:
                either = before or after
                if either is None:
                    made.append(False)
                    continue
                key = either.key
                if before is not None and after is not None and before.key != after.key:
                    raise ValueError("a change of a code keeps its key: remove the old code and add the new")
                if codes.get(key) != before:
                    if not skip_changed:
                        raise ChangedElsewhere(
                            f"The code {key!r} was changed in another window since; look again and retry.",
                            path=self.store.path,
                        )
                    made.append(False)
                    continue
                if after is None:
                    codes.pop(key, None)
                else:
                    codes[key] = after
                made.append(True)
            if any(made):
                self._write(codes)
        return made
