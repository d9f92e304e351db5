"""Undo and redo of annotation changes, kept on disk so they survive a restart.

A change is a list of (before, after) pairs of annotation records: ``before`` is None for a
creation, ``after`` is None for a deletion. One change may touch many annotations (renaming a
tag across the corpus), and is undone as one; a pair may also be a code's (its description,
colour and memos, in the codebook file: :mod:`annotations.codebook_records`). Changes are kept per scope: an article's id for
edits made while reading it, :data:`CORPUS` for corpus-wide ones, :data:`ORPHANS` for deletes of
orphaned annotations.

Undo and redo never overwrite a later edit: a pair is applied only if the store still holds
exactly the side it replaces (checked under the store's lock); a pair whose annotation was
changed since (in another screen, window or process) is skipped, and :class:`Outcome` says how
many were. Such pairs are dropped from the history (they can no longer be undone as recorded).
A change is taken off its stack only once applied: if the store fails part way, the part
applied moves to the other stack and the rest stays where it was, so the stacks always say
what the store holds.

The history is a small JSON file beside the store (``{scope: {"undo": [...], "redo": [...]}}``,
least recently used scope first), replaced atomically on every change; losing it loses only the
ability to undo, never an annotation. A file or entry that is not valid (not JSON, a time or a
number out of range...) is ignored, and the file is kept aside as ``<name>.damaged-<UTC time>``
(:attr:`History.notice` says so, in one line). A file that cannot be written (a full disk) is
reported through :attr:`History.on_problem`: the edit itself is saved in the store, and can be
undone as long as this history is open. Each scope keeps at most :data:`DEPTH`
changes and the file at most :data:`MAX_SCOPES` scopes (the least recently used go first).

Each change is marked with the session (:mod:`annotations.sessions`: the process, one window of
the app) that made it, and undo and redo take only this session's changes, or those of a session
that is over (so that undo works after a restart): undo in one window never undoes another
window's change. A new change clears only this session's redo.

Several processes may share the file: each re-reads it, if it changed on disk, before changing
it, under a lock file beside it (``<name>.lock``), so that one does not drop the other's
entries. If that lock cannot be had within :data:`LOCK_TIMEOUT` seconds the change is recorded
anyway, and then the last process to write wins.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotations import messages, sessions
from annotations.atomic_file import replace_bytes, replace_text
from annotations.codebook_records import code_of_history_record, is_code_record
from annotations.codebook_store import Codebook
from annotations.errors import ChangedElsewhere, StoreError
from annotations.history_file import REDO as _REDO
from annotations.history_file import UNDO as _UNDO
from annotations.history_file import Change, Pair, valid_scopes
from annotations.history_file import Stacks as _Stacks
from annotations.locking import StoreLock
from annotations.model import Annotation
from annotations.recovery import aside_path
from annotations.store import AnnotationStore

#: The scope of changes that span articles (tag rename and merge).
CORPUS = "*"

#: The scope of deletes of orphaned annotations (the orphans screen), apart from tag renames.
ORPHANS = "*orphans"

#: How many changes each scope remembers (to undo and to redo together).
DEPTH = 200

#: How many scopes the file remembers; the least recently used are forgotten first.
MAX_SCOPES = 200

#: How long a process waits for another to finish writing the history file before writing anyway.
LOCK_TIMEOUT = 5.0


@dataclass(frozen=True)
class Outcome:
    """What an undo or redo did: ``applied`` pairs of ``change`` were applied and ``skipped``
    were not, because their annotation was changed since (they are dropped from the history).
    """

    change: Change
    applied: int
    skipped: int

    @property
    def label(self) -> str:
        return self.change.label

    def message(self, verb: str) -> str:
        """A sentence for the user; ``verb`` is "undo" or "redo"."""
        return messages.undo_outcome_message(verb, self.label, self.applied, self.skipped)


def history_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".history.json")


class History:
    """The undo and redo stacks of each scope, applied through an :class:`AnnotationStore`."""

    def __init__(self, store: AnnotationStore, path: Path | None = None, session: str | None = None) -> None:
        self.store = store
        self.path = path or history_path(store.path)
        #: The session whose changes this history undoes (this process's, unless given).
        self.session = session or sessions.current()
        #: One line for the user when the file was damaged and set aside on opening, else None.
        self.notice: str | None = None
        #: Told (with a sentence for the user, from the thread that wrote) when the file could not
        #: be written; the change is then kept in memory only.
        self.on_problem: Callable[[str], None] | None = None
        #: The history's own lock file, through the store's one lock class (:mod:`annotations.locking`).
        self._lock = StoreLock(self.path, self.path.with_name(self.path.name + ".lock"), LOCK_TIMEOUT)
        #: What identifies the version of the file last read or written (None: there was none).
        self._seen: tuple[int, int, int] | None = None
        self._scopes: dict[str, _Stacks] = self._load()
        #: The store's codebook, where undo and redo put back codes' descriptions, colours, memos.
        self.codebook = Codebook(store)

    # -- the file --------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            status = os.stat(self.path)
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns

    def _load(self) -> dict[str, _Stacks]:
        """The scopes in the file; a file or entry that is not valid is dropped (the file kept aside)."""
        try:
            with open(self.path, "rb") as stream:
                status = os.fstat(stream.fileno())
                raw = stream.read()
        except OSError:
            self._seen = None
            return {}
        self._seen = (status.st_ino, status.st_size, status.st_mtime_ns)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            data = None
        scopes, clean = valid_scopes(data)
        if not clean:
            aside = aside_path(self.path, "damaged")
            try:
                replace_bytes(aside, raw)
                kept = f"it was kept aside as {aside}"
            except OSError as error:
                kept = f"it could not be kept aside ({error.strerror or error})"
            self.notice = messages.history_damaged_message(self.path, kept)
            self._scopes = scopes
            self._trim()
            self._save()
        return scopes

    def _refresh(self) -> None:
        """Read the file again if another process wrote it since this one last did."""
        if self._stamp() != self._seen:
            self._scopes = self._load()

    def _save(self, label: str | None = None) -> None:
        """Write the file; if it cannot be, say so through :attr:`on_problem` (the change named
        ``label`` is then kept in memory only: losing the history loses no annotation)."""
        data = {
            scope: {name: [change.to_json() for change in stack] for name, stack in stacks.items()}
            for scope, stacks in self._scopes.items()
        }
        try:
            replace_text(self.path, (json.dumps(data, ensure_ascii=False, separators=(",", ":")),))
        except OSError as error:
            if self.on_problem is not None:
                self.on_problem(messages.history_unwritable_message(self.path, error, label))
            return
        self._seen = self._stamp()

    def _modify(self, scope: str, change: Callable[[_Stacks], None], label: str | None = None) -> None:
        """Change a scope's stacks: re-read the file if it changed, change, trim and save (locked).
        ``label`` names the change for a message if the file cannot be written."""
        with self._lock.hold_if_possible():
            self._refresh()
            stacks = self._scopes.pop(scope, None) or {_UNDO: [], _REDO: []}
            self._scopes[scope] = stacks  # last: the most recently used
            change(stacks)
            self._trim()
            self._save(label)

    def _trim(self) -> None:
        """At most DEPTH changes per scope (the oldest undo go first), no empty scope, at most
        MAX_SCOPES scopes (the least recently used go first)."""
        for scope in list(self._scopes):
            undo, redo = self._scopes[scope][_UNDO], self._scopes[scope][_REDO]
            excess = len(undo) + len(redo) - DEPTH
            if excess > 0:
                dropped = min(excess, len(undo))
                del undo[:dropped]
                del redo[: excess - dropped]
            if not undo and not redo:
                del self._scopes[scope]
        for scope in list(self._scopes)[: max(0, len(self._scopes) - MAX_SCOPES)]:
            del self._scopes[scope]

    def _stack(self, scope: str, name: str) -> list[Change]:
        return self._scopes.get(scope, {}).get(name, [])

    def _mine(self, change: Change) -> bool:
        """Whether this session may undo or redo ``change``: its own, or one of a session over."""
        return change.owner == self.session or sessions.is_over(change.owner)

    def _last_mine(self, scope: str, name: str) -> Change | None:
        return next((change for change in reversed(self._stack(scope, name)) if self._mine(change)), None)

    # -- recording -------------------------------------------------------------------------

    def record(self, scope: str, change: Change) -> None:
        """Remember a change that was just made; a new change clears what could be redone."""
        if not change.pairs:
            return
        change = replace(change, owner=self.session)

        def push(stacks: _Stacks) -> None:
            stacks[_UNDO].append(change)
            stacks[_REDO][:] = [other for other in stacks[_REDO] if not self._mine(other)]

        self._modify(scope, push, change.label)

    # -- changes that record themselves ----------------------------------------------------

    def add(self, scope: str, annotation: Annotation, *args: Any) -> Annotation:
        change = Change("tag passage", [(None, annotation.to_record())])
        try:
            self.store.add(annotation, *args)
        except StoreError as error:
            if error.written:
                self.record(scope, change)
            raise
        self.record(scope, change)
        return annotation

    def update(self, scope: str, label: str, before: Annotation, after: Annotation) -> Annotation:
        """Replace ``before`` (as the caller read it) by ``after``: :class:`ChangedElsewhere` if
        the store no longer holds ``before``."""
        self.update_many(scope, label, [(before, after)])
        return after

    def update_many(self, scope: str, label: str, pairs: list[tuple[Annotation, Annotation]]) -> None:
        """Replace each ``before`` by its ``after``, one store transaction per article, as one change.

        Each ``before`` must still be what the store holds (else :class:`ChangedElsewhere` for
        its article). If an article fails, those written before it are recorded all the same
        (and can be undone), and the error is raised.
        """
        by_id = {after.id: (before, after) for before, after in pairs}
        written: list[tuple[Annotation, Annotation]] = []

        def on_article(done: list[Annotation], _left: list[Annotation]) -> None:
            written.extend(by_id[annotation.id] for annotation in done)

        try:
            self.store.update_many([a for _, a in pairs], [b for b, _ in pairs], on_article=on_article)
        finally:
            if written:
                self.record(scope, Change(label, [(b.to_record(), a.to_record()) for b, a in written]))

    def delete(self, scope: str, annotation: Annotation) -> Annotation | None:
        """Delete ``annotation`` (as the caller read it): :class:`ChangedElsewhere` if the store
        holds another version of it; ``None`` if it is already gone."""
        try:
            removed = self.store.delete(annotation.id, expected=annotation)
        except StoreError as error:
            if error.written:
                self.record(scope, Change("delete", [(annotation.to_record(), None)]))
            raise
        if removed is not None:
            self.record(scope, Change("delete", [(removed.to_record(), None)]))
        return removed

    # -- undo and redo ---------------------------------------------------------------------

    def can_undo(self, scope: str) -> bool:
        self._refresh()
        return self._last_mine(scope, _UNDO) is not None

    def can_redo(self, scope: str) -> bool:
        self._refresh()
        return self._last_mine(scope, _REDO) is not None

    def undo(self, scope: str) -> Outcome | None:
        """Revert the scope's last change; None if there is none. Pairs whose annotation was
        changed since are skipped (see :class:`Outcome`). On :class:`StoreError` the part
        already reverted can be redone and the rest still undone."""
        return self._move(scope, _UNDO, _REDO, invert=True)

    def redo(self, scope: str) -> Outcome | None:
        """Make again the change last undone in the scope; as :meth:`undo`."""
        return self._move(scope, _REDO, _UNDO, invert=False)

    def _move(self, scope: str, source: str, target: str, invert: bool) -> Outcome | None:
        self._refresh()
        change = self._last_mine(scope, source)
        if change is None:
            return None
        steps = change.inverted().pairs if invert else change.pairs
        applied: set[int] = set()
        skipped: set[int] = set()

        def oriented(indices: list[int], owner: str) -> Change | None:
            if not indices:
                return None
            part = Change(change.label, [steps[i] for i in indices], owner)
            return part.inverted() if invert else part

        try:
            self._apply(steps, applied, skipped)
        finally:
            rest = oriented([i for i in range(len(steps)) if i not in applied and i not in skipped], change.owner)
            done = oriented(sorted(applied), self.session)

            def settle(stacks: _Stacks) -> None:
                entries = stacks[source]
                for position in range(len(entries) - 1, -1, -1):
                    if entries[position] == change:
                        if rest is None:
                            del entries[position]
                        else:
                            entries[position] = rest
                        break
                if done is not None:
                    stacks[target].append(done)

            self._modify(scope, settle)
        return Outcome(change, len(applied), len(skipped))

    def _apply(self, steps: list[Pair], applied: set[int], skipped: set[int]) -> None:
        """Make the store hold each step's ``after`` where it still holds its ``before``, adding
        to ``applied`` and ``skipped`` the position of each step as it is done. Edits are
        written one transaction per article; raises :class:`StoreError` on a failure."""
        run: list[int] = []

        def flush() -> None:
            if not run:
                return
            positions = {str(steps[i][1]["id"]): i for i in run}  # type: ignore[index]
            afters = [Annotation.from_record(steps[i][1]) for i in run]  # type: ignore[arg-type]
            befores = [Annotation.from_record(steps[i][0]) for i in run]  # type: ignore[arg-type]
            run.clear()

            def on_article(done: list[Annotation], left: list[Annotation]) -> None:
                applied.update(positions[a.id] for a in done)
                skipped.update(positions[a.id] for a in left)

            self.store.update_many(afters, befores, skip_changed=True, on_article=on_article)

        for position, (before, after) in enumerate(steps):
            if is_code_record(before or after):  # a code's description, colour, memos: the codebook's file
                flush()
                sides = [None if side is None else code_of_history_record(side) for side in (before, after)]
                made = self.codebook.apply([(sides[0], sides[1])], skip_changed=True)
                (applied if made[0] else skipped).add(position)
                continue
            if before is not None and after is not None:
                if any(str(steps[i][1]["id"]) == str(after["id"]) for i in run):  # type: ignore[index]
                    flush()
                run.append(position)
                continue
            flush()
            try:
                if after is None:
                    assert before is not None
                    # Removed only if it is still exactly what the change made; None: already gone.
                    removed = self.store.delete(str(before["id"]), expected=Annotation.from_record(before))
                    (applied if removed is not None else skipped).add(position)
                else:
                    # Re-added only where there is nothing (undoing a delete, redoing a creation).
                    self.store.add(Annotation.from_record(after))
                    applied.add(position)
            except ChangedElsewhere:
                skipped.add(position)
            except ValueError:  # already in the store: put back or made again elsewhere
                skipped.add(position)
            except StoreError as error:
                if error.written:
                    applied.add(position)
                raise
        flush()
