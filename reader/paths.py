"""Where reader keeps things on this machine: one module, so no path is decided twice.

Data (the annotation store) lives in the user data folder and the entity cache in the user cache
folder, as platformdirs names them (XDG on Linux), never inside the package or a corpus folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

APP_NAME = "reader"


def default_store_path() -> Path:
    return user_data_path(APP_NAME) / "annotations.json"


def entity_cache_dir() -> Path:
    return user_cache_path(APP_NAME) / "entities"


def sample_corpus_dir() -> Path:
    """The sample corpus shipped inside the package."""
    return Path(str(files("reader.corpus") / "sample"))
