"""Quick tags: which tag each number key 1-9 applies, kept stable so a number pressed from memory
always applies the same tag.

A tag keeps its number once it has one. New tags take the free numbers, most used first; a tag no
longer used anywhere keeps its number until a new tag needs it (so undoing a delete brings it back
where it was). Numbers change otherwise only when the user asks (:meth:`QuickTags.renumber`: by
use, most used on 1).

The assignment is a small JSON file in the user state folder (:func:`reader.paths.quick_tags_path`),
one list of numbered tags per annotation store. It is disposable: a file that cannot be read is
ignored (and replaced at the next change), one that cannot be written costs only the numbering.

    {"format": "reader-quick-tags", "version": 1,
     "stores": {"/home/me/.local/share/reader/annotations.json": ["pivot westward", null, "claim"]}}
"""

from __future__ import annotations

import json
from pathlib import Path

from annotations.atomic_file import replace_text
from annotations.model import normalise_tag, tag_key

FORMAT = "reader-quick-tags"
VERSION = 1
#: Number keys 1 to 9.
SLOTS = 9


class QuickTags:
    """The numbered tags of one store: ``numbered()`` gives the tag of each key, 1 first."""

    def __init__(self, path: Path, store_path: Path) -> None:
        self.path = path
        self.store_key = str(Path(store_path).expanduser().resolve())
        self._stores = self._load()
        saved = self._stores.get(self.store_key, [])
        self._slots: list[str | None] = []
        seen: set[str] = set()
        for tag in saved[:SLOTS]:
            tag = normalise_tag(tag) if isinstance(tag, str) else ""
            self._slots.append(tag if tag and tag_key(tag) not in seen else None)
            seen.add(tag_key(tag))
        self._slots += [None] * (SLOTS - len(self._slots))

    def _load(self) -> dict[str, list[object]]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            stores = document["stores"]
            if document.get("format") != FORMAT or not isinstance(stores, dict):
                return {}
            return {str(key): value for key, value in stores.items() if isinstance(value, list)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def numbered(self, used_tags: list[tuple[str, int]]) -> list[str | None]:
        """The tag of each number key (index 0 is key 1; None: no tag yet), given the tags in use,
        most used first. New tags take free numbers; the assignment is saved when it changes."""
        spelling = {tag_key(tag): tag for tag, _ in used_tags}
        slots = list(self._slots)
        held = {tag_key(tag) for tag in slots if tag}
        newcomers = [tag for tag, _ in used_tags if tag_key(tag) not in held]
        free = [index for index, tag in enumerate(slots) if tag is None]
        # Numbers of tags no longer used anywhere are reused only once every free number is taken.
        free += [index for index, tag in enumerate(slots) if tag is not None and tag_key(tag) not in spelling]
        for index, tag in zip(free, newcomers, strict=False):
            slots[index] = tag
        # The spelling follows the store (a rename that only changes case keeps the number).
        slots = [spelling.get(tag_key(tag), tag) if tag else None for tag in slots]
        if slots != self._slots:
            self._slots = slots
            self.save()
        return list(slots)

    def renumber(self, used_tags: list[tuple[str, int]]) -> list[str | None]:
        """Number the tags by use again: the most used on 1. Saved at once."""
        self._slots = [tag for tag, _ in used_tags[:SLOTS]]
        self._slots += [None] * (SLOTS - len(self._slots))
        self.save()
        return list(self._slots)

    def save(self) -> bool:
        """Write the assignment (other stores' kept as they were); False if it cannot be written."""
        self._stores[self.store_key] = list(self._slots)
        document = {"format": FORMAT, "version": VERSION, "stores": self._stores}
        try:
            replace_text(self.path, (json.dumps(document, ensure_ascii=False, indent=1),), parents=True)
        except OSError:
            return False
        return True
