"""Shared fixtures: the reference article, a temporary corpus, and one spaCy pipeline per session.

No test touches the user's real data or cache: XDG folders point into a temporary folder for
the whole session, before anything reads them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reader" / "corpus" / "sample" / "000_ff5b33da8fd122af.txt"
SHARED = ROOT.parent / "shared"

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="reader-tests-"))
for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
    os.environ[variable] = str(_SESSION_HOME / variable.lower())


_APP_FOLDERS = (ROOT / "tests" / "app", ROOT / "tests" / "e2e")
#: Whole files that are slow on this 2-core machine (real processes killed and raced, a Dask
#: cluster, training, the model over long texts): ``slow``, so the quick set stays short. Every
#: ``test_cli*.py`` is slow too: each test starts the ``reader`` command, spaCy and all.
_SLOW_FILES = tuple(
    ROOT / "tests" / name
    for name in (
        "annotations/test_crash_and_concurrency.py",
        "feeds/test_fetch_trouble.py",
        "test_cluster.py",
        "test_train.py",
        "test_recognition.py",
    )
)


def _is_slow(path: Path) -> bool:
    return path in _SLOW_FILES or path.name.startswith("test_cli")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks every test under tests/app and tests/e2e ``app``, so ``pytest -m "not app"`` runs
    the quick rest without listing each slow Pilot or tmux test by hand."""
    for item in items:
        path = Path(str(item.path)).resolve()
        if any(path.is_relative_to(folder) for folder in _APP_FOLDERS):
            item.add_marker(pytest.mark.app)
        if _is_slow(path):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _own_reading_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with nothing read: the app reopens articles where the reader stopped,
    and one test's caret must not move another's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A fresh corpus folder holding a copy of the reference article."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    return folder


@pytest.fixture(scope="session")
def recognizer() -> Iterator[object]:
    """The real default pipeline, loaded once for the whole session, with a session cache."""
    from reader.nlp import EntityRecognizer
    from reader.nlp.cache import EntityCache

    recognizer = EntityRecognizer(cache=EntityCache(_SESSION_HOME / "entities"))
    recognizer.load()
    yield recognizer
