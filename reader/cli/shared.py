"""What the commands share: their exit codes and errors, output for machines and messages for
people, the common options, and opening the store and the corpus as every command does."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from annotations import AnnotationStore, StoreError
from annotations.coders import set_default_coder
from annotations.store import StoreMissing, StoreNeedsUpgrade
from reader.cells import cell_len, pad
from reader.config import Settings, load_settings
from reader.disposable import take_notices
from reader.paths import default_store_path, sample_corpus_dir
from reader.safe_text import inert
from reader.store_advice import cli_message

if TYPE_CHECKING:
    from reader.corpus import Corpus


EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; its message is printed as it is."""


class UsageError(UserError):
    """Options that do not go together; reported like argparse's own usage errors (exit 2)."""


@dataclass(frozen=True)
class Command:
    """A command of ``reader``: its line in the help, its parser and what runs it."""

    summary: str
    parser: Callable[[], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"the annotation store: a small file, with the annotations in PATH.d/ beside it; default {default_store_path()}",
    )


def add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default=None,
        metavar="NAME_OR_PATH",
        help="an installed spaCy pipeline (en_core_web_sm, en_core_web_trf, ...) or a pipeline folder",
    )


def add_corpus_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR", help=f"the corpus folder, {purpose}")


def out(text: str) -> None:
    """Machine output: UTF-8 on stdout, whatever the locale."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def say(message: str) -> None:
    """A message for people, on stderr; file names and tags in it cannot act on the terminal."""
    print(inert(message), file=sys.stderr)


def open_store(path: Path | None) -> AnnotationStore:
    try:
        return AnnotationStore(store_path(path))
    except StoreError as error:
        raise UserError(cli_message(error)) from None
    except OSError as error:
        raise UserError(f"The annotation store {store_path(path)} cannot be opened: {error.strerror}.") from None


@contextmanager
def existing_store(path: Path | None) -> Iterator[AnnotationStore | None]:
    """The store, opened read-only: commands that only read never create, write or lock it (so a
    store on a read-only disk can be exported). A ``--db`` that names no store is an error; the
    default store not made yet is None (no annotations). What the store found wrong with its
    files and recovered from is said on stderr."""
    try:
        store = AnnotationStore(store_path(path), read_only=True)
    except StoreMissing as error:
        if path is not None:
            raise UserError(cli_message(error)) from None
        store = None
    except StoreNeedsUpgrade:
        store = open_store(path)  # an older store is migrated (a copy of it kept), as it always was
    except StoreError as error:
        raise UserError(cli_message(error)) from None
    if store is None:
        yield None
        return
    with store:
        try:
            yield store
        except StoreError as error:
            raise UserError(cli_message(error)) from None
        finally:
            for notice in store.notices:
                say(f"reader: {notice}")


def open_corpus(path: Path) -> Corpus:
    from reader.corpus import CorpusError, load_corpus

    try:
        # Absolute, so that the article paths kept in the store (and exported) still name the
        # files when reader runs from another folder.
        corpus = load_corpus(Path(os.path.abspath(path.expanduser())))
    except CorpusError as error:
        raise UserError(str(error)) from None
    for problem in corpus.problems:  # every one: a user fixing files needs the whole list
        say(f"reader: skipped {problem.path}: {problem.reason}")
    for notice in take_notices():
        say(f"reader: {notice}")
    return corpus


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as aligned columns under their headers (the last column is not padded)."""
    cells = [list(headers)] + [[inert(str(cell)) for cell in row] for row in rows]
    widths = [
        max(cell_len(row[index]) for row in cells) for index in range(len(headers) - 1)
    ]  # in cells: CJK is 2 each
    lines = [
        "  ".join([pad(cell, width) for cell, width in zip(row, widths, strict=False)] + [row[-1]]).rstrip()
        for row in cells
    ]
    return "\n".join(lines) + "\n"


@cache
def user_settings() -> Settings:
    """The user's settings, read once a process; what is wrong with the file is said on stderr."""
    settings = load_settings()
    for problem in settings.problems:
        say(f"reader: {problem}")
    set_default_coder(settings.coder)  # annotations that name no coder are this user's
    return settings


def store_path(given: Path | None) -> Path:
    """The store to use: the one given (--db), else the user's settings' store, else the default.
    The settings are read first in any case (they name the default coder of the store's records)."""
    settings = user_settings()
    return given or settings.store or default_store_path()


def corpus_path(given: Path | None) -> Path:
    """The corpus to use: the one given, else the user's settings' corpus, else the bundled sample."""
    return given or user_settings().corpus or sample_corpus_dir()
