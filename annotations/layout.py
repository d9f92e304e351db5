"""Where each file of an annotation store lives, given the path the user chose (``--db PATH``).

Since schema version 2 a store is a small file and a folder beside it::

    PATH                      the manifest: TinyDB JSON holding only the schema version
    PATH.bak                  a copy of the manifest, to restore it from if it is damaged
    PATH.lock                 the lock file that writers take turns on
    PATH.v<N>.bak             the store as it was before its migration from version N
    PATH.d/articles/*.json    one TinyDB file ("shard") per article, with its annotations
    PATH.d/articles/*.json.bak  each shard's previous version
    PATH.d/index.log          the index journal, derivable from the shards
    PATH.d/tmp/               scratch space for temporaries, emptied on open

Shards are named after the article id (made safe for any filesystem) plus a hash of the exact
id, so that ids differing only in case or in characters a filesystem cannot hold never share a
file. A shard also records its article id inside, so its name never needs to be decoded.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

#: Characters kept from an article id in its shard's name; others become "_".
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
#: At most this many characters of the article id appear in a shard's name.
_READABLE_CHARS = 40
SHARD_SUFFIX = ".json"
#: Names of the entries of :func:`folder`.
SHARDS = "articles"
SCRATCH = "tmp"
JOURNAL = "index.log"


def folder(path: Path) -> Path:
    """The folder that holds the shards, journal and scratch space of the store at ``path``."""
    return path.with_name(path.name + ".d")


def shards_folder(path: Path) -> Path:
    return folder(path) / SHARDS


def scratch_folder(path: Path) -> Path:
    """Where temporaries for files under :func:`folder` are made (same filesystem, one small folder)."""
    return folder(path) / SCRATCH


def journal_path(path: Path) -> Path:
    return folder(path) / JOURNAL


def lock_path(path: Path) -> Path:
    """The lock file that writers of the store at ``path`` take turns on."""
    return path.with_name(path.name + ".lock")


def version_backup_path(path: Path, version: int) -> Path:
    """Where the store at ``path`` is kept as it was before its migration from ``version``."""
    return path.with_name(f"{path.name}.v{version}.bak")


def shard_name(article_id: str) -> str:
    """The file name of an article's shard: readable, safe everywhere, unique per exact id."""
    readable = _UNSAFE.sub("_", article_id)[:_READABLE_CHARS].strip("_") or "article"
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()
    return f"{readable}-{digest}{SHARD_SUFFIX}"


def shard_path(path: Path, article_id: str) -> Path:
    """The shard file of ``article_id`` in the store at ``path``."""
    return shards_folder(path) / shard_name(article_id)


def is_shard_file(file: Path) -> bool:
    """Whether ``file`` (in :func:`shards_folder`) is a live shard, not a backup, temporary or set-aside file."""
    return file.name.endswith(SHARD_SUFFIX) and not file.name.startswith(".")
