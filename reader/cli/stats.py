"""``reader stats``: the tags in use and, with a corpus, its named entities, with their counts."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from reader.cli.recognition import find_entities, make_recognizer, texts_of
from reader.cli.shared import (
    EXIT_OK,
    add_corpus_option,
    add_db_option,
    add_model_option,
    existing_store,
    open_corpus,
    out,
    say,
    store_path,
    table,
)

if TYPE_CHECKING:
    from reader.corpus import Corpus
    from reader.nlp import EntityRecognizer


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader stats",
        description="Count the tags in use and, with --corpus, the named entities of a corpus.",
    )
    add_db_option(parser)
    add_corpus_option(parser, "whose entities to count (found with the model unless cached; see reader ner)")
    add_model_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return parser


def run(arguments: argparse.Namespace) -> int:
    with existing_store(arguments.db) as store:
        tags = store.tag_counts() if store is not None else []
    entities = None
    if arguments.corpus is not None:
        corpus = open_corpus(arguments.corpus)
        entities = entity_counts(corpus, make_recognizer(arguments.model, store_path(arguments.db)))
    if arguments.json:
        document: dict[str, Any] = {
            "tags": [{"tag": tag, "count": count} for tag, count in tags],
            "entities": entities,
        }
        out(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    out(table(("TAG", "COUNT"), tags) if tags else "No tags yet.\n")
    if entities is None:
        say("reader: give --corpus DIR to count the entities of a corpus too.")
    else:
        out(
            "\n"
            + table(
                ("ENTITY", "LABEL", "MENTIONS", "ARTICLES"),
                ([e["text"], e["label"], e["count"], e["articles"]] for e in entities),
            )
        )
    return EXIT_OK


def entity_counts(corpus: Corpus, recognizer: EntityRecognizer) -> list[dict[str, Any]]:
    """Each entity of the corpus's index (:mod:`reader.nlp.entity_index`, as the ``I`` screen
    counts them) with its mentions and articles, most mentioned first.

    Answered from the cache's entity summary (:mod:`reader.nlp.entity_lookup`) when it covers the
    corpus, once the articles not yet in it are read (and found by the model, if not cached);
    with user corrections, or a cache that cannot be written, every article's entities are counted.
    """
    from reader.nlp.entity_index import EntityIndex
    from reader.nlp.entity_lookup import corpus_totals, summary_cache

    cache = summary_cache(recognizer)
    if cache is not None:
        model = recognizer.cache_key
        articles = corpus.articles
        summarised = cache.summarised(model, [article.sha256 for article in articles])
        rest = [article.id for article in articles if article.sha256 not in summarised]
        if rest:
            find_entities(recognizer, texts_of(corpus, rest))  # cached now, summary and all
        totals = corpus_totals(cache, model, articles)
        if totals is not None:
            return [{"text": e.name, "label": e.label, "count": e.total, "articles": e.articles} for e in totals]
    read = texts_of(corpus)  # in the text store's order; counted in the corpus's, as the summary is
    texts, index = {a.id: read[a.id] for a in corpus.articles if a.id in read}, EntityIndex()
    for article_id, entities in find_entities(recognizer, texts).items():
        index.add(article_id, texts[article_id], entities)
    return [
        {"text": e.name, "label": e.label, "count": e.total, "articles": e.articles} for e in index.most_mentioned()
    ]
