"""The named entities of a corpus for the commands that need them (stats, export, ner): the
recognizer with the user's corrections, and the cache filled with a progress bar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.corrections import CorrectionBook
from reader.cli.shared import UserError
from reader.paths import entity_cache_dir

if TYPE_CHECKING:
    from reader.corpus import Corpus
    from reader.nlp import Entity, EntityRecognizer


def make_recognizer(model: str | None, store: Path | None = None, *, rules: bool = True) -> EntityRecognizer:
    """The recognizer for ``model`` (with the rule layer unless ``rules`` is False); with a
    ``store`` that exists, its entity corrections apply."""
    from reader.nlp import DEFAULT_MODEL, EntityRecognizer, ModelUnavailable
    from reader.nlp.cache import EntityCache

    recognizer = EntityRecognizer(model or DEFAULT_MODEL, EntityCache(entity_cache_dir()), rules=rules)
    if store is not None and store.exists():
        recognizer.corrections = CorrectionBook(store).all
    try:
        _ = recognizer.identity  # fails early, with the reason, for a model that is not installed
    except ModelUnavailable as error:
        raise UserError(f"{error}.") from None
    return recognizer


def load_pipeline(recognizer: EntityRecognizer) -> None:
    from reader.nlp import ModelUnavailable

    try:
        recognizer.load()
    except ModelUnavailable as error:
        raise UserError(f"{error}.") from None


def texts_of(corpus: Corpus, article_ids: Iterable[str] = ()) -> dict[str, str]:
    """The texts of the corpus's articles (only of ``article_ids``, when some are given), by id."""
    from reader.corpus.texts import article_texts

    wanted = set(article_ids)
    return {article.id: text for article, text in article_texts(corpus) if not wanted or article.id in wanted}


def find_entities(recognizer: EntityRecognizer, texts: dict[str, str], processes: int = 1) -> dict[str, list[Entity]]:
    """The entities of each text by article id: from the cache, else found now (and cached)."""
    found: dict[str, list[Entity]] = {}
    missing: list[str] = []
    for article_id, text in texts.items():
        cached = recognizer.cached(text)
        if cached is None:
            missing.append(article_id)
        else:
            found[article_id] = cached
    if missing:
        load_pipeline(recognizer)
        with progress_bar(len(missing), "Finding entities") as advance:
            batch = recognizer.pipe_entities([texts[article_id] for article_id in missing], processes=processes)
            for article_id, entities in zip(missing, batch, strict=True):
                found[article_id] = recognizer.corrected(texts[article_id], entities)
                advance()
    return found


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for ``total`` steps; the caller calls what it yields once a step."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda: progress.advance(task)
