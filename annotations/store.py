"""AnnotationStore: the one door to the TinyDB files that keep a user's annotations.

The store the user names (``--db PATH``) is a small manifest file and a folder beside it with one
TinyDB file (a *shard*) per article and an index journal (see :mod:`annotations.layout`), so that
a change rewrites one article's small file, whatever the size of the store.

Every change is written at once (there is no "save") as one transaction under a cross-process
file lock: the journal is brought up to date, a summary of the article's new state is appended
to it, then the article's shard is replaced atomically (keeping its previous version as a
backup). The journal line goes first so that a crash between the two leaves a journal that says
*more* than the shards, never less; only the journal's last line can be in that state, and it is
checked against its shard's digest by whoever reads it next, who (under the lock) journals what
the shard really holds.
The shards are the truth, the journal is derived from them: it is rebuilt from the shards if it
is missing or damaged. Reads need no lock, since every file is only ever replaced whole or
appended to.

In memory, each store keeps the index built from the journal (:class:`~annotations.index.Index`)
and the articles it has read, each valid while the journal says its shard has not changed; the
journal is followed by offset, so seeing another process's changes costs one ``fstat`` when there
are none. Opening reads only the manifest, so it takes as long on 100,000 annotations as on none;
the index is loaded on first use.

On open, stray temporaries of crashed writers are removed, an older layout is migrated (after a
copy of it is kept as ``<name>.v<N>.bak``) and a newer or damaged one is refused without a byte
of it being changed. A damaged shard is reported when it is read, and so is a missing one that the
rest of the store (the journal, its backup) says should be there; a journal that lost lines is
put right from the shards when the index is loaded (:mod:`annotations.recovery`). A store opened
``read_only`` never writes or locks. Every failure reaches callers as :class:`StoreError`, whose
message names the file and says what to do.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import cast

from filelock import FileLock, Timeout
from tinydb.table import Document

from annotations import layout, recovery, schema, shards
from annotations.index import Index
from annotations.journal import Journal, JournalDamaged, JournalReplaced, Summary, gc_paused, new_journal_bytes
from annotations.layout import lock_path, version_backup_path
from annotations.locking import StoreLock, WaitNotice
from annotations.model import Annotation, ArticleRef, check_passage
from annotations.recovery import RestoreRefused, aside_path
from annotations.schema import ANNOTATIONS, ARTICLES, SCHEMA_VERSION, LayoutError, NewerVersion, Tables
from annotations.shards import Shard, ShardDB
from annotations.storage import (
    StoreDamaged,
    StoreWriteFailed,
    backup_path,
    fsync_folder,
    parse_tables,
    preserve_copy,
    remove_stray_temporaries,
    remove_temporaries_in,
    replace_atomically,
    serialise,
    temporary_path,
    write_new_file,
)

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationStore",
    "ChangedElsewhere",
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
#: The journal is compacted (rewritten with one line per article) once it holds more than twice
#: as many lines as there are articles, plus this many: rarely, and never on a small store.
COMPACT_SLACK = 1000
#: ... or once its bytes are more than twice those of its live lines, plus this many.
COMPACT_BYTES = 1 << 20
#: Articles read are kept in memory until they hold this many annotations in all; then the
#: memory is emptied and filled again as articles are read.
CACHE_LIMIT = 250_000

_ManifestId = tuple[int, int, int, int]


class StoreError(Exception):
    """A store that cannot be used as it is; the message says which file and what to do.

    ``path`` is the store (the file the user named); ``backup`` is set when a file of the store
    is damaged and a backup of that file exists, so that the app can offer
    :meth:`AnnotationStore.restore_backup`. ``written`` is true when the change that failed is
    nevertheless in place (only confirming it on disk failed), so that whoever records changes
    (the undo history) records it. ``damaged`` is the file of the store found damaged or
    missing, if that is the problem: then the app offers the same choices wherever it is met.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        backup: Path | None = None,
        written: bool = False,
        damaged: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
        self.written = written
        self.damaged = damaged


class StoreMissing(StoreError):
    """No store at the path given (no manifest, no backup of it, no folder): nothing to read."""


class StoreNeedsUpgrade(StoreError):
    """A store of an older version opened read-only: it can only be read once migrated (a write)."""


class ChangedElsewhere(StoreError):
    """A change refused because the annotation it replaces is no longer what the caller read:
    another window or process changed or deleted it since. Nothing was written for it."""


def damaged_aside_path(path: Path) -> Path:
    """A new name beside ``path`` for a damaged file set aside when its backup is restored."""
    return aside_path(path, "damaged")


