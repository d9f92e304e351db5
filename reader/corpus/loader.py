"""Load a corpus folder: every article below it, and a list of the files that could not be read.

Files are read by format (``.txt``, ``.md``, ``.json``, ``.jsonl``, ``.html``; see
:mod:`reader.corpus.formats`). A file that cannot be read is reported as a :class:`Problem` and
skipped, so one bad file never hides the rest of the corpus.

Listing goes through the corpus index (:mod:`reader.corpus.index`): only files that are new or
whose size or modification time changed are read; the others are listed from the index, and
their text is read when it is first needed. New and removed files are noticed on every load.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from reader.corpus.article import Article
from reader.corpus.formats import check_text, failure_reason, parse_date, read_file
from reader.corpus.formats.json_records import JSONL_SUFFIXES
from reader.corpus.identity import record_ids
from reader.corpus.index import ArticleRecord, CorpusIndex, FileStamp, IndexedFile
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

    ``index_dir`` is where the index and the text store live (None: no index was used).
    ``fresh_texts`` holds, by sha256, the texts read while indexing this time, until the text
    store has them.
    """

    root: Path
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    index_dir: Path | None = None
    fresh_texts: dict[str, str] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Article] | None = field(default=None, init=False, repr=False)
    _details: dict[str, str] | None = field(default=None, init=False, repr=False)

    def title_details(self) -> dict[str, str]:
        """What tells apart articles with the same title, by id (see :mod:`reader.corpus.titles`)."""
        if self._details is None:
            from reader.corpus.titles import title_details

            self._details = title_details(self.articles)
        return self._details

    def get(self, article_id: str) -> Article | None:
        if self._by_id is None or len(self._by_id) != len(self.articles):
            self._by_id = {article.id: article for article in self.articles}
        return self._by_id.get(article_id)

    @property
    def text_store(self) -> TextStore | None:
        return None if self.index_dir is None else TextStore(self.index_dir / TEXTS_NAME)

    def refreshed(self) -> Corpus:
        """The corpus as its folder is now: new, changed and removed files taken into account."""
        return load_corpus(self.root, index_dir=self.index_dir, use_index=self.index_dir is not None)


def load_corpus(root: str | Path, *, index_dir: Path | None = None, use_index: bool = True) -> Corpus:
    """Every article below ``root``, newest first; unreadable files listed as problems.

    ``index_dir`` overrides where the index is kept (default: the user cache folder, one folder a
    corpus); with ``use_index=False`` every file is read and nothing is written.
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
    index = CorpusIndex(index_dir, root.resolve()) if use_index and index_dir is not None else None
    if index is not None:
        index.load()
    corpus = Corpus(root=root, index_dir=index_dir if index is not None else None)

    scan_started = time.time_ns()
    skipped: list[tuple[str, str]] = []
    found = dict(scan(root, skipped))
    files: dict[str, IndexedFile] = {}
    changed = index is None or set(index.files) != set(found)
    for name, stamp in found.items():
        if index is not None and index.is_current(name, stamp):
            files[name] = index.files[name]
        else:
            files[name] = _read(root / name, stamp, corpus.fresh_texts)
            changed = True
    if index is not None and changed:
        index.files = files
        index.scanned_ns = scan_started
        index.save()

    taken: set[str] = set()
    prefix = f"{root}{os.sep}"
    for name in sorted(files):
        indexed = files[name]
        if indexed.unreadable is not None or indexed.problems:
            path = root / name
            if indexed.unreadable is not None:
                corpus.problems.append(Problem(path, indexed.unreadable))
                continue
            corpus.problems.extend(Problem(path, reason) for reason in indexed.problems)
        location = prefix + name if os.sep == "/" else str(root / name)
        ids = record_ids(name, [(record.key, record.locator) for record in indexed.articles])
        for article_id, record in zip(ids, indexed.articles, strict=True):
            article_id = _unclaimed(article_id, taken)
            taken.add(article_id)
            corpus.articles.append(
                Article(
                    article_id,
                    record.title,
                    record.date,
                    location,
                    sha256=record.sha256,
                    source=record.source,
                    url=record.url,
                    locator=record.locator,
                    encoding=indexed.encoding,
                )
            )
    corpus.problems.extend(Problem(root / name, reason) for name, reason in skipped)
    corpus.problems.sort(key=lambda problem: str(problem.path))
    corpus.articles.sort(key=lambda a: a.title.casefold())
    corpus.articles.sort(key=lambda a: a.date or "", reverse=True)
    return corpus


def _read(path: Path, stamp: FileStamp, texts: dict[str, str]) -> IndexedFile:
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
        texts[record.sha256] = entry.text
        records.append(record)
    if not records:
        return IndexedFile(stamp, unreadable="; ".join(problems[:3]) or "it holds no article")
    return IndexedFile(stamp, encoding=encoding, articles=records, problems=problems)


def _unclaimed(article_id: str, taken: set[str]) -> str:
    """``article_id``, or ``article_id~N`` in the contrived case that another file's article has
    it already (see :mod:`reader.corpus.identity`)."""
    if article_id not in taken:
        return article_id
    number = 2
    while f"{article_id}~{number}" in taken:
        number += 1
    return f"{article_id}~{number}"
