"""Finding a corpus's article files, and reading one without ever blocking on it.

The walk lists regular files with an article suffix below the root. What else carries such a
suffix is a problem the user can act on, not something to read or to hang on:

* a pipe (FIFO), socket or device: reading a pipe waits for a writer that may never come;
* a symbolic link to a file outside the corpus folder: the corpus is what is in its folder;
* a symbolic link that loops or points nowhere;
* a name that is not UTF-8 (its id could not be written anywhere).

Symbolic links to files inside the root are followed; links to folders are not (so the walk
cannot loop). Hidden files and folders (a leading dot) are skipped.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from reader.corpus.decoding import NOT_REGULAR
from reader.corpus.formats import is_article_file
from reader.corpus.index import FileStamp


def scan(root: Path, problems: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, FileStamp]]:
    """(path relative to ``root``, with ``/``; stamp) of every article file below ``root``.

    Files with an article suffix that cannot be read as one go to ``problems`` as (relative
    path, reason) instead.
    """
    top = os.fspath(root)
    real_top = os.path.realpath(top)
    pending = [(top, "")]
    while pending:
        folder, prefix = pending.pop()
        for entry in _entries(folder):
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{name}/"))
                    continue
            except OSError:
                continue
            if not is_article_file(name):
                continue
            relative = prefix + name
            if not _is_text(relative):
                if problems is not None:
                    problems.append((printable(relative), NOT_TEXT_NAME))
                continue
            try:
                reason = _link_problem(entry.path, real_top) if entry.is_symlink() else None
                info = entry.stat() if reason is None else None
            except OSError as error:
                reason = _os_reason(error)
                info = None
            if info is not None and not stat.S_ISREG(info.st_mode):
                reason = NOT_REGULAR if not stat.S_ISDIR(info.st_mode) else None
                if reason is None:
                    continue  # a link to a folder named like an article: not followed, not a file
            if reason is not None:
                if problems is not None:
                    problems.append((relative, reason))
                continue
            assert info is not None
            yield relative, FileStamp(info.st_size, info.st_mtime_ns)


def _entries(folder: str) -> Iterator[os.DirEntry[str]]:
    """The entries of ``folder`` one by one (a folder of 100,000 files is never a list in
    memory); none if it cannot be listed, and those before if listing fails midway."""
    try:
        with os.scandir(folder) as entries:
            yield from entries
    except OSError:
        return


NOT_TEXT_NAME = "its name is not UTF-8 text (shown here with \ufffd); rename it to read it"


def _is_text(name: str) -> bool:
    """Whether a file name (as :func:`os.fsdecode` made it) is text: an article's id is its name,
    and an id must be writable to the store, exports and the terminal."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(name: str) -> str:
    """A file name that is not UTF-8, with each byte that is not made U+FFFD, for messages."""
    return os.fsencode(name).decode("utf-8", "replace")


def _link_problem(path: str, real_top: str) -> str | None:
    """Why the symbolic link at ``path`` is not followed, or None when it leads inside the root."""
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return "it is a symbolic link that loops or points to nothing"
    if os.path.commonpath([real_top, target]) != real_top:
        return f"it is a symbolic link to {target}, outside the corpus folder; copy the file in instead"
    return None


def _os_reason(error: OSError) -> str:
    if error.errno is not None and error.errno == getattr(os, "ELOOP", None):
        return "it is a symbolic link that loops"
    return error.strerror or str(error)
