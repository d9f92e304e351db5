"""The change machinery: one article's shard changed as one transaction, journal line first.

Every change is written at once (there is no "save") as one transaction under the store's
cross-process lock: the journal is brought up to date, a summary of the article's new state is
appended to it, then the article's shard is replaced atomically (keeping its previous version as
a backup). The journal line goes first so that a crash between the two leaves a journal that says
*more* than the shards, never less; only the journal's last line can be in that state, and it is
checked against its shard's digest by whoever reads it next
(:meth:`~annotations.following.JournalFollower.settle_tail`).

A *body* is what a change does to the article's shard, given the shard's TinyDB and the index;
the bodies of the store's changes (add, update, delete) are made here too, so that the store
keeps only its API.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from tinydb.table import Document

from annotations import layout, messages, recovery, shards
from annotations.errors import ChangedElsewhere
from annotations.following import JournalFollower
from annotations.index import Index
from annotations.journal import Summary
from annotations.model import Annotation, ArticleRef
from annotations.schema import ANNOTATIONS, ARTICLES
from annotations.shards import ShardDB, doc_key
from annotations.storage import StoreDamaged, StoreWriteFailed

#: What a change does to an article's shard, given its TinyDB and the store's index.
Body = Callable[[ShardDB, Index], None]


def change(follower: JournalFollower, article_id: str, body: Body) -> None:
    """Change one article's shard as one transaction: journal first, then the shard. The caller
    holds the store's lock (and its thread lock) and has checked the manifest."""
    index = follower.current(locked=True)
    journal_file = follower.journal
    if journal_file.torn or follower.journal_stale or follower.should_compact(index):
        # A torn last line (a crash, a full disk) is dropped, never appended after; a
        # journal behind the files, or mostly superseded lines, is written afresh.
        journal_file.rewrite(index.summaries())
        follower.unjournaled, follower.journal_stale = None, False
        follower.live_bytes = journal_file.size
    follower.journal_pending_correction()
    path = layout.shard_path(follower.path, article_id)
    summary = index.summary(article_id)
    if summary is not None and summary.digest is not None and not path.exists():
        raise StoreDamaged(path, recovery.missing_reason(summary))  # never start it again empty
    journaled: list[Summary] = []

    def journal(summary: Summary) -> None:
        journal_file.append(summary)
        journaled.append(summary)

    scratch = layout.scratch_folder(follower.path)
    try:
        shards.change(path, article_id, scratch, lambda db: body(db, index), journal)
    except BaseException as failure:
        if journaled:
            index.apply(journaled[0])
            follower.tail = journaled[0]
            # Unless the new shard is in place after all, the journal says too much: correct it.
            follower.tail_checked = isinstance(failure, StoreWriteFailed) and failure.replaced
            with suppress(Exception):
                follower.settle_tail(locked=True)
                follower.journal_pending_correction()
        raise
    finally:
        follower.cache.pop(article_id, None)
    if journaled:
        index.apply(journaled[0])
        follower.tail, follower.tail_checked = journaled[0], True


def adding(annotation: Annotation, article: ArticleRef | None) -> Body:
    """The body that keeps a new ``annotation`` (``ValueError`` if its id is kept already)."""

    def body(db: ShardDB, index: Index) -> None:
        if index.article_of(annotation.id) is not None:
            raise ValueError(f"an annotation with id {annotation.id} is already in the store")
        db.table(ANNOTATIONS).insert(Document(annotation.to_record(), doc_id=doc_key(annotation.id)))
        if article is not None:
            db.table(ARTICLES).upsert(Document(article.to_record(), doc_id=doc_key(article.id)))

    return body


def adding_new(group: list[Annotation], ref: ArticleRef | None, added: list[Annotation]) -> Body:
    """The body that keeps those of ``group`` (one article's) not kept yet, listing them in ``added``."""

    def body(db: ShardDB, index: Index) -> None:
        added.clear()
        table = db.table(ANNOTATIONS)
        kept = {str(document.doc_id) for document in table.all()}  # one read of the file
        for annotation in group:
            if index.article_of(annotation.id) is None and annotation.id not in kept:
                kept.add(annotation.id)
                added.append(annotation)
        if added:
            table.insert_multiple(Document(a.to_record(), doc_id=doc_key(a.id)) for a in added)
        if added and ref is not None:
            db.table(ARTICLES).upsert(Document(ref.to_record(), doc_id=doc_key(ref.id)))

    return body


def updating(
    store: Path,
    group: list[tuple[Annotation, Annotation | None]],
    chosen: list[Annotation],
    left: list[Annotation],
    *,
    skip_changed: bool,
    written_before: int,
) -> Body:
    """The body that replaces each new annotation of ``group`` (one article's) whose stored
    version is still the expected one (if given), listing those written in ``chosen`` and those
    left out (``skip_changed``) in ``left``; :class:`ChangedElsewhere` otherwise."""

    def body(db: ShardDB, index: Index) -> None:
        chosen.clear()
        left.clear()
        table = db.table(ANNOTATIONS)
        for new, old in group:
            stored = table.get(doc_id=doc_key(new.id))
            if stored is None and index.article_of(new.id) is not None and not skip_changed:
                raise ValueError(f"annotation {new.id} belongs to another article")
            if stored is None and old is None:
                raise KeyError(new.id)
            if old is not None and (stored is None or not same(stored, old)):
                if skip_changed:
                    left.append(new)
                    continue
                raise ChangedElsewhere(
                    messages.changed_elsewhere_message(old, deleted=stored is None, written_before=written_before),
                    path=store,
                )
            chosen.append(new)
        for new in chosen:
            table.upsert(Document(new.to_record(), doc_id=doc_key(new.id)))

    return body


def deleting(store: Path, annotation_id: str, expected: Annotation | None, removed: list[Annotation]) -> Body:
    """The body that removes an annotation (if it is still ``expected``), listing it in ``removed``."""

    def body(db: ShardDB, index: Index) -> None:
        table = db.table(ANNOTATIONS)
        record = table.get(doc_id=doc_key(annotation_id))
        if record is not None:
            if expected is not None and not same(record, expected):
                raise ChangedElsewhere(messages.changed_elsewhere_message(expected, deleted=False), path=store)
            table.remove(doc_ids=[doc_key(annotation_id)])
            removed.append(Annotation.from_record(record))

    return body


def same(record: dict, annotation: Annotation) -> bool:
    """Whether the stored ``record`` is ``annotation`` (compared in the form both are kept in)."""
    try:
        return Annotation.from_record(record).to_record() == annotation.to_record()
    except (KeyError, TypeError, ValueError):
        return False
