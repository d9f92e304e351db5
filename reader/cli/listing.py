"""``reader list``: a corpus's articles with their annotation counts, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.shared import (
    EXIT_OK,
    add_db_option,
    corpus_path,
    existing_store,
    open_corpus,
    open_store,
    out,
    say,
    table,
)

if TYPE_CHECKING:
    from reader.corpus import Corpus


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader list",
        description="List a corpus's articles: id, date, annotation count and title, newest first.",
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of articles (default: the bundled sample corpus)"
    )
    add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    return parser


def settle_ids(corpus: Corpus, path: Path | None) -> None:
    """Annotations made under an older version's article ids move to today's (see
    reader.corpus.rekey). Looked for read-only; the store is opened for writing only when
    something is to move, so that listing a store on a read-only disk still works."""
    from reader.corpus.rekey import planned_moves, settle_ids_message

    with existing_store(path) as store:
        if store is None or not planned_moves(corpus, store):
            return
    with open_store(path) as writable:
        message = settle_ids_message(corpus, writable)
    if message is not None:
        say(message)


def run(arguments: argparse.Namespace) -> int:
    corpus = open_corpus(corpus_path(arguments.corpus))
    settle_ids(corpus, arguments.db)
    with existing_store(arguments.db) as store:
        counts = store.counts_by_article() if store is not None else Counter()
    rows = [
        {"id": article.id, "date": article.date, "title": article.title, "annotations": counts[article.id]}
        for article in corpus.articles
    ]
    if arguments.json:
        problems = [{"path": str(problem.path), "reason": problem.reason} for problem in corpus.problems]
        out(json.dumps({"articles": rows, "problems": problems}, ensure_ascii=False, indent=2) + "\n")
    elif rows:
        out(
            table(
                ("ID", "DATE", "ANNOTATIONS", "TITLE"),
                ([r["id"], r["date"] or "-", r["annotations"], r["title"]] for r in rows),
            )
        )
    if not rows:
        say(f"reader: no articles in {corpus.root}.")
    return EXIT_OK
