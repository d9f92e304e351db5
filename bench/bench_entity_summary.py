"""The library's entity filter over 10,000 cached articles: each article's cached entities read
(the former way) against the cache's entity summary (an indexed query), in the same run.

    python -m bench entity_summary

A corpus of 10,000 ``.txt`` articles is built in scratch folders from the reference and gold
articles (each text made unique by a line of its own, so 10,000 cache entries); the real model's
entities of the four base texts are put in the entity cache for every article (the model is run
four times, not 10,000). Then the filter "Pakistan/GPE" is answered both ways with the corpus
already loaded (its index on disk), medians of a few runs; both must give the same articles.
Building the corpus and cache (10,000 entries with their summaries) is timed once, for context.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from bench.common import REFERENCE, ROOT, median_ms, print_table, scratch_home, timings

if TYPE_CHECKING:
    from reader.corpus import Corpus
    from reader.corpus.finding import EntityQuery
    from reader.nlp import EntityRecognizer

ARTICLES = 10_000
REPEATS = 3
GOLD = ROOT / "tests" / "data" / "gold" / "corpus"


def former_filter(corpus: Corpus, recognizer: EntityRecognizer, wanted: EntityQuery) -> tuple[set[str], int]:
    """The entity filter as it was: every article's text read and its cached entities decoded."""
    from reader.corpus.texts import article_texts

    found: set[str] = set()
    unknown = 0
    for article, text in article_texts(corpus):
        if not recognizer.is_cached(text):
            unknown += 1
        elif any(wanted.matches(text[e.start : e.end], e.label) for e in recognizer.entities(text)):
            found.add(article.id)
    return found, unknown


def summary_filter(corpus: Corpus, recognizer: EntityRecognizer, wanted: EntityQuery) -> tuple[set[str], int]:
    """The entity filter from the summary, as :meth:`LibraryWork.find_entity` answers it."""
    from reader.nlp.entity_lookup import articles_mentioning, coverage, summary_cache

    cache = summary_cache(recognizer)
    assert cache is not None
    model = recognizer.cache_key
    covered = coverage(cache, model, corpus.articles)
    assert not covered.unsummarised
    found = articles_mentioning(cache, model, corpus.articles, wanted.folded, wanted.label)
    summarised = cache.summarised(model, [article.sha256 for article in corpus.articles])
    return found, sum(1 for article in corpus.articles if article.sha256 not in summarised)


def main() -> None:
    from reader.corpus import load_corpus
    from reader.corpus.finding import EntityQuery
    from reader.nlp import Entity, EntityRecognizer
    from reader.nlp.cache import EntityCache

    files = [REFERENCE, *sorted(GOLD.glob("*.txt"))]
    with scratch_home("bench-entity-summary-") as home:
        recognizer = EntityRecognizer(cache=EntityCache(home / "entities"))
        folder = home / "corpus"
        folder.mkdir()
        start = time.perf_counter()
        for number in range(ARTICLES):
            text = files[number % len(files)].read_text(encoding="utf-8").rstrip("\n")
            (folder / f"a{number:05d}.txt").write_text(f"{text}\nArticle number {number}.\n", encoding="utf-8")
        corpus = load_corpus(folder)
        base_entities: dict[int, list[Entity]] = {}
        cache = recognizer.cache
        assert cache is not None
        for article in corpus.articles:
            which = int(article.id.removeprefix("a")) % len(files)
            if which not in base_entities:
                base_entities[which] = recognizer.entities(article.text)  # the model, once a base text
            else:
                cache.put(article.text, recognizer.cache_key, base_entities[which])
        built = time.perf_counter() - start
        wanted = EntityQuery.parse("Pakistan/GPE")
        before, after = former_filter(corpus, recognizer, wanted), summary_filter(corpus, recognizer, wanted)
        assert before == after, "the two ways disagree"
        former = median_ms(timings(partial(former_filter, corpus, recognizer, wanted), REPEATS))
        summary = median_ms(timings(partial(summary_filter, corpus, recognizer, wanted), REPEATS))
        size = sum(path.stat().st_size for path in (home / "entities").iterdir()) / 1e6
    print(f"{ARTICLES:,} articles, {len(after[0]):,} mention Pakistan/GPE; corpus and cache built in {built:.1f} s")
    print(f"cache database with summaries: {size:.1f} MB")
    print_table(
        ("entity filter", "median ms", "vs summary"),
        [
            ("each article's entries decoded (former)", f"{former:.0f}", f"{former / summary:.1f}x"),
            ("entity summary (indexed query)", f"{summary:.0f}", "1.0x"),
        ],
    )


if __name__ == "__main__":
    main()
