"""The ``reader`` command: open the app on a corpus, or work on the store from a script.

    reader [CORPUS_DIR] [--db PATH] [--model NAME_OR_PATH]     the app
    reader list [CORPUS_DIR] [--json]                          articles with annotation counts
    reader stats [--corpus DIR] [--json]                       tags (and entities) with counts
    reader export [--format F] [--tag T] [--article ID] [--since DATE] [-o PATH]
    reader import FILE [--format F] [--corpus DIR]
    reader ner CORPUS_DIR [--processes N] [--model NAME_OR_PATH]

Exit codes: 0 success, 1 error (a message on stderr says what to do), 2 wrong usage.
Output meant for machines goes to stdout (UTF-8), messages for people to stderr. No traceback
reaches the user. Commands that only read the store never create one.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations import Annotation, AnnotationStore, ArticleRef, StoreError, formats
from annotations.store import StoreMissing, StoreNeedsUpgrade
from annotations.corrections import CorrectionBook
from annotations.anchoring import AnchorStatus, reanchored
from annotations.filtering import AnnotationFilter
from annotations.model import from_iso
from reader import __version__
from reader.disposable import take_notices
from reader.paths import default_store_path, entity_cache_dir, sample_corpus_dir
from reader.cells import cell_len, pad
from reader.safe_text import inert

if TYPE_CHECKING:
    from reader.corpus import Article, Corpus
    from reader.nlp import Entity, EntityRecognizer

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; its message is printed as it is."""


class UsageError(UserError):
    """Options that do not go together; reported like argparse's own usage errors (exit 2)."""


# -- parsers -------------------------------------------------------------------------------


def _add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"the annotation store: a small file, with the annotations in PATH.d/ beside it; default {default_store_path()}",
    )


def _add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default=None,
        metavar="NAME_OR_PATH",
        help="an installed spaCy pipeline (en_core_web_sm, en_core_web_trf, ...) or a pipeline folder",
    )


def _add_corpus_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR", help=f"the corpus folder, {purpose}")


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
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_PROCESSES} (twice this machine's CPUs), not {text!r}")
    return value


def app_parser() -> argparse.ArgumentParser:
    width = max(map(len, COMMANDS))
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read news articles with their named entities highlighted, and tag passages.",
        epilog="commands for scripts (each has --help):\n"
        + "\n".join(f"  reader {name.ljust(width)}  {command.summary}" for name, command in COMMANDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of articles (default: the bundled sample corpus)"
    )
    _add_db_option(parser)
    _add_model_option(parser)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def list_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader list",
        description="List a corpus's articles: id, date, annotation count and title, newest first.",
    )
    parser.add_argument(
        "corpus", nargs="?", type=Path, help="a folder of articles (default: the bundled sample corpus)"
    )
    _add_db_option(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    return parser


def stats_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader stats",
        description="Count the tags in use and, with --corpus, the named entities of a corpus.",
    )
    _add_db_option(parser)
    _add_corpus_option(parser, "whose entities to count (found with the model unless cached; see reader ner)")
    _add_model_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return parser


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader export",
        description="Write the annotations in a format other tools read. "
        + "; ".join(f"{fmt.name}: {fmt.description}" for fmt in map(formats.get, formats.EXPORT_FORMATS))
        + ".",
    )
    _add_db_option(parser)
    parser.add_argument(
        "-f", "--format", choices=formats.EXPORT_FORMATS, default=formats.DEFAULT_FORMAT,
        help=f"the format (default {formats.DEFAULT_FORMAT})",
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="PATH",
        help="write to this file (for brat: this folder) instead of stdout",
    )
    parser.add_argument(
        "--tag", action="append", default=[], metavar="TAG",
        help="only annotations with this tag (case aside); repeat for any of several",
    )
    parser.add_argument(
        "--article", action="append", default=[], metavar="ID",
        help="only annotations of this article; repeat for any of several",
    )
    parser.add_argument(
        "--since", metavar="DATE", help="only annotations changed at or after this ISO date or time (UTC)"
    )
    _add_corpus_option(parser, "needed by jsonl and brat, which write the articles' text")
    parser.add_argument(
        "--entities", action="store_true",
        help="jsonl: add the entity spans of every article of the corpus (or of those given with --article)",
    )
    _add_model_option(parser)
    return parser


