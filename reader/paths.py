"""Where reader keeps things on this machine: one module, so no path is decided twice.

Data (the annotation store) lives in the user data folder; the entity cache and the corpus
indexes in the user cache folder; what the user was reading (read articles, where they stopped)
in the user state folder; as platformdirs names them (XDG on Linux), never inside the package or
a corpus folder.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_path, user_data_path, user_state_path

APP_NAME = "reader"


def default_store_path() -> Path:
    return user_data_path(APP_NAME) / "annotations.json"


def entity_cache_dir() -> Path:
    return user_cache_path(APP_NAME) / "entities"


def corpus_index_dir(root: Path) -> Path:
    """The folder of one corpus's index and text store, named by a hash of its absolute path."""
    key = hashlib.sha256(str(Path(root).expanduser().resolve()).encode("utf-8")).hexdigest()[:24]
    return user_cache_path(APP_NAME) / "corpus-index" / key


def reading_state_path() -> Path:
    """The small JSON file of articles read and where the reader stopped in each."""
    return user_state_path(APP_NAME) / "reading.json"


def error_log_path() -> Path:
    """Where the traceback of an unexpected error is kept, for the user to send with a report."""
    return user_state_path(APP_NAME) / "errors.log"


def quick_tags_path() -> Path:
    """The small JSON file of which tag each number key applies (kept stable across restarts)."""
    return user_state_path(APP_NAME) / "quick-tags.json"


def user_patterns_path() -> Path:
    """The user's entity patterns, merged with the shipped ones (see :mod:`reader.nlp.patterns`)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "patterns.jsonl"


def sample_corpus_dir() -> Path:
    """The sample corpus shipped inside the package."""
    return Path(str(files("reader.corpus") / "sample"))
