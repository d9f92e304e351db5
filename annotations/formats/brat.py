"""brat standoff: a folder with, per article, its text (``.txt``) and its annotations (``.ann``).

Each tag of a passage is a text-bound annotation (a ``T`` line: type, offsets, the words), and
a note is an ``AnnotatorNotes`` line on the passage's first ``T`` line. brat types cannot hold
spaces, so a tag's runs of characters other than letters, digits, ``-`` and ``_`` become one
``_`` ("pivot westward" is ``pivot_westward``); a passage without tags gets type ``untagged``.
A passage across paragraphs is written as one fragment per paragraph (``10 20;21 30``), as brat
wants, and a note's line breaks become spaces. ``annotation.conf`` declares the types used and
allows them to overlap. This format is for reading in brat; it is not imported back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotations.formats.exchange import Export
from annotations.model import Annotation

UNTAGGED = "untagged"
CONFIG_NAME = "annotation.conf"
_NOT_IN_TYPE = re.compile(r"[^\w-]+")
_NOT_IN_FILE_NAME = re.compile(r"[^\w.-]+")


def brat_type(tag: str) -> str:
    """The brat type for ``tag``."""
    return _NOT_IN_TYPE.sub("_", tag).strip("_") or "tag"


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


def types_of(annotation: Annotation) -> list[str]:
    """The brat types of an annotation's ``T`` lines, one per tag."""
    return [brat_type(tag) for tag in annotation.tags] or [UNTAGGED]


def ann_lines(text: str, annotations: list[Annotation]) -> Iterator[str]:
    """The ``.ann`` lines for one article's annotations over ``text``."""
    number = note_number = 0
    for annotation in annotations:
        pieces = fragments(text, annotation.start, annotation.end)
        if not pieces:
            continue
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        words = " ".join(text[start:end] for start, end in pieces)
        first = number + 1
        for kind in types_of(annotation):
            number += 1
            yield f"T{number}\t{kind} {offsets}\t{words}"
        if annotation.note:
            note_number += 1
            yield f"#{note_number}\tAnnotatorNotes T{first}\t{' '.join(annotation.note.splitlines())}"


def write(export: Export, folder: Path) -> Path:
    """Write ``<article>.txt`` and ``<article>.ann`` per article, and ``annotation.conf``, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    types: set[str] = set()
    taken: set[str] = set()
    for article_id, group in export.by_article().items():
        text = export.text(article_id)
        name = _file_name(article_id, taken)
        lines = list(ann_lines(text, group))
        types.update(kind for annotation in group for kind in types_of(annotation))
        (folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
        (folder / f"{name}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    (folder / CONFIG_NAME).write_text(_config(sorted(types)), encoding="utf-8", newline="\n")
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


def _config(types: list[str]) -> str:
    entities = "\n".join(types)
    return (
        "# Written by reader: one entity type per tag.\n"
        f"[entities]\n{entities}\n"
        "[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        "[events]\n[attributes]\n"
    )
