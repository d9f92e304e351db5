"""``reader search QUERY [CORPUS]``: a corpus's articles that match, best first, with snippets.

The same search as the library's (:mod:`reader.corpus.fulltext`): the corpus's full-text index is
brought up to date first (only new and changed files are read; the first time, all of them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli.shared import EXIT_OK, UsageError, corpus_path, open_corpus, out, say
from reader.safe_text import inert

if TYPE_CHECKING:
    from reader.corpus.fulltext import Progress

#: Hits shown when --limit is not given.
DEFAULT_LIMIT = 20
#: What the snippets put around each matched word.
MARKS = ("[", "]")


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("give at least 1")
    return number


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader search",
        description=(
            "Search a corpus's titles and texts, best match first. Every word must occur (case and "
            'accents aside); "quoted words" must occur together, in that order; the last word may '
            "be the start of a word (pak finds Pakistan)."
        ),
    )
    parser.add_argument("query", help='the words to look for, e.g. "prime minister" budget')
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of articles (default: your settings' corpus, or the sample)"
    )
    parser.add_argument(
        "--limit", type=_positive, default=DEFAULT_LIMIT, metavar="N", help=f"at most N hits (default {DEFAULT_LIMIT})"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    return parser


def run(arguments: argparse.Namespace) -> int:
    from reader.corpus.fulltext import FullTextIndex
    from reader.corpus.fulltext_query import fts_query
    from reader.disposable import take_notices

    if not fts_query(arguments.query):
        raise UsageError("give at least one word to search for")
    corpus = open_corpus(corpus_path(arguments.corpus))
    index = FullTextIndex.of(corpus)
    try:
        index.update(corpus, progress=_progress() if sys.stderr.isatty() else None)
        hits = index.hits(arguments.query, limit=arguments.limit, marks=MARKS)
    finally:
        index.close()
    for notice in take_notices():
        say(f"reader: {notice}")
    rows = []
    for hit in hits:
        article = corpus.get(hit.article_id)
        if article is not None:
            rows.append(
                {
                    "id": article.id,
                    "title": article.title,
                    "date": article.date,
                    "score": float(f"{hit.score:.6g}"),
                    "snippet": hit.snippet,
                }
            )
    if arguments.json:
        out(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        out(
            "".join(
                f"{row['id']}  {row['date'] or '-'}  {row['score']:.3g}  {inert(str(row['title']))}\n"
                f"    {inert(str(row['snippet']))}\n"
                for row in rows
            )
        )
    if not rows:
        say(f"reader: nothing in {corpus.root} matches {arguments.query!r}.")
    return EXIT_OK


def _progress() -> Progress:
    """A progress callback that says, on stderr, how far a long index build has come."""
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        if total < 1000:
            return
        percent = done * 100 // total
        if percent // 10 != shown:
            shown = percent // 10
            print(f"\rreader: indexing the full text: {percent}%", end="" if done < total else "\n", file=sys.stderr)

    return progress
