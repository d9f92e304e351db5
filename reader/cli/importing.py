"""``reader import``: the annotations of an exported file added to the store, each checked against
its article's text when a corpus is given."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import Annotation, ArticleRef, StoreError, formats
from annotations.anchoring import AnchorStatus
from annotations.coders import defaulting_to
from annotations.formats import Imported
from annotations.placing import placement
from reader.cli import codebook_exchange
from reader.cli.coders import add_coder_option, session_settings
from reader.cli.shared import EXIT_OK, UserError, add_corpus_option, add_db_option, open_corpus, open_store, say
from reader.store_advice import cli_message

if TYPE_CHECKING:
    from reader.corpus import Article, Corpus


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader import",
        description="Add the annotations of an exported file to the store. Annotations already in it "
        "(same id) are skipped; a file with an error adds nothing.",
    )
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="a json, jsonl or w3c export, Hypothesis API JSON (which needs --corpus: see the README), "
        "a REFI-QDA project (.qdpx) or codebook (.qdc), or a codebook CSV (code, parent, description, colour)",
    )
    add_db_option(parser)
    parser.add_argument(
        "-f",
        "--format",
        choices=(*formats.IMPORT_FORMATS, codebook_exchange.NAME),
        default=None,
        help="the file's format (default: recognised by its content)",
    )
    add_corpus_option(parser, "to check each passage against its article's text now (moved ones are updated)")
    add_coder_option(parser, "the coder of the file's annotations that name none (those that name one keep it)")
    return parser


#: The anchor tally's key for annotations whose article is not in the corpus given.
NOT_IN_CORPUS = "not in corpus"


@dataclass
class ImportTally:
    """What an import did, for the message that reports it."""

    added: int = 0
    skipped: int = 0
    #: How each annotation added was found in its article's text, when a corpus was given.
    anchors: Counter[str] | None = None

    def summary(self, source: Path, corpus: Path | None) -> str:
        lines = [f"Imported {self.added} annotations from {source}; {self.skipped} already in the store were skipped."]
        if self.anchors is not None:
            found = self.anchors
            lines.append(
                f"Against the corpus {corpus}: {found[AnchorStatus.EXACT]} exact, {found[AnchorStatus.MOVED]} moved "
                f"(updated to where the passage is now), {found[AnchorStatus.FUZZY]} fuzzy, "
                f"{found[AnchorStatus.ORPHANED]} orphaned, {found[NOT_IN_CORPUS]} of articles not in the corpus."
            )
            if found[AnchorStatus.FUZZY] or found[AnchorStatus.ORPHANED]:
                lines.append(
                    "Fuzzy and orphaned passages are kept as they were: open their articles in reader to place them."
                )
        return "\n".join(lines)


def run(arguments: argparse.Namespace) -> int:
    source: Path = arguments.file
    coder = session_settings(arguments).coder  # of the file's annotations that name none
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise UserError(f"Cannot read {source}: {error.strerror or error}. Nothing was imported.") from None
    from annotations.formats.refi_import import kind_of

    refi = kind_of(raw, source.name) if arguments.format is None else None
    if refi is not None:
        from reader.cli.import_refi import import_refi

        return import_refi(arguments, raw, refi, add_to_store)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{source} is not UTF-8 text (byte {error.start}). Nothing was imported.") from None
    if codebook_exchange.is_codebook(text, arguments.format):
        return codebook_exchange.import_codebook(source, text, arguments.db)
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    try:
        from reader.import_pages import CorpusPages

        with defaulting_to(coder):
            imported = formats.load(text, arguments.format, pages=CorpusPages(corpus) if corpus is not None else None)
    except formats.FormatError as error:
        corpus_hint = " Give the corpus that holds its pages with --corpus DIR." if error.needs_pages else ""
        raise UserError(f"{source} cannot be imported: {error}. Nothing was imported.{corpus_hint}") from None
    add_to_store(arguments, imported, corpus, source)
    if imported.ignored:
        say(f"{imported.ignored} spans that are not annotations (such as entity spans) were passed over.")
    return EXIT_OK


def add_to_store(arguments: argparse.Namespace, imported: Imported, corpus: Corpus | None, source: Path) -> None:
    """Add the annotations of a file checked whole to the store (checked against the corpus when
    given) and say what was done."""
    tally = ImportTally()
    with open_store(arguments.db) as store:
        try:
            fresh = [annotation for annotation in imported.annotations if store.get(annotation.id) is None]
            refs = dict(imported.articles)
            if corpus is not None:
                fresh, tally.anchors = anchored(fresh, corpus, refs)
            for added in store.add_new(fresh, refs):  # one transaction per article
                tally.added += len(added)
            tally.skipped = len(imported.annotations) - tally.added
        except StoreError as error:
            raise UserError(
                f"{cli_message(error)} {tally.added} of the file's annotations were imported before this; importing the "
                "file again adds the rest."
            ) from None
    say(tally.summary(source, arguments.corpus))


def anchored(
    annotations: list[Annotation], corpus: Corpus, refs: dict[str, ArticleRef]
) -> tuple[list[Annotation], Counter[str]]:
    """The annotations checked against their articles' texts now: moved ones updated, the rest as
    they were; with a count of each anchor status. ``refs`` is updated to the corpus's articles."""
    from reader.corpus import ArticleUnavailable

    tally: Counter[str] = Counter()
    result: list[Annotation] = []
    for annotation in annotations:
        article: Article | None = corpus.get(annotation.article_id)
        try:
            text = article.text if article is not None else None
        except ArticleUnavailable as error:
            say(f"reader: {error}")
            text = None
        if article is None or text is None:
            tally[NOT_IN_CORPUS] += 1
            result.append(annotation)
            continue
        found = placement(annotation, text, article.sha256)
        tally[found.status] += 1
        result.append(found.annotation)
        refs[article.id] = article.ref()
    return result, tally
