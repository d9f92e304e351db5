"""Issue 2, end to end through Pilot: open the reference article, see its entities, tag a passage
by keyboard alone, find it in the TinyDB file, and find it still marked after a restart."""

from __future__ import annotations

import json
from pathlib import Path

from annotations import AnnotationStore
from annotations.layout import shard_path
from reader.app.app import ReaderApp
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from tests.app.helpers import open_article, wait_until

PASSAGE = "the message that Pakistan is pivoting westward was very clear"


async def test_entities_tag_store_and_restart(tmp_path: Path, corpus_dir: Path, recognizer, reference_text: str):
    store_path = tmp_path / "annotations.json"
    corpus = load_corpus(corpus_dir)

    with AnnotationStore(store_path) as store:
        app = ReaderApp(corpus, store, recognizer)
        async with app.run_test(size=(110, 40)) as pilot:
            screen = await open_article(pilot, app)
            view = screen.view

            title_entity = view.entity_at(0)
            assert (title_entity.start, title_entity.end, title_entity.label) == (0, 8, "GPE")
            assert view.style_at(3).color.name == palette_of(app).entity["GPE"].rich_color.name

            body_start = reference_text.index("\n", reference_text.index("\n") + 1) + 1
            possessive = reference_text.index("Pakistan`s", body_start)
            inside = view.entity_at(possessive)
            assert (inside.start, inside.end, inside.label) == (possessive, possessive + len("Pakistan"), "GPE")
            assert view.style_at(possessive).color.name == palette_of(app).entity["GPE"].rich_color.name
            assert (
                view.style_at(possessive + len("Pakistan")).color is None
                or view.style_at(possessive + len("Pakistan")).color.name
                != palette_of(app).entity["GPE"].rich_color.name
            )

            # Keyboard only: find the passage, select word by word, tag it.
            await pilot.press("slash", *"the message that", "enter")
            start = reference_text.index(PASSAGE)
            assert view.caret == start
            await pilot.press("v", *["w"] * 9)
            assert view.selection == (start, start + len(PASSAGE))
            await pilot.press("t")
            await pilot.press(*"pivot westward", "enter")
            await wait_until(pilot, lambda: len(view.annotations) == 1)

            annotated = view.style_at(start + 5)
            assert annotated.bgcolor == palette_of(app).annotation[0].bgcolor and annotated.underline
            pakistan_in_passage = reference_text.index("Pakistan", start)
            both = view.style_at(pakistan_in_passage)
            assert (
                both.color.name == palette_of(app).entity["GPE"].rich_color.name
                and both.bgcolor == palette_of(app).annotation[0].bgcolor
            )

    # The record as TinyDB wrote it: the article's shard file of the store (see annotations.layout).
    raw = json.loads(shard_path(store_path, "000_ff5b33da8fd122af").read_text(encoding="utf-8"))
    records = list(raw["annotations"].values())
    assert len(records) == 1
    record = records[0]
    assert record["quote"] == PASSAGE
    assert (record["start"], record["end"]) == (start, start + len(PASSAGE))
    assert reference_text[record["start"] : record["end"]] == record["quote"]
    assert record["tags"] == ["pivot westward"]
    assert record["article_id"] == "000_ff5b33da8fd122af"
    assert record["prefix"] == reference_text[start - 32 : start]
    assert record["suffix"] == reference_text[start + len(PASSAGE) : start + len(PASSAGE) + 32]

    # Restart on the same store: the passage is still marked, and counted in the list.
    with AnnotationStore(store_path) as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(110, 40)) as pilot:
            library = app.screen
            await wait_until(pilot, lambda: library.facts_ready)  # counts come from the store's index
            table = library.query_one("#articles")
            assert table.get_row_at(0)[2].plain.strip() == "1"
            screen = await open_article(pilot, app)
            assert [a.quote for a in screen.view.annotations] == [PASSAGE]
            assert screen.view.style_at(start).bgcolor == palette_of(app).annotation[0].bgcolor


async def test_tag_dialog_offers_used_tags_and_escape_cancels(tmp_path: Path, corpus_dir: Path, recognizer):
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(110, 40)) as pilot:
            screen = await open_article(pilot, app)
            await pilot.press("s", "t", *"absent parties", "enter")
            await wait_until(pilot, lambda: len(screen.view.annotations) == 1)
            # The next sentence: the dialog lists the tag already used; down + enter picks it.
            await pilot.press("right_parenthesis", "s", "t")
            options = app.screen.query_one("#tag-options")
            assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == [
                "absent parties  1"
            ]
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
            assert [a.tags for a in store.all()] == [["absent parties"], ["absent parties"]]
            # Esc in the dialog cancels; Esc in the article clears the selection, then goes back.
            await pilot.press("right_parenthesis", "s", "t", "x", "escape")
            assert len(store.all()) == 2 and screen.view.selection is not None
            await pilot.press("escape")
            assert screen.view.selection is None and app.screen is screen
            await pilot.press("escape")
            assert app.screen is not screen


async def test_help_lists_every_binding_of_the_article_screen(tmp_path: Path, corpus_dir: Path, recognizer):
    with AnnotationStore(tmp_path / "a.json") as store:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer)
        async with app.run_test(size=(110, 50)) as pilot:
            await open_article(pilot, app)
            await pilot.press("question_mark")
            shown = app.screen.plain_text()
            for words in ("Tag the selection", "Select the sentence", "Next word", "Find words", "Quit"):
                assert words in shown
            await pilot.press("escape")
            assert isinstance(app.screen, ArticleScreen)
