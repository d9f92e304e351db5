from reader.safe_text import inert, inert_editable, restore_controls


def test_control_characters_become_visible_stand_ins_of_the_same_length():
    text = "a\x1b[31mb\x07c\x00d\x7fe\x9bf\tg\nh"
    shown = inert(text)
    assert len(shown) == len(text)
    assert shown == "a\u241b[31mb\u2407c\u2400d\u2421e\ufffdf g\nh"
    assert not any(ord(c) < 0x20 and c != "\n" for c in shown)


def test_ordinary_text_is_unchanged():
    text = "Pakistan`s [reaffirmed] \u00e9t\u00e9 \u4e2d\u56fd"
    assert inert(text) == text


def test_bidi_overrides_and_isolates_show_as_a_visible_mark_and_plain_marks_stay():
    text = "safe\u202eevil\u202c \u2066x\u2069 \u200fok\u200e"
    shown = inert(text)
    assert len(shown) == len(text)
    assert shown == "safe\u21c4evil\u21c4 \u21c4x\u21c4 \u200fok\u200e"


def test_an_editor_shows_tabs_and_gets_every_control_back_on_save():
    note = "see\x1b]2;owned\x07 and\tthis \u202eright\u202c"
    shown = inert_editable(note)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\t" in shown and len(shown) == len(note)
    assert restore_controls(shown, note) == note
    edited = shown.replace("this", "that") + " \u241b typed"
    assert restore_controls(edited, note) == note.replace("this", "that") + " \x1b typed"


def test_a_stand_in_the_text_already_held_is_never_turned_into_a_control():
    note = "\u241b literally and \x1b one"
    assert restore_controls(inert_editable(note), note) == note
    assert restore_controls(inert_editable(note) + " \u241b", note) == note + " \u241b"