class AnnotationStore:
    """Annotations and the articles they belong to, kept in a manifest file and one file per article.

    Safe to share between threads and between processes. ``lock_timeout`` is how many seconds
    a change waits for other processes before failing with :class:`StoreError`.

    With ``read_only``, the store is only read (for commands that export or count, and for a
    store on a read-only disk): it must exist (else :class:`StoreMissing`), nothing is created,
    written or locked, and what would need writing (a journal to rebuild or correct) is done in
    memory only. Every change raises ``PermissionError``.
    """

    def __init__(self, path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT, read_only: bool = False) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        #: What was found wrong with the store's files and was recovered from, in words, for the
        #: user to be told (a lost manifest given back, a journal behind its article files...).
        self.notices: list[str] = []
        #: The journal is missing, damaged or behind the article files and this store could not
        #: write it yet: the index in memory is the truth, and the next change rewrites the journal.
        self._journal_stale = False
        #: A read-only store whose journal is missing or damaged: its index was built from the files.
        self._journal_unusable = False
        #: Whether the index was compared with the article files on disk since it was loaded.
        self._disk_checked = False
        #: The journal's live size (one line per article) when last measured, for compaction.
        self._live_bytes = 0
        #: Where :meth:`restore_backup` put the (first) damaged file it replaced, if this store came from it.
        self.set_aside: Path | None = None
        #: Every damaged file :meth:`restore_backup` set aside, if this store came from it.
        self.set_aside_files: tuple[Path, ...] = ()
        self._threads = threading.RLock()
        #: The cross-process lock: only writers wait for it (see :mod:`annotations.locking`).
        self._lock = StoreLock(self.path, lock_path(self.path), lock_timeout)
        self._scratch = layout.scratch_folder(self.path)
        self._journal = Journal(layout.journal_path(self.path), self._scratch)
        #: The index built from the journal; ``None`` until first needed.
        self._index: Index | None = None
        #: The journal's last line as far as read, and whether its shard was found to agree.
        self._tail: Summary | None = None
        self._tail_checked = True
        #: Whether the index holds what the last line's file held instead of the line (a writer
        #: was between the two, see :meth:`_read_tail_shard`).
        self._tail_provisional = False
        #: A correction of the journal's last line that could not be written yet (disk full).
        self._unjournaled: Summary | None = None
        self._cache: dict[str, Shard] = {}
        self._cached_annotations = 0
        self._manifest_id: _ManifestId | None = None
        if read_only:
            with self._guarded(locked=False):
                self._open_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(unusable_message(self.path, error), path=self.path) from None
        with self._guarded(locked=False):
            with self._lock.try_hold() as held:
                if held:
                    self._open_locked()
                    return
            # Another process is writing (or is suspended mid-write): a store that needs no
            # writing to open is opened without the lock, so that reading never waits for it.
            if not self._open_layout(locked=False):
                with self._lock.hold():
                    self._open_locked()

    @property
    def on_lock_wait(self) -> WaitNotice | None:
        """Called (from the writing thread, with the store's path) when a change must wait for
        another process that holds the store's lock; the app says so instead of looking frozen."""
        return self._lock.on_wait

    @on_lock_wait.setter
    def on_lock_wait(self, notice: WaitNotice | None) -> None:
        self._lock.on_wait = notice

    # -- lifecycle -------------------------------------------------------------------------

    def _open_locked(self) -> None:
        """Open under the lock: tidy after crashed writers, then check the layout."""
        remove_stray_temporaries(self.path)
        remove_temporaries_in(self._scratch)
        self._open_layout()

    def _open_layout(self, *, locked: bool = True) -> bool:
        """Check the layout on open: create, migrate, accept or refuse (under the lock). Without
        the lock, only a store that needs no writing is accepted: false if it needs some."""
        tables, identity = self._read_manifest()
        if tables is None:
            if not locked:
                return False
            if layout.folder(self.path).is_dir():
                self.notices.append(recovery.lost_manifest_message(self.path, given_back=True))
            self._create()
            return True
        version = schema.version_of(tables)
        if version > SCHEMA_VERSION:
            raise NewerVersion(version)
        if version < SCHEMA_VERSION:
            if not locked:
                return False
            self._migrate(tables, version)
            return True
        schema.check_manifest(tables)
        if not layout.folder(self.path).is_dir():
            raise StoreError(missing_folder_message(self.path), path=self.path)
        self._scratch.mkdir(exist_ok=True)
        self._manifest_id = identity
        return True

    def _open_read_only(self) -> None:
        """Check the layout on open without writing anything: accept, or refuse with the reason."""
        tables, identity = self._read_manifest()
        folder = layout.folder(self.path)
        if tables is None:
            if not folder.is_dir():
                if identity is None and not backup_path(self.path).exists():
                    raise StoreMissing(recovery.missing_store_message(self.path), path=self.path)
                raise StoreError(missing_folder_message(self.path), path=self.path)
            self.notices.append(recovery.lost_manifest_message(self.path, given_back=False))
            return
        version = schema.version_of(tables)
        if version > SCHEMA_VERSION:
            raise NewerVersion(version)
        if version < SCHEMA_VERSION:
            raise StoreNeedsUpgrade(recovery.older_read_only_message(self.path, version), path=self.path)
        schema.check_manifest(tables)
        if not folder.is_dir():
            raise StoreError(missing_folder_message(self.path), path=self.path)
        self._manifest_id = identity

    def _read_manifest(self) -> tuple[Tables | None, _ManifestId | None]:
        """The manifest's tables (``None`` for no store yet) and what identifies its version on disk."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None, None
        try:
            status = os.fstat(fd)
            raw = _read_all(fd)
        finally:
            os.close(fd)
        identity = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
        if not raw.strip():
            # Empty: a new store, unless there is a backup (then it is a store that lost its content).
            if backup_path(self.path).exists():
                raise StoreDamaged(self.path, "the file is empty")
            return None, identity
        return parse_tables(self.path, raw), identity

    def _create(self) -> None:
        """Make a new store, or give a manifest back to a folder that lost it (under the lock)."""
        layout.shards_folder(self.path).mkdir(parents=True, exist_ok=True)
        self._scratch.mkdir(exist_ok=True)
        if not self._journal.path.exists():
            self._journal.rewrite(_scan_shards(self.path))
        self._write_manifest()

    def _write_manifest(self) -> None:
        """Write the manifest of the current version, its copy first (restored from if it is damaged)."""
        raw = serialise(schema.manifest())
        replace_atomically(backup_path(self.path), raw)
        replace_atomically(self.path, raw)
        status = os.stat(self.path)
        self._manifest_id = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)

    def _migrate(self, tables: Tables, version: int) -> None:
        """Bring an older store up to date: keep a copy, build the folder aside, then switch to it."""
        migrated = schema.migrate(tables, version)
        schema.check(migrated)
        try:
            preserve_copy(self.path, version_backup_path(self.path, version))
            fsync_folder(self.path.parent)
            staging = temporary_path(layout.folder(self.path))  # a stray if this process dies
            try:
                _write_folder(staging, migrated)
                folder = layout.folder(self.path)
                if folder.exists():
                    # Left by a migration that died before its manifest was written, or put here by
                    # hand: never deleted, only moved out of the way.
                    os.rename(folder, aside_path(folder, "before-migration"))
                os.rename(staging, folder)
            except BaseException:
                remove_stray_temporaries(self.path)
                raise
            fsync_folder(self.path.parent)
        except OSError as error:
            raise StoreWriteFailed(self.path, error, replaced=False) from error
        self._write_manifest()

    def close(self) -> None:
        """Let go of what this store keeps in memory (files are never held open)."""
        with self._threads:
            self._index, self._cache, self._cached_annotations = None, {}, 0
            self._journal.reset()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @classmethod
    def restore_backup(cls, path: str | Path, *, lock_timeout: float = LOCK_TIMEOUT) -> AnnotationStore:
        """Put the last good version of every damaged file of the store at ``path`` back, and open it.

        For a store that :class:`StoreError` reported damaged: the manifest, if it is damaged, is
        restored from its copy, and each damaged article file from its previous version. Each file
        replaced is first copied aside as ``<name>.damaged-<UTC time>`` (listed in
        :attr:`set_aside_files`). A backup that is damaged itself (or of a newer version) is
        refused, and then nothing is changed. On a store with nothing damaged, nothing changes.
        """
        path = Path(path)
        lock = FileLock(str(lock_path(path)), timeout=lock_timeout, poll_interval=LOCK_POLL_INTERVAL)
        try:
            with lock:
                aside = recovery.restore_damaged_files(path)
        except Timeout:
            raise StoreError(busy_message(path, lock_timeout), path=path) from None
        except RestoreRefused as refused:
            raise StoreError(str(refused), path=refused.path) from None
        except NewerVersion as newer:
            raise StoreError(newer_message(path, newer.version), path=path) from None
        except StoreWriteFailed as failure:
            raise StoreError(write_failed_message(path, failure), path=path) from None
        except OSError as error:
            raise StoreError(unusable_message(path, error), path=path) from None
        store = cls(path, lock_timeout=lock_timeout)
        store.set_aside = aside[0] if aside else None
        store.set_aside_files = tuple(aside)
        return store

    def check(self) -> None:
        """Look for damaged and missing article files without reading every one, and raise the
        :class:`StoreError` (naming the file and its backup) that reading the first would raise.

        It lists the store's folder, takes one ``stat`` a file (about 0.1 s for 10,000 articles)
        and reads only the files whose size the index does not expect (a damaged file is almost
        always cut short); what the journal lost on the way is put right as on loading the index.
        """
        with self._reading():
            index = self._current_index(locked=False)
            if not self._catch_up_with_disk(index, locked=self.read_only, thorough=True):
                with self._lock.hold():
                    index = self._current_index(locked=True)
                    self._catch_up_with_disk(index, locked=True, thorough=True)
            found = recovery.compare_with_disk(self.path, index, thorough=True)
            for article_id, file in found.missing.items():
                raise StoreDamaged(file, recovery.missing_reason(index.summary(article_id)))
            for file in found.behind:
                with suppress(FileNotFoundError):
                    recovery.summary_of_file(file)

    def restore_damaged(self) -> tuple[Path, ...]:
        """:meth:`restore_backup` on this open store: every damaged or missing file of it is put
        back from its backup (each damaged one set aside first); returns where they were set aside."""
        with self._guarded(locked=True):
            aside = tuple(recovery.restore_damaged_files(self.path))
            self._index, self._cache, self._cached_annotations = None, {}, 0
            self._journal.reset()
            self._tail, self._tail_checked, self._unjournaled = None, True, None
            self._journal_stale = False
            self._manifest_id = None
        self.set_aside_files += aside
        if self.set_aside is None and aside:
            self.set_aside = aside[0]
        return aside

    # -- guarding --------------------------------------------------------------------------

    @contextmanager
    def _guarded(self, *, locked: bool) -> Iterator[None]:
        """One operation at a time in this process (and, if ``locked``, across processes), with
        every storage failure turned into a :class:`StoreError` that says what to do."""
        if locked and self.read_only:
            raise PermissionError(f"the annotation store {self.path} was opened read-only")
        try:
            with self._threads:
                if locked:
                    with self._lock.hold():
                        yield
                else:
                    yield
        except Timeout:
            raise StoreError(busy_message(self.path, self.lock_timeout), path=self.path) from None
        except StoreDamaged as damage:
            raise self._damaged(damage.path, damage.reason) from None
        except LayoutError as error:
            raise self._damaged(self.path, str(error)) from None
        except NewerVersion as newer:
            raise StoreError(newer_message(self.path, newer.version), path=self.path) from None
        except RestoreRefused as refused:
            raise StoreError(str(refused), path=refused.path) from None
        except StoreWriteFailed as failure:
            raise StoreError(
                write_failed_message(self.path, failure), path=self.path, written=failure.replaced
            ) from None
        except OSError as error:
            raise StoreError(unusable_message(self.path, error), path=self.path) from None

    def _damaged(self, file: Path, reason: str) -> StoreError:
        backup = backup_path(file)
        return StoreError(
            damaged_message(self.path, reason, file),
            path=self.path,
            backup=backup if backup.exists() else None,
            damaged=file,
        )

    def _check_manifest(self, *, write: bool) -> None:
        """Make sure the manifest is still of this version (another reader may have migrated it, or
        someone damaged it, while this store was open); costs a ``stat`` when it did not change."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            if write:  # removed while open: give it back, as opening would
                self._create()
            return
        if (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) == self._manifest_id:
            return
        tables, identity = self._read_manifest()
        if tables is None:
            if write:
                self._create()
            return
        version = schema.version_of(tables)
        if version > SCHEMA_VERSION:
            raise NewerVersion(version)
        if version != SCHEMA_VERSION:
            raise LayoutError(f"its schema version changed to {version!r} while it was open")
        self._manifest_id = identity

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._guarded(locked=False):
            self._check_manifest(write=False)
            yield

    # -- the index -------------------------------------------------------------------------

    def _current_index(self, *, locked: bool) -> Index:
        """The index, caught up with the journal, whose last line agrees with its shard.

        Without the lock this only reads; a problem that needs writing (a journal to rebuild, a
        last line to correct) takes the lock, so that reading needs no lock in the normal case.
        A torn last line is passed over and dropped by the next change (a read never fails for
        want of disk space). When the index is loaded, it is compared with the article files on
        disk (:mod:`annotations.recovery`), so that a journal that lost lines is noticed.
        A read-only store never locks and corrects what it finds in memory only.
        """
        if self._journal_unusable and self._index is not None:
            return self._index  # read-only, built from the article files: nothing to follow
        try:
            if self._index is None:
                self._tail_provisional = False
                self._disk_checked = False
                self._journal.reset()
                new = self._journal.follow()
                with gc_paused():
                    self._index = Index(new)
            else:
                new = self._journal.follow()
                if new and self._tail_provisional and self._tail is not None:
                    # Lines after it: its writer finished (or a later one corrected it).
                    self._index.apply(self._tail)
                for summary in new:
                    self._index.apply(summary)
        except JournalReplaced:
            self._index = None  # rewritten whole by another process: read it afresh
            return self._current_index(locked=locked)
        except (FileNotFoundError, JournalDamaged, ValueError) as problem:
            self._index = None
            if not locked and not self.read_only:
                with self._lock.hold():
                    return self._current_index(locked=True)
            return self._rebuild_journal(problem)
        index = self._index
        if new:
            self._tail, self._tail_checked, self._tail_provisional = new[-1], False, False
        if not self._settle_tail(locked=locked or self.read_only):
            with self._lock.try_hold() as held:
                if held:
                    return self._current_index(locked=True)
            # A writer holds the lock between its journal line and its article file (maybe
            # suspended there): read the file as it is, as if that line were not written yet.
            self._read_tail_shard()
        if not self._disk_checked:
            if self._catch_up_with_disk(index, locked=locked or self.read_only, thorough=self.read_only):
                self._disk_checked = True
            else:
                # Something disagrees and another writer may be at work: look again under the
                # lock if it is free; else read as things are and look again on the next read.
                with self._lock.try_hold() as held:
                    if held:
                        self._index = None
                        return self._current_index(locked=True)
        if locked and not self._journal.torn:  # never append after torn bytes: a change rewrites it
            with suppress(StoreWriteFailed):
                self._journal_pending_correction()
        return index

    def _settle_tail(self, *, locked: bool) -> bool:
        """Check the journal's last line against its shard; if it says more than the shard holds,
        put the truth in the index and mark it to be journaled (which needs the lock).

        Returns false if the line disagrees and this does not hold the lock: the writer may be
        between journal and shard right now, or may have died there, and only the lock tells which.
        """
        tail, index = self._tail, self._index
        assert index is not None
        if self._tail_checked or tail is None:
            self._tail_checked = True
            return True
        path = layout.shard_path(self.path, tail.article_id)
        raw = shards.read_bytes(path)
        if shards.digest(raw) == tail.digest and self._tail_provisional:
            index.apply(tail)  # the writer finished: its line is true now
            self._tail_provisional = False
        if shards.digest(raw) != tail.digest:
            if not locked:
                return False
            try:
                tables = None if raw is None else shards.parse(path, raw, tail.article_id)
            except StoreDamaged:
                tables = None  # reported when the article is read; nothing better to say here
            else:
                if raw is None and backup_path(path).exists():
                    # Not a writer that died creating it (a file with a backup was written
                    # before): the file was lost. Keep the claim, so that reading it says so.
                    self._tail_checked = True
                    return True
                truth = shards.summarise(tail.article_id, tables, shards.digest(raw), None if raw is None else len(raw))
                index.apply(truth)
                self._tail = self._unjournaled = truth
        self._tail_checked, self._tail_provisional = True, False
        return True

    def _read_tail_shard(self) -> None:
        """Put in the index what the journal's last line's article file holds now, without the
        lock; the line is checked again on the next read (see :meth:`_settle_tail`)."""
        tail, index = self._tail, self._index
        assert tail is not None and index is not None
        path = layout.shard_path(self.path, tail.article_id)
        raw = shards.read_bytes(path)
        try:
            tables = None if raw is None else shards.parse(path, raw, tail.article_id)
        except StoreDamaged:
            return  # reported when the article is read
        index.apply(shards.summarise(tail.article_id, tables, shards.digest(raw)))
        self._tail_provisional = True

    def _journal_pending_correction(self) -> None:
        """Write a correction of the journal's last line that could not be written before."""
        if self._unjournaled is not None:
            self._journal.append(self._unjournaled)
            self._unjournaled = None

    def _rebuild_journal(self, problem: Exception) -> Index:
        """Build the index again from the shards: written as the journal (under the lock; a damaged
        one is kept aside), or, in a read-only store, kept in memory."""
        journal = self._journal.path
        summaries = _scan_shards(self.path)
        what = "missing" if isinstance(problem, FileNotFoundError) else "damaged"
        if self.read_only:
            self._journal_unusable = True
            self.notices.append(
                f"The index journal {journal} is {what}; the annotations were read from the article files "
                "(it will be rebuilt the next time reader changes the store)."
            )
        else:
            if isinstance(problem, (JournalDamaged, ValueError)) and journal.exists():
                os.rename(journal, damaged_aside_path(journal))
            self._journal.rewrite(summaries)
            self.notices.append(f"The index journal {journal} was {what}; it was rebuilt from the article files.")
        with gc_paused():
            self._index = Index(summaries)
        self._tail, self._tail_checked, self._unjournaled, self._tail_provisional = None, True, None, False
        self._cache, self._cached_annotations = {}, 0
        self._catch_up_with_disk(self._index, locked=True, thorough=False)
        self._disk_checked = True
        return self._index

    def _catch_up_with_disk(self, index: Index, *, locked: bool, thorough: bool) -> bool:
        """Correct ``index`` from the article files if the journal is behind them (it lost lines),
        and learn the articles whose file is gone but whose backup is there (reading them then
        says so). Returns false if something disagrees and this does not hold the lock (a writer
        may be between journal and file): look again under it. Says what it found in :attr:`notices`.

        Unless ``thorough``, only a quick look (:func:`~annotations.recovery.looks_different`)
        decides whether to compare at all: loading the index stays as fast on a big store, and a
        journal that lost only later lines of articles it still names waits for :meth:`check`
        (or a read-only store, as the commands that export and count use, which is thorough).
        """
        found = recovery.compare_with_disk(self.path, index, thorough=thorough)
        if not found.behind and not found.orphaned_backups:
            return True
        if not locked:
            return False
        corrected = recovery.correct_index(index, found)
        if not corrected:
            return True
        self._cache, self._cached_annotations = {}, 0
        rewritten = False
        if not self.read_only:
            with suppress(StoreWriteFailed):
                self._journal.rewrite(index.summaries())
                rewritten, self._unjournaled = True, None
        self._journal_stale = not rewritten
        self.notices.append(recovery.journal_behind_message(self._journal.path, corrected, rewritten=rewritten))
        return True

    def _shard(self, article_id: str, index: Index | None) -> Shard:
        """An article's annotations: from memory if the journal says its shard has not changed.

        A file that is not there although the index says it was written is reported missing
        (:class:`StoreDamaged`), never read as an article without annotations.
        """
        if index is None:
            shard = shards.load(layout.shard_path(self.path, article_id), article_id)
            if shard.digest is not None:
                return shard
            index = self._current_index(locked=False)  # no file: is one expected?
        summary = index.summary(article_id)
        expected = None if summary is None else summary.digest
        cached = self._cache.get(article_id)
        if cached is not None and cached.digest == expected:
            return cached
        shard = shards.load(layout.shard_path(self.path, article_id), article_id)
        if shard.digest is None and expected is not None:
            raise StoreDamaged(layout.shard_path(self.path, article_id), recovery.missing_reason(summary))
        if expected is not None and shard.digest == expected:
            if self._cached_annotations > CACHE_LIMIT:
                self._cache, self._cached_annotations = {}, 0
            self._cache[article_id] = shard
            self._cached_annotations += len(shard.annotations)
        return shard

    # -- writing ---------------------------------------------------------------------------

    def _change(self, article_id: str, body: Callable[[ShardDB, Index], None]) -> None:
        """Change one article's shard as one transaction: journal first, then the shard."""
        with self._guarded(locked=True):
            self._check_manifest(write=True)
            index = self._current_index(locked=True)
            if self._journal.torn or self._journal_stale or self._should_compact(index):
                # A torn last line (a crash, a full disk) is dropped, never appended after; a
                # journal behind the files, or mostly superseded lines, is written afresh.
                self._journal.rewrite(index.summaries())
                self._unjournaled, self._journal_stale = None, False
                self._live_bytes = self._journal.size
            self._journal_pending_correction()
            path = layout.shard_path(self.path, article_id)
            summary = index.summary(article_id)
            if summary is not None and summary.digest is not None and not path.exists():
                raise StoreDamaged(path, recovery.missing_reason(summary))  # never start it again empty
            journaled: list[Summary] = []

            def journal(summary: Summary) -> None:
                self._journal.append(summary)
                journaled.append(summary)

            try:
                shards.change(path, article_id, self._scratch, lambda db: body(db, index), journal)
            except BaseException as failure:
                if journaled:
                    index.apply(journaled[0])
                    self._tail = journaled[0]
                    # Unless the new shard is in place after all, the journal says too much: correct it.
                    self._tail_checked = isinstance(failure, StoreWriteFailed) and failure.replaced
                    with suppress(Exception):
                        self._settle_tail(locked=True)
                        self._journal_pending_correction()
                raise
            finally:
                self._cache.pop(article_id, None)
            if journaled:
                index.apply(journaled[0])
                self._tail, self._tail_checked = journaled[0], True

    def _should_compact(self, index: Index) -> bool:
        """Whether the journal has grown well past its live lines (one per article): in lines, or
        in bytes (an article with thousands of annotations makes every line of it large).
        Measuring the live bytes serialises the index, so it is done only when the journal has
        grown by :data:`COMPACT_BYTES` past twice the last measure."""
        if self._journal.lines > 2 * len(index) + COMPACT_SLACK:
            return True
        if self._journal.size <= 2 * self._live_bytes + COMPACT_BYTES:
            return False
        self._live_bytes = sum(len(summary.line()) for summary in index.summaries())
        return self._journal.size > 2 * self._live_bytes + COMPACT_BYTES

    def add(self, annotation: Annotation, article: ArticleRef | None = None) -> Annotation:
        """Keep a new annotation (and the article it belongs to, for exports).

        ``ValueError`` if an annotation with its id is already kept, if its passage is empty
        (:class:`~annotations.model.EmptyPassage`), or if ``article`` is not the annotation's
        article; nothing is written then.
        """
        check_passage(annotation.start, annotation.end)
        if article is not None and article.id != annotation.article_id:
            raise ValueError(f"article {article.id!r} is not the article of the annotation ({annotation.article_id!r})")

        def body(db: ShardDB, index: Index) -> None:
            if index.article_of(annotation.id) is not None:
                raise ValueError(f"an annotation with id {annotation.id} is already in the store")
            db.table(ANNOTATIONS).insert(Document(annotation.to_record(), doc_id=annotation.id))
            if article is not None:
                db.table(ARTICLES).upsert(Document(article.to_record(), doc_id=article.id))

        self._change(annotation.article_id, body)
        return annotation

    def add_new(
        self, annotations: list[Annotation], articles: Mapping[str, ArticleRef] | None = None
    ) -> Iterator[list[Annotation]]:
        """Keep those of ``annotations`` whose id is not kept yet (with their articles, from
        ``articles``): each article's in one transaction, articles in the order they first appear.
        Yields, after each article is written, the annotations added to it; an id given twice
        is added once. For imports: one write per article, not one per annotation.
        :class:`~annotations.model.EmptyPassage` before anything is written if any passage is empty."""
        for annotation in annotations:
            check_passage(annotation.start, annotation.end)
        groups: dict[str, list[Annotation]] = {}
        for annotation in annotations:
            groups.setdefault(annotation.article_id, []).append(annotation)
        for article_id, group in groups.items():
            added: list[Annotation] = []
            ref = None if articles is None else articles.get(article_id)

            def body(db: ShardDB, index: Index, group: list[Annotation] = group, added: list[Annotation] = added) -> None:
                added.clear()
                table = db.table(ANNOTATIONS)
                kept = {str(document.doc_id) for document in table.all()}  # one read of the file
                for annotation in group:
                    if index.article_of(annotation.id) is None and annotation.id not in kept:
                        kept.add(annotation.id)
                        added.append(annotation)
                if added:
                    table.insert_multiple(Document(a.to_record(), doc_id=a.id) for a in added)
                if added and ref is not None:
                    db.table(ARTICLES).upsert(Document(ref.to_record(), doc_id=ref.id))

            self._change(article_id, body)
            yield list(added)

    def update(self, annotation: Annotation, expected: Annotation | None = None) -> Annotation:
        """Replace the stored annotation that has the same id (``KeyError`` if there is none).

        With ``expected`` (the annotation as the caller read it), the stored one must still be
        exactly that, checked under the lock: else :class:`ChangedElsewhere` (also if it was
        deleted since) and nothing is written. An annotation stays with its article:
        ``ValueError`` if the stored one has another.
        """
        self.update_many([annotation], None if expected is None else [expected])
        return annotation

    def update_many(
        self,
        annotations: list[Annotation],
        expected: list[Annotation] | None = None,
        *,
        skip_changed: bool = False,
        on_article: Callable[[list[Annotation], list[Annotation]], None] | None = None,
    ) -> list[Annotation]:
        """Replace many stored annotations: each article's in one transaction (one shard written),
        articles in the order they first appear. Returns the annotations written.

        ``expected[i]``, if given, is ``annotations[i]`` as the caller read it, checked as by
        :meth:`update`: a difference raises :class:`ChangedElsewhere` for the article (nothing of
        it written), or with ``skip_changed`` leaves out just the annotations that differ (or
        are gone) and writes the rest. Articles are written one after the other: if one fails,
        those before it stay written, and ``on_article(written, left_out)``, called after each
        article's transaction (and after one that failed but is in place anyway, see
        :attr:`StoreError.written`), has said which.
        """
        if expected is not None and len(expected) != len(annotations):
            raise ValueError("expected must hold one annotation for each annotation to write")
        groups: dict[str, list[tuple[Annotation, Annotation | None]]] = {}
        for position, annotation in enumerate(annotations):
            old = None if expected is None else expected[position]
            if old is not None and old.id != annotation.id:
                raise ValueError(f"expected annotation {old.id} is not annotation {annotation.id}")
            groups.setdefault(annotation.article_id, []).append((annotation, old))
        written: list[Annotation] = []
        for article_id, group in groups.items():
            chosen: list[Annotation] = []
            left: list[Annotation] = []

            def body(
                db: ShardDB,
                index: Index,
                group: list[tuple[Annotation, Annotation | None]] = group,
                chosen: list[Annotation] = chosen,
                left: list[Annotation] = left,
            ) -> None:
                chosen.clear()
                left.clear()
                table = db.table(ANNOTATIONS)
                for new, old in group:
                    stored = table.get(doc_id=new.id)
                    if stored is None and index.article_of(new.id) is not None and not skip_changed:
                        raise ValueError(f"annotation {new.id} belongs to another article")
                    if stored is None and old is None:
                        raise KeyError(new.id)
                    if old is not None and (stored is None or not _same(cast(Document, stored), old)):
                        if skip_changed:
                            left.append(new)
                            continue
                        raise ChangedElsewhere(
                            changed_elsewhere_message(old, deleted=stored is None, written_before=len(written)),
                            path=self.path,
                        )
                    chosen.append(new)
                for new in chosen:
                    table.upsert(Document(new.to_record(), doc_id=new.id))

            try:
                self._change(article_id, body)
            except StoreError as error:
                if error.written and on_article is not None:
                    on_article(list(chosen), list(left))
                raise
            written.extend(chosen)
            if on_article is not None:
                on_article(list(chosen), list(left))
        return written

    def delete(self, annotation_id: str, expected: Annotation | None = None) -> Annotation | None:
        """Remove an annotation; returns what was removed, so it can be restored (``None`` if
        there was none to remove).

        With ``expected`` (the annotation as the caller read it), the stored one must still be
        exactly that: else :class:`ChangedElsewhere` and nothing is removed.
        """
        if expected is not None and expected.id != annotation_id:
            raise ValueError(f"expected annotation {expected.id} is not annotation {annotation_id}")
        removed: list[Annotation] = []

        def body(db: ShardDB, index: Index) -> None:
            table = db.table(ANNOTATIONS)
            record = table.get(doc_id=annotation_id)
            if record is not None:
                if expected is not None and not _same(cast(Document, record), expected):
                    raise ChangedElsewhere(changed_elsewhere_message(expected, deleted=False), path=self.path)
                table.remove(doc_ids=[annotation_id])
                removed.append(Annotation.from_record(cast(Document, record)))

        with self._guarded(locked=True):
            self._check_manifest(write=True)
            article_id = self._current_index(locked=True).article_of(annotation_id)
            if article_id is None:
                return None
            self._change(article_id, body)
        return removed[0] if removed else None

    # -- reading ---------------------------------------------------------------------------

    def get(self, annotation_id: str) -> Annotation | None:
        with self._reading():
            index = self._current_index(locked=False)
            article_id = index.article_of(annotation_id)
            return None if article_id is None else self._shard(article_id, index).get(annotation_id)

    def all(self) -> list[Annotation]:
        """Every annotation, by article then position (reads every article: slow on a big store)."""
        with self._reading():
            index = self._current_index(locked=False)
            return [
                annotation
                for article_id in index.annotated_articles()
                for annotation in self._shard(article_id, index).annotations
            ]

    def for_article(self, article_id: str) -> list[Annotation]:
        """One article's annotations in text order (reads that article's file only)."""
        with self._reading():
            index = None if self._index is None else self._current_index(locked=False)
            return list(self._shard(article_id, index).annotations)

    def passages_with_tag(self, tag: str) -> list[Annotation]:
        """Every annotation tagged ``tag`` (compared by :func:`~annotations.model.tag_key`), by
        article then position; reads only the articles that have such passages."""
        with self._reading():
            index = self._current_index(locked=False)
            key = index.key(tag)
            return [
                annotation
                for article_id in index.articles_with_tag(tag)
                for annotation in self._shard(article_id, index).with_tag(key)
            ]

    def articles(self) -> dict[str, ArticleRef]:
        """The articles that annotations were made on, by id."""
        with self._reading():
            return self._current_index(locked=False).articles()

    def counts_by_article(self) -> Counter[str]:
        """How many annotations each annotated article has."""
        with self._reading():
            return self._current_index(locked=False).counts_by_article()

    def tags_by_article(self) -> dict[str, set[str]]:
        """The tags (as :func:`~annotations.model.tag_key`) of each annotated article, from the
        index alone: no article file is read, so filtering a corpus by tag stays cheap."""
        with self._reading():
            return self._current_index(locked=False).tags_by_article()

    def tag_counts(self) -> list[tuple[str, int]]:
        """Tags in use, most used first; tags equal but for case are counted as one, spelled as
        first met in text order (articles by id)."""
        with self._reading():
            return self._current_index(locked=False).tag_counts()


