"""Issue 3 through key presses: selection, tags, notes, editing, undo, panel, copy, palette."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from reader.app.dialogs.note_dialog import NoteDialog
from reader.app.palette import palette_of
from reader.app.screens.article import ArticleScreen
from reader.app.widgets.annotation_panel import AnnotationPanel
from tests.app.helpers import messages, open_article, wait_until

SENTENCE = "Pakistan is making its case not just as a partner, but as a linchpin in the next phase of regional counterterrorism architecture."


async def test_sentence_tagged_with_an_existing_tag_in_two_keystrokes(make_app, tag_phrase, reference_text):
    tag_phrase("pivoting westward", "pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="a linchpin")
        assert "1  pivot westward" in str(screen.query_one("#tag-bar").render())
        await pilot.press("s", "1")  # the caret is in the sentence: select it, apply tag 1
        await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
        made = [a for a in app.store.all() if a.quote == SENTENCE]
        assert len(made) == 1 and made[0].tags == ["pivot westward"]


async def test_motions_snap_and_refine_by_character(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="steadfast")
        view, text = screen.view, reference_text
        start = text.index("steadfast")
        await pilot.press("l", "l", "v")  # caret inside a word: the selection widens to the whole word
        assert text[slice(*view.selection)] == "steadfast"
        await pilot.press("e", "e")  # end of this word, then of the next
        assert text[slice(*view.selection)] == "steadfast commitment"
        await pilot.press("shift+left", "shift+left")  # refine by character: no more snapping
        assert text[slice(*view.selection)] == "steadfast commitme"
        await pilot.press("escape", "right_parenthesis")
        assert text[view.caret :].startswith("The rare conference")
        await pilot.press("left_parenthesis")
        assert text[view.caret :].startswith("`Field Marshal")
        await pilot.press("right_curly_bracket")
        assert text[view.caret :].startswith("But behind the formalities")
        await pilot.press("b")
        assert text[view.caret :].startswith("coordination.")
        await pilot.press("g")
        assert view.caret == 0
        await pilot.press("x")  # the entity under the caret: "Pakistan" of the title
        assert view.selection == (0, 8)
        assert start > 0


async def test_find_again_replaces_the_last_search_and_n_repeats_it(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="Pakistan`s")
        first = reference_text.index("Pakistan`s")
        assert screen.view.caret == first
        await pilot.press("n")
        assert screen.view.caret == reference_text.index("Pakistan`s", first + 1)
        await pilot.press("N")
        assert screen.view.caret == first
        await pilot.press("slash", *"linchpin", "enter")  # typing replaces the previous search
        assert screen.view.caret == reference_text.index("linchpin")
        await pilot.press("slash", *"no such words", "enter")
        assert screen.view.caret == reference_text.index("linchpin")


async def test_mouse_drag_selects_whole_words(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        view = screen.view
        # Line 0 of the view is the title "Pakistan pitches itself as key player ..."
        await pilot.mouse_down(view, offset=(2 + 10, 0))  # inside "pitches" (2 cells of padding)
        await pilot.hover(view, offset=(2 + 25, 0))  # inside "key"
        await pilot.mouse_up(view, offset=(2 + 25, 0))
        assert reference_text[slice(*view.selection)] == "pitches itself as key"


async def test_overlapping_annotations_and_an_entity_all_stay_visible(make_app, tag_phrase, reference_text):
    outer = tag_phrase("the message that Pakistan is pivoting westward", "pivot westward")
    inner = tag_phrase("Pakistan is pivoting westward was very clear", "claim")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = (await open_article(pilot, app)).view
        pakistan = reference_text.index("Pakistan is pivoting")
        both = view.style_at(pakistan + 2)
        assert both.color.name == palette_of(app).entity["GPE"].rich_color.name  # the entity's colour
        assert both.bgcolor == palette_of(app).annotation[1].bgcolor and both.underline2  # two annotations
        only_outer = view.style_at(outer.start + 1)
        assert only_outer.bgcolor == palette_of(app).annotation[0].bgcolor and not only_outer.underline2
        only_inner = view.style_at(inner.end - 2)
        assert only_inner.bgcolor == palette_of(app).annotation[0].bgcolor
        assert view.style_at(inner.end + 5).bgcolor != palette_of(app).annotation[0].bgcolor


async def test_note_dialog_keeps_several_lines(make_app, tag_phrase):
    annotation = tag_phrase("no other South Asian state was present", "absent parties")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="no other South")
        await pilot.press("c")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"India absent", "enter", *"second line", "ctrl+s")
        assert app.screen is screen
        assert app.store.get(annotation.id).note == "India absent\nsecond line"
        await pilot.press("c", "escape")  # Esc cancels without change
        assert app.store.get(annotation.id).note == "India absent\nsecond line"
        panel = screen.query_one(AnnotationPanel)
        assert "India absent" in str(panel.get_option_at_index(0).prompt)


async def test_undo_and_redo_cover_every_kind_of_change(make_app, tag_phrase, reference_text):
    annotation = tag_phrase("no other South Asian state", "absent parties")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app, find="no other South")
        store = app.store
        await pilot.press("u")  # tagged outside the app: nothing in this article's history yet
        await wait_until(pilot, lambda: "Nothing to undo in this article." in messages(app))
        await pilot.press("t", "ctrl+a", "ctrl+k", *"absence, region", "enter")  # retag
        assert store.get(annotation.id).tags == ["absence", "region"]
        await pilot.press("c", *"note", "ctrl+s")  # note
        await pilot.press("greater_than_sign")  # resize: one word longer
        assert store.get(annotation.id).quote == "no other South Asian state was"
        await pilot.press("less_than_sign", "less_than_sign")
        assert store.get(annotation.id).quote == "no other South Asian"
        await pilot.press("d")  # delete
        assert store.get(annotation.id) is None
        await pilot.press("u")
        assert store.get(annotation.id).quote == "no other South Asian"
        await pilot.press("u")
        assert store.get(annotation.id).quote == "no other South Asian state"
        await pilot.press("u")
        assert store.get(annotation.id).quote == "no other South Asian state was"
        await pilot.press("u")
        assert store.get(annotation.id).quote == "no other South Asian state"
        assert store.get(annotation.id).note == "note"
        await pilot.press("u")
        assert store.get(annotation.id).note == ""
        await pilot.press("u")
        assert store.get(annotation.id).tags == ["absent parties"]
        await pilot.press("ctrl+r", "ctrl+r")
        assert store.get(annotation.id).tags == ["absence", "region"] and store.get(annotation.id).note == "note"
        await pilot.press("s", "t", *"fresh", "enter", "u")  # undo of a creation removes it
        assert [a.id for a in store.all()] == [annotation.id]
        await wait_until(pilot, lambda: messages(app)[-1].startswith("Undid"))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: messages(app)[-1].startswith("Redid"))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: messages(app)[-1] == "Nothing to redo.")


async def test_undo_of_a_delete_restores_the_same_record_after_a_restart(make_app, tag_phrase):
    annotation = tag_phrase("no other South Asian state was present", "absent parties", note="India, Bangladesh")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app, find="no other South")
        await pilot.press("d")
        assert app.store.all() == []
    app = make_app()  # a new process would see the same files
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        await pilot.press("u")
        restored = app.store.get(annotation.id)
        assert restored == annotation  # same id, offsets, tags, note, times
        assert [a.id for a in screen.view.annotations] == [annotation.id]


async def test_tags_are_trimmed_and_case_insensitive(make_app, tag_phrase):
    tag_phrase("pivoting westward", "Pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="no other South")
        await pilot.press("s", "t", *"  pivot   WESTWARD ", "enter")
        await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
        assert app.store.tag_counts() == [("Pivot westward", 2)]


async def test_panel_lists_in_text_order_follows_the_caret_and_jumps(make_app, tag_phrase, reference_text):
    later = tag_phrase("no other South Asian state", "absent parties")
    earlier = tag_phrase("pivoting westward", "pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        panel = screen.query_one(AnnotationPanel)
        assert panel.display and [a.id for a in panel.annotations] == [earlier.id, later.id]
        await pilot.press("right_square_bracket")
        assert screen.view.caret == earlier.start and panel.highlighted == 0
        await pilot.press("right_square_bracket")
        assert screen.view.caret == later.start and panel.highlighted == 1
        await pilot.press("left_square_bracket")
        assert screen.view.caret == earlier.start and panel.highlighted == 0
        await pilot.press("a")
        assert not panel.display


async def test_copy_without_a_system_clipboard_uses_osc52_and_says_so(make_app, monkeypatch, reference_text):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app, find="a linchpin")
        await pilot.press("s", "y")
        assert app.clipboard.startswith(f"\u201c{SENTENCE}\u201d\n\u2014 Pakistan pitches itself")
        assert "2025-07-27, 000_ff5b33da8fd122af.txt" in app.clipboard
        assert any("terminal clipboard (OSC 52)" in str(n.message) for n in app.notices)


@pytest.fixture
def x_display():
    """A real X server (Xvfb) with xclip, or a skip that says what is missing."""
    missing = [tool for tool in ("Xvfb", "xclip") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (make test installs them with apt where it can)")
    # Xvfb picks a free display and writes its number to the pipe, so parallel runs never clash.
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"], pass_fds=(write_end,), stderr=subprocess.DEVNULL
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


async def test_copy_to_a_real_x_clipboard_reads_back_with_xclip(make_app, monkeypatch, x_display, tag_phrase):
    tag_phrase("no other South Asian state", "absent parties")
    monkeypatch.setenv("DISPLAY", x_display)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app, find="no other South")
        await pilot.press("y")  # no selection: the annotation under the caret
        pasted = subprocess.run(
            ["xclip", "-selection", "clipboard", "-o"],
            capture_output=True,
            text=True,
            timeout=10,
            env={**os.environ, "DISPLAY": x_display},
        ).stdout
        assert pasted.startswith("\u201cno other South Asian state\u201d\n\u2014 Pakistan pitches itself")
        assert any("system clipboard" in str(n.message) for n in app.notices)


async def test_every_article_action_is_in_the_command_palette(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        titles = {command.title for command in app.get_system_commands(screen)}
        for description in ("Tag", "Note", "Delete", "Undo", "Redo", "Copy", "Find", "Select", "Sentence", "Tags"):
            assert any(title.startswith(f"{description} (") for title in titles), description
        select = next(c for c in app.get_system_commands(screen) if c.title.startswith("Select ("))
        await select.callback()
        assert screen.view.selection_anchor is not None


async def test_panel_highlights_the_first_annotation_while_the_caret_is_before_all(make_app, tag_phrase):
    tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "absent parties")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        panel = screen.query_one(AnnotationPanel)
        await pilot.press("G")
        assert panel.highlighted == 1
        await pilot.press("g")
        assert panel.highlighted == 0


async def test_find_is_case_insensitive_with_offsets_into_the_text_as_shown(make_app, corpus_dir):
    (corpus_dir / "german.txt").write_text(
        "Straße und Maß\n2025-09-01\nDie STRASSE, die Straße: Target here.\n", encoding="utf-8"
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(app.corpus.get("german"))
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.article.id == "german")
        screen = app.screen
        text = screen.article.text
        await pilot.press("slash", *"target", "enter")
        assert text[screen.view.caret :].startswith("Target here")
