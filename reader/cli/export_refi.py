"""``reader export -f qdpx`` and ``-f qdc``: the REFI-QDA project and codebook, written with the
codebook, the coder and the articles' source and url, which the other formats do not need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import Annotation, AnnotationStore, formats
from annotations.codebook import Code
from annotations.formats import Export, refi_qda
from reader.cli.shared import UsageError, UserError, user_settings

if TYPE_CHECKING:
    from reader.corpus import Corpus

#: The formats this module writes.
REFI_FORMATS = ("qdpx", "qdc")


def codebook_codes(store: AnnotationStore | None, annotations: Iterable[Annotation]) -> list[Code]:
    """The codebook an export writes: the codebook store's codes (descriptions, colours, memos,
    codes made before use) and the codes of the tags in use; the export adds their parents."""
    in_use = refi_qda.codes_in_use(annotations)
    if store is None:
        return in_use
    from annotations.codebook_store import Codebook

    kept = {code.key: code for code in Codebook(store).codes()}
    return [*kept.values(), *(code for code in in_use if code.key not in kept)]


def refuse_stdout(name: str, output: Path | None) -> None:
    """A zip is not written to a terminal or a pipe: UsageError unless ``-o`` names a file."""
    if name == "qdpx" and output is None:
        raise UsageError(
            "the qdpx format is a zip file, which is not written to stdout: give the file with -o PROJECT.qdpx"
        )


def details_of(corpus: Corpus | None, article_ids: Iterable[str]) -> dict[str, Mapping[str, str | None]]:
    """The source and url of each article the corpus has, for the project's variables."""
    if corpus is None:
        return {}
    found: dict[str, Mapping[str, str | None]] = {}
    for article_id in article_ids:
        article = corpus.get(article_id)
        if article is not None:
            found[article_id] = {"source": article.source, "url": article.url}
    return found


def render(name: str, export: Export, codes: Sequence[Code], corpus: Corpus | None) -> bytes:
    """The bytes of the export in REFI format ``name``; UserError when there is nothing to write."""
    try:
        if name == "qdc":
            return refi_qda.render_qdc(export, codes).encode("utf-8")
        details = details_of(corpus, {annotation.article_id for annotation in export.annotations})
        return refi_qda.render_qdpx(export, codes, user_settings().coder, details)
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
