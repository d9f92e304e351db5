"""The ``reader`` command: open the app on a corpus, or work on the store from a script.

    reader [CORPUS_DIR] [--db PATH] [--model NAME_OR_PATH]
    reader export [--db PATH] [-o FILE]

Exit codes: 0 success, 1 error (a message on stderr says what to do), 2 wrong usage.
Output meant for machines goes to stdout, messages for people to stderr. No traceback reaches
the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from annotations import AnnotationStore, StoreError
from annotations.formats import native_json
from reader import __version__
from reader.paths import default_store_path, entity_cache_dir, sample_corpus_dir

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; its message is printed as it is."""


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"the annotation store (a TinyDB JSON file); default {default_store_path()}",
    )


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read news articles with their named entities highlighted, and tag passages.",
        epilog="Other commands: reader export --help",
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of .txt articles (default: the bundled sample corpus)"
    )
    _add_db_option(parser)
    parser.add_argument(
        "--model",
        default=None,
        metavar="NAME_OR_PATH",
        help="an installed spaCy pipeline (en_core_web_sm, en_core_web_trf, ...) or a pipeline folder",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader export", description="Write the annotations as a JSON document.")
    _add_db_option(parser)
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    return parser


def open_store(path: Path | None) -> AnnotationStore:
    try:
        return AnnotationStore(path or default_store_path())
    except StoreError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"The annotation store {path or default_store_path()} cannot be opened: {error.strerror}.") from None


def run_app(arguments: argparse.Namespace) -> int:
    from reader.corpus import CorpusError, load_corpus
    from reader.nlp import DEFAULT_MODEL, EntityRecognizer
    from reader.nlp.cache import EntityCache

    try:
        corpus = load_corpus(arguments.corpus or sample_corpus_dir())
    except CorpusError as error:
        raise UserError(str(error)) from None
    if not corpus.articles:
        skipped = f" ({len(corpus.problems)} file(s) could not be read)" if corpus.problems else ""
        raise UserError(f"No articles in {corpus.root}{skipped}. reader reads .txt files: title line, date line, text.")
    store = open_store(arguments.db)
    recognizer = EntityRecognizer(arguments.model or DEFAULT_MODEL, EntityCache(entity_cache_dir()))
    from reader.app.app import ReaderApp

    with store:
        ReaderApp(corpus, store, recognizer).run()
    return EXIT_OK


def run_export(arguments: argparse.Namespace) -> int:
    with open_store(arguments.db) as store:
        document = native_json.export_document(store.all(), store.articles())
    text = native_json.dumps(document)
    if arguments.output is None:
        sys.stdout.write(text)
    else:
        try:
            arguments.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UserError(f"Cannot write {arguments.output}: {error.strerror}.") from None
        print(f"Wrote {len(document['annotations'])} annotations to {arguments.output}", file=sys.stderr)
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable[[argparse.Namespace], int]]] = {
    "export": (export_parser, run_export),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        make_parser, run = COMMANDS[argv[0]]
        argv = argv[1:]
    else:
        make_parser, run = app_parser, run_app
    try:
        arguments = make_parser().parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        return run(arguments)
    except UserError as error:
        print(f"reader: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as error:  # the last guard: a message, never a traceback
        print(f"reader: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR
