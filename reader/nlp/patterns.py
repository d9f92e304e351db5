"""The rule layer's patterns: the file shipped with reader merged with the user's own.

Both are JSON Lines (``patterns.jsonl`` in this package; the user's beside the settings file,
see :func:`reader.paths.user_patterns_path`), one object a line with a ``kind``:

    {"kind": "title", "words": "Field Marshal"}          honorific, rank or post: left out of a
                                                          PERSON, and never an entity alone
    {"kind": "entity", "words": "Sikhs", "label": "NORP"} words that are always this label
    {"label": "ORG", "pattern": "Centcom"}                the same, as spaCy's EntityRuler writes it
    {"kind": "ambiguous", "words": "Male"}                a gazetteer name the gazetteer leaves to the
                                                          model (it is also a common word or a name)
    {"kind": "organisation_word", "words": "Assembly"}    a word that makes a titled name an
                                                          organisation ("General Assembly")
    {"kind": "not_dateline", "words": "UPDATE"}           capitals at a line start that are no place
    {"kind": "comment", ...}                              ignored, as are blank lines

A bad line of the user's file is skipped and named (:attr:`Patterns.problems`); the rest apply.
:attr:`Patterns.version` changes whenever either file (or the rules' code) does, so cached
entities found under other rules are found again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

#: The modules whose code decides what the rules do: their text is part of :attr:`Patterns.version`,
#: so a new reader whose rules changed finds cached entities anew without anyone remembering to.
RULES_MODULES = ("rules.py", "rule_text.py", "patterns.py", "gazetteer.py")

KINDS = ("title", "entity", "ambiguous", "organisation_word", "not_dateline", "comment")


def words_key(words: str) -> tuple[str, ...]:
    """How words are compared: split at spaces, full stops at word ends dropped, case folded
    ("Lt. Gen." and "lt gen" are the same title)."""
    return tuple(word.rstrip(".").casefold() for word in words.split() if word.rstrip("."))


@dataclass
class Patterns:
    """The merged patterns, ready for lookups."""

    titles: set[tuple[str, ...]] = field(default_factory=set)
    #: The word counts of the titles that start with a word (folded): most words start none.
    title_lengths: dict[str, list[int]] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    organisation_words: set[str] = field(default_factory=set)
    not_datelines: set[str] = field(default_factory=set)
    version: str = ""
    problems: list[str] = field(default_factory=list)

    def add(self, record: Any) -> str | None:
        """Take one line's value; what is wrong with it, or None when it was taken."""
        if not isinstance(record, dict):
            return 'expected an object such as {"kind": "title", "words": "Field Marshal"}'
        if "pattern" in record and "kind" not in record:  # spaCy's EntityRuler phrase pattern
            record = {"kind": "entity", "words": record.get("pattern"), "label": record.get("label")}
        kind = record.get("kind")
        if kind not in KINDS:
            return f'"kind" must be one of {", ".join(KINDS)}, not {kind!r}'
        if kind == "comment":
            return None
        words = record.get("words")
        if not isinstance(words, str) or not words.split():
            return '"words" must be a non-empty string (a token pattern list is not supported)'
        words = " ".join(words.split())
        if kind == "title":
            key = words_key(words)
            self.titles.add(key)
            lengths = self.title_lengths.setdefault(key[0], [])
            if len(key) not in lengths:
                lengths.append(len(key))
                lengths.sort(reverse=True)
        elif kind == "entity":
            label = record.get("label")
            if not isinstance(label, str) or not label.strip():
                return '"label" must be a non-empty string such as "ORG"'
            self.entities[words] = label.strip()
        elif kind == "ambiguous":
            self.ambiguous.add(words)
        elif kind == "organisation_word":
            self.organisation_words.add(words_key(words)[0] if words_key(words) else words)
        else:
            self.not_datelines.add(words.upper())
        return None

    def add_lines(self, lines: Iterable[str], source: str) -> None:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                problem = self.add(json.loads(line))
            except ValueError as error:
                problem = f"not JSON ({error})"
            if problem is not None:
                self.problems.append(f"{source} line {number}: {problem}; the line is skipped")


def shipped_text() -> str:
    return (files("reader.nlp") / "patterns.jsonl").read_text(encoding="utf-8")


def rules_code() -> str:
    """The source of the rules' modules (empty for one that cannot be read, as in a frozen build)."""
    texts = []
    for name in RULES_MODULES:
        try:
            texts.append((files("reader.nlp") / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            texts.append("")
    return "\0".join(texts)


def load_patterns(user_file: Path | None = None) -> Patterns:
    """The shipped patterns, then the user's (``user_file``, if it exists), merged."""
    from reader.nlp.gazetteer import data_version

    patterns = Patterns()
    shipped = shipped_text()
    patterns.add_lines(shipped.splitlines(), "the shipped patterns")
    user = ""
    if user_file is not None:
        try:
            user = user_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            user = ""
        except (OSError, UnicodeDecodeError) as error:
            patterns.problems.append(f"{user_file} cannot be read ({error}); only the shipped patterns apply")
        patterns.add_lines(user.splitlines(), str(user_file))
    digest = hashlib.sha256("\0".join((rules_code(), data_version(), shipped, user)).encode("utf-8"))
    patterns.version = digest.hexdigest()[:12]
    return patterns
