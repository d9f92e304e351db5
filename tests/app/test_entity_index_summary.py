"""The entity index (I) answers from the cache's entity summary: with every article summarised,
opening it reads no article's text and decodes no cached entry, and it counts as the former way
(every article's entities into an EntityIndex) on a real corpus with the real model. Articles
without a summary are counted, said, and recognised in a worker; with user corrections the
corrected entities are counted."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.nlp.cache as cache_module
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.entity_index import EntityIndexScreen
from reader.corpus import load_corpus
from reader.corpus.article import Article
from reader.nlp.entity_index import EntityIndex
from reader.nlp.model import Entity
from tests.app.helpers import entity_articles_shown, gold_corpus, open_entity_index, wait_until
from tests.conftest import ROOT

GOLD = ROOT / "tests" / "data" / "gold" / "corpus"


@pytest.fixture
def corpus_folder(tmp_path: Path) -> Path:
    """The reference article, the three gold articles and a second copy of one of them."""
    return gold_corpus(tmp_path / "corpus")


def former_index(folder: Path, recognizer) -> EntityIndex:
    """The corpus's entities counted the former way: every article's text and entities."""
    index = EntityIndex()
    for article in load_corpus(folder).articles:
        index.add(article.id, article.text, recognizer.entities(article.text))
    return index


def reads_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count each decode of a cached entry and each read of an article's text from its file."""
    calls: list[str] = []
    decode, read = cache_module._entities, Article.read_text

    def decoding(records: str) -> list[Entity] | None:
        calls.append("decode")
        return decode(records)

    def reading(article: Article) -> str:
        calls.append(f"read {article.id}")
        return read(article)

    monkeypatch.setattr(cache_module, "_entities", decoding)
    monkeypatch.setattr(Article, "read_text", reading)
    return calls


async def test_every_article_summarised_the_index_reads_no_text_and_counts_as_before(
    corpus_folder, store, recognizer, monkeypatch
):
    former = former_index(corpus_folder, recognizer)  # every article cached (and summarised) now
    calls = reads_counted(monkeypatch)
    monkeypatch.setattr("reader.app.screens.entity_index.article_texts", None)  # the texts are not walked
    app = ReaderApp(load_corpus(corpus_folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entity_index(pilot, app)
        assert calls == []
        by_screen = {(e.key, e.name): (e.articles, e.total) for e in screen.entities}
        assert by_screen == {(e.key, e.name): (e.articles, e.total) for e in former.entities.values()}
        assert screen.missing == 0 and "not recognised" not in str(screen.query_one("#index-title").render())
        wanted = next(  # an entity of the drought story and its copy alone, found by its own name
            e.key
            for e in former.most_mentioned()
            if set(e.mentions) == {"a01_drought", "a01_copy"}
            and not any(e.key[0] in other[0] for other in former.entities if other != e.key)
        )
        await pilot.press("slash", *wanted[0], "enter")
        await entity_articles_shown(pilot, screen)
        entity = screen.current
        assert entity is not None and entity.key == wanted and entity.articles == 2
        titles = [row.title for row in screen.articles_shown]
        assert titles == sorted(titles, reverse=True) and len(titles) == 2
        assert calls == []  # the filter, the entity's articles and its chart read nothing either
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        opened = app.screen
        spans = former.entities[entity.key].mentions[opened.article.id]
        assert opened.view.caret == spans[0][0]  # the first mention, from that article's own entries
        assert [call for call in calls if call.startswith("read")] == [f"read {opened.article.id}"]


async def test_articles_without_a_summary_are_counted_said_and_recognised(
    corpus_folder, store, recognizer, monkeypatch
):
    former_index(corpus_folder, recognizer)
    (corpus_folder / "fresh.txt").write_text(
        "Harbour reopens\n2025-10-03\nThe port of Valparaiso reopened after the storm, said Ines Quiroga.\n",
        encoding="utf-8",
    )
    lists: list[tuple[int, bool, str, set[str]]] = []
    shown = EntityIndexScreen._listed

    def listed(screen: EntityIndexScreen, *args, **kwargs) -> None:
        shown(screen, *args, **kwargs)
        title = str(screen.query_one("#index-title").render())
        lists.append((screen.missing, screen.recognising, title, {e.key[0] for e in screen.entities}))

    monkeypatch.setattr(EntityIndexScreen, "_listed", listed)
    app = ReaderApp(load_corpus(corpus_folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entity_index(pilot, app)
    (missing, recognising, title, first), *_, (left, still, _, last) = lists
    assert (missing, recognising) == (1, True) and "recognising 1 article (Esc stops)" in title
    assert "valparaiso" not in first and "valparaiso" in last  # listed at once, then counted in
    assert (left, still) == (0, False) and screen.complete


async def test_leaving_the_screen_stops_the_recognition(corpus_folder, store, recognizer, reference_text):
    texts = [f"{reference_text.rstrip()}\nA closing line of its own, number {n}.\n" for n in range(40)]
    for number, text in enumerate(texts):
        (corpus_folder / f"new{number}.txt").write_text(text, encoding="utf-8")
    app = ReaderApp(load_corpus(corpus_folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("I")
        screen = app.screen
        assert isinstance(screen, EntityIndexScreen)
        await wait_until(pilot, lambda: screen.recognising)
        assert "recognising" in str(screen.query_one("#index-title").render())
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, EntityIndexScreen))
        await app.workers.wait_for_complete()
    assert not screen.complete  # it never finished counting
    assert sum(1 for text in texts if recognizer.is_cached(text.rstrip("\n") + "\n")) < len(texts)


async def test_with_corrections_the_index_counts_the_corrected_entities(corpus_folder, store, recognizer, monkeypatch):
    from annotations.corrections import CorrectionBook

    assert ("pakistan", "GPE") in former_index(corpus_folder, recognizer).entities
    book = CorrectionBook(store.path)
    book.set("Pakistan", None)  # not an entity, says the user
    monkeypatch.setattr(recognizer, "corrections", book.all)
    corrected = former_index(corpus_folder, recognizer)  # each article's entities, corrected
    app = ReaderApp(load_corpus(corpus_folder), store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entity_index(pilot, app)
        by_screen = {(e.key, e.name): (e.articles, e.total) for e in screen.entities}
    assert by_screen == {(e.key, e.name): (e.articles, e.total) for e in corrected.entities.values()}
    assert not any(key[0] == "pakistan" for key, _ in by_screen)


async def test_an_article_that_cannot_be_read_is_said_not_counted(corpus_folder, store, recognizer):
    former_index(corpus_folder, recognizer)
    gone = corpus_folder / "gone.txt"
    gone.write_text("Gone soon\n2025-10-03\nThe mayor of Reykjavik spoke.\n", encoding="utf-8")
    corpus = load_corpus(corpus_folder)
    gone.unlink()  # after the corpus was listed: its text cannot be read to recognise it
    app = ReaderApp(corpus, store, recognizer)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entity_index(pilot, app)
        assert screen.missing == 1
        assert "1 article without entities, not counted" in str(screen.query_one("#index-title").render())
        assert "reykjavik" not in {e.key[0] for e in screen.entities} and screen.entities
