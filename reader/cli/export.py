"""``reader export``: the annotations (all, or chosen by tag, article and date) in a format other
tools read, on stdout or in a file that is never one of the store's own."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from annotations import formats
from annotations.filtering import AnnotationFilter
from annotations.formats import codebook_csv
from annotations.model import from_iso
from reader.cli import codebook_exchange, export_refi
from reader.cli.export_refi import refuse_stdout
from reader.cli.recognition import find_entities, load_pipeline, make_recognizer, texts_of
from reader.cli.shared import (
    EXIT_OK,
    UsageError,
    UserError,
    add_corpus_option,
    add_db_option,
    add_model_option,
    existing_store,
    open_corpus,
    out,
    say,
    store_path,
)
from reader.refi_export import REFI_FORMATS, codebook_codes


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader export",
        description="Write the annotations in a format other tools read. "
        + "; ".join(f"{fmt.name}: {fmt.description}" for fmt in map(formats.get, formats.EXPORT_FORMATS))
        + f"; {codebook_exchange.NAME}: {codebook_csv.DESCRIPTION}.",
    )
    add_db_option(parser)
    parser.add_argument(
        "-f",
        "--format",
        choices=(*formats.EXPORT_FORMATS, codebook_exchange.NAME),
        default=formats.DEFAULT_FORMAT,
        help=f"the format (default {formats.DEFAULT_FORMAT})",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="write to this file (for brat: this folder) instead of stdout",
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only annotations with this tag (case aside); repeat for any of several",
    )
    parser.add_argument(
        "--article",
        action="append",
        default=[],
        metavar="ID",
        help="only annotations of this article; repeat for any of several",
    )
    parser.add_argument(
        "--since", metavar="DATE", help="only annotations changed at or after this ISO date or time (UTC)"
    )
    add_corpus_option(parser, "needed by jsonl, brat and qdpx, which write the articles' text")
    parser.add_argument(
        "--entities",
        action="store_true",
        help="jsonl: add the entity spans of every article of the corpus (or of those given with --article)",
    )
    add_model_option(parser)
    return parser


def refuse_output_in_store(output: Path, store: Path) -> None:
    """An export must not land on the store's own files (its file, its backups, lock and history,
    everything in its folder): UserError before anything is written."""
    target, store = output.expanduser().resolve(), store.expanduser().resolve()
    folder = store.with_name(store.name + ".d")
    inside = target == folder or folder in target.parents
    beside = target.parent == store.parent and (target.name == store.name or target.name.startswith(store.name + "."))
    if inside or beside:
        raise UserError(
            f"{output} is part of the annotation store {store}; writing the export there would overwrite it. "
            "Nothing was written: choose another path with -o."
        )


def parse_since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return from_iso(text)
    except ValueError:
        raise UsageError(
            f"--since {text!r} is not an ISO date or time (such as 2025-07-27 or 2025-07-27T09:30)"
        ) from None


def run(arguments: argparse.Namespace) -> int:
    from reader.export import CorpusTexts, ExportError, prepare_export, write_export

    if arguments.format == codebook_exchange.NAME:
        if arguments.output is not None:
            refuse_output_in_store(arguments.output, store_path(arguments.db))
        return codebook_exchange.export_codebook(arguments)
    fmt = formats.get(arguments.format)
    if fmt.name in REFI_FORMATS:
        refuse_stdout(fmt.name, arguments.output)
    if fmt.folder and arguments.output is None:
        raise UsageError(f"the {fmt.name} format writes a folder: give it with -o DIR")
    if arguments.entities and fmt.name != "jsonl":
        raise UsageError("--entities adds entity spans to the jsonl format only")
    if fmt.needs_text and arguments.corpus is None:
        raise UsageError(f"the {fmt.name} format writes the articles' text: give their corpus with --corpus DIR")
    chosen_by = AnnotationFilter.of(
        tags=arguments.tag, article_ids=arguments.article, since=parse_since(arguments.since)
    )
    if arguments.output is not None:
        refuse_output_in_store(arguments.output, store_path(arguments.db))
    with existing_store(arguments.db) as store:
        annotations, articles = (store.all(), store.articles()) if store is not None else ([], {})
        codes = codebook_codes(store, chosen_by.select(annotations)) if fmt.name in REFI_FORMATS else []
    chosen = chosen_by.select(annotations)
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    known = {annotation.article_id for annotation in annotations} | set(articles)
    unknown = [
        i for i in dict.fromkeys(arguments.article) if i not in known and (corpus is None or corpus.get(i) is None)
    ]
    if unknown:
        searched = "the store" + (" or the corpus" if corpus is not None else "")
        raise UserError(
            f"No article {', '.join(map(repr, unknown))} in {searched}. Nothing was written; check the --article ids."
        )
    tokenizer = entities = None
    if corpus is not None:
        annotated = {annotation.article_id for annotation in chosen}
        articles.update({article.id: article.ref() for article in corpus.articles if article.id in annotated})
    if fmt.name == "jsonl" and corpus is not None:
        recognizer = make_recognizer(arguments.model, store_path(arguments.db))
        load_pipeline(recognizer)
        tokenizer = recognizer.token_spans
        if arguments.entities:
            texts = texts_of(corpus, arguments.article)
            articles.update({a.id: a.ref() for a in corpus.articles if a.id in texts})
            found = find_entities(recognizer, texts)
            entities = {article_id: [(e.start, e.end, e.label) for e in spans] for article_id, spans in found.items()}
    try:
        export = prepare_export(
            fmt.name,
            chosen,
            articles,
            CorpusTexts(corpus) if corpus else None,
            tokenizer,
            entities=entities,
            report=lambda message: say(f"reader: {message}"),
        )
        if fmt.name in REFI_FORMATS:
            data = export_refi.render(fmt.name, export, codes, corpus)
            if arguments.output is None:
                out(data.decode("utf-8"))
                return EXIT_OK
            written = export_refi.write(data, arguments.output)
        elif arguments.output is None:
            out(formats.render(fmt.name, export))
            return EXIT_OK
        else:
            written = write_export(fmt.name, export, arguments.output)
    except ExportError as error:
        raise UserError(str(error)) from None
    what = export_refi.summary(fmt.name, export, codes) if fmt.name in REFI_FORMATS else None
    say(f"Wrote {what or f'{len(export.annotations)} annotations'} to {written}")
    return EXIT_OK
