"""``reader import PROJECT.qdpx`` and ``CODEBOOK.qdc``: a REFI-QDA file's passages added to the
store like any import (checked whole first, checked against the corpus when one is given)."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import ArticleRef, StoreError
from annotations.codebook_editing import CodebookEditor
from annotations.codebook_store import Codebook
from annotations.coders import defaulting_to
from annotations.formats import FormatError
from annotations.formats.refi_import import RefiImported, load_qdc, load_qdpx
from annotations.formats.refi_offsets import normalise_line_ends
from annotations.history import History
from reader.cli.coders import session_settings
from reader.cli.shared import EXIT_OK, UserError, open_corpus, open_store, say
from reader.store_advice import cli_message

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
            # A selection whose user the file does not name is the importing session's coder's.
            with defaulting_to(session_settings(arguments).coder):
                imported = load_qdpx(raw, CorpusArticles(corpus) if corpus is not None else None)
        imported.check_storable()
    except FormatError as error:
        hint = " Give the corpus that holds its articles with --corpus DIR." if error.needs_pages else ""
        raise UserError(f"{source} cannot be imported: {error}. Nothing was imported.{hint}") from None
    if kind == "qdpx":
        add_to_store(arguments, imported, corpus, source)
    say(codebook_message(imported, source, keep_codebook(imported, arguments.db, source)))
    if imported.ignored:
        say(f"{imported.ignored} codings of whole sources or non-text sources were passed over.")
    return EXIT_OK


def keep_codebook(imported: RefiImported, db: Path | None, source: Path) -> tuple[int, int]:
    """The file's descriptions and colours kept in the store's codebook, as one undoable change:
    what the file says is set, what it leaves empty keeps the store's. Returns how many codes
    were created and how many changed (memos are not taken: see the README)."""
    wanted = [code for code in imported.codes if code.description or code.colour]
    if not wanted:
        return 0, 0
    with open_store(db) as store:
        try:
            codebook = Codebook(store)
            defined = codebook.defined()
            merged = [
                replace(
                    code,
                    description=code.description or (defined[code.key].description if code.key in defined else ""),
                    colour=code.colour or (defined[code.key].colour if code.key in defined else None),
                )
                for code in wanted
            ]
            return CodebookEditor(History(store)).update(merged, f"import of {source.name}")
        except StoreError as error:
            raise UserError(f"{cli_message(error)} The passages were imported; the codebook was not.") from None


def codebook_message(imported: RefiImported, source: Path, kept: tuple[int, int] = (0, 0)) -> str:
    """What became of the file's codebook: its codes are the passages' tags, and their
    descriptions and colours go to the store's codebook (``kept``: created, changed)."""
    if not imported.codes:
        return f"{source} has no codebook."
    created, changed = kept
    return (
        f"{source} has a codebook of {len(imported.codes)} codes: {created} described codes added to the "
        f"codebook, {changed} changed."
    )
