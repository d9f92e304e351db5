"""One article's annotations in one small TinyDB file (a shard): reading, checking, summarising, changing.

A change reads the shard once and replaces it once, atomically and keeping its previous version
as a backup (:class:`~annotations.storage.AtomicJSONStorage`), so its cost does not grow with the
size of the store. The TinyDB tables inside are those of schema version 2
(:func:`annotations.schema.check_shard`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Table

from annotations import layout, schema
from annotations.journal import Summary
from annotations.model import Annotation, ArticleRef, tag_key
from annotations.schema import ANNOTATIONS, ARTICLES, META, SHARD_DOC, LayoutError, Tables
from annotations.storage import AtomicJSONStorage, StoreDamaged, parse_tables, serialise


class StringIdTable(Table):
    """A TinyDB table keyed by our own string ids instead of a process-local counter."""

    # TinyDB documents overriding document_id_class, but annotates it as type[int].
    document_id_class = str  # type: ignore[assignment]

    def _get_next_id(self) -> str:
        # Only reached by inserting a plain dict; a counter would race between processes.
        return uuid.uuid4().hex


def doc_key(key: str) -> int:
    """``key`` as TinyDB's ``doc_id`` in a :class:`StringIdTable`.

    TinyDB annotates every ``doc_id`` as ``int`` although a table may key by another class
    (``document_id_class``); this one place says so to the type checker, and changes nothing.
    """
    return key  # type: ignore[return-value]  # TinyDB's doc_id annotation is int; StringIdTable keys by str


class ShardDB(TinyDB):
    """TinyDB over one shard, with string ids."""

    table_class = StringIdTable


def digest(raw: bytes | None) -> str | None:
    """What identifies a shard's exact bytes in the journal (``None`` for no shard)."""
    return None if raw is None else hashlib.blake2b(raw, digest_size=16).hexdigest()


def read_bytes(path: Path) -> bytes | None:
    """The shard's bytes, ``None`` if the article has no shard."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def parse(path: Path, raw: bytes, article_id: str | None = None) -> Tables:
    """The tables of the shard at ``path`` (of ``article_id``, or of the article it names, which
    must be the one its file is named after); :class:`StoreDamaged` if it is not one."""
    if not raw.strip():
        raise StoreDamaged(path, "the file is empty")
    tables = parse_tables(path, raw)
    if article_id is None:
        article_id = article_of(tables)
        if article_id is None or layout.shard_name(article_id) != path.name:
            raise StoreDamaged(path, "it does not say which article it belongs to")
    try:
        schema.check_shard(tables, article_id)
    except LayoutError as error:
        raise StoreDamaged(path, str(error)) from None
    return tables


def article_of(tables: Tables) -> str | None:
    """The article a shard's tables say they belong to, if they say it properly."""
    shard = tables.get(META, {}).get(SHARD_DOC)
    article_id = shard.get("article_id") if isinstance(shard, dict) else None
    return article_id if isinstance(article_id, str) else None


def summarise(article_id: str, tables: Tables | None, shard_digest: str | None, size: int | None = None) -> Summary:
    """The journal's summary of a shard's (checked) tables, which are ``size`` bytes on disk."""
    if tables is None:
        return Summary(article_id, None, None)
    records = sorted(tables.get(ANNOTATIONS, {}).values(), key=_text_order)
    entries = [[record["id"], list(record["tags"])] for record in records]
    return Summary(article_id, shard_digest, tables.get(ARTICLES, {}).get(article_id), entries, size)


def _text_order(record: dict) -> tuple[int, int]:
    return record["start"], record["end"]


@dataclass(frozen=True)
class Shard:
    """One article's annotations as read from its shard, in text order, ready to be served."""

    article_id: str
    digest: str | None
    annotations: tuple[Annotation, ...] = ()
    ref: ArticleRef | None = None

    @classmethod
    def from_tables(cls, article_id: str, tables: Tables | None, shard_digest: str | None) -> Shard:
        if tables is None:
            return cls(article_id, shard_digest)
        records = sorted(tables.get(ANNOTATIONS, {}).values(), key=_text_order)
        ref = tables.get(ARTICLES, {}).get(article_id)
        return cls(
            article_id,
            shard_digest,
            tuple(Annotation.from_record(record) for record in records),
            None if ref is None else ArticleRef.from_record(ref),
        )

    def get(self, annotation_id: str) -> Annotation | None:
        return next((annotation for annotation in self.annotations if annotation.id == annotation_id), None)

    def with_tag(self, key: str) -> list[Annotation]:
        """The annotations carrying the tag whose :func:`~annotations.model.tag_key` is ``key``."""
        return self._tags.get(key, [])

    @cached_property
    def _tags(self) -> dict[str, list[Annotation]]:
        """Annotations by tag key, worked out once per shard read (shards are cached)."""
        by_tag: dict[str, list[Annotation]] = {}
        for annotation in self.annotations:
            for key in dict.fromkeys(tag_key(tag) for tag in annotation.tags):
                by_tag.setdefault(key, []).append(annotation)
        return by_tag


def load(path: Path, article_id: str) -> Shard:
    """The shard of ``article_id`` at ``path`` (empty if there is none); :class:`StoreDamaged` if unreadable."""
    raw = read_bytes(path)
    if raw is None:
        return Shard(article_id, None)
    return Shard.from_tables(article_id, parse(path, raw, article_id), digest(raw))


def build(article_id: str, annotations: list[dict], ref: dict | None) -> tuple[bytes, Summary]:
    """The bytes of a new shard holding ``annotations`` (records) and ``ref``, with its summary."""
    tables = schema.new_shard(article_id)
    tables[ANNOTATIONS] = {record["id"]: record for record in annotations}
    if ref is not None:
        tables[ARTICLES] = {article_id: ref}
    raw = serialise(tables)
    return raw, summarise(article_id, tables, digest(raw), len(raw))


#: A change to a shard, made with TinyDB's table operations; raising cancels it.
Change = Callable[[ShardDB], None]


def change(path: Path, article_id: str, scratch: Path, body: Change, on_commit: Callable[[Summary], None]) -> None:
    """Apply ``body`` to the shard of ``article_id`` at ``path`` as one atomic replacement.

    The shard is read once and, if ``body`` changed anything, ``on_commit`` is called with the
    new summary *before* the new version replaces the file (the store journals it there). If
    ``body`` or ``on_commit`` raises, the file is not touched. Raises :class:`StoreDamaged` for
    an unreadable shard and :class:`~annotations.storage.StoreWriteFailed` if writing fails.
    """
    db = ShardDB(path, storage=AtomicJSONStorage, scratch=scratch)
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)

    def commit(payload: bytes) -> None:
        on_commit(summarise(article_id, json.loads(payload), digest(payload), len(payload)))

    with storage.transaction(on_commit=commit):
        existing = storage.read()
        if existing is not None:
            try:
                schema.check_shard(existing, article_id)
            except LayoutError as error:
                raise StoreDamaged(path, str(error)) from None
        body(db)
        if existing is None and storage.changed:
            tables = storage.read()
            assert tables is not None
            tables.setdefault(META, {})[SHARD_DOC] = {"article_id": article_id}
            storage.write(tables)
