"""Replace a whole file at once: write a temporary file beside it, then rename it over the old one.

Readers see the old file or the new one, never half of either, and a failed write leaves the old
file and no temporary behind. For the small files around the store (undo history, exports,
caches, reading state). The store's own files use :class:`annotations.storage.AtomicJSONStorage`,
which also syncs to disk and keeps a backup.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO


def replace_file(path: Path, write: Callable[[BinaryIO], object], *, parents: bool = False) -> None:
    """Replace ``path`` with what ``write`` writes to the stream it is given.

    With ``parents``, missing folders are made first. Raises OSError (and leaves the old file) if
    the file cannot be written.
    """
    if parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def replace_bytes(path: Path, data: bytes, *, parents: bool = False) -> None:
    replace_file(path, lambda stream: stream.write(data), parents=parents)


def replace_text(path: Path, chunks: Iterable[str], *, parents: bool = False) -> None:
    """Replace ``path`` with the UTF-8 text of ``chunks``, streamed (a large file never sits in memory)."""

    def write(stream: BinaryIO) -> None:
        for chunk in chunks:
            stream.write(chunk.encode("utf-8"))

    replace_file(path, write, parents=parents)
