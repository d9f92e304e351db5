"""AnnotationStore: the one door to the TinyDB file that keeps a user's annotations.

Every change is written at once (there is no "save"), under a cross-process file lock, through
:class:`~annotations.storage.AtomicJSONStorage`. Annotation ids are the TinyDB document ids, so
two processes never hand out the same id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock
from tinydb import TinyDB
from tinydb.table import Document, Table

from annotations.model import Annotation, ArticleRef, tag_key
from annotations.storage import AtomicJSONStorage, StoreDamaged, backup_path

#: The layout of the store file this code reads and writes.
SCHEMA_VERSION = 1

ANNOTATIONS = "annotations"
ARTICLES = "articles"
META = "meta"


class StoreError(Exception):
    """A store that cannot be used as it is; the message says which file and what to do."""


class StringIdTable(Table):
    """A TinyDB table keyed by our own string ids instead of a process-local counter."""

    document_id_class = str


class _StoreDB(TinyDB):
    table_class = StringIdTable


class AnnotationStore:
    """Annotations and the articles they belong to, kept in one TinyDB JSON file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = FileLock(str(self.path.with_name(self.path.name + ".lock")))
        try:
            with self._lock:
                self._db = _StoreDB(self.path, storage=AtomicJSONStorage)
                self._check_schema()
        except StoreDamaged as damage:
            raise StoreError(damaged_message(damage)) from None

    # -- lifecycle -------------------------------------------------------------------------

    def _check_schema(self) -> None:
        meta = self._db.table(META)
        record = meta.get(doc_id="schema")
        if record is None:
            if self._db.table(ANNOTATIONS).all():
                raise StoreError(f"{self.path} holds annotations but no schema version; it was not written by reader.")
            meta.insert(Document({"version": SCHEMA_VERSION}, doc_id="schema"))
            return
        version = int(record.get("version", 0))
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer reader (store version {version}, this one reads up to "
                f"{SCHEMA_VERSION}). Upgrade reader to open it; the file was not changed."
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the file lock and forget cached state another process may have made stale."""
        with self._lock:
            for table in (ANNOTATIONS, ARTICLES, META):
                self._db.table(table).clear_cache()
            try:
                yield
            except StoreDamaged as damage:
                raise StoreError(damaged_message(damage)) from None

    # -- writing ---------------------------------------------------------------------------

    def add(self, annotation: Annotation, article: ArticleRef | None = None) -> Annotation:
        """Keep a new annotation (and the article it belongs to, for exports)."""
        with self._locked():
            self._db.table(ANNOTATIONS).insert(Document(annotation.to_record(), doc_id=annotation.id))
            if article is not None:
                self._db.table(ARTICLES).upsert(Document(article.to_record(), doc_id=article.id))
        return annotation

    def update(self, annotation: Annotation) -> Annotation:
        """Replace the stored annotation that has the same id."""
        with self._locked():
            table = self._db.table(ANNOTATIONS)
            if not table.contains(doc_id=annotation.id):
                raise KeyError(annotation.id)
            table.upsert(Document(annotation.to_record(), doc_id=annotation.id))
        return annotation

    def delete(self, annotation_id: str) -> Annotation | None:
        """Remove an annotation; returns what was removed, so it can be restored."""
        with self._locked():
            table = self._db.table(ANNOTATIONS)
            record = table.get(doc_id=annotation_id)
            if record is None:
                return None
            table.remove(doc_ids=[annotation_id])
        return Annotation.from_record(record)

    # -- reading ---------------------------------------------------------------------------

    def get(self, annotation_id: str) -> Annotation | None:
        with self._locked():
            record = self._db.table(ANNOTATIONS).get(doc_id=annotation_id)
        return None if record is None else Annotation.from_record(record)

    def all(self) -> list[Annotation]:
        """Every annotation, by article then position."""
        with self._locked():
            records = self._db.table(ANNOTATIONS).all()
        return sorted(map(Annotation.from_record, records), key=lambda a: (a.article_id, a.start, a.end))

    def for_article(self, article_id: str) -> list[Annotation]:
        """One article's annotations in text order."""
        return [annotation for annotation in self.all() if annotation.article_id == article_id]

    def articles(self) -> dict[str, ArticleRef]:
        """The articles that annotations were made on, by id."""
        with self._locked():
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


def damaged_message(damage: StoreDamaged) -> str:
    backup = backup_path(damage.path)
    hint = (
        f"The last good version is at {backup}; copy it over the damaged file to go on from there,"
        if backup.exists()
        else "There is no backup;"
    )
    return (
        f"The annotation store {damage.path} is damaged: {damage.reason}. Nothing was written to it. "
        f"{hint} or start a new store elsewhere with --db PATH."
    )
