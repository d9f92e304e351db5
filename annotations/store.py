"""AnnotationStore: the one door to the TinyDB files that keep a user's annotations.

The store the user names is a small manifest file and a folder beside it with one TinyDB file
(a *shard*) per article and an index journal (see :mod:`annotations.layout`), so that a change
rewrites one article's small file, whatever the size of the store. This module is the store's
API; the ideas behind it live beside it:

- :mod:`annotations.opening`: the manifest checked, created, migrated on open (opening reads
  only the manifest, so it takes as long on 100,000 annotations as on none);
- :mod:`annotations.following`: the index built from the journal and followed cheaply, and
  what disagrees between journal and shards put right;
- :mod:`annotations.changes`: each change one transaction, journal line first, then the shard;
- :mod:`annotations.recovery`: damaged and missing files noticed, backups put back;
- :mod:`annotations.guard` and :mod:`annotations.locking`: the lock (only writers wait for it)
  and every failure turned into a :class:`StoreError`, whose message
  (:mod:`annotations.messages`) names the file and says what to do.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from annotations import changes, messages, opening, recovery
from annotations.changes import Body
from annotations.errors import Advice, ChangedElsewhere, StoreError, StoreMissing, StoreNeedsUpgrade
from annotations.following import JournalFollower
from annotations.guard import guarded
from annotations.index import Index
from annotations.layout import lock_path, version_backup_path
from annotations.locking import LOCK_TIMEOUT, StoreLock, WaitNotice
from annotations.model import Annotation, ArticleRef, check_passage
from annotations.opening import ManifestId
from annotations.schema import SCHEMA_VERSION
from annotations.storage import StoreDamaged, backup_path
from annotations.store_reads import IndexedReads

__all__ = [
    "LOCK_TIMEOUT",
    "SCHEMA_VERSION",
    "AnnotationStore",
    "ChangedElsewhere",
    "StoreError",
    "StoreMissing",
    "StoreNeedsUpgrade",
    "backup_path",
    "lock_path",
    "version_backup_path",
]


class AnnotationStore(IndexedReads):
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
        #: Where :meth:`restore_backup` put the (first) damaged file it replaced, if this store came from it.
        self.set_aside: Path | None = None
        #: Every damaged file :meth:`restore_backup` set aside, if this store came from it.
        self.set_aside_files: tuple[Path, ...] = ()
        self._threads = threading.RLock()
        #: The cross-process lock: only writers wait for it (see :mod:`annotations.locking`).
        self._lock = StoreLock(self.path, lock_path(self.path), lock_timeout)
        self._follower = JournalFollower(self.path, self._lock, self.notices, read_only=read_only)
        self._manifest_id: ManifestId | None = None
        if read_only:
            with self._guarded(locked=False):
                self._manifest_id = opening.open_read_only(self.path, self.notices)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                messages.unusable_message(self.path, error), path=self.path, advice=Advice.ANOTHER_STORE
            ) from None
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
        opening.tidy(self.path)
        self._open_layout()

    def _open_layout(self, *, locked: bool = True) -> bool:
        """Check the layout on open (see :func:`annotations.opening.open_layout`); false if it
        needs writing and ``locked`` is not set."""
        opened, identity = opening.open_layout(self.path, self._follower.journal, self.notices, locked=locked)
        if opened:
            self._manifest_id = identity
        return opened

    def close(self) -> None:
        """Let go of what this store keeps in memory (files are never held open)."""
        with self._threads:
            self._follower.forget()

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
        with guarded(StoreLock(path, lock_path(path), lock_timeout), locked=True):
            aside = recovery.restore_damaged_files(path)
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
        follower = self._follower
        with self._reading():
            index = self._current_index(locked=False)
            if not follower.catch_up_with_disk(index, locked=self.read_only, thorough=True):
                with self._lock.hold():
                    index = self._current_index(locked=True)
                    follower.catch_up_with_disk(index, locked=True, thorough=True)
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
            self._follower.forget_all()
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
            raise PermissionError(messages.read_only_message(self.path))
        with guarded(self._lock, locked=locked, threads=self._threads):
            yield

    def _check_manifest(self, *, write: bool) -> None:
        """Make sure the manifest is still of this version (another reader may have migrated it, or
        someone damaged it, while this store was open); costs a ``stat`` when it did not change."""
        self._manifest_id = opening.check_manifest(self.path, self._manifest_id, self._follower.journal, write=write)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._guarded(locked=False):
            self._check_manifest(write=False)
            yield

    def _current_index(self, *, locked: bool) -> Index:
        """The index, caught up with the journal (see :meth:`JournalFollower.current`)."""
        return self._follower.current(locked=locked)

    # -- writing ---------------------------------------------------------------------------

    def _change(self, article_id: str, body: Body) -> None:
        """Change one article's shard as one transaction (see :func:`annotations.changes.change`)."""
        with self._guarded(locked=True):
            self._check_manifest(write=True)
            changes.change(self._follower, article_id, body)

    def add(self, annotation: Annotation, article: ArticleRef | None = None) -> Annotation:
        """Keep a new annotation (and the article it belongs to, for exports).

        ``ValueError`` if an annotation with its id is already kept, if its passage is empty
        (:class:`~annotations.model.EmptyPassage`), or if ``article`` is not the annotation's
        article; nothing is written then.
        """
        check_passage(annotation.start, annotation.end)
        if article is not None and article.id != annotation.article_id:
            raise ValueError(f"article {article.id!r} is not the article of the annotation ({annotation.article_id!r})")

        self._change(annotation.article_id, changes.adding(annotation, article))
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

            self._change(article_id, changes.adding_new(group, ref, added))
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

            body = changes.updating(
                self.path, group, chosen, left, skip_changed=skip_changed, written_before=len(written)
            )
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

        body = changes.deleting(self.path, annotation_id, expected, removed)

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
            return None if article_id is None else self._follower.shard(article_id, index).get(annotation_id)

    def all(self) -> list[Annotation]:
        """Every annotation, by article then position (reads every article: slow on a big store)."""
        with self._reading():
            index = self._current_index(locked=False)
            return [
                annotation
                for article_id in index.annotated_articles()
                for annotation in self._follower.shard(article_id, index).annotations
            ]

    def for_article(self, article_id: str) -> list[Annotation]:
        """One article's annotations in text order (reads that article's file only)."""
        with self._reading():
            index = None if self._follower.index is None else self._current_index(locked=False)
            return list(self._follower.shard(article_id, index).annotations)

    def passages_with_tag(self, tag: str) -> list[Annotation]:
        """Every annotation tagged ``tag`` (compared by :func:`~annotations.model.tag_key`), by
        article then position; reads only the articles that have such passages."""
        with self._reading():
            index = self._current_index(locked=False)
            key = index.key(tag)
            return [
                annotation
                for article_id in index.articles_with_tag(tag)
                for annotation in self._follower.shard(article_id, index).with_tag(key)
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
