"""Fixtures for Pilot tests: the app on a temporary corpus and store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.config import Settings
from reader.corpus import load_corpus
from tests.helpers import passage


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "annotations.json"


@pytest.fixture
def store(store_path: Path) -> Iterator[AnnotationStore]:
    """The store at ``store_path``, open for the test."""
    with AnnotationStore(store_path) as opened:
        yield opened


@pytest.fixture
def make_app(corpus_dir: Path, store_path: Path, recognizer) -> Callable[..., ReaderApp]:
    """Builds a ReaderApp on the temporary corpus and store (``settings``: the user's, as a test
    wants them, e.g. another coder); the store closes at teardown."""
    stores: list[AnnotationStore] = []

    def build(settings: Settings | None = None) -> ReaderApp:
        store = AnnotationStore(store_path)
        stores.append(store)
        return ReaderApp(load_corpus(corpus_dir), store, recognizer, settings=settings)

    yield build
    for store in stores:
        store.close()


@pytest.fixture
def tag_phrase(store_path: Path, corpus_dir: Path) -> Callable[..., Annotation]:
    """Adds an annotation over the first occurrence of a phrase, straight into the store."""

    def add(phrase: str, *tags: str, note: str = "") -> Annotation:
        article = load_corpus(corpus_dir).articles[0]
        annotation = passage(article, phrase, tags, note=note)
        with AnnotationStore(store_path) as store:
            store.add(annotation, article.ref())
        return annotation

    return add
