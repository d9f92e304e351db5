"""Entity questions about a whole corpus answered from the cache's summary
(:mod:`reader.nlp.entity_summary`) rather than by decoding each article's cached entities: the
library's entity filter and ``reader stats --corpus``.

The summary holds the entities as the model and rules found them; the user's entity corrections
change them per text, so while there are corrections these answers are not given (None) and the
callers count the old way, from each article's corrected entities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.nlp.cache import EntityCache
from reader.nlp.entity_summary import EntityTotal

if TYPE_CHECKING:
    from reader.corpus.article import Article
    from reader.nlp.entities import EntityRecognizer


def summary_cache(recognizer: EntityRecognizer) -> EntityCache | None:
    """The recognizer's cache when its summary answers as its entities would: there is a cache,
    and no user corrections to apply on top of it; else None."""
    if recognizer.cache is None:
        return None
    if recognizer.corrections is not None and recognizer.corrections():
        return None
    return recognizer.cache


@dataclass
class Coverage:
    """How far the summary covers some articles: the text hashes summarised, and the articles
    whose entities are cached but not summarised yet (their texts must be read once, to make it)."""

    summarised: set[str]
    unsummarised: list[Article]


def coverage(cache: EntityCache, model: str, articles: Sequence[Article]) -> Coverage:
    """Which of ``articles`` the summary covers, found by their text hashes alone."""
    shas = [article.sha256 for article in articles]
    summarised = cache.summarised(model, shas)
    cached = cache.cached_among(model, [sha for sha in shas if sha not in summarised])
    return Coverage(summarised, [article for article in articles if article.sha256 in cached])


def articles_mentioning(
    cache: EntityCache, model: str, articles: Sequence[Article], key: str, label: str | None
) -> set[str]:
    """The ids of ``articles`` whose summarised entities include the entity of folded words ``key``
    (with ``label``, when given)."""
    shas = cache.mentioning(model, key, label)
    return {article.id for article in articles if article.sha256 in shas}


def corpus_totals(cache: EntityCache, model: str, articles: Sequence[Article]) -> list[EntityTotal] | None:
    """Each entity of ``articles`` (every one of which must be summarised, else None), most
    mentioned first, counted as :class:`~reader.nlp.entity_index.EntityIndex` counts."""
    shas = [article.sha256 for article in articles]
    if len(cache.summarised(model, shas)) < len(set(shas)):
        return None
    return cache.totals(model, shas)
