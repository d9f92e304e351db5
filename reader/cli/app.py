"""``reader [CORPUS_DIR]``: the app on a corpus, with the store chosen (or repaired) first."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import AnnotationStore, StoreError
from reader import __version__
from reader.cli.coders import add_coder_option, session_settings
from reader.cli.shared import (
    EXIT_ERROR,
    EXIT_OK,
    Command,
    UserError,
    add_db_option,
    add_model_option,
    corpus_path,
    say,
    store_path,
)
from reader.paths import entity_cache_dir
from reader.safe_text import inert
from reader.store_advice import cli_message

if TYPE_CHECKING:
    from reader.corpus.loader import ListingProgress


def parser(commands: Mapping[str, Command]) -> argparse.ArgumentParser:
    """The app's parser; its help lists the ``commands`` for scripts."""
    width = max(map(len, commands))
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read news articles with their named entities highlighted, and tag passages.",
        epilog="commands for scripts (each has --help):\n"
        + "\n".join(f"  reader {name.ljust(width)}  {command.summary}" for name, command in commands.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of articles (default: the bundled sample corpus)"
    )
    add_db_option(parser)
    add_model_option(parser)
    add_coder_option(parser, "who you code as: your passages are recorded, shown and edited as this coder's")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def open_store_for_app(path: Path) -> AnnotationStore | None:
    """The store for the app; when it cannot be opened, a person at a terminal chooses what to do.

    Nothing is written before that choice (open the backup, a new store elsewhere, or quit:
    None). Without a terminal, the message is printed and reader stops. (A damaged or missing
    article file is met when its article is read, with the same choices: see store_guard; its
    files are not checked here, so that the library paints before the store's index loads.)
    """
    try:
        return AnnotationStore(path)
    except StoreError as error:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UserError(cli_message(error)) from None
        from reader.app.store_problem import StoreProblemApp

        chosen = StoreProblemApp(error, path).run()
        if chosen is None:
            say(f"reader: {error}")
        return chosen
    except OSError as error:
        raise UserError(f"The annotation store {path} cannot be opened: {error.strerror}.") from None


@contextmanager
def first_listing(root: Path) -> Iterator[ListingProgress]:
    """A progress bar on stderr while files are read before the app can paint: a corpus never
    listed before is read whole (at 100,000 files, half a minute of a blank terminal without
    it). It shows once a file is to be read, not on a start from the catalog, and is gone when
    the app starts. Ctrl-C stops the listing, and says that nothing was kept."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task(f"Listing {inert(root.name or str(root))} (Ctrl-C stops)", total=None, start=False)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
        if not bar.live.is_started:
            bar.start_task(task)
            bar.start()

    try:
        yield advance
    except KeyboardInterrupt:
        bar.stop()
        say("reader: listing stopped; nothing was kept, the next start reads the folder again.")
        raise
    finally:
        bar.stop()


def run(arguments: argparse.Namespace) -> int:
    from reader.corpus import CorpusError, load_corpus
    from reader.nlp import DEFAULT_MODEL, EntityRecognizer
    from reader.nlp.cache import EntityCache

    settings = session_settings(arguments)
    try:
        root = corpus_path(arguments.corpus)
        with first_listing(root) as progress:
            # a corpus listed before paints from its catalog, and the library looks at the folder after
            corpus = load_corpus(root, scan_folder=False, progress=progress)
            if corpus.unscanned and not corpus.articles:
                corpus = corpus.refreshed(progress)
    except CorpusError as error:
        raise UserError(str(error)) from None
    if not corpus.articles:
        skipped = f" ({len(corpus.problems)} file(s) could not be read)" if corpus.problems else ""
        raise UserError(
            f"No articles in {corpus.root}{skipped}. reader reads .txt, .md, .json, .jsonl and .html articles (see its README)."
        )
    store = open_store_for_app(store_path(arguments.db))
    if store is None:
        return EXIT_ERROR
    recognizer = EntityRecognizer(arguments.model or DEFAULT_MODEL, EntityCache(entity_cache_dir()))
    from reader.app.app import ReaderApp

    app = ReaderApp(corpus, store, recognizer, settings=settings)
    with store:
        app.run()
    # The process ends now: spare it the last garbage collection over the spaCy pipeline's
    # objects, which takes about a second after q (issue 9.2). Files are closed already.
    gc.freeze()
    return EXIT_ERROR if app.return_code else EXIT_OK
