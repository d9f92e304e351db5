from reader.safe_text import inert


def test_control_characters_become_visible_stand_ins_of_the_same_length():
    text = "a\x1b[31mb\x07c\x00d\x7fe\x9bf\tg\nh"
    shown = inert(text)
    assert len(shown) == len(text)
    assert shown == "a\u241b[31mb\u2407c\u2400d\u2421e\ufffdf g\nh"
    assert not any(ord(c) < 0x20 and c != "\n" for c in shown)


def test_ordinary_text_is_unchanged():
    text = "Pakistan`s [reaffirmed] \u00e9t\u00e9 \u4e2d\u56fd"
    assert inert(text) == text