def _same(record: dict, annotation: Annotation) -> bool:
    """Whether the stored ``record`` is ``annotation`` (compared in the form both are kept in)."""
    try:
        return Annotation.from_record(record).to_record() == annotation.to_record()
    except (KeyError, TypeError, ValueError):
        return False


# -- files of the layout ---------------------------------------------------------------------


def _scan_shards(path: Path) -> list[Summary]:
    """The summary of every shard of the store at ``path``, read from the files (slow: only to
    rebuild the journal). :class:`StoreDamaged` for the first damaged shard."""
    if not layout.shards_folder(path).is_dir():
        raise StoreError(missing_folder_message(path), path=path)
    return recovery.scan_shards(path)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_shard_file(file: Path, raw: bytes) -> tuple[Tables, str]:
    """The tables of the shard file ``file`` and the article it says it belongs to, or :class:`StoreDamaged`."""
    tables = shards.parse(file, raw)
    article_id = shards.article_of(tables)
    assert article_id is not None  # checked by shards.parse
    return tables, article_id


def _write_folder(staging: Path, tables: Tables) -> None:
    """Write the shards and journal of the store ``tables`` into the new folder ``staging``."""
    shards_folder = staging / layout.SHARDS
    shards_folder.mkdir(parents=True)
    (staging / layout.SCRATCH).mkdir()
    by_article: dict[str, list[dict]] = {}
    for record in tables.get(ANNOTATIONS, {}).values():
        by_article.setdefault(record["article_id"], []).append(record)
    refs = tables.get(ARTICLES, {})
    summaries: list[Summary] = []
    for article_id in sorted(set(by_article) | set(refs)):
        raw, summary = shards.build(article_id, by_article.get(article_id, []), refs.get(article_id))
        write_new_file(shards_folder / layout.shard_name(article_id), raw)
        summaries.append(summary)
    write_new_file(staging / layout.JOURNAL, new_journal_bytes(summaries))
    fsync_folder(shards_folder)
    fsync_folder(staging)


