"""The edits a user makes to the codebook, each one undoable change in the undo history.

Describing, colouring, adding a memo or creating a code changes only the codebook file; moving
(renaming) a code re-tags every passage of it and of its children, merging into a code that
exists when the new path names one, and carries their descriptions along; deleting a code takes
its tag (and its children's) off every passage, after the caller confirmed how many. Each is
recorded as one change of the history's corpus-wide scope (:data:`annotations.history.CORPUS`),
passages and codes together, so that ``u`` in the codebook undoes it whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from annotations.codebook import SEPARATOR, Code, Memo, code_path
from annotations.codebook_records import history_record
from annotations.codebook_store import Codebook, CodeChange, code_key, in_subtree
from annotations.history import CORPUS, History
from annotations.history_file import Change, Pair
from annotations.model import Annotation, merge_tags
from annotations.store import AnnotationStore


class NeedsConfirmation(ValueError):
    """Deleting a code in use must be confirmed with the number of passages it is taken from."""

    def __init__(self, path: str, passages: int) -> None:
        super().__init__(f"the code {path!r} is on {passages} passage(s): confirm with that number to delete it")
        self.path = path
        self.passages = passages


@dataclass(frozen=True)
class Retagged:
    """What a move, merge or delete did: its label (for undo) and how many passages changed."""

    label: str
    passages: int
    codes: int


def _merged(target: Code, source: Code) -> Code:
    """``source``'s description, colour and memos kept where ``target`` has none (memos: both)."""
    return replace(
        target,
        description=target.description or source.description,
        colour=target.colour or source.colour,
        memos=tuple(sorted(target.memos + source.memos, key=lambda memo: memo.created)),
    )


