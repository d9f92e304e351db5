"""The library's entity filter and ``reader stats --corpus`` answer from the cache's entity
summary: no article's cached entities are decoded, and the answers equal counting each article's
entities (the former way) on a real corpus with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.nlp.cache as cache_module
from reader.app.app import ReaderApp
from reader.app.screens.library import LibraryScreen
from reader.cli.stats import entity_counts
from reader.corpus import Corpus, load_corpus
from reader.corpus.finding import EntityQuery
from reader.nlp.entity_index import EntityIndex
from reader.nlp.model import Entity
from tests.app.helpers import gold_corpus, wait_until
from tests.conftest import REFERENCE, ROOT

GOLD = ROOT / "tests" / "data" / "gold" / "corpus"


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    """The reference article, the three gold articles and a second copy of one of them."""
    return gold_corpus(tmp_path / "corpus")


def decodes_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count each decode of a cached entry (the JSON list of an article's entities)."""
    calls: list[str] = []
    decode = cache_module._entities

    def spy(records: str) -> list[Entity] | None:
        calls.append(records)
        return decode(records)

    monkeypatch.setattr(cache_module, "_entities", spy)
    return calls


def former_counts(corpus: Corpus, recognizer) -> list[dict[str, object]]:
    """reader stats' entities counted the former way: every article's cached entities, in corpus order."""
    index = EntityIndex()
    for article in corpus.articles:
        index.add(article.id, article.text, recognizer.entities(article.text))
    return [
        {"text": e.name, "label": e.label, "count": e.total, "articles": e.articles} for e in index.most_mentioned()
    ]


async def filtered(app: ReaderApp, wanted: str) -> tuple[set[str], str]:
    """The ids the library shows with the entity filter ``wanted``, and its filter line."""
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready and screen.facts_ready)
        await pilot.press("e", *wanted, "enter")
        await wait_until(pilot, lambda: screen.entity_filter_done)
        return {article.id for article in screen.shown}, str(screen.query_one("#library-filters").render())


def test_stats_counts_from_the_summary_without_decoding_an_entry(corpus_folder, recognizer, monkeypatch):
    corpus = load_corpus(corpus_folder)
    expected = former_counts(corpus, recognizer)  # every article cached (and summarised) now
    calls = decodes_counted(monkeypatch)
    counted = entity_counts(load_corpus(corpus_folder), recognizer)
    assert calls == []
    assert counted == expected
    assert any(e["articles"] >= 2 for e in counted)  # the drought story's entities, in its copy too


def test_stats_of_entries_cached_before_summaries_are_summarised_once(corpus_folder, recognizer, tmp_path, monkeypatch):
    from reader.nlp import EntityRecognizer
    from reader.nlp.cache import EntityCache

    corpus = load_corpus(corpus_folder)
    expected = former_counts(corpus, recognizer)
    old = EntityCache(tmp_path / "old-cache")
    for article in corpus.articles:  # entries as written before there were summaries
        records = cache_module.json.dumps([e.to_record() for e in recognizer.cached_raw(article.text)])
        old._put(cache_module.text_hash(article.text), recognizer.cache_key, records)
    fresh = EntityRecognizer(recognizer.model, old)
    fresh._nlp, fresh._identity = recognizer._nlp, recognizer.identity  # the loaded model, not loaded again
    calls = decodes_counted(monkeypatch)
    assert entity_counts(load_corpus(corpus_folder), fresh) == expected
    assert len(calls) == len(corpus.articles)  # each article's entry read once, to summarise it
    calls.clear()
    assert entity_counts(load_corpus(corpus_folder), fresh) == expected
    assert calls == []


@pytest.mark.parametrize("wanted", ["Pakistan/GPE", "pakistan", "Washington", "Nowhere At All/GPE"])
async def test_library_entity_filter_answers_from_the_summary(corpus_folder, store, recognizer, monkeypatch, wanted):
    corpus = load_corpus(corpus_folder)
    query = EntityQuery.parse(wanted)
    expected = {
        article.id
        for article in corpus.articles
        if any(query.matches(article.text[e.start : e.end], e.label) for e in recognizer.entities(article.text))
    }
    calls = decodes_counted(monkeypatch)
    app = ReaderApp(load_corpus(corpus_folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await wait_until(pilot, lambda: screen.search_ready and screen.facts_ready)
        await pilot.press("e", *wanted, "enter")
        await wait_until(pilot, lambda: screen.entity_filter_done)
        assert {article.id for article in screen.shown} == expected
        assert "without cached entities" not in str(screen.query_one("#library-filters").render())
    assert calls == []
    if wanted.startswith("Pakistan"):
        assert REFERENCE.stem in expected


def test_with_user_corrections_stats_count_each_article_corrected(corpus_folder, recognizer, monkeypatch):
    from annotations.corrections import EntityCorrection

    corpus = load_corpus(corpus_folder)
    former_counts(corpus, recognizer)  # all cached
    monkeypatch.setattr(recognizer, "corrections", lambda: [EntityCorrection("Pakistan", None)])
    calls = decodes_counted(monkeypatch)
    counted = entity_counts(load_corpus(corpus_folder), recognizer)
    assert calls  # the summary holds the uncorrected entities: each article read as before
    assert counted == former_counts(corpus, recognizer)
    assert not any(e["text"] == "Pakistan" for e in counted)


async def test_library_filter_summarises_older_entries_once_and_a_damaged_one_is_unknown(
    corpus_folder, store, recognizer, tmp_path, monkeypatch
):
    from reader.nlp import EntityRecognizer
    from reader.nlp.cache import EntityCache

    corpus = load_corpus(corpus_folder)
    query = EntityQuery.parse("Pakistan/GPE")
    expected = {
        a.id
        for a in corpus.articles
        if any(query.matches(a.text[e.start : e.end], e.label) for e in recognizer.entities(a.text))
    }
    old = EntityCache(tmp_path / "old-cache")
    damaged = next(a for a in corpus.articles if a.id not in expected)
    for article in corpus.articles:  # entries as written before there were summaries; one damaged
        found = cache_module.json.dumps([e.to_record() for e in recognizer.cached_raw(article.text)])
        old._put(
            cache_module.text_hash(article.text), recognizer.cache_key, "{bad" if article.id == damaged.id else found
        )
    fresh = EntityRecognizer(recognizer.model, old)
    fresh._nlp, fresh._identity = recognizer._nlp, recognizer.identity
    calls = decodes_counted(monkeypatch)
    for run in range(2):
        shown, line = await filtered(ReaderApp(load_corpus(corpus_folder), store, fresh), "Pakistan/GPE")
        assert shown == expected
        unknown = sum(1 for a in corpus.articles if a.sha256 == damaged.sha256)
        assert f"{unknown:,} without cached entities" in line
        if run == 0:
            assert len(calls) >= len({a.sha256 for a in corpus.articles})  # every entry read once
            calls.clear()
    assert calls == []  # the second time, none: the damaged entry is not read again
