"""Damaged and missing files of a store: noticing them, and putting their last good versions back.

SQLite's promise is ours: damage is detected, never reported as an empty (or smaller) store.
The files of a store vouch for each other, and this module compares what they say:

- the index journal names every article that has a file, with that file's size when it was
  written; a file on disk that the journal does not name, or whose size differs, means the
  journal lost lines (cut short): the files are the truth, and the index is corrected from them;
- an article file the journal names, or whose backup (``*.json.bak``) is there, but that is not
  on disk is *missing*: its annotations are not silently dropped, reading it is refused like
  reading a damaged file, and :func:`restore_damaged_files` puts its backup back.

Listing the folder is all the quick look costs (:func:`looks_different`: does the number of files
match, is there a backup without its file?); the thorough comparison adds one ``stat`` a file
(about 0.01 ms each), which catches a journal that lost later lines of articles it still names.
No article file is read unless something disagrees. Nothing here writes, except :func:`restore_damaged_files`, which the
store calls under its lock.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotations import layout, messages, schema, shards
from annotations.errors import Advice
from annotations.index import Index
from annotations.journal import Journal, Summary
from annotations.schema import SCHEMA_VERSION, LayoutError, NewerVersion, Tables
from annotations.storage import (
    StoreDamaged,
    backup_path,
    parse_tables,
    preserve_copy,
    replace_atomically,
)

#: The suffix of an article file's backup.
_BACKUP_SUFFIX = layout.SHARD_SUFFIX + ".bak"


class RestoreRefused(Exception):
    """A backup that cannot be put back (missing, damaged, newer); nothing was changed.
    ``advice`` is what else the user may do (:class:`~annotations.errors.Advice`)."""

    def __init__(self, message: str, path: Path, advice: Advice | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.advice = advice


@dataclass
class DiskComparison:
    """How the article files on disk differ from what the index says about them."""

    #: Article files the index does not name, or names with another size: the journal is behind.
    behind: list[Path] = field(default_factory=list)
    #: Article id -> its file, which the index says exists but which is not on disk.
    missing: dict[str, Path] = field(default_factory=dict)
    #: Backups of article files that are gone and that the index does not name either.
    orphaned_backups: list[Path] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.behind or self.missing or self.orphaned_backups)


def looks_different(path: Path, expected: int) -> bool:
    """Whether the article files of the store at ``path`` may not be the ``expected`` number the
    index names: not as many, or a backup without its file. Lists the folder only (a few ms for
    10,000 articles)."""
    live: set[str] = set()
    backed_up: set[str] = set()
    for name in os.listdir(layout.shards_folder(path)):
        if name.startswith("."):
            continue
        if name.endswith(layout.SHARD_SUFFIX):
            live.add(name)
        elif name.endswith(_BACKUP_SUFFIX):
            backed_up.add(name[: -len(".bak")])
    return len(live) != expected or not backed_up <= live


def compare_with_disk(path: Path, index: Index, *, thorough: bool = True) -> DiskComparison:
    """Compare what ``index`` says of the article files of the store at ``path`` with the files:
    names, and sizes (one ``stat`` a file). Unless ``thorough``, only when a quick look at the
    folder (:func:`looks_different`) suggests a difference: loading the index stays as fast on a
    big store, and a journal that lost only later lines of the articles it names is left to a
    thorough comparison. Nothing is read."""
    if not thorough and not looks_different(path, index.files()):
        return DiskComparison()
    folder = layout.shards_folder(path)
    on_disk: dict[str, int] = {}  # name -> size (-1: gone between listing and stat)
    backups: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(layout.SHARD_SUFFIX):
                on_disk[name] = -1
                with suppress(FileNotFoundError):
                    on_disk[name] = entry.stat().st_size
            elif name.endswith(_BACKUP_SUFFIX):
                backups.add(name[: -len(".bak")])
    found = DiskComparison()
    named: set[str] = set()
    for summary in index.summaries():
        if summary.digest is None:
            continue
        name = layout.shard_name(summary.article_id)
        named.add(name)
        size = on_disk.get(name)
        if size is None:
            found.missing[summary.article_id] = folder / name
        elif size >= 0 and summary.size is not None and summary.size != size:
            found.behind.append(folder / name)
    found.behind.extend(folder / name for name in sorted(on_disk) if name not in named)
    found.orphaned_backups.extend(
        backup_path(folder / name) for name in sorted(backups) if name not in on_disk and name not in named
    )
    return found


def correct_index(index: Index, found: DiskComparison) -> int:
    """Put in ``index`` what the files ``found`` behind it hold, and what the backups of files that
    are gone hold (so that reading those articles reports them missing); returns how many
    articles were corrected. A damaged file is passed over: it is reported when its article is read."""
    sources = [(file, file) for file in found.behind] + [
        (backup.with_name(backup.name[: -len(".bak")]), backup) for backup in found.orphaned_backups
    ]
    corrected = 0
    for file, source in sources:
        try:
            index.apply(summary_of_file(file, source))
        except (FileNotFoundError, StoreDamaged):
            continue
        corrected += 1
    return corrected


def summary_of_file(file: Path, source: Path | None = None) -> Summary:
    """The summary of the article file ``file`` as it is now (or as its copy ``source``, such as
    its backup, holds it); :class:`StoreDamaged` if it is not one, ``FileNotFoundError`` if gone."""
    raw = (source or file).read_bytes()
    tables = shards.parse(file, raw)
    article_id = shards.article_of(tables)
    assert article_id is not None  # checked by shards.parse
    return shards.summarise(article_id, tables, shards.digest(raw), len(raw))


def missing_reason(summary: Summary | None) -> str:
    """Why a missing article file is damage, in words: what the rest of the store says it held."""
    return messages.missing_file_reason(None if summary is None else len(summary.entries))


# -- putting backups back ----------------------------------------------------------------------


def aside_path(path: Path, label: str = "damaged") -> Path:
    """A new name beside ``path`` for it to be set aside under: ``<name>.<label>-<UTC time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    count = 1
    while candidate.exists():
        count += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{count}")
    return candidate


