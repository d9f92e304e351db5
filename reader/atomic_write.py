"""Write a small file whole or not at all: a temporary beside it, then one rename over it.

Used for what reader keeps on the side (the corpus index, its text store, the reading state):
a crash or a full disk leaves the previous version, never a half-written file. No fsync: these
files are caches and conveniences, cheap to lose and rebuilt on the next start.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8); raises OSError and leaves the old file if it fails."""
    write_lines_atomically(path, (text,))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``; raises OSError and leaves the old file if it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_lines_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Replace ``path`` with the concatenated ``chunks``, streamed, so a large file never sits in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
