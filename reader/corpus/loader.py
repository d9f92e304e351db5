"""Load a corpus folder: every article below it, and a list of the files that could not be read.

Files are read by format (``.txt``, ``.md``, ``.json``, ``.jsonl``, ``.html``; see
:mod:`reader.corpus.formats`). A file that cannot be read is reported as a :class:`Problem` and
skipped, so one bad file never hides the rest of the corpus.

Listing goes through the corpus catalog (:mod:`reader.corpus.catalog`, SQLite): only files that
are new or whose size or modification time changed are read; the others are listed from the
catalog, and their text is read when it is first needed. New and removed files are noticed on
every scan. The app lists a corpus from its catalog without scanning (``scan_folder=False``), so
the list paints at once whatever the corpus's size, and scans in the background right after.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.corpus import heap
from reader.corpus.article import Article
from reader.corpus.catalog import Catalog
from reader.corpus.catalog_update import Changes
from reader.corpus.formats import check_text, failure_reason, parse_date, read_file
from reader.corpus.formats.json_records import JSONL_SUFFIXES
from reader.corpus.index import ArticleRecord, FileStamp, IndexedFile
from reader.corpus.rows import OrderRows, RankRows
from reader.corpus.texts import TEXTS_NAME, TextStore
from reader.corpus.walk import scan

__all__ = ["Corpus", "CorpusError", "Problem", "load_corpus", "parse_date"]


class CorpusError(Exception):
    """The corpus as a whole cannot be opened (missing folder, not a folder)."""


@dataclass(frozen=True)
class Problem:
    """A file (or a part of one) that was skipped, and why, in words a user can act on."""

    path: Path
    reason: str


@dataclass
class Corpus:
    """The articles of a folder, newest first, and the files that could not be read.

    The articles are in the corpus's catalog (:mod:`reader.corpus.catalog`, SQLite), never all
    in memory: :attr:`articles` and :attr:`by_title` fetch the rows asked for a page at a time.
    ``index_dir`` is where the catalog and the text store live (None: in memory only).
    ``fresh_texts`` holds, by sha256, texts read while listing without a text store to put them in.
    ``unscanned`` says the corpus was listed from the catalog without looking at the folder
    (the app looks right after its first paint); ``changes`` what the last look found.
    """

    root: Path
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    index_dir: Path | None = None
    fresh_texts: dict[str, str] = field(default_factory=dict, repr=False)
    unscanned: bool = False
    changes: Changes = field(default_factory=Changes)
    _articles: OrderRows | RankRows | None = field(default=None, init=False, repr=False)
    _by_title: OrderRows | None = field(default=None, init=False, repr=False)
    _details: dict[str, str] | None = field(default=None, init=False, repr=False)

    @property
    def articles(self) -> OrderRows | RankRows:
        """Every article, newest first (undated last), then by title."""
        if self._articles is None:
            self._articles = OrderRows(self.catalog, "date")
        return self._articles

    @property
    def by_title(self) -> OrderRows:
        """Every article by title (case and accents aside)."""
        if self._by_title is None:
            self._by_title = OrderRows(self.catalog, "title")
        return self._by_title

    def title_details(self) -> dict[str, str]:
        """What tells apart articles with the same title, by id (see :mod:`reader.corpus.titles`)."""
        if self._details is None:
            self._details = self.catalog.details()
        return self._details

    def get(self, article_id: str) -> Article | None:
        return self.catalog.get(article_id)

    def narrowed(self, prefix: str) -> Corpus:
        """The part of the corpus whose ids start with ``prefix`` (a subfolder's articles, ``feed/``),
        newest first; its problems too."""
        part = replace(self, problems=[p for p in self.problems if _relative(self.root, p.path).startswith(prefix)])
        ranks = self.catalog.ranks_under("date", prefix)
        part._articles = RankRows(self.catalog, "date", ranks)
        return part

    @property
    def text_store(self) -> TextStore | None:
        return None if self.index_dir is None else TextStore(self.index_dir / TEXTS_NAME)

    def refreshed(self, progress: ListingProgress | None = None) -> Corpus:
        """The corpus as its folder is now: new, changed and removed files taken into account."""
        return load_corpus(self.root, index_dir=self.index_dir, use_index=self.index_dir is not None, progress=progress)


def load_corpus(
    root: str | Path,
    *,
    index_dir: Path | None = None,
    use_index: bool = True,
    scan_folder: bool = True,
    progress: ListingProgress | None = None,
) -> Corpus:
    """Every article below ``root``, newest first; unreadable files listed as problems.

    ``index_dir`` overrides where the catalog is kept (default: the user cache folder, one folder
    a corpus); with ``use_index=False`` every file is read and the catalog is kept in memory.
    With ``scan_folder=False`` a corpus listed before is given as the catalog has it, at once,
    without looking at the folder (``unscanned`` is set: :meth:`Corpus.refreshed` looks).
    ``progress`` is told the files read and to read, a batch at a time.
    """
    root = Path(root).expanduser()
    if not root.exists():
        raise CorpusError(
            f"The corpus folder {root} does not exist. Give the path of a folder of articles (.txt, .md, .json, .jsonl, .html)."
        )
    if not root.is_dir():
        raise CorpusError(f"{root} is a file, not a folder. Give the folder that holds the articles.")
    if use_index and index_dir is None:
        from reader.paths import corpus_index_dir

        index_dir = corpus_index_dir(root)
    catalog = Catalog(index_dir if use_index else None, root.resolve())
    kept = catalog.path is not None
    corpus = Corpus(root=root, catalog=catalog, index_dir=index_dir if kept else None)
    if not scan_folder and kept and catalog.scanned:
        catalog.hold()
        corpus.unscanned = True
    else:
        corpus.changes = _scan(corpus, catalog, progress)
    corpus.catalog.prefix = f"{root}{os.sep}"
    corpus.problems = sorted((Problem(root / name, reason) for name, reason in catalog.problems()), key=_path_key)
    return corpus


def _relative(root: Path, path: Path) -> str:
    return str(path).removeprefix(f"{root}/")


def _path_key(problem: Problem) -> str:
    return str(problem.path)


def _scan(corpus: Corpus, catalog: Catalog, progress: ListingProgress | None = None) -> Changes:
    """Look at the folder: read the files that are new or changed into the catalog, drop those
    that went. Texts read go to the text store as they come (never all in memory)."""
    root = corpus.root
    scanned_ns = catalog.scanned_ns()
    scan_started = time.time_ns()
    skipped: list[tuple[str, str]] = []
    store = corpus.text_store
    with catalog.updating(scan_started) as update, _texts_sink(store, corpus.fresh_texts) as keep_text:
        update.see(scan(root, skipped))
        update.gone(update.unseen())
        batch: dict[str, IndexedFile] = {}
        total = update.count_to_read(scanned_ns) if progress is not None else 0
        if progress is not None and total:
            progress(0, total)
        for done, (name, stamp) in enumerate(update.to_read(scanned_ns), start=1):
            batch[name] = _read(root / name, stamp, keep_text)
            if len(batch) >= BATCH:
                update.files(batch)
                batch = {}
                if progress is not None:
                    progress(done, total)
        update.files(batch)
        if progress is not None and total:
            progress(total, total)
        update.skipped(skipped)
    heap.trim()  # the texts read are freed: their pages go back (see reader.corpus.heap)
    return update.changes


#: Called with (files read, files to read) while a listing reads files.
ListingProgress = Callable[[int, int], None]

#: Files read before their records are written to the catalog (what a cold scan holds at once).
BATCH = 2000


#: Texts read while listing are also kept in memory (``Corpus.fresh_texts``) up to this many
#: characters, so that indexing a small corpus right after its first listing reads no file again.
FRESH_BUDGET = 8_000_000


@contextmanager
def _texts_sink(store: TextStore | None, fresh: dict[str, str]) -> Iterator[Callable[[str, str], None]]:
    """Where the texts read while listing go: appended to the text store as they come (so a
    large first listing never holds them all), and kept in ``fresh`` too while they are few;
    with no store, into ``fresh`` alone."""
    if store is None:
        yield fresh.__setitem__
        return
    budget = FRESH_BUDGET

    with store.appending() as append:

        def keep(sha256: str, text: str) -> None:
            nonlocal budget
            append(sha256, text)
            if budget >= 0:
                budget -= len(text)
                if budget >= 0:
                    fresh[sha256] = text
                else:
                    fresh.clear()  # past the budget: the store alone

        yield keep


def _read(path: Path, stamp: FileStamp, keep_text: Callable[[str, str], None]) -> IndexedFile:
    """Read one file into an index record; its texts go into ``texts`` by hash."""
    try:
        content, encoding = read_file(path)
    except Exception as error:  # noqa: BLE001 - any failure is this file's problem, never the listing's
        return IndexedFile(stamp, unreadable=failure_reason(error, path))
    records = []
    problems = list(content.problems)
    for entry in content.entries:
        try:
            record = ArticleRecord.from_entry(entry)
            check_text(entry)
        except UnicodeError:
            kind = "line" if path.suffix.lower() in JSONL_SUFFIXES else "item"
            where = f"{kind} {entry.locator}: " if entry.locator is not None else ""
            problems.append(
                f"{where}it holds a character that is not text (a lone surrogate such as \\ud800); fix or remove it"
            )
            continue
        keep_text(record.sha256, entry.text)
        records.append(record)
    if not records:
        return IndexedFile(stamp, unreadable="; ".join(problems[:3]) or "it holds no article")
    return IndexedFile(stamp, encoding=encoding, articles=records, problems=problems)