class CodebookEditor:
    """Edits of the codebook of ``history``'s store, each recorded in ``history`` for undo."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.codebook: Codebook = history.codebook
        self.store: AnnotationStore = history.store

    # -- what is there ---------------------------------------------------------------------

    def code(self, path: str) -> Code:
        """The code at ``path`` as the codebook has it (a plain code when nothing is kept)."""
        key = code_key(path)
        if not key:
            raise ValueError("a code needs a name")
        known = {code.key: code for code in self.codebook.codes()}
        return known.get(key) or Code(code_path(path))

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a code: kept in the codebook, in use, or a parent of one."""
        return any(code.key == code_key(path) for code in self.codebook.codes())

    def passages_under(self, path: str) -> list[Annotation]:
        """Every passage carrying the code ``path`` or one of its children, each once."""
        root = code_key(path)
        found: dict[str, Annotation] = {}
        for tag, _count in self.store.tag_counts():
            if in_subtree(code_key(tag), root):
                for annotation in self.store.passages_with_tag(tag):
                    found.setdefault(annotation.id, annotation)
        return list(found.values())

    # -- the codebook file alone -----------------------------------------------------------

    def _change_code(self, label: str, before: Code | None, after: Code) -> Code:
        self.codebook.apply([(before, after)])
        self.history.record(CORPUS, Change(label, [(_record(before), _record(after))]))
        return after

    def _edit(self, label: str, path: str, edit: Callable[[Code], Code]) -> Code:
        before = self.codebook.get(path)
        return self._change_code(label, before, edit(before or self.code(path)))

    def create(self, path: str, description: str = "") -> Code:
        """A new code, before any passage carries it; ``ValueError`` if it is a code already."""
        code = Code(path, description.strip())
        if self.exists(code.path):
            raise ValueError(f"{code.path!r} is a code already")
        return self._change_code(f"creation of {code.path}", None, code)

    def describe(self, path: str, description: str) -> Code:
        """Say what the code means and when to apply it (an empty text clears it)."""
        return self._edit(
            f"description of {code_path(path)}", path, lambda c: replace(c, description=description.strip())
        )

    def set_colour(self, path: str, colour: str | None) -> Code:
        """Tint the code's passages with ``colour`` (``#rrggbb``; None: the theme's tint)."""
        return self._edit(f"colour of {code_path(path)}", path, lambda c: replace(c, colour=colour))

    def add_memo(self, path: str, text: str) -> Code:
        """Add a dated memo to the code; ``ValueError`` for an empty one."""
        if not text.strip():
            raise ValueError("a memo needs some text")
        return self._edit(
            f"memo on {code_path(path)}", path, lambda c: replace(c, memos=(*c.memos, Memo(text.strip())))
        )

    def update(
        self, codes: list[Code], label: str, *, description: bool = True, colour: bool = True
    ) -> tuple[int, int]:
        """Create the ``codes`` not kept yet and set the description (if ``description``) and
        colour (if ``colour``) of those kept, memos untouched, as one change in one write.
        Returns how many codes were created (or first described) and how many changed."""
        defined = self.codebook.defined()
        existing = {known.key for known in self.codebook.codes()}
        changes: list[CodeChange] = []
        for code in codes:
            before = defined.get(code.key)
            base = before or Code(code.path)
            after = replace(
                base,
                description=code.description if description else base.description,
                colour=code.colour if colour else base.colour,
            )
            if before is None and after == Code(after.path) and code.key in existing:
                continue  # a code in use, with nothing to keep about it: nothing to write
            if after != before:
                changes.append((before, after))
        if changes:
            self.codebook.apply(changes)
            self.history.record(CORPUS, Change(label, [(_record(b), _record(a)) for b, a in changes]))
        created = sum(1 for before, _ in changes if before is None)
        return created, len(changes) - created

    # -- passages too ----------------------------------------------------------------------

    def rename(self, path: str, new_path: str) -> Retagged:
        """Give the code ``path`` (and its children, below it) the path ``new_path``: every
        passage re-tagged, descriptions carried along. When ``new_path`` is a code already, the
        two merge (its description, colour kept; memos of both). ``ValueError`` for a move of a
        code under itself or to no name."""
        old, new = code_path(path), code_path(new_path)
        root = code_key(old)
        if not new or not root:
            raise ValueError("a code needs a name")
        if code_key(new) != root and in_subtree(code_key(new), root):
            raise ValueError(f"{old!r} cannot move under itself")
        depth = len(old.split(SEPARATOR))

        def moved(tag: str) -> str:
            return SEPARATOR.join([new, *code_path(tag).split(SEPARATOR)[depth:]])

        merging = code_key(new) != root and self.exists(new)
        if merging:
            new = self.code(new).path  # spelled as the code it merges into
        verb = (
            "merge"
            if merging
            else ("move" if code_key(new).rpartition(SEPARATOR)[0] != root.rpartition(SEPARATOR)[0] else "rename")
        )
        label = f"{verb} of {old} {'into' if merging else 'to'} {new}"
        defined = self.codebook.defined()
        final = dict(defined)
        for key in defined:
            if in_subtree(key, root):
                del final[key]
        for key, code in sorted(defined.items()):
            if in_subtree(key, root):
                target = code.moved_to(moved(code.path))
                final[target.key] = _merged(final[target.key], code) if target.key in final else target

        def retag(tags: list[str]) -> list[str]:
            return [moved(tag) if in_subtree(code_key(tag), root) else tag for tag in tags]

        return self._retag(label, retag, path, _diff(defined, final))

    def move(self, path: str, parent: str | None) -> Retagged:
        """Put the code ``path`` (with its children) under ``parent`` (None: at the top)."""
        leaf = code_path(path).rpartition(SEPARATOR)[2]
        return self.rename(path, f"{code_path(parent)}{SEPARATOR}{leaf}" if parent and code_path(parent) else leaf)

    def delete(self, path: str, confirmed: int | None = None) -> Retagged:
        """Take the code ``path`` and its children off every passage and out of the codebook.

        A code in use needs ``confirmed`` equal to the number of passages it is on, else
        :class:`NeedsConfirmation` (which carries that number) and nothing changes.
        """
        root = code_key(path)
        passages = len(self.passages_under(path))
        if passages and confirmed != passages:
            raise NeedsConfirmation(code_path(path), passages)
        defined = self.codebook.defined()
        kept = {key: code for key, code in defined.items() if not in_subtree(key, root)}
        return self._retag(
            f"deletion of {code_path(path)}",
            lambda tags: [tag for tag in tags if not in_subtree(code_key(tag), root)],
            path,
            _diff(defined, kept),
        )

    def _retag(
        self, label: str, retag: Callable[[list[str]], list[str]], path: str, codes: list[CodeChange]
    ) -> Retagged:
        """Re-tag the passages under ``path`` with ``retag`` and make the ``codes`` changes, as
        one change of the history; what was written before a failure is recorded all the same."""
        pairs = [(a, a.retagged(merge_tags(retag(a.tags)))) for a in self.passages_under(path)]
        pairs = [(before, after) for before, after in pairs if after.tags != before.tags]
        by_id = {after.id: (before, after) for before, after in pairs}
        written: list[Pair] = []

        def on_article(done: list[Annotation], _left: list[Annotation]) -> None:
            written.extend((by_id[a.id][0].to_record(), by_id[a.id][1].to_record()) for a in done)

        try:
            if pairs:
                self.store.update_many([a for _, a in pairs], [b for b, _ in pairs], on_article=on_article)
            if codes:
                self.codebook.apply(codes)
                written.extend((_record(before), _record(after)) for before, after in codes)
        finally:
            if written:
                self.history.record(CORPUS, Change(label, written))
        return Retagged(label, len(pairs), len(codes))


def _record(code: Code | None) -> dict[str, object] | None:
    return None if code is None else history_record(code)


def _diff(before: dict[str, Code], after: dict[str, Code]) -> list[CodeChange]:
    """The changes that make the codes ``before`` into ``after`` (removals first)."""
    removed = [(before[key], None) for key in sorted(before) if key not in after]
    changed = [(before.get(key), after[key]) for key in sorted(after) if before.get(key) != after[key]]
    return [*removed, *changed]
