"""Finding articles in the library through Pilot: search as you type and each filter and sort."""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus
from tests.app.helpers import wait_until
from tests.conftest import REFERENCE
from tests.helpers import passage

REF = "000_ff5b33da8fd122af"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Four articles in four formats; the harbour story's text is new in every run, so its
    entities are never in the session's entity cache unless a test puts them there."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)  # 2025-07-27, Pakistan, security...
    (folder / "harbour.md").write_text(
        "---\ntitle: Harbour strike ends\ndate: 2025-06-07\n---\n\n"
        f"Dock workers in Karachi went back to work, and ports across Pakistan reopened. Ref {uuid.uuid4().hex}.\n",
        encoding="utf-8",
    )
    (folder / "budget.json").write_text(
        json.dumps(
            {
                "title": "Budget passes",
                "date": "2024-12-31",
                "text": "The finance minister said the deficit would fall.",
            }
        ),
        encoding="utf-8",
    )
    (folder / "notes.txt").write_text("Weather notes\nRain all week in Lahore, and more to come.\n", encoding="utf-8")
    return folder


def shown(app: ReaderApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    return [article.id for article in screen.shown]


def filter_line(app: ReaderApp) -> str:
    return str(app.screen.query_one("#library-filters").render())


async def ready(pilot, app: ReaderApp) -> LibraryScreen:
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    await wait_until(pilot, lambda: screen.search_ready and screen.facts_ready)
    return screen


async def test_search_as_you_type_by_title_and_full_text(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot, app)
        assert shown(app) == [REF, "harbour.md", "budget.json", "notes"]
        await pilot.press("slash")
        field = screen.query_one("#library-input")
        assert field.display and field.has_focus
        await pilot.press(*"karach")  # only in the harbour story's text, not in any title
        assert shown(app) == ["harbour.md"]
        assert "1 of 4 articles" in filter_line(app) and "search karach" in filter_line(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", *"Pakistan")
        assert shown(app) == [REF, "harbour.md"]
        await pilot.press("space", *"DOCK")  # every word must occur, in any case
        assert shown(app) == ["harbour.md"]
        await pilot.press("escape")  # cancels the search: as before the prompt
        assert shown(app) == [REF, "harbour.md", "budget.json", "notes"] and not field.display
        assert screen.article_list.has_focus
        await pilot.press("slash", *"budget", "enter")  # Enter keeps the search and goes back to the list
        assert shown(app) == ["budget.json"] and screen.article_list.has_focus and not field.display
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert app.screen.article.id == "budget.json"


async def test_titles_match_at_once_while_the_full_text_is_still_being_read(
    corpus: Path, store, recognizer, monkeypatch: pytest.MonkeyPatch
):
    from reader.corpus.fulltext import FullTextIndex

    release = threading.Event()
    real = FullTextIndex.update

    def held_back(*arguments, **keywords):  # the full-text index is being built until released
        release.wait(30)
        return real(*arguments, **keywords)

    monkeypatch.setattr(FullTextIndex, "update", held_back)
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = app.screen
        await pilot.press("slash", *"harbour")
        assert shown(app) == ["harbour.md"] and "titles only for now" in filter_line(app)
        await pilot.press(*["backspace"] * 7, *"karachi")
        assert shown(app) == []  # the word is only in a text, not read yet
        release.set()
        await wait_until(pilot, lambda: screen.search_ready)
        assert shown(app) == ["harbour.md"] and "titles only" not in filter_line(app)


async def test_entity_filter_uses_the_entity_cache(corpus: Path, store, recognizer):
    articles = load_corpus(corpus)
    reference = articles.get(REF)
    recognizer.entities(reference.text)  # in the cache now, as after opening it
    uncached = sum(1 for article in articles.articles if not recognizer.is_cached(article.text))
    assert uncached >= 1  # the harbour story at least
    app = ReaderApp(articles, store, recognizer)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = await ready(pilot, app)
        await pilot.press("e", *"Pakistan/GPE", "enter")
        await wait_until(pilot, lambda: screen.entity_filter_done)
        assert shown(app) == [REF]  # the harbour story mentions Pakistan, but its entities are not known yet
        line = filter_line(app)
        assert "entity Pakistan/GPE" in line and f"{uncached:,} without cached entities" in line
        await pilot.press("e", *["backspace"] * 4, *"ORG", "enter")
        await wait_until(pilot, lambda: screen.entity_filter_done)
        assert shown(app) == []
        # Opening the harbour story recognises (and caches) its entities; the filter then finds it.
        await pilot.press("c")
        assert shown(app) == [REF, "harbour.md", "budget.json", "notes"]
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.entities_ready)
        harbour = app.screen.article
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        expected = any(
            harbour.text[e.start : e.end] == "Pakistan" and e.label == "GPE" for e in recognizer.entities(harbour.text)
        )
        await pilot.press("e", *"pakistan/GPE", "enter")
        await wait_until(pilot, lambda: screen.entity_filter_done)
        assert expected  # the pinned model labels it so
        assert shown(app) == [REF, "harbour.md"]


async def test_tag_filter(corpus: Path, store, recognizer):
    articles = load_corpus(corpus)
    for article_id, phrase, tag in ((REF, "pivoting westward", "Pivot westward"), ("budget.json", "deficit", "fiscal")):
        article = articles.get(article_id)
        store.add(passage(article, phrase, [tag]), article.ref())
    app = ReaderApp(articles, store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot, app)
        await pilot.press("t", *"PIVOT WESTWARD", "enter")  # tags match whatever their case
        assert shown(app) == [REF] and "tag PIVOT WESTWARD" in filter_line(app)
        await pilot.press("t", *["backspace"] * 14, "enter")  # empty: the filter is off
        assert shown(app) == [REF, "harbour.md", "budget.json", "notes"]
        await pilot.press("a")  # not annotated yet
        assert shown(app) == ["harbour.md", "notes"] and "not annotated" in filter_line(app)
        await pilot.press("a")
        assert len(shown(app)) == 4


async def test_date_range_filter_and_a_bad_range(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot, app)
        await pilot.press("d", *"2025-06..2025-07", "enter")
        assert shown(app) == [REF, "harbour.md"] and "dates 2025-06..2025-07" in filter_line(app)
        await pilot.press("d", *["backspace"] * 16, *"2024", "enter")
        assert shown(app) == ["budget.json"]  # the undated note is in no range
        await pilot.press("d", *["backspace"] * 4, *"2025-13", "enter")
        assert screen.prompt == "dates"  # still asking
        assert any("not a date on the calendar" in n.message for n in app.notices)
        await pilot.press("escape")
        assert shown(app) == ["budget.json"] and screen.prompt is None


async def test_unread_filter_and_marks(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot, app)
        assert screen.article_list.get_row_at(0)[3].plain == "\u25cf"  # unread
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        assert screen.article_list.get_row_at(0)[3].plain == " "  # read now
        await pilot.press("u")
        assert shown(app) == ["harbour.md", "budget.json", "notes"] and "unread" in filter_line(app)
        await pilot.press("u")
        assert len(shown(app)) == 4


async def test_sort_by_title_and_by_annotation_count(corpus: Path, store, recognizer):
    articles = load_corpus(corpus)
    notes = articles.get("notes")
    for phrase in ("Rain", "Lahore"):
        start = notes.text.index(phrase)
        store.add(Annotation.create(article_id="notes", article_sha256=notes.sha256, text=notes.text,
                                    start=start, end=start + len(phrase), tags=["weather"]), notes.ref())  # fmt: skip
    app = ReaderApp(articles, store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot, app)
        await pilot.press("s")
        assert shown(app) == ["budget.json", "harbour.md", REF, "notes"] and "by title" in filter_line(app)
        await pilot.press("s")
        assert shown(app)[0] == "notes" and "most annotated first" in filter_line(app)
        assert screen.article_list.get_row_at(0)[2].plain.strip() == "2"
        await pilot.press("s")
        assert shown(app) == [REF, "harbour.md", "budget.json", "notes"]


async def test_the_cursor_stays_on_its_article_when_the_list_changes(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await ready(pilot, app)
        await pilot.press("j", "j")
        assert screen.selected_article.id == "budget.json"
        await pilot.press("s")  # by title: budget comes first, and the cursor goes with it
        assert screen.article_list.cursor_row == 0 and screen.selected_article.id == "budget.json"


async def test_help_lists_the_library_keys(corpus: Path, store, recognizer):
    app = ReaderApp(load_corpus(corpus), store, recognizer)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("question_mark")
        shown_help = app.screen.plain_text()
        for words in ("Filter the list as you type", "mention an entity", "passage tagged", "dated in a range",
                      "not read yet", "no annotation yet", "Sort by date, title", "new, changed and removed"):  # fmt: skip
            assert words in shown_help


async def test_problems_screen_lists_every_unreadable_file_with_its_reason(tmp_path, recognizer):
    from reader.app.app import ReaderApp
    from reader.app.screens.problems import ProblemsScreen
    from reader.corpus import load_corpus
    from tests.conftest import REFERENCE

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("a.txt", "b.txt", "c.txt", "sub/d.txt"):
        (corpus / name).write_bytes(b"")
    (corpus / "e.txt").write_bytes(b"\x00\x01binary\x00")
    with AnnotationStore(tmp_path / "s.json") as store:
        app = ReaderApp(load_corpus(corpus), store, recognizer)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("p")
            assert isinstance(app.screen, ProblemsScreen)
            table = app.screen.query_one("#problems-table")
            rows = {table.get_row_at(i)[0].plain: table.get_row_at(i)[1].plain for i in range(table.row_count)}
            assert set(rows) == {"a.txt", "b.txt", "c.txt", "sub/d.txt", "e.txt"}
            assert "empty" in rows["sub/d.txt"] and "binary" in rows["e.txt"]
            await pilot.press("escape")
            assert not isinstance(app.screen, ProblemsScreen)
