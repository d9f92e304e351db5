"""Writing the corpus catalog (:mod:`reader.corpus.catalog`): the rows of the files read anew
replace their old ones, the files gone lose theirs, and the orders are rebuilt afterwards.

Apart from the catalog's reading side because it is the only part that knows how ids are given
(:mod:`reader.corpus.identity`) and how the list is ordered.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reader.corpus.identity import record_ids
from reader.corpus.index import ArticleRecord, FileStamp, IndexedFile
from reader.corpus.search import fold

#: A file modified less than this before a scan started is read again on the next scan.
RACY_NS = 2_000_000_000
#: The files seen that are new, changed, or modified too close to the last scan (its parameter).
_TO_READ = (
    "FROM temp.seen s LEFT JOIN files f ON f.name = s.name"
    " WHERE (f.name IS NULL OR f.size != s.size OR f.mtime_ns != s.mtime_ns OR s.mtime_ns >= ?)"
)
#: Files to read that :meth:`Update.to_read` fetches at once.
READ_PAGE = 1000


@dataclass(frozen=True)
class Changes:
    """What an update found: articles added, changed (same id, other text) and removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Update:
    """The files of one update: :meth:`files` for those read anew, :meth:`gone` for those that
    went; :attr:`changes` counts what that did to the articles."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.touched = False
        self._added = self._changed = self._removed = 0

    @property
    def changes(self) -> Changes:
        return Changes(self._added, self._changed, self._removed)

    def see(self, found: Iterable[tuple[str, FileStamp]], batch: int = 5000) -> None:
        """Note the files the walk found now (in a temporary table: a folder of a million files
        is never a dict in memory); :meth:`to_read` and :meth:`unseen` compare them with the
        files recorded."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS seen (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER)")
        db.execute("DELETE FROM temp.seen")
        rows: list[tuple[str, int, int]] = []
        for name, stamp in found:
            rows.append((name, stamp.size, stamp.mtime_ns))
            if len(rows) >= batch:
                db.executemany("INSERT OR REPLACE INTO temp.seen VALUES (?, ?, ?)", rows)
                rows = []
        db.executemany("INSERT OR REPLACE INTO temp.seen VALUES (?, ?, ?)", rows)

    def to_read(self, scanned_ns: int) -> Iterator[tuple[str, FileStamp]]:
        """The files seen that are new, or whose stamp differs from the one recorded, or that were
        modified too close to the last scan (``scanned_ns``) to trust the record, by name.

        Read a batch at a time after the last name given (a cold scan of a million files never
        holds their list), so the caller may write the files given meanwhile: their names are
        behind the next batch's."""
        last = ""
        while True:
            rows = self.db.execute(
                f"SELECT s.name, s.size, s.mtime_ns {_TO_READ} AND s.name > ? ORDER BY s.name LIMIT ?",
                (scanned_ns - RACY_NS, last, READ_PAGE),
            ).fetchall()
            for name, size, mtime_ns in rows:
                yield name, FileStamp(size, mtime_ns)
            if len(rows) < READ_PAGE:
                return
            last = rows[-1][0]

    def count_to_read(self, scanned_ns: int) -> int:
        """How many files :meth:`to_read` gives (what a progress bar counts to)."""
        (count,) = self.db.execute(f"SELECT count(*) {_TO_READ}", (scanned_ns - RACY_NS,)).fetchone()
        return int(count)

    def unseen(self) -> list[str]:
        """The files recorded that the walk did not find now."""
        rows = self.db.execute("SELECT name FROM files WHERE name NOT IN (SELECT name FROM temp.seen)")
        return [name for (name,) in rows]

    def skipped(self, problems: Iterable[tuple[str, str]]) -> None:
        """The files the walk would not read (pipes, links out of the corpus...), and why."""
        self.db.execute("DELETE FROM skipped")
        self.db.executemany("INSERT INTO skipped VALUES (?, ?)", problems)

    def gone(self, names: Iterable[str]) -> None:
        self._replace({}, sorted(names))

    def files(self, read: Mapping[str, IndexedFile]) -> None:
        self._replace(read, sorted(read))

    def _replace(self, read: Mapping[str, IndexedFile], touched: list[str]) -> None:
        if not touched:
            return
        self.touched = True
        db = self.db
        before: dict[str, str] = {}
        for chunk in _chunks(touched):
            marks = ",".join("?" * len(chunk))
            before.update(db.execute(f"SELECT id, sha256 FROM articles WHERE file IN ({marks})", chunk))
            db.execute(f"DELETE FROM articles WHERE file IN ({marks})", chunk)
            db.execute(f"DELETE FROM files WHERE name IN ({marks})", chunk)
        after: dict[str, str] = {}
        for name in touched:
            indexed = read.get(name)
            if indexed is None:
                continue
            db.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (name, *indexed.stamp, indexed.encoding, indexed.unreadable, json.dumps(indexed.problems)),
            )
            if indexed.unreadable is not None:
                continue
            ids = record_ids(name, [(record.key, record.locator) for record in indexed.articles])
            rows = []
            for article_id, record in zip(ids, indexed.articles, strict=True):
                unique = _unclaimed(db, article_id, after)
                after[unique] = record.sha256
                rows.append(_article_row(unique, name, record, indexed.encoding))
            db.executemany("INSERT INTO articles VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._added += sum(1 for key in after if key not in before)
        self._removed += sum(1 for key in before if key not in after)
        self._changed += sum(1 for key, sha in after.items() if key in before and before[key] != sha)


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _article_row(article_id: str, name: str, record: ArticleRecord, encoding: str | None) -> tuple[Any, ...]:
    return (
        article_id,
        name,
        record.title,
        fold(record.title),
        record.title.casefold(),
        record.date,
        record.sha256,
        record.source,
        record.url,
        record.key,
        record.locator,
        encoding,
    )


def _unclaimed(db: sqlite3.Connection, article_id: str, taken: Mapping[str, str]) -> str:
    """``article_id``, or ``article_id~N`` in the contrived case that another file's article has
    it already (see :mod:`reader.corpus.identity`)."""

    def free(candidate: str) -> bool:
        return (
            candidate not in taken
            and db.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone() is None
        )

    if free(article_id):
        return article_id
    number = 2
    while not free(f"{article_id}~{number}"):
        number += 1
    return f"{article_id}~{number}"


def rebuild_orders(db: sqlite3.Connection) -> None:
    """The library's two orders and the title details, from the articles as they are now.

    Newest first (undated last), then by title (case aside), then by file order; by title, case and
    accents aside.
    """
    db.execute("DELETE FROM by_date")
    db.execute(
        "INSERT INTO by_date (row) SELECT row FROM articles ORDER BY coalesce(date, '') DESC, title_case, file, row"
    )
    db.execute("DELETE FROM by_title")
    db.execute("INSERT INTO by_title (row) SELECT row FROM articles ORDER BY title_fold, coalesce(date, '') DESC, row")
    db.execute("DELETE FROM details")
    shared = db.execute(
        "SELECT a.title_fold, a.id, a.file FROM articles a JOIN"
        " (SELECT title_fold FROM articles GROUP BY title_fold HAVING count(*) > 1) s ON s.title_fold = a.title_fold"
        " ORDER BY a.title_fold"
    ).fetchall()
    groups: dict[str, list[tuple[str, str]]] = {}
    for title_fold, article_id, file in shared:
        groups.setdefault(title_fold, []).append((article_id, file))
    details: list[tuple[str, str]] = []
    for group in groups.values():
        names = [file.rsplit("/", 1)[-1] for _, file in group]
        distinct = len(set(names)) == len(names)
        details.extend(
            (article_id, name if distinct else article_id) for (article_id, _), name in zip(group, names, strict=True)
        )
    db.executemany("INSERT INTO details VALUES (?, ?)", details)
