"""Setup many tests share: annotations over a phrase (or offsets) of a real article, added to a
real store; and a spy on a function that still lets it run.

Many tests start from the same few coded passages; building each ``Annotation.create`` by hand
repeated the same eight lines in a dozen files. These helpers are that setup, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from annotations import Annotation, AnnotationStore
from reader.corpus import Article


def quoted(
    text: str,
    phrase: str,
    tags: Sequence[str] = (),
    *,
    article_id: str,
    article_sha256: str = "",
    note: str = "",
    coder: str | None = None,
) -> Annotation:
    """A new annotation over the first occurrence of ``phrase`` in a bare ``text`` (no corpus article)."""
    start = text.index(phrase)
    return Annotation.create(
        article_id=article_id,
        article_sha256=article_sha256,
        text=text,
        start=start,
        end=start + len(phrase),
        tags=list(tags),
        note=note,
        coder=coder,
    )


def span(
    article: Article, start: int, end: int, tags: Sequence[str] = (), *, note: str = "", coder: str | None = None
) -> Annotation:
    """A new annotation of ``article.text[start:end]`` by ``coder`` (default: the default coder)."""
    return Annotation.create(
        article_id=article.id,
        article_sha256=article.sha256,
        text=article.text,
        start=start,
        end=end,
        tags=list(tags),
        note=note,
        coder=coder,
    )


def passage(
    article: Article, phrase: str, tags: Sequence[str] = (), *, note: str = "", coder: str | None = None
) -> Annotation:
    """A new annotation over the first occurrence of ``phrase`` in ``article``."""
    return quoted(
        article.text, phrase, tags, article_id=article.id, article_sha256=article.sha256, note=note, coder=coder
    )


def add_passages(
    store_path: Path, article: Article, passages: Iterable[tuple[str, Sequence[str]]], *, coder: str | None = None
) -> list[Annotation]:
    """Each ``(phrase, tags)`` of ``article``, by ``coder``, added to the store at ``store_path``; what it holds."""
    with AnnotationStore(store_path) as store:
        return [store.add(passage(article, phrase, tags, coder=coder), article.ref()) for phrase, tags in passages]


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """Record the positional arguments of every call of ``owner.name`` from now on (the call still
    happens, as it would have): how a test sees which files were renamed or which articles written."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(owner, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    """A corpus folder holding ``files`` (name to UTF-8 text), made afresh."""
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
