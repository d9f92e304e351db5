"""The layout of the store: its version, what each version holds, and migrations between them.

The store records its layout version in table ``meta``, document ``schema``: ``{"version": N}``.
Code that reads version :data:`SCHEMA_VERSION` brings an older store up to date on open by
applying registered migrations, one version at a time (N to N+1), and refuses a newer one.

Version 0
    The unversioned store of reader's first builds: no ``meta`` table. Annotation documents were
    keyed by TinyDB's own counter (``"1"``, ``"2"``, ...) and held ``article_id``, ``start``,
    ``end``, ``quote``, ``tags`` and usually ``created``. They could lack ``id`` (the counter was
    the id), ``article_sha256``, ``prefix``, ``suffix`` (no context was kept), ``note`` and
    ``updated``, and ``tags`` could be one comma-separated string. There might be no
    ``articles`` table. Any store without a ``meta`` schema document is taken to be version 0.

Version 1
    ``meta``/``schema`` is ``{"version": 1}``. Annotations are keyed by their ``id`` (a uuid hex,
    so that concurrent writers never pick the same key) and hold every field of
    :meth:`annotations.model.Annotation.to_record`; articles are keyed by their ``id`` and hold
    every field of :meth:`annotations.model.ArticleRef.to_record`.

Version 2
    The same records as version 1, split by article so that a change rewrites one small file
    instead of the whole store (see :mod:`annotations.layout` for where each file lives). The
    file the user names (the *manifest*) holds only ``meta``/``schema`` ``{"version": 2}``. Each
    article's records are in its own TinyDB file (a *shard*) with the tables ``annotations``
    (that article's annotations, as in version 1), ``articles`` (at most its own reference) and
    ``meta``, document ``shard``: ``{"article_id": ...}``. An index journal beside the shards
    (:mod:`annotations.journal`) is derived from them and not part of the schema.

    Migrating from version 1 changes no record: :func:`migrate` returns the same tables stamped
    version 2 and the store writes them out as manifest and shards. Logically a version 2 store
    is still "tables of records", which is what :func:`check` checks.

    An annotation may hold ``coder`` (text, who made it). Records written before coders existed
    have none and are read as the default coder's (:mod:`annotations.coders`): an optional
    field added within version 2 rather than a version 3, because older readers ignore it, and a
    migration would have to rewrite every shard to stamp a name that depends on who opens it.

Everything here works on the parsed tables only; files, backups and locks are the store's job.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from annotations.model import from_iso, to_iso, utc_now

#: The layout this code reads and writes.
SCHEMA_VERSION = 2

ANNOTATIONS = "annotations"
ARTICLES = "articles"
META = "meta"
#: The document of table :data:`META` that holds ``{"version": N}``.
SCHEMA_DOC = "schema"
#: The document of a shard's table :data:`META` that names its article.
SHARD_DOC = "shard"

#: The parsed store: tables by name, documents by id (as :mod:`annotations.storage` reads it).
Tables = dict[str, dict[str, dict[str, Any]]]

#: A migration takes the tables of version N and returns those of version N+1 (without the
#: version stamp, which :func:`migrate` sets). It may change its argument.
Migration = Callable[[Tables], Tables]

_MIGRATIONS: dict[int, Migration] = {}

#: The registered migrations, by the version they start from (read-only).
MIGRATIONS: Mapping[int, Migration] = MappingProxyType(_MIGRATIONS)


class LayoutError(ValueError):
    """The tables do not have the layout their version promises (or cannot be migrated)."""


class NewerVersion(Exception):
    """The store was written by a newer reader, with a layout this code does not know."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(f"store version {version} is newer than {SCHEMA_VERSION}")


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register the decorated function as the migration from ``from_version`` to the next."""

    def register(function: Migration) -> Migration:
        if from_version in _MIGRATIONS:
            raise RuntimeError(f"two migrations from schema version {from_version}")
        _MIGRATIONS[from_version] = function
        return function

    return register


def new_tables() -> Tables:
    """The tables of a new, empty store of the current version (logically: see :func:`manifest`)."""
    return stamped({ANNOTATIONS: {}, ARTICLES: {}}, SCHEMA_VERSION)


def manifest() -> Tables:
    """What the file the user names holds in the current version: the version stamp alone."""
    return stamped({}, SCHEMA_VERSION)


def new_shard(article_id: str) -> Tables:
    """The tables of a new shard for ``article_id``, before any record is added."""
    return {META: {SHARD_DOC: {"article_id": article_id}}, ANNOTATIONS: {}, ARTICLES: {}}


def stamped(tables: Tables, version: int) -> Tables:
    """``tables`` with its ``meta`` table saying it is of ``version`` (changed in place)."""
    tables.setdefault(META, {})[SCHEMA_DOC] = {"version": version}
    return tables


def version_of(tables: Tables) -> int:
    """The layout version ``tables`` claim; 0 when they record none."""
    record = tables.get(META, {}).get(SCHEMA_DOC)
    if record is None:
        return 0
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LayoutError(f"its schema version is {version!r}, not a whole number from 1 up")
    return version


def migrate(
    tables: Tables,
    version: int,
    *,
    target: int = SCHEMA_VERSION,
    registry: Mapping[int, Migration] = MIGRATIONS,
) -> Tables:
    """``tables`` of layout ``version`` brought to ``target`` one step at a time; the input is kept.

    Raises :class:`NewerVersion` for a version above ``target`` and :class:`LayoutError` when
    the tables cannot be migrated. A missing step is a programming error (``RuntimeError``).
    """
    if version > target:
        raise NewerVersion(version)
    result = copy.deepcopy(tables)
    for step in range(version, target):
        if step not in registry:
            raise RuntimeError(f"no migration from schema version {step} to {step + 1}")
        result = stamped(registry[step](result), step + 1)
    return result


def check(tables: Tables) -> None:
    """Raise :class:`LayoutError` naming the first thing in ``tables`` (all records of a store,
    in the current version) that the current version forbids."""
    check_manifest(tables)
    check_records(tables)


def check_manifest(tables: Tables) -> None:
    """Raise :class:`LayoutError` unless ``tables`` say they are of the current version."""
    if version_of(tables) != SCHEMA_VERSION:
        raise LayoutError(f"its schema version is {version_of(tables)}, expected {SCHEMA_VERSION}")


def check_shard(tables: Tables, article_id: str) -> None:
    """Raise :class:`LayoutError` naming the first thing in a shard's ``tables`` that is wrong for
    the shard of ``article_id``: a bad record, another article's record, a missing article name."""
    shard = tables.get(META, {}).get(SHARD_DOC)
    if not isinstance(shard, dict) or shard.get("article_id") != article_id:
        raise LayoutError(f"it is not the file of article {article_id!r} (its meta/shard is {shard!r})")
    check_records(tables)
    for key, record in tables.get(ANNOTATIONS, {}).items():
        if record["article_id"] != article_id:
            raise LayoutError(f"annotation {key!r} belongs to article {record['article_id']!r}, not {article_id!r}")
    for key in tables.get(ARTICLES, {}):
        if key != article_id:
            raise LayoutError(f"it holds the reference of another article, {key!r}")


