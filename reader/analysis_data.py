"""What the analysis core (:mod:`annotations.analysis`) needs from the corpus, gathered once for
``reader report`` and the analysis screen alike: article metadata, paragraph spans and entity
mentions keyed exactly as the entity index keys them (:class:`reader.nlp.entity_index.EntityIndex`),
so a count here agrees with ``reader stats`` and the ``I`` screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotations import Annotation, AnnotationStore, ArticleRef
from annotations.analysis import (
    ArticleInfo,
    CodedPassages,
    CodeMatrix,
    Grouping,
    code_timeline,
    coded_entries,
    coded_passages,
)
from annotations.analysis_cooccurrence import Span
from annotations.analysis_entities import EntityId, EntityMention
from annotations.analysis_index import index_matrix
from annotations.journal import Entry, gc_paused
from reader.nlp.entity_index import EntityIndex

if TYPE_CHECKING:
    from reader.corpus import Corpus
    from reader.nlp.model import Entity


def article_infos(corpus: Corpus | None, known: Mapping[str, ArticleRef]) -> dict[str, ArticleInfo]:
    """Title, date and source of every article the store knows: from the corpus when it has the
    article (the source is only there), else as the store recorded it when it was tagged."""
    infos = {ref.id: ArticleInfo(ref.id, ref.title, ref.date) for ref in known.values()}
    if corpus is not None:
        for article_id in list(infos):
            article = corpus.get(article_id)
            if article is not None:
                infos[article_id] = ArticleInfo(article.id, article.title, article.date, article.source)
    return infos


def indexed_matrix(
    store: AnnotationStore, corpus: Corpus | None, by: Grouping = "article"
) -> tuple[CodeMatrix, dict[str, ArticleInfo], dict[str, list[Entry]]]:
    """The code matrix's counts from the store's index alone (no article file read: what makes
    the analysis screen open fast), the articles' metadata, and the index's entries by article
    (from which :func:`annotations.analysis.coded_entries` gets the ids behind every number)."""
    with gc_paused():  # hundreds of thousands of small objects, none in a cycle
        entries = dict(store.tagged())
        infos = article_infos(corpus, store.articles())
        return index_matrix(*store.tag_articles(), entries, infos, by), infos, entries


def id_tables(entries: Mapping[str, list[Entry]], infos: Mapping[str, ArticleInfo]) -> tuple[CodedPassages, CodeMatrix]:
    """After :func:`indexed_matrix`: the codes of every passage (no passage read), for the
    other groupings of the matrix, and the timeline."""
    with gc_paused():
        coded = coded_entries(entries.items())
        return coded, code_timeline(coded, infos)


def read_passages(store: AnnotationStore) -> CodedPassages:
    """Every coded passage read from the store, offsets and quotes: what co-occurrence and
    entities need (slow on a big store: read only when one of those tables is asked for)."""
    with gc_paused():
        return coded_passages(store.all())


def paragraph_spans(text: str) -> list[Span]:
    """The paragraphs of an article's displayed text: one a line (title and date lines too),
    empty lines left out, as :mod:`reader.corpus.formats.common` composes every format."""
    spans: list[Span] = []
    start = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def coded_texts(corpus: Corpus, annotations: Iterable[Annotation]) -> dict[str, str]:
    """The texts of the corpus's articles that have passages, by id (an unreadable one left out)."""
    from reader.corpus import ArticleUnavailable

    texts: dict[str, str] = {}
    for article_id in dict.fromkeys(annotation.article_id for annotation in annotations):
        article = corpus.get(article_id)
        if article is None:
            continue
        try:
            texts[article_id] = article.text
        except ArticleUnavailable:
            continue
    return texts


@dataclass
class EntityMentions:
    """Entity mentions for the core and the name each entity is shown by (its commonest spelling)."""

    mentions: list[EntityMention] = field(default_factory=list)
    names: dict[EntityId, str] = field(default_factory=dict)


def entity_mentions(
    texts: Mapping[str, str], find: Callable[[str], list[Entity]], should_stop: Callable[[], bool] = lambda: False
) -> EntityMentions:
    """The mentions of every text's entities (``find`` gives them: cache, else model), counted
    through the entity index so that keys and names follow its one policy."""
    index = EntityIndex()
    for article_id, text in texts.items():
        if should_stop():
            break
        index.add(article_id, text, find(article_id))
    found = EntityMentions()
    for entity in index.entities.values():
        found.names[entity.key] = entity.name
        for article_id, spans in entity.mentions.items():
            found.mentions.extend(EntityMention(article_id, s, e, entity.key[0], entity.label) for s, e in spans)
    return found