# -- messages ------------------------------------------------------------------------------


def damaged_message(path: Path, reason: str, file: Path | None = None) -> str:
    """What to tell the user about a damaged store (or one damaged ``file`` of it), and where its backup is."""
    file = file or path
    backup = backup_path(file)
    what = f"The annotation store {path} is damaged: " + (reason if file == path else f"its file {file}: {reason}")
    if backup.exists():
        hint = (
            f"The last good version is kept at {backup}; restore it (the reader app offers to where it meets "
            f"the damage, keeping the damaged file aside as {file.name}.damaged-<time>),"
        )
    elif file != path and not file.exists():
        hint = (
            f"There is no backup of it. To go on without its annotations, move the index journal "
            f"{layout.journal_path(path)} aside (reader rebuilds it from the files there are),"
        )
    else:
        hint = "There is no backup of it; move the damaged file aside"
    return f"{what}. Nothing was written to it. {hint} or start a new store elsewhere with --db PATH."


def missing_folder_message(path: Path) -> str:
    return (
        f"The annotation store {path} has lost its folder {layout.folder(path)}, which holds its annotations. "
        "Nothing was changed. If you moved the store, move that folder with it; or start a new store "
        "elsewhere with --db PATH."
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


def write_failed_message(path: Path, failure: StoreWriteFailed) -> str:
    reason = failure.error.strerror or str(failure.error)
    where = "" if failure.path == path else f" (writing {failure.path})"
    if failure.replaced:
        return (
            f"The change was written to the annotation store {path}{where}, but the system could not confirm "
            f"it is safely on disk ({reason}). Check the disk before relying on it."
        )
    return (
        f"Could not save to the annotation store {path}{where}: {reason}. The change was not saved and "
        "the store is as it was. Free some disk space or check the folder's permissions, then try again."
    )


def changed_elsewhere_message(annotation: Annotation, *, deleted: bool, written_before: int = 0) -> str:
    """What to tell the user when ``annotation``, as they read it, is no longer what is stored."""
    quote = " ".join(annotation.quote.split())
    if len(quote) > 40:
        quote = quote[:39] + "…"
    what = "deleted" if deleted else "changed"
    if written_before:
        nothing = (
            f"Nothing was written for its article; {written_before} annotation(s) of other articles "
            "had already been changed."
        )
    else:
        nothing = "Nothing was written."
    return (
        f'The annotation of "{quote}" in article {annotation.article_id} was {what} in another window or '
        f"process since you opened it; reopen the article to see the change. {nothing}"
    )


def unusable_message(path: Path, error: OSError) -> str:
    reason = error.strerror or str(error)
    return (
        f"Could not use the annotation store {path}: {reason}. Check that its folder exists and that you "
        "may read and write there, or use another store with --db PATH."
    )