def check_records(tables: Tables) -> None:
    """Raise :class:`LayoutError` naming the first annotation or article record that is malformed."""
    for key, record in tables.get(ANNOTATIONS, {}).items():
        _check_fields(f"annotation {key!r}", record, _ANNOTATION_FIELDS)
        if record["id"] != key:
            raise LayoutError(f"annotation {key!r} is stored under another id ({record['id']!r})")
        if not 0 <= record["start"] <= record["end"]:
            raise LayoutError(f"annotation {key!r} has an impossible passage {record['start']}..{record['end']}")
        if not all(isinstance(tag, str) for tag in record["tags"]):
            raise LayoutError(f"annotation {key!r} has a tag that is not text")
        if not isinstance(record.get("coder", ""), str):
            raise LayoutError(f"annotation {key!r} has a coder that is not text")
        for moment in ("created", "updated"):
            try:
                from_iso(record[moment])
            except ValueError:
                raise LayoutError(f"annotation {key!r} has an unreadable {moment!r} time") from None
    for key, record in tables.get(ARTICLES, {}).items():
        _check_fields(f"article {key!r}", record, _ARTICLE_FIELDS)
        if record["id"] != key:
            raise LayoutError(f"article {key!r} is stored under another id ({record['id']!r})")


_ANNOTATION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "article_id": str,
    "article_sha256": str,
    "start": int,
    "end": int,
    "quote": str,
    "prefix": str,
    "suffix": str,
    "tags": list,
    "note": str,
    "created": str,
    "updated": str,
}

