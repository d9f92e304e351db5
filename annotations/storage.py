"""A TinyDB storage whose file is never left half-written.

TinyDB's ``JSONStorage`` rewrites its file in place, so a crash mid-write leaves a truncated,
unreadable store. ``AtomicJSONStorage`` writes a uniquely named temporary file beside the store,
fsyncs it, keeps the previous version as a backup (a hard link, so no copying) and renames the
new file over the old one, then fsyncs the folder. At any instant the store file is either the
old version or the new one, whole.

Locking across processes is the store's job (:mod:`annotations.store`), because a lock must span
a whole read-modify-write, which a storage sees as two separate calls.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

#: Temporary files are named ``.<store name>.<random>.tmp`` beside the store.
TEMP_SUFFIX = ".tmp"


class StoreDamaged(Exception):
    """The store file exists but is not a readable store; its bytes are left as they are."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def backup_path(path: Path) -> Path:
    """Where the last good version of the store at ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicJSONStorage(Storage):
    """JSON storage with atomic replacement of the whole file on every write."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.remove_stray_temporaries()

    def remove_stray_temporaries(self) -> None:
        """Delete temporary files that a crashed writer left beside the store."""
        pattern = f".{self.path.name}.*{TEMP_SUFFIX}"
        for stray in self.path.parent.glob(pattern):
            stray.unlink(missing_ok=True)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise StoreDamaged(self.path, f"not valid JSON ({error})") from None
        if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
            raise StoreDamaged(self.path, "not a TinyDB document (expected an object of tables)")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # Serialise first: a document that cannot be written must not touch any file.
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(payload)
                stream.flush()
                os.fsync(stream.fileno())
            self._keep_backup()
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_folder(self.path.parent)

    def _keep_backup(self) -> None:
        """Point the backup at the current store file before it is replaced."""
        if not self.path.exists():
            return
        link = Path(tempfile.mktemp(prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX, dir=self.path.parent))
        try:
            os.link(self.path, link)
            os.replace(link, backup_path(self.path))
        finally:
            link.unlink(missing_ok=True)

    def close(self) -> None:
        pass
