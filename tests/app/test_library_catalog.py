"""The library over the corpus catalog, through the real app: it paints what the catalog lists,
then looks at the folder by itself and shows what changed; scrolling a corpus larger than a page
shows each row where it belongs."""

from __future__ import annotations

import os
from pathlib import Path

from annotations import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.library import LibraryScreen
from reader.corpus import load_corpus

OLD = 1_600_000_000_000_000_000


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))


async def test_the_library_paints_from_the_catalog_then_shows_what_the_folder_holds_now(
    tmp_path: Path, recognizer
) -> None:
    folder = tmp_path / "corpus"
    for number in range(3):
        write(folder, f"a{number}.txt", f"Article {number}\n2025-01-0{number + 1}\nBody.")
    load_corpus(folder)  # an earlier run
    write(folder, "late.txt", "Arrived since\n2025-02-01\nBody.")
    corpus = load_corpus(folder, scan_folder=False)  # as reader opens it
    assert corpus.unscanned and len(corpus.articles) == 3
    with AnnotationStore(tmp_path / "store.json") as store:
        app = ReaderApp(corpus, store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            for _ in range(200):
                await pilot.pause(0.02)
                if len(screen.shown) == 4:
                    break
            assert [a.title for a in screen.shown][:1] == ["Arrived since"]
            assert any("1 new, 0 changed, 0 removed" in str(n.message) for n in app.notices)
            assert not app.corpus.unscanned


async def test_nothing_changed_since_the_last_run_says_nothing(tmp_path: Path, recognizer) -> None:
    folder = tmp_path / "corpus"
    write(folder, "a.txt", "Article\n2025-01-01\nBody.")
    load_corpus(folder)
    corpus = load_corpus(folder, scan_folder=False)
    with AnnotationStore(tmp_path / "store.json") as store:
        app = ReaderApp(corpus, store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause(0.02)
                if not corpus.unscanned:
                    break
            assert not corpus.unscanned and app.corpus is corpus
            assert not any("refreshed" in str(n.message) for n in app.notices)


async def test_scrolling_a_corpus_of_many_pages_shows_each_row_in_its_place(tmp_path: Path, recognizer) -> None:
    folder = tmp_path / "corpus"
    for number in range(1200):
        write(folder, f"{number:04d}.txt", f"Title {number:04d}\n2025-01-01\nBody.")
    corpus = load_corpus(folder)
    with AnnotationStore(tmp_path / "store.json") as store:
        app = ReaderApp(corpus, store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            await pilot.press("G")
            await pilot.pause()
            assert screen.selected_article is not None and screen.selected_article.title == "Title 1199"
            for _ in range(3):
                await pilot.press("pageup")
            await pilot.pause()
            row = screen.article_list.cursor_row
            assert screen.selected_article.title == f"Title {row:04d}"
            drawn = "".join(segment.text for segment in screen.article_list.render_line(0))
            top = round(screen.article_list.scroll_y)
            assert f"Title {top:04d}" in drawn


async def test_an_answer_from_a_worker_after_the_list_is_gone_is_dropped_not_a_crash(
    tmp_path: Path, recognizer
) -> None:
    import threading
    from collections import Counter

    from textual.screen import Screen

    folder = tmp_path / "corpus"
    write(folder, "a.txt", "Article\n2025-01-01\nBody.")
    with AnnotationStore(tmp_path / "store.json") as store:
        app = ReaderApp(load_corpus(folder), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            library = app.screen
            assert isinstance(library, LibraryScreen)
            await app.switch_screen(Screen())  # the library taken down, as when the app quits
            await pilot.pause()
            assert not library.is_attached
            late = threading.Thread(target=library._from_thread, args=(library._facts_gathered, Counter(), {}))
            late.start()
            late.join()
            await pilot.pause(0.1)
        assert app.return_code in (0, None)


async def test_typing_shows_the_best_matches_and_says_how_many_match_in_all(
    tmp_path: Path, recognizer, monkeypatch
) -> None:
    from reader.corpus import finding

    monkeypatch.setattr(finding, "TYPED_LIMIT", 2)  # as 2,000 of a large corpus
    folder = tmp_path / "corpus"
    for number in range(5):
        write(folder, f"h{number}.txt", f"Harbour news {number}\n2025-01-0{number + 1}\nThe harbour again.")
    write(folder, "other.txt", "Budget\n2025-02-01\nNothing of the sort.")
    with AnnotationStore(tmp_path / "store.json") as store:
        app = ReaderApp(load_corpus(folder), store, recognizer)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, LibraryScreen)
            for _ in range(200):
                await pilot.pause(0.02)
                if screen.search_ready:
                    break
            await pilot.press("/", *"harbour new")
            await pilot.pause()
            line = str(screen.query_one("#library-filters").render())
            assert len(screen.shown) == 2 and "the best 2 of 5 matches" in line, line
            # at 80 columns the whole line is seen: it once put the count after the query, cut off
            drawn = screen.query_one("#library-filters").render_line(0).text
            assert "the best 2 of 5 matches" in drawn and "type more to narrow" in drawn, drawn
            await pilot.press(*["backspace"] * len("harbour new"), *"budget")
            await pilot.pause()
            line = str(screen.query_one("#library-filters").render())
            assert [a.title for a in screen.shown] == ["Budget"] and "best" not in line.split("search")[1], line
