"""A TinyDB storage whose file is never left half-written, and that writes once per change.

TinyDB's ``JSONStorage`` rewrites its file in place, so a crash mid-write leaves a truncated,
unreadable store. ``AtomicJSONStorage`` writes a uniquely named temporary file beside the store,
fsyncs it, keeps the previous version as a backup and renames the new file over the old one, then
fsyncs the folder. At any instant the store file is either the old version or the new one, whole.

A :meth:`AtomicJSONStorage.transaction` gathers the reads and writes of one logical change (which
TinyDB sees as several separate table operations) so that the file is read once and written at
most once, and not at all if the change fails half way.

Temporaries are made beside the file they replace, or in a *scratch folder* on the same
filesystem when many files share one folder (the store's per-article shards): then cleaning up
after a crash means emptying one small folder instead of searching a large one.

:func:`append_durably` is the one write that is not a whole-file replacement: it adds a line to
the store's index journal (:mod:`annotations.journal`), whose reader recognises a torn last line.

Locking across processes is the store's job (:mod:`annotations.store`), because a lock must span
a whole read-modify-write. Everything here that touches files other than through a fresh
temporary (cleaning strays, replacing the store) assumes the caller holds that lock.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

#: Temporary files are named ``.<store name>.<random>.tmp`` beside the store.
TEMP_SUFFIX = ".tmp"

#: The parsed store: tables by name, documents by id.
Tables = dict[str, dict[str, dict[str, Any]]]

#: Errors from :func:`os.link` that mean "this filesystem cannot hard-link here": copy instead.
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


class DamagedFile(Exception):
    """A file of the store that is there but cannot be read as what it should be: which, and why."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class StoreDamaged(DamagedFile):
    """The store file exists but is not a readable store; its bytes are left as they are."""


class StoreWriteFailed(Exception):
    """Writing the store failed; ``replaced`` says whether the new version is in place anyway.

    ``replaced`` is false when the failure came before the rename (the old file is intact) and
    true when only the final fsync of the folder failed (the new file is whole, but whether it
    would survive a power cut is unknown).
    """

    def __init__(self, path: Path, error: OSError, *, replaced: bool) -> None:
        self.path = path
        self.error = error
        self.replaced = replaced
        super().__init__(f"{path}: {error}")


def backup_path(path: Path) -> Path:
    """Where the last good version of the store at ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def temporary_path(path: Path, scratch: Path | None = None) -> Path:
    """A fresh, unused name for a temporary standing in for ``path``: beside it, or in the
    ``scratch`` folder (which must be on the same filesystem). Cleaned as a stray if left."""
    return (scratch or path.parent) / f".{path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}"


def remove_stray_temporaries(path: Path) -> list[Path]:
    """Delete temporary files (and folders) that a crashed writer left beside the store at ``path``.

    The caller must hold the store's lock: another process's temporary is only "stray" if that
    process is not in the middle of writing it. Returns what was removed.
    """
    return _remove(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


def remove_temporaries_in(scratch: Path) -> list[Path]:
    """Empty a scratch folder of the temporaries crashed writers left there (caller holds the lock)."""
    try:
        return _remove(scratch.glob(f".*{TEMP_SUFFIX}"))
    except FileNotFoundError:
        return []


def _remove(strays: Iterator[Path]) -> list[Path]:
    removed: list[Path] = []
    for stray in strays:
        if stray.is_dir() and not stray.is_symlink():
            shutil.rmtree(stray, ignore_errors=True)
        else:
            stray.unlink(missing_ok=True)
        removed.append(stray)
    return removed


def parse_tables(path: Path, raw: bytes) -> Tables:
    """The TinyDB tables in ``raw`` (the bytes of ``path``), or :class:`StoreDamaged` saying why not.

    Only TinyDB's shape is checked here (an object of tables, each an object of documents, each
    an object); what the documents must hold is :mod:`annotations.schema`'s business.
    """
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise StoreDamaged(path, f"it is not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise StoreDamaged(path, f"it holds a JSON {type(data).__name__}, not an object of tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreDamaged(path, f"its table {name!r} is not an object of documents")
        for doc_id, document in table.items():
            if not isinstance(document, dict):
                raise StoreDamaged(path, f"document {doc_id!r} of table {name!r} is not an object")
    return data


def serialise(tables: Tables) -> bytes:
    """The bytes a store file holds for ``tables``; raises (``TypeError``) for non-JSON values."""
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new name in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    """Write all of ``payload`` to ``fd``, continuing after short writes."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_new_file(path: Path, payload: bytes) -> None:
    """Create ``path`` (which must not exist) holding ``payload``, fsynced; removed again on failure.

    For files in a folder that is itself new and not yet in place (a migration's staging folder),
    where a rename per file would buy nothing.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_temporary(target: Path, payload: bytes, scratch: Path | None = None) -> Path:
    """A durable temporary file for ``target`` holding ``payload``; nothing is left on failure."""
    temporary = temporary_path(target, scratch)
    write_new_file(temporary, payload)
    return temporary


def append_durably(path: Path, payload: bytes) -> None:
    """Add ``payload`` at the end of the existing file ``path`` and make it durable.

    Raises :class:`StoreWriteFailed` (``replaced`` false) on any filesystem error. A failure or a
    crash part way can leave the start of ``payload`` at the end of the file: whoever reads the
    file must recognise such a torn tail (the index journal ends every record with a newline).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise StoreWriteFailed(path, error, replaced=False) from error


