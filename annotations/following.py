"""Following the index journal: what one process knows of a store, kept up to date cheaply.

In memory, each store keeps the index built from the journal (:class:`~annotations.index.Index`)
and the articles it has read, each valid while the journal says its shard has not changed; the
journal is followed by offset, so seeing another process's changes costs one ``fstat`` when there
are none. The index is loaded on first use.

The shards are the truth, the journal is derived from them, and this module puts right what
disagrees: a journal missing or damaged is rebuilt from the shards; a last line that says more
than its shard (a writer died between the two) is corrected under the lock; a journal that lost
lines is corrected from the files (:mod:`annotations.recovery`). Without the lock it only reads:
whatever needs writing takes the lock, so that reading needs no lock in the normal case, and a
read-only store corrects what it finds in memory only.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from annotations import layout, messages, recovery, shards
from annotations.index import Index
from annotations.journal import (
    Journal,
    JournalDamaged,
    JournalReplaced,
    Summary,
    gc_paused,
)
from annotations.locking import StoreLock
from annotations.opening import scan_shards
from annotations.recovery import aside_path
from annotations.shards import Shard
from annotations.storage import StoreDamaged, StoreWriteFailed, backup_path

#: The journal is compacted (rewritten with one line per article) once it holds more than twice
#: as many lines as there are articles, plus this many: rarely, and never on a small store.
COMPACT_SLACK = 1000
#: ... or once its bytes are more than twice those of its live lines, plus this many.
COMPACT_BYTES = 1 << 20
#: Articles read are kept in memory until they hold this many annotations in all; then the
#: memory is emptied and filled again as articles are read.
CACHE_LIMIT = 250_000


class JournalFollower:
    """The index and the articles read of the store at ``path``, following its journal.

    Its fields are shared with the store's transactions (:mod:`annotations.changes`), which
    append to the journal and keep them true; everything here runs under the store's thread
    lock, and under ``lock`` where it says so.
    """

    def __init__(self, path: Path, lock: StoreLock, notices: list[str], *, read_only: bool) -> None:
        self.path = path
        self.lock = lock
        self.read_only = read_only
        #: What was found wrong and recovered from, in words (the store's :attr:`notices`).
        self.notices = notices
        self.journal = Journal(layout.journal_path(path), layout.scratch_folder(path))
        #: The journal is missing, damaged or behind the article files and this store could not
        #: write it yet: the index in memory is the truth, and the next change rewrites the journal.
        self.journal_stale = False
        #: A read-only store whose journal is missing or damaged: its index was built from the files.
        self.journal_unusable = False
        #: Whether the index was compared with the article files on disk since it was loaded.
        self.disk_checked = False
        #: The journal's live size (one line per article) when last measured, for compaction.
        self.live_bytes = 0
        #: The index built from the journal; ``None`` until first needed.
        self.index: Index | None = None
        #: The journal's last line as far as read, and whether its shard was found to agree.
        self.tail: Summary | None = None
        self.tail_checked = True
        #: Whether the index holds what the last line's file held instead of the line (a writer
        #: was between the two, see :meth:`_read_tail_shard`).
        self.tail_provisional = False
        #: A correction of the journal's last line that could not be written yet (disk full).
        self.unjournaled: Summary | None = None
        self.cache: dict[str, Shard] = {}
        self.cached_annotations = 0

    def forget(self) -> None:
        """Let go of everything read: the next use reads the journal afresh."""
        self.index, self.cache, self.cached_annotations = None, {}, 0
        self.journal.reset()

    def forget_all(self) -> None:
        """:meth:`forget`, and what was known of the journal's last line (its files were replaced)."""
        self.forget()
        self.tail, self.tail_checked, self.unjournaled = None, True, None
        self.journal_stale = False

    def current(self, *, locked: bool) -> Index:
        """The index, caught up with the journal, whose last line agrees with its shard.

        Without the lock this only reads; a problem that needs writing (a journal to rebuild, a
        last line to correct) takes the lock, so that reading needs no lock in the normal case.
        A torn last line is passed over and dropped by the next change (a read never fails for
        want of disk space). When the index is loaded, it is compared with the article files on
        disk (:mod:`annotations.recovery`), so that a journal that lost lines is noticed.
        A read-only store never locks and corrects what it finds in memory only.
        """
        if self.journal_unusable and self.index is not None:
            return self.index  # read-only, built from the article files: nothing to follow
        try:
            if self.index is None:
                self.tail_provisional = False
                self.disk_checked = False
                self.journal.reset()
                new = self.journal.follow()
                with gc_paused():
                    self.index = Index(new)
            else:
                new = self.journal.follow()
                if new and self.tail_provisional and self.tail is not None:
                    # Lines after it: its writer finished (or a later one corrected it).
                    self.index.apply(self.tail)
                for summary in new:
                    self.index.apply(summary)
        except JournalReplaced:
            self.index = None  # rewritten whole by another process: read it afresh
            return self.current(locked=locked)
        except (FileNotFoundError, JournalDamaged, ValueError) as problem:
            self.index = None
            if not locked and not self.read_only:
                with self.lock.hold():
                    return self.current(locked=True)
            return self._rebuild_journal(problem)
        index = self.index
        if new:
            self.tail, self.tail_checked, self.tail_provisional = new[-1], False, False
        if not self.settle_tail(locked=locked or self.read_only):
            with self.lock.try_hold() as held:
                if held:
                    return self.current(locked=True)
            # A writer holds the lock between its journal line and its article file (maybe
            # suspended there): read the file as it is, as if that line were not written yet.
            self._read_tail_shard()
        if not self.disk_checked:
            if self.catch_up_with_disk(index, locked=locked or self.read_only, thorough=self.read_only):
                self.disk_checked = True
            else:
                # Something disagrees and another writer may be at work: look again under the
                # lock if it is free; else read as things are and look again on the next read.
                with self.lock.try_hold() as held:
                    if held:
                        self.index = None
                        return self.current(locked=True)
        if locked and not self.journal.torn:  # never append after torn bytes: a change rewrites it
            with suppress(StoreWriteFailed):
                self.journal_pending_correction()
        return index

    def settle_tail(self, *, locked: bool) -> bool:
        """Check the journal's last line against its shard; if it says more than the shard holds,
        put the truth in the index and mark it to be journaled (which needs the lock).

        Returns false if the line disagrees and this does not hold the lock: the writer may be
        between journal and shard right now, or may have died there, and only the lock tells which.
        """
        tail, index = self.tail, self.index
        assert index is not None
        if self.tail_checked or tail is None:
            self.tail_checked = True
            return True
        path = layout.shard_path(self.path, tail.article_id)
        raw = shards.read_bytes(path)
        if shards.digest(raw) == tail.digest and self.tail_provisional:
            index.apply(tail)  # the writer finished: its line is true now
            self.tail_provisional = False
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
                    self.tail_checked = True
                    return True
                truth = shards.summarise(tail.article_id, tables, shards.digest(raw), None if raw is None else len(raw))
                index.apply(truth)
                self.tail = self.unjournaled = truth
        self.tail_checked, self.tail_provisional = True, False
        return True

    def _read_tail_shard(self) -> None:
        """Put in the index what the journal's last line's article file holds now, without the
        lock; the line is checked again on the next read (see :meth:`_settle_tail`)."""
        tail, index = self.tail, self.index
        assert tail is not None and index is not None
        path = layout.shard_path(self.path, tail.article_id)
        raw = shards.read_bytes(path)
        try:
            tables = None if raw is None else shards.parse(path, raw, tail.article_id)
        except StoreDamaged:
            return  # reported when the article is read
        index.apply(shards.summarise(tail.article_id, tables, shards.digest(raw)))
        self.tail_provisional = True

    def journal_pending_correction(self) -> None:
        """Write a correction of the journal's last line that could not be written before."""
        if self.unjournaled is not None:
            self.journal.append(self.unjournaled)
            self.unjournaled = None

    def _rebuild_journal(self, problem: Exception) -> Index:
        """Build the index again from the shards: written as the journal (under the lock; a damaged
        one is kept aside), or, in a read-only store, kept in memory."""
        journal = self.journal.path
        summaries = scan_shards(self.path)
        what = "missing" if isinstance(problem, FileNotFoundError) else "damaged"
        if self.read_only:
            self.journal_unusable = True
            self.notices.append(messages.journal_rebuilt_message(journal, what, rewritten=False))
        else:
            if isinstance(problem, (JournalDamaged, ValueError)) and journal.exists():
                os.rename(journal, aside_path(journal, "damaged"))
            self.journal.rewrite(summaries)
            self.notices.append(messages.journal_rebuilt_message(journal, what, rewritten=True))
        with gc_paused():
            self.index = Index(summaries)
        self.tail, self.tail_checked, self.unjournaled, self.tail_provisional = None, True, None, False
        self.cache, self.cached_annotations = {}, 0
        self.catch_up_with_disk(self.index, locked=True, thorough=False)
        self.disk_checked = True
        return self.index

    def catch_up_with_disk(self, index: Index, *, locked: bool, thorough: bool) -> bool:
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
        self.cache, self.cached_annotations = {}, 0
        rewritten = False
        if not self.read_only:
            with suppress(StoreWriteFailed):
                self.journal.rewrite(index.summaries())
                rewritten, self.unjournaled = True, None
        self.journal_stale = not rewritten
        self.notices.append(messages.journal_behind_message(self.journal.path, corrected, rewritten=rewritten))
        return True

    def shard(self, article_id: str, index: Index | None) -> Shard:
        """An article's annotations: from memory if the journal says its shard has not changed.

        A file that is not there although the index says it was written is reported missing
        (:class:`StoreDamaged`), never read as an article without annotations.
        """
        if index is None:
            shard = shards.load(layout.shard_path(self.path, article_id), article_id)
            if shard.digest is not None:
                return shard
            index = self.current(locked=False)  # no file: is one expected?
        summary = index.summary(article_id)
        expected = None if summary is None else summary.digest
        cached = self.cache.get(article_id)
        if cached is not None and cached.digest == expected:
            return cached
        shard = shards.load(layout.shard_path(self.path, article_id), article_id)
        if shard.digest is None and expected is not None:
            raise StoreDamaged(layout.shard_path(self.path, article_id), recovery.missing_reason(summary))
        if expected is not None and shard.digest == expected:
            if self.cached_annotations > CACHE_LIMIT:
                self.cache, self.cached_annotations = {}, 0
            self.cache[article_id] = shard
            self.cached_annotations += len(shard.annotations)
        return shard

    def should_compact(self, index: Index) -> bool:
        """Whether the journal has grown well past its live lines (one per article): in lines, or
        in bytes (an article with thousands of annotations makes every line of it large).
        Measuring the live bytes serialises the index, so it is done only when the journal has
        grown by :data:`COMPACT_BYTES` past twice the last measure."""
        if self.journal.lines > 2 * len(index) + COMPACT_SLACK:
            return True
        if self.journal.size <= 2 * self.live_bytes + COMPACT_BYTES:
            return False
        self.live_bytes = sum(len(summary.line()) for summary in index.summaries())
        return self.journal.size > 2 * self.live_bytes + COMPACT_BYTES
