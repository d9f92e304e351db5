from reader import textnav

TEXT = "First one here. Second `quoted` one!\nConference.The rare talk on Pakistan`s pivot."


def test_words_join_across_backtick_and_stop_at_punctuation():
    start = TEXT.index("Pakistan`s")
    assert textnav.word_at(TEXT, start + 2) == (start, start + len("Pakistan`s"))
    assert textnav.word_at(TEXT, TEXT.index(".")) is None
    assert textnav.next_word_start(TEXT, 0) == TEXT.index("one")
    assert textnav.previous_word_start(TEXT, TEXT.index("here")) == TEXT.index("one")
    assert textnav.word_end(TEXT, 0) == TEXT.index("First") + 4


def test_snap_to_words_widens_a_cut_word():
    start = TEXT.index("Second")
    assert textnav.snap_to_words(TEXT, start + 2, start + 4) == (start, start + len("Second"))


def test_sentences_split_run_together_text_and_paragraph_ends():
    first = textnav.sentence_at(TEXT, 3)
    assert TEXT[first[0] : first[1]] == "First one here."
    second = textnav.sentence_at(TEXT, TEXT.index("quoted"))
    assert TEXT[second[0] : second[1]] == "Second `quoted` one!"
    run_together = textnav.sentence_at(TEXT, TEXT.index("Conference"))
    assert TEXT[run_together[0] : run_together[1]] == "Conference."
    rare = textnav.sentence_at(TEXT, TEXT.index("rare"))
    assert TEXT[rare[0] : rare[1]] == "The rare talk on Pakistan`s pivot."
    assert textnav.next_sentence_start(TEXT, 0) == TEXT.index("Second")
    assert textnav.previous_sentence_start(TEXT, TEXT.index("rare")) == TEXT.index("The rare")


def test_paragraph_motions():
    second = TEXT.index("Conference")
    assert textnav.next_paragraph_start(TEXT, 0) == second
    assert textnav.previous_paragraph_start(TEXT, second + 5) == second
    assert textnav.previous_paragraph_start(TEXT, second) == 0
    assert textnav.paragraph_at(TEXT, 3) == (0, second - 1)


def _sentences_of(text: str) -> list[str]:
    spans, offset = [], 0
    while (span := textnav.sentence_at(text, offset)) is not None and (not spans or span != spans[-1]):
        spans.append(span)
        offset = span[1]
    return [text[start:end] for start, end in spans]


def test_sentences_end_at_chinese_and_japanese_full_stops_without_a_space():
    chinese = "巴基斯坦周六表示。它是地区和平的关键！真的吗？是的。"
    assert _sentences_of(chinese) == ["巴基斯坦周六表示。", "它是地区和平的关键！", "真的吗？", "是的。"]
    japanese = "パキスタンは土曜日に述べた。「本当ですか？」彼は聞いた｡終わり"
    assert _sentences_of(japanese) == ["パキスタンは土曜日に述べた。", "「本当ですか？」", "彼は聞いた｡", "終わり"]
    assert textnav.next_sentence_start(chinese, 0) == chinese.index("它")
    assert textnav.previous_sentence_start(chinese, chinese.index("真")) == chinese.index("它")


def test_sentences_end_at_the_urdu_full_stop_and_arabic_question_mark():
    urdu = "پاکستان نے ہفتے کو کہا۔ یہ اہم ہے؟ ہاں"
    assert _sentences_of(urdu) == ["پاکستان نے ہفتے کو کہا۔", "یہ اہم ہے؟", "ہاں"]
    hindi = "पाकिस्तान ने कहा। यह अहम है"
    assert _sentences_of(hindi) == ["पाकिस्तान ने कहा।", "यह अहम है"]