def replace_atomically(target: Path, payload: bytes, *, keep_backup: bool = False, scratch: Path | None = None) -> None:
    """Make ``target`` hold ``payload``: whole or not at all, even if the process dies midway.

    With ``keep_backup`` the version being replaced becomes :func:`backup_path` of ``target``;
    the backup is only switched once the new version is in place, so a failed write leaves the
    previous backup too. Temporaries go in ``scratch`` if given, else beside ``target``. Raises
    :class:`StoreWriteFailed` on any filesystem error, with no temporary file left behind.
    """
    created: list[Path] = []
    try:
        try:
            created.append(_write_temporary(target, payload, scratch))
            if keep_backup and target.exists():
                created.append(_snapshot(target, backup_path(target), scratch))
            os.replace(created[0], target)
        except OSError as error:
            raise StoreWriteFailed(target, error, replaced=False) from error
        try:
            if len(created) == 2:
                os.replace(created[1], backup_path(target))
            fsync_folder(target.parent)
        except OSError as error:
            raise StoreWriteFailed(target, error, replaced=True) from error
    finally:
        for leftover in created:
            leftover.unlink(missing_ok=True)


def preserve_copy(source: Path, destination: Path, scratch: Path | None = None) -> None:
    """Make ``destination`` an exact, durable copy of ``source`` as it is now, replacing it atomically.

    Raises :class:`OSError`, leaving no temporary file behind.
    """
    snapshot = _snapshot(source, destination, scratch)
    try:
        os.replace(snapshot, destination)
    finally:
        snapshot.unlink(missing_ok=True)


def _snapshot(source: Path, destination: Path, scratch: Path | None = None) -> Path:
    """A temporary for ``destination`` (in ``scratch`` or beside it) with the content ``source`` has now.

    A hard link where the filesystem allows it: it costs nothing, and since the store is only
    ever replaced by renaming, never rewritten in place, the link keeps the old version. Where
    hard links are not possible the bytes are copied.
    """
    link = temporary_path(destination, scratch)
    try:
        os.link(source, link)
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        return _write_temporary(destination, source.read_bytes(), scratch)
    return link


class AtomicJSONStorage(Storage):
    """JSON storage with atomic replacement of the whole file on every write.

    An empty store file is taken for a new store only if there is no backup beside it; with a
    backup, an empty file means a store that lost its content, which must not be overwritten (the
    next write would also replace the backup with the empty file).
    """

    def __init__(self, path: str | os.PathLike[str], scratch: str | os.PathLike[str] | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        #: Where temporaries are made (beside the file if ``None``); see :func:`temporary_path`.
        self.scratch = None if scratch is None else Path(scratch)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Inside a transaction: the latest state as bytes (None: no store yet), and whether it
        # differs from the file. ``_in_transaction`` is separate because ``None`` is a state.
        self._in_transaction = False
        self._loaded = False
        self._staged: bytes | None = None
        self._dirty = False

    def remove_stray_temporaries(self) -> list[Path]:
        """Delete temporary files a crashed writer left; the caller must hold the store's lock."""
        return remove_stray_temporaries(self.path)

    def read_bytes(self) -> bytes | None:
        """The store file's bytes, or ``None`` for a store that does not exist yet."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            if backup_path(self.path).exists():
                raise StoreDamaged(self.path, "the file is empty")
            return None
        return raw

    def read(self) -> Tables | None:
        if not self._in_transaction:
            raw = self.read_bytes()
            return None if raw is None else parse_tables(self.path, raw)
        if not self._loaded:
            raw = self.read_bytes()
            tables = None if raw is None else parse_tables(self.path, raw)
            self._staged, self._loaded = raw, True
            return tables
        # A fresh copy each time: TinyDB changes what it reads in place before writing it back.
        return None if self._staged is None else json.loads(self._staged)

    def write(self, data: Tables) -> None:
        # Serialise first: a document that cannot be written must not touch any file.
        payload = serialise(data)
        if self._in_transaction:
            self._staged, self._loaded, self._dirty = payload, True, True
        else:
            replace_atomically(self.path, payload, keep_backup=True, scratch=self.scratch)

    @property
    def changed(self) -> bool:
        """Whether the current transaction has written anything (that would be committed)."""
        return self._in_transaction and self._dirty

    @contextmanager
    def transaction(self, on_commit: Callable[[bytes], None] | None = None) -> Iterator[None]:
        """Read the file at most once and write it at most once, at the end, if all went well.

        If the body raises, nothing is written. ``on_commit`` is called with the new bytes after
        the body succeeded and before they replace the file (the store journals the change
        there, ahead of it); if it raises, nothing is written either. Transactions do not nest.
        """
        if self._in_transaction:
            raise RuntimeError("AtomicJSONStorage transactions do not nest")
        self._in_transaction, self._loaded, self._staged, self._dirty = True, False, None, False
        try:
            yield
            if self._dirty and self._staged is not None:
                if on_commit is not None:
                    on_commit(self._staged)
                replace_atomically(self.path, self._staged, keep_backup=True, scratch=self.scratch)
        finally:
            self._in_transaction, self._loaded, self._staged, self._dirty = False, False, None, False

    def close(self) -> None:
        pass
