"""``reader add URL...``: fetch single web pages into the corpus, as ``reader fetch`` does an item.

Each page's article is extracted with trafilatura and written to ``<corpus>/pages/`` as a ``.md``
article; a page added before is fetched again (conditionally) and updated in place if it changed.
"""

from __future__ import annotations

import argparse

from reader.cli.feeds import feeds_corpus
from reader.cli.fetch import harvest, summarise
from reader.cli.shared import UserError, add_corpus_option
from reader.feeds.subscriptions import SubscriptionError, checked_url


def parser() -> argparse.ArgumentParser:
    """The parser of ``reader add``."""
    parser = argparse.ArgumentParser(
        prog="reader add",
        description="Fetch web pages and add their articles to the corpus (in its pages/ folder).",
    )
    parser.add_argument("urls", nargs="+", metavar="URL", help="a page's address (http or https)")
    add_corpus_option(parser, "to add the pages to (default: the corpus in your settings)")
    return parser


def run(arguments: argparse.Namespace) -> int:
    """Fetch the pages given into the pages folder and print the summary."""
    corpus = feeds_corpus(arguments.corpus)
    try:
        urls = [checked_url(url) for url in arguments.urls]
    except SubscriptionError as error:
        raise UserError(f"{error} Nothing was fetched.") from None
    return summarise(harvest(corpus, lambda run: run.add_pages(urls)))