def import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader import",
        description="Add the annotations of an exported file to the store. Annotations already in it "
        "(same id) are skipped; a file with an error adds nothing.",
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE",
        help="a json, jsonl or w3c export, or Hypothesis API JSON (which needs --corpus: see the README)",
    )
    _add_db_option(parser)
    parser.add_argument(
        "-f", "--format", choices=formats.IMPORT_FORMATS, default=None,
        help="the file's format (default: recognised by its content)",
    )
    _add_corpus_option(parser, "to check each passage against its article's text now (moved ones are updated)")
    return parser


def ner_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader ner",
        description="Find and cache the named entities of every article of a corpus not cached yet, "
        "so that the app and reader stats show them at once.",
    )
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR", help="a folder of articles")
    parser.add_argument(
        "--processes", type=_process_count, default=1, metavar="N", help="worker processes for the model (default 1)"
    )
    _add_model_option(parser)
    return parser


# -- what commands share -------------------------------------------------------------------


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
        return AnnotationStore(path or default_store_path())
    except StoreError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"The annotation store {path or default_store_path()} cannot be opened: {error.strerror}.") from None


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
            raise UserError(str(error)) from None
        from reader.app.store_problem import StoreProblemApp

        chosen = StoreProblemApp(error, path).run()
        if chosen is None:
            say(f"reader: {error}")
        return chosen
    except OSError as error:
        raise UserError(f"The annotation store {path} cannot be opened: {error.strerror}.") from None


@contextmanager
def existing_store(path: Path | None) -> Iterator[AnnotationStore | None]:
    """The store, opened read-only: commands that only read never create, write or lock it (so a
    store on a read-only disk can be exported). A ``--db`` that names no store is an error; the
    default store not made yet is None (no annotations). What the store found wrong with its
    files and recovered from is said on stderr."""
    try:
        store = AnnotationStore(path or default_store_path(), read_only=True)
    except StoreMissing as error:
        if path is not None:
            raise UserError(str(error)) from None
        store = None
    except StoreNeedsUpgrade:
        store = open_store(path)  # an older store is migrated (a copy of it kept), as it always was
    except StoreError as error:
        raise UserError(str(error)) from None
    if store is None:
        yield None
        return
    with store:
        try:
            yield store
        except StoreError as error:
            raise UserError(str(error)) from None
        finally:
            for notice in store.notices:
                say(f"reader: {notice}")


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


def make_recognizer(model: str | None, store: Path | None = None) -> EntityRecognizer:
    """The recognizer for ``model``; with a ``store`` that exists, its entity corrections apply."""
    from reader.nlp import DEFAULT_MODEL, EntityRecognizer, ModelUnavailable
    from reader.nlp.cache import EntityCache

    recognizer = EntityRecognizer(model or DEFAULT_MODEL, EntityCache(entity_cache_dir()))
    if store is not None and store.exists():
        recognizer.corrections = CorrectionBook(store).all
    try:
        _ = recognizer.identity  # fails early, with the reason, for a model that is not installed
    except ModelUnavailable as error:
        raise UserError(f"{error}.") from None
    return recognizer


def load_pipeline(recognizer: EntityRecognizer) -> None:
    from reader.nlp import ModelUnavailable

    try:
        recognizer.load()
    except ModelUnavailable as error:
        raise UserError(f"{error}.") from None


def texts_of(corpus: Corpus, article_ids: Iterable[str] = ()) -> dict[str, str]:
    """The texts of the corpus's articles (only of ``article_ids``, when some are given), by id."""
    from reader.corpus.texts import article_texts

    wanted = set(article_ids)
    return {article.id: text for article, text in article_texts(corpus) if not wanted or article.id in wanted}