def restore_damaged_files(path: Path) -> list[Path]:
    """Restore the manifest and every article file of the store at ``path`` that is damaged or
    missing (its backup is there, the file is not) from its backup, setting each damaged file
    aside first; returns where they were set aside. Refuses (:class:`RestoreRefused`, nothing changed) if a backup
    needed is missing or damaged too. The caller holds the store's lock.
    """
    plan: list[tuple[Path, bytes]] = []
    manifest = _manifest_problem(path)
    if manifest is not None:
        plan.append((path, _restorable_backup(path, manifest)))
    version = SCHEMA_VERSION
    if plan:
        version = schema.version_of(parse_tables(path, plan[0][1]))
    elif path.exists():
        with suppress(StoreDamaged, LayoutError):
            version = schema.version_of(parse_tables(path, path.read_bytes()))
    folder = layout.shards_folder(path)
    if version == SCHEMA_VERSION and folder.is_dir():
        gone: set[Path] = set()
        for file in sorted(folder.iterdir()):
            if layout.is_shard_file(file):
                try:
                    _parse_shard_file(file, file.read_bytes())
                except StoreDamaged as damage:
                    plan.append((file, _restorable_backup(file, damage.reason, shard=True)))
            elif file.name.endswith(_BACKUP_SUFFIX):
                live = file.with_name(file.name[: -len(".bak")])
                if not live.exists():
                    gone.add(live)
        for file in sorted(gone):
            if not file.exists():
                plan.append((file, _restorable_backup(file, missing_reason(None), shard=True)))
    aside: list[Path] = []
    for file, raw in plan:
        scratch = layout.scratch_folder(path) if file != path else None
        if file.exists():
            aside.append(aside_path(file))
            preserve_copy(file, aside[-1], scratch)
        # Not keep_backup: the damaged file must not become the new backup.
        replace_atomically(file, raw, scratch=scratch)
    if any(file != path for file, _ in plan):
        # The journal is derived from the shards, some of which changed: derive it again.
        Journal(layout.journal_path(path), layout.scratch_folder(path)).rewrite(scan_shards(path))
    return aside


def scan_shards(path: Path) -> list[Summary]:
    """The summary of every article file of the store at ``path``, read from the files (slow: only
    to rebuild the journal). :class:`StoreDamaged` for the first damaged one; ``FileNotFoundError``
    if the folder is gone."""
    folder = layout.shards_folder(path)
    return [summary_of_file(file) for file in sorted(folder.iterdir()) if layout.is_shard_file(file)]


def _parse_shard_file(file: Path, raw: bytes) -> tuple[Tables, str]:
    tables = shards.parse(file, raw)
    article_id = shards.article_of(tables)
    assert article_id is not None  # checked by shards.parse
    return tables, article_id


def _manifest_problem(path: Path) -> str | None:
    """Why the manifest at ``path`` cannot be opened, or ``None`` if it can (or there is none)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        return "the file is empty" if backup_path(path).exists() else None
    try:
        check_manifest_or_store(parse_tables(path, raw))
    except StoreDamaged as damage:
        return damage.reason
    except LayoutError as error:
        return str(error)
    return None


def check_manifest_or_store(tables: Tables) -> None:
    """Check a manifest of the current version, or a whole single-file store of an older one
    (what opening would migrate); :class:`NewerVersion` for a newer one."""
    version = schema.version_of(tables)
    if version > SCHEMA_VERSION:
        raise NewerVersion(version)
    if version < SCHEMA_VERSION:
        schema.check(schema.migrate(tables, version))
    else:
        schema.check_manifest(tables)


def _restorable_backup(file: Path, reason: str, *, shard: bool = False) -> bytes:
    """The bytes of the backup of the damaged ``file``; :class:`RestoreRefused` if it cannot be restored."""
    backup = backup_path(file)
    try:
        raw = backup.read_bytes()
    except FileNotFoundError:
        raise RestoreRefused(messages.no_backup_message(file, backup, reason), file) from None
    try:
        if shard:
            _parse_shard_file(file, raw)
        else:
            check_manifest_or_store(parse_tables(backup, raw))
    except (StoreDamaged, LayoutError) as error:
        why = error.reason if isinstance(error, StoreDamaged) else str(error)
        raise RestoreRefused(messages.damaged_backup_message(backup, why), backup, Advice.ANOTHER_STORE) from None
    except NewerVersion as newer:
        raise RestoreRefused(messages.newer_backup_message(backup, newer.version), backup) from None
    return raw
