"""``reader import PROJECT.qdpx`` and ``CODEBOOK.qdc``: a REFI-QDA file's passages added to the
store like any import (checked whole first, checked against the corpus when one is given)."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import ArticleRef
from annotations.formats import FormatError
from annotations.formats.refi_import import RefiImported, load_qdc, load_qdpx
from annotations.formats.refi_offsets import normalise_line_ends
from reader.cli.shared import EXIT_OK, UserError, open_corpus, say

if TYPE_CHECKING:
    from reader.corpus import Corpus


class CorpusArticles:
    """A corpus as the REFI import looks articles up: by id, or by their text (line ends aside)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._by_text: dict[str, str] | None = None

    def by_id(self, article_id: str) -> tuple[ArticleRef, str] | None:
        from reader.corpus import ArticleUnavailable

        article = self.corpus.get(article_id)
        if article is None:
            return None
        try:
            return article.ref(), article.text
        except ArticleUnavailable as error:
            say(f"reader: {error}")
            return None

    def by_text(self, plain: str) -> tuple[ArticleRef, str] | None:
        if self._by_text is None:  # read every text once, only when a source names no article
            self._by_text = {}
            for article in self.corpus.articles:
                found = self.by_id(article.id)
                if found is not None:
                    self._by_text.setdefault(_digest(normalise_line_ends(found[1])), article.id)
        article_id = self._by_text.get(_digest(plain))
        return self.by_id(article_id) if article_id is not None else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Adds a file's annotations to the store as every import does (``reader.cli.importing.add_to_store``).
AddToStore = Callable[[argparse.Namespace, RefiImported, "Corpus | None", Path], None]


def import_refi(arguments: argparse.Namespace, raw: bytes, kind: str, add_to_store: AddToStore) -> int:
    """Import the REFI-QDA file ``raw`` (``kind`` ``qdpx`` or ``qdc``); nothing is written if any of it is wrong."""
    source: Path = arguments.file
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    try:
        if kind == "qdc":
            imported: RefiImported = load_qdc(raw)
        else:
            imported = load_qdpx(raw, CorpusArticles(corpus) if corpus is not None else None)
        imported.check_storable()
    except FormatError as error:
        hint = " Give the corpus that holds its articles with --corpus DIR." if error.needs_pages else ""
        raise UserError(f"{source} cannot be imported: {error}. Nothing was imported.{hint}") from None
    if kind == "qdpx":
        add_to_store(arguments, imported, corpus, source)
    say(codebook_message(imported, source))
    if imported.ignored:
        say(f"{imported.ignored} codings of whole sources or non-text sources were passed over.")
    return EXIT_OK


def codebook_message(imported: RefiImported, source: Path) -> str:
    """What became of the file's codebook: its codes are the passages' tags; what describes them
    waits for a codebook store (the import result keeps it, in ``imported.codes``)."""
    described = sum(1 for code in imported.codes if code.description or code.colour or code.memos)
    if not imported.codes:
        return f"{source} has no codebook."
    kept = (
        "Its codes are kept as the tags of the passages that use them"
        if imported.annotations
        else "Nothing was written: reader keeps codes as the tags of passages"
    )
    return (
        f"{source} has a codebook of {len(imported.codes)} codes ({described} with a description, colour or memos). "
        f"{kept}; it does not yet keep a codebook of its own for the rest."
    )