_ARTICLE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "title": str,
    "date": (str, type(None)),
    "path": str,
    "sha256": str,
}


def _check_fields(what: str, record: dict[str, Any], fields: dict[str, type | tuple[type, ...]]) -> None:
    for name, kind in fields.items():
        if name not in record:
            raise LayoutError(f"{what} has no {name!r}")
        value = record[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise LayoutError(f"{what} has a {type(value).__name__} as {name!r}")


# -- migrations ----------------------------------------------------------------------------------


@migration(0)
def _ids_and_complete_records(tables: Tables) -> Tables:
    """Version 0 to 1: key annotations by a uuid ``id`` and give every record every field.

    The context (``prefix``, ``suffix``) cannot be rebuilt here, as the article's text is not in
    the store; it is left empty, which makes re-anchoring rely on the quote. An unknown
    ``article_sha256`` is left empty too, which never matches a text's hash, so the passage is
    re-anchored on first view rather than trusted by offset. Deliberately self-contained (it does
    not call the model's helpers), so that later changes to the model cannot change what it does.
    """
    now = to_iso(utc_now())
    annotations: dict[str, dict[str, Any]] = {}
    for key, old in tables.get(ANNOTATIONS, {}).items():
        for name in ("article_id", "start", "end", "quote"):
            if name not in old:
                raise LayoutError(f"version 0 annotation {key!r} has no {name!r}, so it cannot be migrated")
        candidate = old.get("id")
        identifier = candidate if isinstance(candidate, str) and candidate and candidate not in annotations else None
        identifier = identifier or uuid.uuid4().hex
        created = str(old.get("created") or now)
        try:
            start, end = int(old["start"]), int(old["end"])
        except (TypeError, ValueError):
            raise LayoutError(f"version 0 annotation {key!r} has a passage that is not two numbers") from None
        annotations[identifier] = {
            "id": identifier,
            "article_id": str(old["article_id"]),
            "article_sha256": str(old.get("article_sha256") or ""),
            "start": start,
            "end": end,
            "quote": str(old["quote"]),
            "prefix": str(old.get("prefix") or ""),
            "suffix": str(old.get("suffix") or ""),
            "tags": _v0_tags(old.get("tags")),
            "note": str(old.get("note") or ""),
            "created": created,
            "updated": str(old.get("updated") or created),
        }
    tables[ANNOTATIONS] = annotations
    articles = tables.setdefault(ARTICLES, {})
    for key, article in articles.items():
        article.setdefault("id", key)
        for name in ("title", "path", "sha256"):
            article[name] = str(article.get(name) or "")
        article.setdefault("date", None)
    return tables


@migration(1)
def _split_by_article(tables: Tables) -> Tables:
    """Version 1 to 2: no record changes; the store writes the tables out as manifest and shards."""
    return tables


def _v0_tags(raw: object) -> list[str]:
    """Version 0 tags (a list, or one comma-separated string) trimmed, without empties or repeats."""
    items = raw.split(",") if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    seen: set[str] = set()
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags
