"""AnnotationStore: the one door to the TinyDB file that keeps a user's annotations.

Every change is written at once (there is no "save") as one transaction: under a cross-process
file lock, the file is read fresh, changed, and written back whole through
:class:`~annotations.storage.AtomicJSONStorage`, so a crash leaves either the old or the new
version and two processes never lose each other's changes. Reads need no lock, since the file is
only ever replaced whole. Annotation ids (uuid hex) are the TinyDB document ids, so two processes
never hand out the same id.

On open, stray temporaries of crashed writers are removed, an older layout is migrated (after a
copy of it is kept as ``<name>.v<N>.bak``) and a newer or damaged one is refused without a byte
of it being changed. Every failure reaches callers as :class:`StoreError`, whose message names
the file and says what to do.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from annotations import schema
from annotations.model import Annotation, ArticleRef, tag_key
from annotations.schema import ANNOTATIONS, ARTICLES, META, SCHEMA_DOC, SCHEMA_VERSION, LayoutError, NewerVersion
from annotations.storage import (
    AtomicJSONStorage,
    StoreDamaged,
    StoreWriteFailed,
    backup_path,
    fsync_folder,
    parse_tables,
    preserve_copy,
    replace_atomically,
)

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationStore",
    "StoreError",
    "backup_path",
    "damaged_message",
    "lock_path",
    "version_backup_path",
]

#: How long an operation waits for another process to finish with the store before giving up.
LOCK_TIMEOUT = 30.0
#: How often a waiting process retries the lock; short, because a write takes about a millisecond.
LOCK_POLL_INTERVAL = 0.002


class StoreError(Exception):
    """A store that cannot be used as it is; the message says which file and what to do.

    ``path`` is the store file; ``backup`` is set when the store is damaged and a backup exists,
    so that the app can offer :meth:`AnnotationStore.restore_backup`.
    """

    def __init__(self, message: str, *, path: Path | None = None, backup: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


def lock_path(path: Path) -> Path:
    """The lock file that writers of the store at ``path`` take turns on."""
    return path.with_name(path.name + ".lock")


def version_backup_path(path: Path, version: int) -> Path:
    """Where the store at ``path`` is kept as it was before its migration from ``version``."""
    return path.with_name(f"{path.name}.v{version}.bak")


def damaged_aside_path(path: Path) -> Path:
    """A new name beside ``path`` for a damaged store set aside when its backup is restored."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    count = 1
    while candidate.exists():
        count += 1
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{count}")
    return candidate


class StringIdTable(Table):
    """A TinyDB table keyed by our own string ids instead of a process-local counter."""

    document_id_class = str

    def _get_next_id(self) -> str:  # type: ignore[override]
        # Only reached by inserting a plain dict; a counter would race between processes.
        return uuid.uuid4().hex


class _StoreDB(TinyDB):
    table_class = StringIdTable


