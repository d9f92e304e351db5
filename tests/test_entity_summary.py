"""The entity summary in the cache's database: written with each entry (in its transaction),
made on first read for entries cached before it, made again when its version changes, and
queried (articles mentioning an entity, totals over articles) as EntityIndex counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.nlp import entity_summary
from reader.nlp.cache import EntityCache, text_hash
from reader.nlp.entity_index import EntityIndex
from reader.nlp.model import Entity

MODEL = "m@1"
ONE = "China and china met CHINA in Paris; Ishaq Dar too."
ONE_FOUND = [
    Entity(0, 5, "GPE"),
    Entity(10, 15, "GPE"),
    Entity(20, 25, "GPE"),
    Entity(29, 34, "GPE"),
    Entity(36, 45, "PERSON"),
]
TWO = "Paris, then Chína. Paris!"
TWO_FOUND = [Entity(0, 5, "GPE"), Entity(12, 17, "GPE"), Entity(19, 24, "ORG")]


def summary_row_count(folder: Path) -> int:
    with sqlite3.connect(folder / "entities.sqlite3") as connection:
        return int(connection.execute("SELECT count(*) FROM entity_summary").fetchone()[0])


def test_a_put_entry_is_found_by_its_entity_without_reading_entries(tmp_path: Path):
    cache = EntityCache(tmp_path)
    cache.put(ONE, MODEL, ONE_FOUND)
    cache.put(TWO, MODEL, TWO_FOUND)
    assert cache.mentioning(MODEL, "china") == {text_hash(ONE), text_hash(TWO)}  # accents and case aside
    assert cache.mentioning(MODEL, "paris", "gpe") == {text_hash(ONE), text_hash(TWO)}
    assert cache.mentioning(MODEL, "paris", "ORG") == {text_hash(TWO)}
    assert cache.mentioning(MODEL, "ishaq dar", "GPE") == set()
    assert cache.mentioning("other@2", "china") == set()
    assert cache.summarised(MODEL, [text_hash(ONE), text_hash("not cached")]) == {text_hash(ONE)}


def test_totals_equal_the_entity_index_counting_a_shared_text_twice(tmp_path: Path):
    cache = EntityCache(tmp_path)
    cache.put(ONE, MODEL, ONE_FOUND)
    cache.put(TWO, MODEL, TWO_FOUND)
    articles = [("a", TWO, TWO_FOUND), ("b", ONE, ONE_FOUND), ("c", TWO, TWO_FOUND)]
    index = EntityIndex()
    for article_id, text, found in articles:
        index.add(article_id, text, found)
    expected = [(e.key, e.name, e.total, e.articles) for e in index.most_mentioned()]
    got = cache.totals(MODEL, [text_hash(text) for _, text, _ in articles])
    assert [(e.key, e.name, e.total, e.articles) for e in got] == expected
    assert got[0].name == "Chína" and got[0].total == 5 and got[0].articles == 3


def test_an_entry_cached_before_summaries_is_summarised_when_first_read(tmp_path: Path):
    cache = EntityCache(tmp_path)
    cache._put(text_hash(ONE), MODEL, '[[0, 5, "GPE"]]')  # an entry as written before summaries existed
    assert cache.summarised(MODEL, [text_hash(ONE)]) == set()
    assert cache.get(ONE, MODEL) == [Entity(0, 5, "GPE")]
    assert cache.summarised(MODEL, [text_hash(ONE)]) == {text_hash(ONE)}
    assert cache.mentioning(MODEL, "china", "GPE") == {text_hash(ONE)}


def test_a_new_summary_version_makes_the_rows_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = EntityCache(tmp_path)
    cache.put(ONE, MODEL, ONE_FOUND)
    monkeypatch.setattr(entity_summary, "VERSION", entity_summary.VERSION + 1)
    assert cache.summarised(MODEL, [text_hash(ONE)]) == set()
    before = summary_row_count(tmp_path)
    assert cache.get(ONE, MODEL) == ONE_FOUND
    assert cache.summarised(MODEL, [text_hash(ONE)]) == {text_hash(ONE)}
    assert summary_row_count(tmp_path) == before  # replaced, not added to


def test_an_entry_and_its_summary_are_written_together_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cache = EntityCache(tmp_path)
    cache.put(TWO, MODEL, TWO_FOUND)

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(entity_summary, "write_summary", fail)
    cache.put(ONE, MODEL, ONE_FOUND)  # no error: a cache only costs speed
    assert cache.count(MODEL) == 1 and cache.get(ONE, MODEL) is None
