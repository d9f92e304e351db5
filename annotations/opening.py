"""Opening a store: its manifest read, checked, created, given back or migrated to this version.

The store the user names is a small manifest file (the schema version) and a folder beside it
(:mod:`annotations.layout`). On open, an older layout is migrated (after a copy of it is kept as
``<name>.v<N>.bak``: the new folder is built aside and switched to in one rename), and a newer or
damaged one is refused without a byte of it being changed. What identifies the manifest's
version on disk (:data:`ManifestId`) lets an open store notice, with one ``stat``, that another
process migrated or damaged it (:func:`check_manifest`).

Everything that writes here runs under the store's lock; what reads does not need it.
"""

from __future__ import annotations

import os
from pathlib import Path

from annotations import layout, messages, recovery, schema, shards
from annotations.errors import Advice, StoreError, StoreMissing, StoreNeedsUpgrade
from annotations.journal import Journal, Summary, new_journal_bytes
from annotations.layout import version_backup_path
from annotations.recovery import aside_path
from annotations.schema import (
    ANNOTATIONS,
    ARTICLES,
    SCHEMA_VERSION,
    LayoutError,
    NewerVersion,
    Tables,
)
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

#: What identifies one version of the manifest on disk: device, inode, size, mtime.
ManifestId = tuple[int, int, int, int]


def open_layout(path: Path, journal: Journal, notices: list[str], *, locked: bool) -> tuple[bool, ManifestId | None]:
    """Check the layout of the store at ``path``: create, migrate, accept or refuse. Without the
    lock (``locked`` false) only a store that needs no writing is accepted: ``(False, None)`` if
    it needs some. Returns ``(True, identity)`` once open; what was recovered goes to ``notices``."""
    tables, identity = read_manifest(path)
    if tables is None:
        if not locked:
            return False, None
        if layout.folder(path).is_dir():
            notices.append(messages.lost_manifest_message(path, given_back=True))
        return True, create(path, journal)
    version = schema.version_of(tables)
    if version > SCHEMA_VERSION:
        raise NewerVersion(version)
    if version < SCHEMA_VERSION:
        if not locked:
            return False, None
        return True, migrate(path, tables, version)
    schema.check_manifest(tables)
    if not layout.folder(path).is_dir():
        raise StoreError(messages.missing_folder_message(path), path=path, advice=Advice.ANOTHER_STORE)
    layout.scratch_folder(path).mkdir(exist_ok=True)
    return True, identity


def open_read_only(path: Path, notices: list[str]) -> ManifestId | None:
    """Check the layout of the store at ``path`` without writing anything: accept (its manifest's
    identity; ``None`` for a manifest lost, its folder read as it is), or refuse with the reason."""
    tables, identity = read_manifest(path)
    folder = layout.folder(path)
    if tables is None:
        if not folder.is_dir():
            if identity is None and not backup_path(path).exists():
                raise StoreMissing(messages.missing_store_message(path), path=path, advice=Advice.CHECK_PATH)
            raise StoreError(messages.missing_folder_message(path), path=path, advice=Advice.ANOTHER_STORE)
        notices.append(messages.lost_manifest_message(path, given_back=False))
        return None
    version = schema.version_of(tables)
    if version > SCHEMA_VERSION:
        raise NewerVersion(version)
    if version < SCHEMA_VERSION:
        raise StoreNeedsUpgrade(messages.older_read_only_message(path, version), path=path)
    schema.check_manifest(tables)
    if not folder.is_dir():
        raise StoreError(messages.missing_folder_message(path), path=path, advice=Advice.ANOTHER_STORE)
    return identity


def check_manifest(path: Path, known: ManifestId | None, journal: Journal, *, write: bool) -> ManifestId | None:
    """Make sure the manifest is still the version ``known`` was read from, or another of this
    schema (another reader may have migrated it, or someone damaged it, while the store was open);
    costs a ``stat`` when it did not change. A manifest removed is given back if ``write``.
    Returns the manifest's identity now."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return create(path, journal) if write else known
    if (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns) == known:
        return known
    tables, identity = read_manifest(path)
    if tables is None:
        return create(path, journal) if write else known
    version = schema.version_of(tables)
    if version > SCHEMA_VERSION:
        raise NewerVersion(version)
    if version != SCHEMA_VERSION:
        raise LayoutError(f"its schema version changed to {version!r} while it was open")
    return identity


def tidy(path: Path) -> None:
    """Remove what crashed writers left of the store at ``path`` (under the lock)."""
    remove_stray_temporaries(path)
    remove_temporaries_in(layout.scratch_folder(path))


def read_manifest(path: Path) -> tuple[Tables | None, ManifestId | None]:
    """The manifest's tables (``None`` for no store yet) and what identifies its version on disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
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
        if backup_path(path).exists():
            raise StoreDamaged(path, "the file is empty")
        return None, identity
    return parse_tables(path, raw), identity


def create(path: Path, journal: Journal) -> ManifestId:
    """Make a new store, or give a manifest back to a folder that lost it (under the lock)."""
    layout.shards_folder(path).mkdir(parents=True, exist_ok=True)
    layout.scratch_folder(path).mkdir(exist_ok=True)
    if not journal.path.exists():
        journal.rewrite(scan_shards(path))
    return write_manifest(path)


def write_manifest(path: Path) -> ManifestId:
    """Write the manifest of the current version, its copy first (restored from if it is damaged)."""
    raw = serialise(schema.manifest())
    replace_atomically(backup_path(path), raw)
    replace_atomically(path, raw)
    status = os.stat(path)
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def migrate(path: Path, tables: Tables, version: int) -> ManifestId:
    """Bring an older store up to date: keep a copy, build the folder aside, then switch to it."""
    migrated = schema.migrate(tables, version)
    schema.check(migrated)
    try:
        preserve_copy(path, version_backup_path(path, version))
        fsync_folder(path.parent)
        staging = temporary_path(layout.folder(path))  # a stray if this process dies
        try:
            write_folder(staging, migrated)
            folder = layout.folder(path)
            if folder.exists():
                # Left by a migration that died before its manifest was written, or put here by
                # hand: never deleted, only moved out of the way.
                os.rename(folder, aside_path(folder, "before-migration"))
            os.rename(staging, folder)
        except BaseException:
            remove_stray_temporaries(path)
            raise
        fsync_folder(path.parent)
    except OSError as error:
        raise StoreWriteFailed(path, error, replaced=False) from error
    return write_manifest(path)


def write_folder(staging: Path, tables: Tables) -> None:
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


def scan_shards(path: Path) -> list[Summary]:
    """The summary of every shard of the store at ``path``, read from the files (slow: only to
    rebuild the journal). :class:`StoreDamaged` for the first damaged shard."""
    if not layout.shards_folder(path).is_dir():
        raise StoreError(messages.missing_folder_message(path), path=path, advice=Advice.ANOTHER_STORE)
    return recovery.scan_shards(path)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