class AnnotationStore:
    """Annotations and the articles they belong to, kept in one TinyDB JSON file.

    Safe to share between threads and between processes. ``lock_timeout`` is how many seconds
    a change waits for other processes before failing with :class:`StoreError`.
    """

    def __init__(self, path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        #: Where :meth:`restore_backup` put the damaged file it replaced, if this store came from it.
        self.set_aside: Path | None = None
        self._threads = threading.RLock()
        self._lock = FileLock(str(lock_path(self.path)), timeout=lock_timeout, poll_interval=LOCK_POLL_INTERVAL)
        try:
            self._db = _StoreDB(self.path, storage=AtomicJSONStorage)
        except OSError as error:
            raise StoreError(unusable_message(self.path, error), path=self.path) from None
        self._storage = cast(AtomicJSONStorage, self._db.storage)
        with self._guarded(locked=True):
            self._storage.remove_stray_temporaries()
            with self._storage.transaction():
                self._open_layout()

    # -- lifecycle -------------------------------------------------------------------------

    def _open_layout(self) -> None:
        """Check the layout on open: create, migrate, accept or refuse (inside a transaction)."""
        tables = self._storage.read()
        if tables is None:
            self._storage.write(schema.new_tables())
            return
        version = schema.version_of(tables)
        if version > SCHEMA_VERSION:
            raise StoreError(newer_message(self.path, version), path=self.path)
        if version == SCHEMA_VERSION:
            schema.check(tables)
            return
        migrated = schema.migrate(tables, version)
        schema.check(migrated)
        # Keep the old version before anything is written (committed when the transaction ends).
        try:
            preserve_copy(self.path, version_backup_path(self.path, version))
            fsync_folder(self.path.parent)
        except OSError as error:
            raise StoreWriteFailed(self.path, error, replaced=False) from error
        self._storage.write(migrated)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @classmethod
    def restore_backup(cls, path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> AnnotationStore:
        """Put the last good version back in place of the store at ``path``, and open it.

        For a store that :class:`StoreError` reported damaged. The file being replaced is first
        copied aside as ``<name>.damaged-<UTC time>`` (kept in :attr:`set_aside`), so nothing is
        lost even if this is used on a healthy store. A backup that is damaged itself (or of a
        newer version) is refused, and then nothing is changed.
        """
        path = Path(path)
        backup = backup_path(path)
        lock = FileLock(str(lock_path(path)), timeout=lock_timeout, poll_interval=LOCK_POLL_INTERVAL)
        aside: Path | None = None
        try:
            with lock:
                try:
                    raw = backup.read_bytes()
                except FileNotFoundError:
                    raise StoreError(f"There is no backup of {path} (looked for {backup}).", path=path) from None
                _check_restorable(backup, raw)
                if path.exists():
                    aside = damaged_aside_path(path)
                    preserve_copy(path, aside)
                # Not keep_backup: the damaged file must not become the new backup.
                replace_atomically(path, raw)
        except Timeout:
            raise StoreError(busy_message(path, lock_timeout), path=path) from None
        except StoreWriteFailed as failure:
            raise StoreError(write_failed_message(failure), path=path) from None
        except OSError as error:
            raise StoreError(unusable_message(path, error), path=path) from None
        store = cls(path, lock_timeout=lock_timeout)
        store.set_aside = aside
        return store

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def _guarded(self, *, locked: bool) -> Iterator[None]:
        """One operation at a time in this process (and, if ``locked``, across processes), with
        every storage failure turned into a :class:`StoreError` that says what to do."""
        try:
            with self._threads:
                if locked:
                    with self._lock:
                        yield
                else:
                    yield
        except Timeout:
            raise StoreError(busy_message(self.path, self.lock_timeout), path=self.path) from None
        except StoreDamaged as damage:
            raise self._damaged(damage.reason) from None
        except LayoutError as error:
            raise self._damaged(str(error)) from None
        except NewerVersion as newer:
            raise StoreError(newer_message(self.path, newer.version), path=self.path) from None
        except StoreWriteFailed as failure:
            raise StoreError(write_failed_message(failure), path=self.path) from None
        except OSError as error:
            raise StoreError(unusable_message(self.path, error), path=self.path) from None

    def _damaged(self, reason: str) -> StoreError:
        backup = backup_path(self.path)
        return StoreError(
            damaged_message(self.path, reason),
            path=self.path,
            backup=backup if backup.exists() else None,
        )

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[None]:
        """A consistent view of the store for one operation; with ``write``, one atomic change.

        Changes are written when the block ends, under the lock; if it raises, nothing is.
        TinyDB's query caches are dropped first, since another process may have changed the file.
        """
        with self._guarded(locked=write), self._storage.transaction():
            for name in (ANNOTATIONS, ARTICLES, META):
                self._db.table(name).clear_cache()
            record = self._db.table(META).get(doc_id=SCHEMA_DOC)
            if record is None:
                # The file was removed while we had it open: start it again, as opening would.
                if write:
                    self._storage.write(schema.new_tables())
            else:
                # Another reader may have migrated (or someone edited) the file since it was opened.
                version = record.get("version")
                if isinstance(version, int) and version > SCHEMA_VERSION:
                    raise NewerVersion(version)
                if version != SCHEMA_VERSION:
                    raise LayoutError(f"its schema version changed to {version!r} while it was open")
            yield

    # -- writing ---------------------------------------------------------------------------

    def add(self, annotation: Annotation, article: ArticleRef | None = None) -> Annotation:
        """Keep a new annotation (and the article it belongs to, for exports)."""
        with self._transaction(write=True):
            self._db.table(ANNOTATIONS).insert(Document(annotation.to_record(), doc_id=annotation.id))
            if article is not None:
                self._db.table(ARTICLES).upsert(Document(article.to_record(), doc_id=article.id))
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        """Replace the stored annotation that has the same id."""
        with self._transaction(write=True):
            table = self._db.table(ANNOTATIONS)
            if not table.contains(doc_id=annotation.id):
                raise KeyError(annotation.id)
            table.upsert(Document(annotation.to_record(), doc_id=annotation.id))
        return annotation

    def delete(self, annotation_id: str) -> Annotation | None:
        """Remove an annotation; returns what was removed, so it can be restored."""
        with self._transaction(write=True):
            table = self._db.table(ANNOTATIONS)
            record = table.get(doc_id=annotation_id)
            if record is None:
                return None
            table.remove(doc_ids=[annotation_id])
        return Annotation.from_record(cast(Document, record))

    # -- reading ---------------------------------------------------------------------------

    def get(self, annotation_id: str) -> Annotation | None:
        with self._transaction(write=False):
            record = self._db.table(ANNOTATIONS).get(doc_id=annotation_id)
        return None if record is None else Annotation.from_record(cast(Document, record))

    def all(self) -> list[Annotation]:
        """Every annotation, by article then position."""
        with self._transaction(write=False):
            records = self._db.table(ANNOTATIONS).all()
        return sorted(map(Annotation.from_record, records), key=lambda a: (a.article_id, a.start, a.end))

    def for_article(self, article_id: str) -> list[Annotation]:
        """One article's annotations in text order."""
        return [annotation for annotation in self.all() if annotation.article_id == article_id]

    def articles(self) -> dict[str, ArticleRef]:
        """The articles that annotations were made on, by id."""
        with self._transaction(write=False):
            records = self._db.table(ARTICLES).all()
        return {record["id"]: ArticleRef.from_record(record) for record in records}

    def counts_by_article(self) -> Counter[str]:
        return Counter(annotation.article_id for annotation in self.all())

    def tag_counts(self) -> list[tuple[str, int]]:
        """Tags in use, most used first; tags equal but for case are counted as one."""
        counts: Counter[str] = Counter()
        spelling: dict[str, str] = {}
        for annotation in self.all():
            for tag in annotation.tags:
                counts[tag_key(tag)] += 1
                spelling.setdefault(tag_key(tag), tag)
        return [(spelling[key], count) for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _check_restorable(backup: Path, raw: bytes) -> None:
    """Refuse (with :class:`StoreError`) a backup that opening would refuse too."""
    try:
        tables = parse_tables(backup, raw)
        version = schema.version_of(tables)
        schema.check(schema.migrate(tables, version))
    except (StoreDamaged, LayoutError) as error:
        reason = error.reason if isinstance(error, StoreDamaged) else str(error)
        raise StoreError(
            f"The backup {backup} is damaged too: {reason}. Nothing was changed. "
            "Start a new store elsewhere with --db PATH.",
            path=backup,
        ) from None
    except NewerVersion as newer:
        raise StoreError(newer_message(backup, newer.version), path=backup) from None


# -- messages ------------------------------------------------------------------------------


def damaged_message(path: Path, reason: str) -> str:
    """What to tell the user about a damaged store, and where its backup is."""
    backup = backup_path(path)
    if backup.exists():
        hint = (
            f"The last good version is kept at {backup}; open that instead (the damaged file is "
            f"kept aside as {path.name}.damaged-<time>),"
        )
    else:
        hint = "There is no backup of it; move the damaged file aside"
    return (
        f"The annotation store {path} is damaged: {reason}. Nothing was written to it. "
        f"{hint} or start a new store elsewhere with --db PATH."
    )


def newer_message(path: Path, version: int) -> str:
    return (
        f"The annotation store {path} was written by a newer reader (store version {version}; this "
        f"one reads up to {SCHEMA_VERSION}). Upgrade reader to open it; the file was not changed."
    )


def busy_message(path: Path, timeout: float) -> str:
    return (
        f"The annotation store {path} is busy: another reader has been using it for over {timeout:g} s "
        f"(lock file {lock_path(path)}). Close other reader windows and try again."
    )


def write_failed_message(failure: StoreWriteFailed) -> str:
    reason = failure.error.strerror or str(failure.error)
    if failure.replaced:
        return (
            f"The change was written to {failure.path}, but the system could not confirm it is safely on "
            f"disk ({reason}). Check the disk before relying on it."
        )
    return (
        f"Could not save to the annotation store {failure.path}: {reason}. The change was not saved and "
        "the store is as it was. Free some disk space or check the folder's permissions, then try again."
    )


def unusable_message(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return (
        f"Could not use the annotation store {path}: {reason}. Check that its folder exists and that you "
        "may read and write there, or use another store with --db PATH."
    )
