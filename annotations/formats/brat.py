"""brat standoff: a folder with, per article, its text (``.txt``) and its annotations (``.ann``).

Each tag of a passage is a text-bound annotation (a ``T`` line: type, offsets, the words), and
a note is an ``AnnotatorNotes`` line on the passage's first ``T`` line. A passage without tags
gets type ``untagged``. A passage across paragraphs is written as one fragment per paragraph
(``10 20;21 30``), as brat wants, and a note's line breaks become spaces. brat has no field
for who annotated: when an export holds more than one coder's passages, each passage's note
says whose it is (``coder: ada``, before the note's own words), so the layers stay apart in
brat; an export of one coder is written as before. This format is for reading in brat; it is
not imported back.

brat accepts a type name only in its storage form (``^[a-zA-Z0-9_-]*$``, brat's
``normalize_to_storage_form``) and we also make it start with a letter, so no name can be read as
a separator line (``---``) or a reserved word. Each tag is given such a type by :class:`TypeNames`:
its ASCII letters and digits, with other runs made one ``_`` ("pivot westward" is
``pivot_westward``, "Côte" is ``Cote``); a tag with none (``مصدر``) is ``tag``; a type already
given to another tag gets ``_2``, ``_3``... Tags equal but for case are one tag in reader, so they
are one type. ``annotation.conf`` declares the types, allows them to overlap and lists, in
comments, which tag each type stands for; ``visual.conf`` shows each type by its tag's own words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotations.formats.exchange import Export
from annotations.model import Annotation, tag_key

UNTAGGED = "untagged"
CONFIG_NAME = "annotation.conf"
VISUAL_NAME = "visual.conf"
#: The type of a tag that has no ASCII letter or digit to name it by.
FALLBACK = "tag"
#: brat's storage form of a type name, and ours: it also starts with a letter.
LEGAL_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NOT_IN_TYPE = re.compile(r"[^A-Za-z0-9-]+")
_NOT_IN_FILE_NAME = re.compile(r"[^\w.-]+")


def brat_type(tag: str) -> str:
    """A legal brat type made from ``tag``'s own letters (not yet made unique: see :class:`TypeNames`)."""
    ascii_only = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode("ascii")
    name = _NOT_IN_TYPE.sub("_", ascii_only).strip("_-")
    if not name:
        return FALLBACK
    return name if name[0].isalpha() else f"{FALLBACK}_{name}"


class TypeNames:
    """The brat type of every tag of an export: legal, one per tag (tags equal but for case are
    one tag), and never the same for two tags (compared as brat users would read them, case aside)."""

    def __init__(self, tags: Iterable[str]) -> None:
        self.by_key: dict[str, str] = {}
        #: (type, tag) in the order the types were given, for the config's comments.
        self.listing: list[tuple[str, str]] = []
        taken = {UNTAGGED.casefold()}
        for tag in sorted(tags, key=tag_key):
            key = tag_key(tag)
            if key in self.by_key:
                continue
            base = name = brat_type(tag)
            count = 1
            while name.casefold() in taken:
                count += 1
                name = f"{base}_{count}"
            taken.add(name.casefold())
            self.by_key[key] = name
            self.listing.append((name, tag))

    def of(self, tag: str) -> str:
        return self.by_key[tag_key(tag)]

    def types_of(self, annotation: Annotation) -> list[str]:
        """The brat types of an annotation's ``T`` lines, one per tag."""
        return [self.of(tag) for tag in annotation.tags] or [UNTAGGED]


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks, without empty pieces (brat spans hold no newline).

    A passage of nothing but line breaks has no pieces, and no place in brat.
    """
    pieces = []
    position = start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append((position, position + len(line)))
        position += len(line) + 1
    return pieces


def ann_lines(
    text: str, annotations: list[Annotation], names: TypeNames | None = None, *, coders: bool = False
) -> Iterator[str]:
    """The ``.ann`` lines for one article's annotations over ``text`` (types from ``names``,
    or named from these annotations' tags alone); with ``coders``, every passage's note names
    its coder."""
    names = names or TypeNames(tag for annotation in annotations for tag in annotation.tags)
    number = note_number = 0
    for annotation in annotations:
        pieces = fragments(text, annotation.start, annotation.end)
        if not pieces:
            continue
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        words = " ".join(text[start:end] for start, end in pieces)
        first = number + 1
        for kind in names.types_of(annotation):
            number += 1
            yield f"T{number}\t{kind} {offsets}\t{words}"
        note = " ".join(annotation.note.splitlines())
        if coders:
            note = f"coder: {' '.join(annotation.coder.split())}" + (f"; {note}" if note else "")
        if note:
            note_number += 1
            yield f"#{note_number}\tAnnotatorNotes T{first}\t{note}"


def write(export: Export, folder: Path) -> Path:
    """Write ``<article>.txt`` and ``<article>.ann`` per article, and ``annotation.conf``, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    names = TypeNames(export.tag_spellings().values())
    types: set[str] = set()
    taken: set[str] = set()
    several = len({annotation.coder for annotation in export.annotations}) > 1
    for article_id, group in export.by_article().items():
        text = export.text(article_id)
        name = _file_name(article_id, taken)
        lines = list(ann_lines(text, group, names, coders=several))
        types.update(kind for annotation in group for kind in names.types_of(annotation))
        (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
        (folder / f"{name}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    listing = [(kind, tag) for kind, tag in names.listing if kind in types]
    (folder / CONFIG_NAME).write_text(_config(sorted(types), listing), encoding="utf-8", newline="\n")
    (folder / VISUAL_NAME).write_text(_visual(listing), encoding="utf-8", newline="\n")
    return folder


def _file_name(article_id: str, taken: set[str]) -> str:
    """A file name for the article, unique in the folder (ids may hold ``/`` and the like)."""
    base = _NOT_IN_FILE_NAME.sub("_", article_id).strip(".") or "article"
    name, count = base, 1
    while name.casefold() in taken:
        count += 1
        name = f"{base}-{count}"
    taken.add(name.casefold())
    return name


def _config(types: list[str], listing: list[tuple[str, str]]) -> str:
    entities = "\n".join(types)
    mapping = "".join(f"#   {kind}\t{tag}\n" for kind, tag in listing)
    return (
        "# Written by reader: one entity type per tag (tags equal but for case are one tag).\n"
        + (f"# Each type and the tag it stands for:\n{mapping}" if mapping else "")
        + f"# {UNTAGGED}: passages without a tag.\n"
        f"[entities]\n{entities}\n"
        "[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        "[events]\n[attributes]\n"
    )


def _visual(listing: list[tuple[str, str]]) -> str:
    """brat's display names: each type shown as its tag is written (brat allows any words there,
    but ``|`` separates names, so it becomes ``/``)."""
    labels = "".join(f"{kind} | {tag.replace('|', '/')}\n" for kind, tag in listing)
    return f"# Written by reader: each type shown by its tag's own words.\n[labels]\n{labels}[drawing]\n"
