"""``reader export -f codebook-csv`` and ``reader import codebook.csv``: the codebook alone.

The annotation formats carry passages; this one carries the store's codebook (its codes, their
parents, descriptions and colours, with counts), so it reads the store's
:class:`~annotations.codebook_store.Codebook` instead of its annotations. ``export`` and
``import`` hand over to it when the format is the codebook's.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import BinaryIO

from annotations import StoreError
from annotations.atomic_file import replace_file
from annotations.codebook_editing import CodebookEditor
from annotations.codebook_store import Codebook
from annotations.formats import codebook_csv
from annotations.formats.fields import FormatError
from annotations.formats.registry import current_umask
from annotations.history import History
from reader.cli.shared import EXIT_OK, UsageError, UserError, existing_store, open_store, out, say
from reader.store_advice import cli_message

NAME = codebook_csv.NAME


def export_codebook(arguments: argparse.Namespace) -> int:
    """Write every code (in tree order) as CSV, on stdout or to ``-o``, written whole or not at all."""
    chosen = [flag for flag in ("tag", "article", "since", "entities") if getattr(arguments, flag, None)]
    if chosen:
        flags = ", ".join(f"--{flag}" for flag in chosen)
        raise UsageError(f"{flags} choose annotations; the {NAME} format writes the whole codebook")
    with existing_store(arguments.db) as store:
        if store is None:
            codes, counts = [], {}
        else:
            codebook = Codebook(store)
            codes, counts = codebook.codes(), codebook.own_counts()
    text = codebook_csv.render(codes, counts)
    if arguments.output is None:
        out(text)
        return EXIT_OK
    data = text.encode(codebook_csv.FILE_ENCODING)

    def write(stream: BinaryIO) -> None:
        if hasattr(os, "fchmod"):  # the user's document: the permissions new files get, not 0600
            os.fchmod(stream.fileno(), 0o666 & ~current_umask())
        stream.write(data)

    try:
        replace_file(arguments.output, write)
    except OSError as error:
        raise UserError(f"Cannot write {arguments.output}: {error.strerror or error}. Nothing was written.") from None
    say(f"Wrote {len(codes)} codes to {arguments.output}")
    return EXIT_OK


def is_codebook(text: str, fmt: str | None) -> bool:
    """Whether an imported file is a codebook: said with ``-f``, or a CSV whose header starts with ``code``."""
    return fmt == NAME or (fmt is None and codebook_csv.is_document(text))


def import_codebook(source: Path, text: str, db: Path | None) -> int:
    """Create the file's codes and update those the store has (description, colour), as one
    undoable change; a row that is not valid is refused with its line, and nothing is written."""
    try:
        rows = codebook_csv.loads(text)
    except FormatError as error:
        raise UserError(f"{source} cannot be imported: {error}. Nothing was imported.") from None
    with open_store(db) as store:
        try:
            created, changed = CodebookEditor(History(store)).update(
                rows.codes,
                f"import of {source.name}",
                description=rows.sets("description"),
                colour=rows.sets("colour"),
            )
        except StoreError as error:
            raise UserError(f"{cli_message(error)} Nothing was imported.") from None
    same = len(rows.codes) - created - changed
    say(f"Imported {len(rows.codes)} codes from {source}: {created} created, {changed} changed, {same} unchanged.")
    return EXIT_OK