def find_entities(recognizer: EntityRecognizer, texts: dict[str, str], processes: int = 1) -> dict[str, list[Entity]]:
    """The entities of each text by article id: from the cache, else found now (and cached)."""
    found: dict[str, list[Entity]] = {}
    missing: list[str] = []
    for article_id, text in texts.items():
        cached = recognizer.cached(text)
        if cached is None:
            missing.append(article_id)
        else:
            found[article_id] = cached
    if missing:
        load_pipeline(recognizer)
        with progress_bar(len(missing), "Finding entities") as advance:
            batch = recognizer.pipe_entities([texts[article_id] for article_id in missing], processes=processes)
            for article_id, entities in zip(missing, batch):
                found[article_id] = recognizer.corrected(texts[article_id], entities)
                advance()
    return found


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for ``total`` steps; the caller calls what it yields once a step."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Rows as aligned columns under their headers (the last column is not padded)."""
    cells = [list(headers)] + [[inert(str(cell)) for cell in row] for row in rows]
    widths = [max(cell_len(row[index]) for row in cells) for index in range(len(headers) - 1)]  # in cells: CJK is 2 each
    lines = ["  ".join([pad(cell, width) for cell, width in zip(row, widths)] + [row[-1]]).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def parse_since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return from_iso(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not an ISO date or time (such as 2025-07-27 or 2025-07-27T09:30)") from None


# -- commands ------------------------------------------------------------------------------


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
        raise UserError(f"No articles in {corpus.root}{skipped}. reader reads .txt, .md, .json, .jsonl and .html articles (see its README).")
    store = open_store_for_app(arguments.db or default_store_path())
    if store is None:
        return EXIT_ERROR
    recognizer = EntityRecognizer(arguments.model or DEFAULT_MODEL, EntityCache(entity_cache_dir()))
    from reader.app.app import ReaderApp

    app = ReaderApp(corpus, store, recognizer)
    with store:
        app.run()
    # The process ends now: spare it the last garbage collection over the spaCy pipeline's
    # objects, which takes about a second after q (issue 9.2). Files are closed already.
    gc.freeze()
    return EXIT_ERROR if app.return_code else EXIT_OK


def run_list(arguments: argparse.Namespace) -> int:
    corpus = open_corpus(arguments.corpus or sample_corpus_dir())
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
        out(table(("ID", "DATE", "ANNOTATIONS", "TITLE"), ([r["id"], r["date"] or "-", r["annotations"], r["title"]] for r in rows)))
    if not rows:
        say(f"reader: no articles in {corpus.root}.")
    return EXIT_OK


def run_stats(arguments: argparse.Namespace) -> int:
    with existing_store(arguments.db) as store:
        tags = store.tag_counts() if store is not None else []
    entities = None
    if arguments.corpus is not None:
        corpus = open_corpus(arguments.corpus)
        entities = entity_counts(corpus, make_recognizer(arguments.model, arguments.db or default_store_path()))
    if arguments.json:
        document: dict[str, Any] = {
            "tags": [{"tag": tag, "count": count} for tag, count in tags],
            "entities": entities,
        }
        out(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    out(table(("TAG", "COUNT"), tags) if tags else "No tags yet.\n")
    if entities is None:
        say("reader: give --corpus DIR to count the entities of a corpus too.")
    else:
        out("\n" + table(("ENTITY", "LABEL", "MENTIONS", "ARTICLES"), ([e["text"], e["label"], e["count"], e["articles"]] for e in entities)))
    return EXIT_OK


def entity_counts(corpus: Corpus, recognizer: EntityRecognizer) -> list[dict[str, Any]]:
    """Each entity (its words with spacing folded, and its label) with its mentions and articles,
    most mentioned first."""
    texts = texts_of(corpus)
    mentions: Counter[tuple[str, str]] = Counter()
    articles: Counter[tuple[str, str]] = Counter()
    for article_id, entities in find_entities(recognizer, texts).items():
        text = texts[article_id]
        seen = Counter((" ".join(text[e.start : e.end].split()), e.label) for e in entities)
        mentions.update(seen)
        articles.update(seen.keys())
    ranked = sorted(mentions.items(), key=lambda item: (-item[1], item[0][0].casefold(), item[0][1]))
    return [{"text": words, "label": label, "count": count, "articles": articles[words, label]} for (words, label), count in ranked]


def run_export(arguments: argparse.Namespace) -> int:
    from reader.export import CorpusTexts, ExportError, prepare_export, write_export

    fmt = formats.get(arguments.format)
    if fmt.folder and arguments.output is None:
        raise UsageError(f"the {fmt.name} format writes a folder: give it with -o DIR")
    if arguments.entities and fmt.name != "jsonl":
        raise UsageError("--entities adds entity spans to the jsonl format only")
    if fmt.needs_text and arguments.corpus is None:
        raise UsageError(f"the {fmt.name} format writes the articles' text: give their corpus with --corpus DIR")
    chosen_by = AnnotationFilter.of(tags=arguments.tag, article_ids=arguments.article, since=parse_since(arguments.since))
    if arguments.output is not None:
        refuse_output_in_store(arguments.output, arguments.db or default_store_path())
    with existing_store(arguments.db) as store:
        annotations, articles = (store.all(), store.articles()) if store is not None else ([], {})
    chosen = chosen_by.select(annotations)
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    known = {annotation.article_id for annotation in annotations} | set(articles)
    unknown = [i for i in dict.fromkeys(arguments.article) if i not in known and (corpus is None or corpus.get(i) is None)]
    if unknown:
        where = "the store" + (" or the corpus" if corpus is not None else "")
        raise UserError(f"No article {', '.join(map(repr, unknown))} in {where}. Nothing was written; check the --article ids.")
    tokenizer = entities = None
    if corpus is not None:
        annotated = {annotation.article_id for annotation in chosen}
        articles.update({article.id: article.ref() for article in corpus.articles if article.id in annotated})
    if fmt.name == "jsonl" and corpus is not None:
        recognizer = make_recognizer(arguments.model, arguments.db or default_store_path())
        load_pipeline(recognizer)
        tokenizer = recognizer.token_spans
        if arguments.entities:
            texts = texts_of(corpus, arguments.article)
            articles.update({a.id: a.ref() for a in corpus.articles if a.id in texts})
            found = find_entities(recognizer, texts)
            entities = {article_id: [(e.start, e.end, e.label) for e in spans] for article_id, spans in found.items()}
    try:
        export = prepare_export(
            fmt.name, chosen, articles, CorpusTexts(corpus) if corpus else None, tokenizer,
            entities=entities, report=lambda message: say(f"reader: {message}"),
        )
        if arguments.output is None:
            out(formats.render(fmt.name, export))
            return EXIT_OK
        where = write_export(fmt.name, export, arguments.output)
    except ExportError as error:
        raise UserError(str(error)) from None
    say(f"Wrote {len(export.annotations)} annotations to {where}")
    return EXIT_OK


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
                lines.append("Fuzzy and orphaned passages are kept as they were: open their articles in reader to place them.")
        return "\n".join(lines)


def run_import(arguments: argparse.Namespace) -> int:
    source: Path = arguments.file
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise UserError(f"Cannot read {source}: {error.strerror or error}. Nothing was imported.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{source} is not UTF-8 text (byte {error.start}). Nothing was imported.") from None
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    try:
        from reader.import_pages import CorpusPages

        imported = formats.load(text, arguments.format, pages=CorpusPages(corpus) if corpus is not None else None)
    except formats.FormatError as error:
        raise UserError(f"{source} cannot be imported: {error}. Nothing was imported.") from None
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
                f"{error} {tally.added} of the file's annotations were imported before this; importing the "
                "file again adds the rest."
            ) from None
    say(tally.summary(source, arguments.corpus))
    if imported.ignored:
        say(f"{imported.ignored} spans that are not annotations (such as entity spans) were passed over.")
    return EXIT_OK


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
        placed, found = reanchored(annotation, text, article.sha256)
        tally[found.status] += 1
        result.append(placed)
        refs[article.id] = article.ref()
    return result, tally


def run_ner(arguments: argparse.Namespace) -> int:
    corpus = open_corpus(arguments.corpus)
    recognizer = make_recognizer(arguments.model)
    texts = texts_of(corpus)
    missing = {article_id: text for article_id, text in texts.items() if not recognizer.is_cached(text)}
    started = time.perf_counter()
    find_entities(recognizer, missing, arguments.processes)
    seconds = time.perf_counter() - started
    cached = len(texts) - len(missing)
    if missing:
        say(
            f"Found the entities of {len(missing)} articles in {seconds:.1f} s with {recognizer.identity} "
            f"({len(missing) / max(seconds, 1e-9):.1f} articles/s); {cached} were cached already."
        )
    else:
        say(f"All {len(texts)} articles of {corpus.root} already have their entities cached ({recognizer.identity}).")
    return EXIT_OK


# -- dispatch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    summary: str
    parser: Callable[[], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {
    "list": Command("list a corpus's articles", list_parser, run_list),
    "stats": Command("count tags and entities", stats_parser, run_stats),
    "export": Command("write the annotations as json, jsonl, w3c, brat or csv", export_parser, run_export),
    "import": Command("add the annotations of an exported file", import_parser, run_import),
    "ner": Command("find and cache the entities of a whole corpus", ner_parser, run_ner),
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    argv_given = list(argv)
    if argv and argv[0] in COMMANDS:
        command = COMMANDS[argv[0]]
        make_parser, run, argv = command.parser, command.run, argv[1:]
    else:
        make_parser, run = app_parser, run_app
    parser = make_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code not in (0, None) else EXIT_OK
    try:
        return run(arguments)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        say(f"{parser.prog}: error: {error}")
        return EXIT_USAGE
    except UserError as error:
        say(f"reader: {error}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader of our output went away (| head): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception as error:  # the last guard: a message, never a traceback (which goes to a log)
        from reader.error_log import log_unexpected, unexpected_message

        say(f"reader: {unexpected_message(error, log_unexpected(error, ['reader', *argv_given]))}")
        return EXIT_ERROR
