"""Every format by name, and the few things done the same way for all: write, detect, load.

A :class:`Format` says what a format needs (the articles' texts or not), whether it writes a file
or a folder, and whether it can be imported. Callers (the CLI, the app) choose by name and never
need to know a format's module.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from annotations.atomic_file import replace_file
from annotations.formats import brat, csv_format, hypothesis, jsonl, native_json, refi_qda, w3c
from annotations.formats.exchange import Export, Imported
from annotations.formats.fields import FormatError, parse_json


@dataclass(frozen=True)
class Format:
    """One export (and maybe import) format.

    A format either ``render``s one text (written to a file with ``suffix`` in ``encoding``) or
    writes a folder (``write_folder``). ``needs_text`` formats write the articles' texts, so the
    offsets of the annotations given must point into the texts given. ``load`` reads a file's
    text back; it is None for formats that are only for reading elsewhere. A ``needs_pages``
    format names web pages, not articles: its ``load`` also takes a
    :data:`~annotations.formats.hypothesis.PageFinder` and it writes nothing.
    """

    name: str
    description: str
    suffix: str
    needs_text: bool = False
    render: Callable[[Export], str] | None = None
    write_folder: Callable[[Export, Path], Path] | None = None
    load: Callable[..., Imported] | None = None
    encoding: str = "utf-8"
    needs_pages: bool = False
    #: Makes the bytes of a binary file (a zip), which is never written to stdout.
    binary: Callable[[Export], bytes] | None = None

    @property
    def folder(self) -> bool:
        return self.write_folder is not None


FORMATS: dict[str, Format] = {
    "json": Format(
        "json",
        "reader's own JSON document: every field, imported back without loss",
        ".json",
        render=native_json.render,
        load=native_json.loads,
    ),
    "jsonl": Format(
        "jsonl",
        "one line per article with labelled spans, for spaCy and Prodigy",
        ".jsonl",
        needs_text=True,
        render=jsonl.render,
        load=jsonl.loads,
    ),
    "w3c": Format(
        "w3c",
        "W3C Web Annotation JSON-LD: an AnnotationCollection",
        ".jsonld",
        render=w3c.render,
        load=w3c.loads,
    ),
    "brat": Format(
        "brat",
        "brat standoff: a folder of .txt and .ann files",
        "",
        needs_text=True,
        write_folder=brat.write,
    ),
    "csv": Format(
        "csv",
        "one row per annotation, for spreadsheets",
        ".csv",
        render=csv_format.render,
        encoding=csv_format.FILE_ENCODING,
    ),
    "hypothesis": Format(
        "hypothesis",
        "Hypothesis API JSON (import only, given the corpus: placed in the articles by their words)",
        ".json",
        load=hypothesis.loads,
        needs_pages=True,
    ),
    "qdpx": Format(
        "qdpx",
        "REFI-QDA project (a zip, written with -o) for NVivo, ATLAS.ti, MAXQDA and QualCoder",
        ".qdpx",
        needs_text=True,
        binary=refi_qda.render_qdpx,
    ),
    "qdc": Format("qdc", "REFI-QDA codebook: the codes alone", ".qdc", render=refi_qda.render_qdc),
}

EXPORT_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.render or fmt.write_folder or fmt.binary)
IMPORT_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.load is not None)
DEFAULT_FORMAT = "json"


def get(name: str) -> Format:
    """The format called ``name``; an unknown name is a ``KeyError`` that lists the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; formats: {', '.join(FORMATS)}") from None


def render(name: str, export: Export) -> str:
    """The text of a one-file format (for writing to stdout)."""
    fmt = get(name)
    if fmt.render is None:
        raise ValueError(f"the {name} format writes a folder, not one text")
    return fmt.render(export)


def write(name: str, export: Export, destination: Path) -> Path:
    """Write ``export`` in format ``name`` to ``destination`` (a folder for folder formats).

    A file is written whole or not at all: to a temporary file beside it, then renamed over it.
    Returns where the export went. Raises ``OSError`` when it cannot be written.
    """
    fmt = get(name)
    if fmt.write_folder is not None:
        return fmt.write_folder(export, destination)
    return write_data(fmt.binary(export) if fmt.binary else render(name, export).encode(fmt.encoding), destination)


def write_data(data: bytes, destination: Path) -> Path:
    """Write ``data`` to the file ``destination``, whole or not at all (``OSError`` if it cannot)."""

    def write_shared(stream: BinaryIO) -> None:
        # The temporary file is made private (0600); an export is the user's document, made
        # with the permissions the user's umask gives new files, as other tools make theirs.
        if hasattr(os, "fchmod"):
            os.fchmod(stream.fileno(), 0o666 & ~current_umask())
        stream.write(data)

    replace_file(destination, write_shared)
    return destination


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), since
    setting it to read it would race with threads making files meanwhile (the app exports from one)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def detect(text: str) -> str:
    """The importable format of a file's ``text``, judged by its content.

    Raises :class:`FormatError` (with the line of a JSON syntax error) when it is none of them.
    """
    stripped = text.lstrip()
    if not stripped:
        return "jsonl"  # JSON Lines of no lines: what exporting nothing as jsonl writes
    try:
        document = parse_json(text)
    except FormatError as error:
        # Several JSON values one after another: JSON Lines (whose own reader says which line is wrong).
        first_line = stripped.split("\n", 1)[0]
        if stripped.startswith("{") and _is_object(first_line):
            return "jsonl"
        raise error
    if native_json.is_document(document):
        return "json"
    if hypothesis.is_document(document):
        return "hypothesis"
    if w3c.is_document(document):
        return "w3c"
    if isinstance(document, dict) and {"text", "meta", "spans"} & document.keys():
        return "jsonl"  # JSON Lines of a single line
    raise FormatError(
        "not a file reader can import: expected reader's JSON, JSON Lines from reader, W3C Web Annotations "
        "or Hypothesis API JSON"
    )


def load(text: str, name: str | None = None, *, pages: hypothesis.PageFinder | None = None) -> Imported:
    """The annotations of a file's ``text``, in format ``name`` or the one :func:`detect` finds.

    ``pages`` finds the article a web page is, for formats that name pages (Hypothesis); such a
    file without it is a :class:`FormatError` that says to give the corpus.
    """
    fmt = get(name or detect(text))
    if fmt.load is None:
        raise ValueError(f"the {fmt.name} format cannot be imported; formats that can: {', '.join(IMPORT_FORMATS)}")
    imported = fmt.load(text, pages) if fmt.needs_pages else fmt.load(text)
    imported.check_storable()  # the whole file, before anything of it is written
    return imported


def _is_object(line: str) -> bool:
    try:
        return isinstance(parse_json(line), dict)
    except FormatError:
        return False
