"""``reader export -f qdpx`` and ``-f qdc``: the REFI-QDA project and codebook, written with the
codebook, the coder and the articles' source and url, which the other formats do not need."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import formats
from annotations.codebook import Code
from annotations.formats import Export, refi_qda
from reader.cli.shared import UsageError, UserError, user_settings
from reader.refi_export import RefiContext, article_details, render_refi

if TYPE_CHECKING:
    from reader.corpus import Corpus


def refuse_stdout(name: str, output: Path | None) -> None:
    """A zip is not written to a terminal or a pipe: UsageError unless ``-o`` names a file."""
    if name == "qdpx" and output is None:
        raise UsageError(
            "the qdpx format is a zip file, which is not written to stdout: give the file with -o PROJECT.qdpx"
        )


def render(name: str, export: Export, codes: Sequence[Code], corpus: Corpus | None) -> bytes:
    """The bytes of the export in REFI format ``name``; UserError when there is nothing to write."""
    try:
        details = article_details(corpus, {annotation.article_id for annotation in export.annotations})
        return render_refi(name, export, RefiContext(codes, user_settings().coder, details))
    except refi_qda.NothingToExport as error:
        raise UserError(f"Nothing was written: {error}. Tag some passages first.") from None


def write(data: bytes, destination: Path) -> Path:
    """Write the bytes whole or not at all; UserError naming the file when it cannot be."""
    try:
        return formats.registry.write_data(data, destination)
    except OSError as error:
        raise UserError(
            f"Cannot write {destination}: {error.strerror or error}. Choose another place to export to."
        ) from None


def summary(name: str, export: Export, codes: Sequence[Code]) -> str:
    """What was written, for the message that reports it."""
    if name == "qdc":
        return f"the codebook of {len(refi_qda.complete_codebook(codes, export.annotations))} codes"
    return f"{len(export.annotations)} annotations"
