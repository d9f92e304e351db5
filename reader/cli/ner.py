"""``reader ner``: the named entities of every article of a corpus found and cached ahead, in
several processes or on a Dask cluster if asked."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from reader.cli.ner_cluster import add_cluster_options, find_on_cluster
from reader.cli.recognition import find_entities, make_recognizer, texts_of
from reader.cli.shared import EXIT_OK, add_model_option, open_corpus, say

#: The most worker processes ``reader ner`` starts: more than twice the CPUs only costs memory
#: (each loads the model) and file handles, and far more exhausts them.
MAX_PROCESSES = max(4, 2 * (os.cpu_count() or 1))


def _process_count(text: str) -> int:
    """A number of worker processes: from 1 to :data:`MAX_PROCESSES` (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PROCESSES:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_PROCESSES} (twice this machine's CPUs), not {text!r}"
        )
    return value


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader ner",
        description="Find and cache the named entities of every article of a corpus not cached yet, "
        "so that the app and reader stats show them at once.",
    )
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR", help="a folder of articles")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--processes", type=_process_count, default=1, metavar="N", help="worker processes for the model (default 1)"
    )
    add_cluster_options(parser, where)
    add_model_option(parser)
    return parser


def run(arguments: argparse.Namespace) -> int:
    corpus = open_corpus(arguments.corpus)
    recognizer = make_recognizer(arguments.model)
    texts = texts_of(corpus)
    missing = {article_id: text for article_id, text in texts.items() if not recognizer.is_cached(text)}
    started = time.perf_counter()
    if arguments.dask and missing:
        find_on_cluster(recognizer, missing, arguments.dask, arguments.dask_timeout)
    else:
        find_entities(recognizer, missing, arguments.processes)
    seconds = time.perf_counter() - started
    cached = len(texts) - len(missing)
    if missing:
        say(
            f"Found the entities of {len(missing)} articles in {seconds:.1f} s with {recognizer.identity}"
            f"{f' on the Dask cluster {arguments.dask}' if arguments.dask else ''} "
            f"({len(missing) / max(seconds, 1e-9):.1f} articles/s); {cached} were cached already."
        )
    else:
        say(f"All {len(texts)} articles of {corpus.root} already have their entities cached ({recognizer.identity}).")
    return EXIT_OK
