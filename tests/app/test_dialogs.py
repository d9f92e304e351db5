"""The dialogs: help shows keys as typed, rename keeps names as typed, the tag dialog adds to the
tags already there, the note dialog asks before it throws a note away, the `=` dialog writes
nothing when nothing changes and the status line follows a correction at once."""

from __future__ import annotations

from reader.app.dialogs.rename_tag import RenameTagDialog
from reader.app.screens.tags import TagsScreen
from tests.app.helpers import messages, open_article, wait_until


async def test_help_shows_keys_as_typed_not_their_names(make_app):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await open_article(pilot, app)
        await pilot.press("question_mark")
        shown = app.screen.plain_text()
        rows = {line.split("  ")[0].strip(): line for line in shown.splitlines() if line.strip()}
        for key in (">", "<", "=", "]", "[", ")", "}"):
            assert key in rows, f"{key!r} is not listed in the help"
        for name in ("greater_than_sign", "less_than_sign", "equals_sign", "square_bracket", "parenthesis", "dollar"):
            assert name not in shown


async def test_rename_message_keeps_the_tag_names_as_typed(make_app, tag_phrase):
    tag_phrase("pivoting westward", "Westward Shift")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("r")
        assert isinstance(app.screen, RenameTagDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"Pivot West", "enter")
        said = [m for m in messages(app) if m.startswith("Rename of")]
        assert said == ["Rename of Westward Shift to Pivot West: 1 annotation(s) changed (u undoes)."]


async def choose_correction(pilot, app, choice_id: str) -> None:
    options = app.screen.query_one("#correction-options")
    options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == choice_id)
    await pilot.press("enter")


async def test_status_line_shows_a_correction_at_once(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        view = screen.view
        four = reference_text.index("four Central Asian")
        view.move_caret(four)
        await pilot.pause()
        status = screen.query_one("#status")
        assert "CARDINAL" in str(status.render())
        await pilot.press("equals_sign")
        await choose_correction(pilot, app, "PERSON")
        await wait_until(pilot, lambda: view.entity_at(four) is not None and view.entity_at(four).label == "PERSON")
        assert view.caret == four
        shown = str(status.render())
        assert "PERSON" in shown and "CARDINAL" not in shown


async def test_correction_to_the_current_label_writes_nothing_and_says_so(make_app, reference_text):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        screen.view.move_caret(reference_text.index("four Central Asian"))
        await pilot.press("equals_sign", "enter")  # the dialog opens on the current label
        await pilot.pause()
        assert app.screen is screen
        assert app.corrections.all() == []
        said = messages(app)
        assert any(m.startswith("Nothing changed") and "CARDINAL" in m for m in said)
        assert not any("in every article now" in m for m in said)
        # With a rule: choosing its label again changes nothing either, and writes nothing.
        await pilot.press("equals_sign")
        await choose_correction(pilot, app, "ORG")
        await wait_until(pilot, lambda: len(app.corrections.all()) == 1)
        written = app.corrections.all()[0]
        await pilot.press("equals_sign")
        await choose_correction(pilot, app, "ORG")
        await pilot.pause()
        assert app.corrections.all() == [written]
        assert sum(m.startswith("Nothing changed") for m in messages(app)) == 2


async def test_retag_adds_to_the_tags_there_and_says_what_they_will_be(make_app, tag_phrase):
    tag_phrase("Missing were Russia and China", "great powers")
    annotation = tag_phrase("no other South Asian state", "absent parties", "Region")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(pilot, app, find="no other South")
        await pilot.press("t")
        dialog = app.screen
        result = dialog.query_one("#tag-result")
        assert "will be tagged: absent parties, Region" in str(result.render())
        await pilot.press(*", great")  # typed as the issue did: a comma, then the start of a tag
        assert "will be tagged: absent parties, Region, great" in str(result.render())
        await pilot.press("down")  # pick the suggestion "great powers"
        await pilot.pause()
        assert "will be tagged: absent parties, Region, great powers" in str(result.render())
        await pilot.press("enter")
        assert app.store.get(annotation.id).tags == ["absent parties", "Region", "great powers"]
        # Clearing the field replaces the tags.
        await pilot.press("t", "ctrl+u", *"absence")
        assert "will be tagged: absence" in str(app.screen.query_one("#tag-result").render())
        await pilot.press("enter")
        assert app.store.get(annotation.id).tags == ["absence"]
        # Enter on the tags as they are writes nothing (no retag to undo).
        unchanged = app.store.get(annotation.id)
        await pilot.press("t", "enter")
        await pilot.pause()
        assert app.store.get(annotation.id).updated == unchanged.updated
        await pilot.press("u")
        assert app.store.get(annotation.id).tags == ["absent parties", "Region", "great powers"]


async def test_esc_on_a_changed_note_asks_before_throwing_it_away(make_app, tag_phrase):
    annotation = tag_phrase("no other South Asian state", "absent parties", note="first")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="no other South")
        await pilot.press("c", *" and more", "escape")
        assert app.screen is not screen, "Esc closed the note dialog and dropped what was typed"
        from reader.app.dialogs.note_dialog import NoteDialog, UnsavedNoteDialog

        assert isinstance(app.screen, UnsavedNoteDialog)
        await pilot.press("escape")  # keep editing: the typed text is still there
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one("#note-text").text == "first and more"
        await pilot.press("escape", "d")  # discard
        assert app.screen is screen
        assert app.store.get(annotation.id).note == "first"
        await pilot.press("c", *" kept", "escape", "s")  # save
        assert app.screen is screen
        assert app.store.get(annotation.id).note == "first kept"
        await pilot.press("c", "escape")  # nothing changed: Esc just closes
        assert app.screen is screen
