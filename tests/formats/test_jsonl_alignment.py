"""jsonl for spaCy and Prodigy over any text: every span is a span of the Doc rebuilt from the
task's tokens (CJK runs, zero-width spaces, emoji, spaces at a span's edge), tokens are of the
text as exported, labels are folded as reader folds tags, and the task is an accepted answer."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export

#: Characters that tokenise in awkward ways: CJK runs with no space, zero-width space and joiner,
#: emoji (outside the BMP), several kinds of space, line breaks, punctuation, a backtick.
ALPHABET = st.sampled_from(
    list("ab Zx.,`'\n\t") + ["中", "文", "字", "日本", "\u200b", "\u200d", "😀", "👍🏽", "\u00a0", "  ", "—", "İ"]
)
TEXTS = st.lists(ALPHABET, min_size=1, max_size=60).map("".join)


def doc_of(vocab, task: dict) -> Doc:
    tokens = task["tokens"]
    return Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])


def export_of(recognizer, text: str, passages: list[tuple[int, int, list[str]]], entities=()) -> Export:
    made = [
        Annotation.create(article_id="a", article_sha256="", text=text, start=start, end=end, tags=tags)
        for start, end, tags in passages
    ]
    return Export(
        made, {"a": ArticleRef("a", "", None, "", "")}, {"a": text}, recognizer.token_spans, {"a": list(entities)}
    )


def check_every_span_aligns(recognizer, export: Export) -> dict:
    [line] = formats.render("jsonl", export).splitlines()
    task = json.loads(line)
    doc = doc_of(recognizer.load().vocab, task)
    assert doc.text == task["text"]
    for span in task["spans"] + task.get("untagged", []):
        found = doc.char_span(span["start"], span["end"])
        assert found is not None, (task["text"][span["start"] : span["end"]], span)
        assert found.text == task["text"][span["start"] : span["end"]]
        assert (span["token_start"], span["token_end"]) == (found.start, found.end - 1)
    return task


@st.composite
def passages(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, list[str]]], list[tuple[int, int, str]]]:
    text = draw(TEXTS)
    chosen = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        chosen.append((start, end, draw(st.sampled_from([[], ["Absent parties"], ["absent parties", "x"]]))))
    start = draw(st.integers(0, len(text) - 1))
    entities = [(start, draw(st.integers(start + 1, len(text))), "GPE")]
    return text, chosen, entities


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=passages())
def test_every_span_of_any_text_is_a_span_of_the_rebuilt_doc(recognizer, case):
    text, chosen, entities = case
    check_every_span_aligns(recognizer, export_of(recognizer, text, chosen, entities))


def test_passages_inside_a_cjk_run_and_beside_zero_width_spaces_align(recognizer):
    text = "东京都中央区的会议 and the foo\u200bbar\u200b  summit 😀😀 ended."
    chosen = [
        (text.index("中央"), text.index("中央") + 2, ["place"]),
        (text.index("bar"), text.index("bar") + 4, ["zwsp"]),  # ends after the zero-width space
        (text.index(" summit"), text.index(" summit") + 7, ["space first"]),
        (text.index("😀") + 1, text.index("😀") + 2, ["emoji"]),
    ]
    check_every_span_aligns(recognizer, export_of(recognizer, text, chosen))


def test_tokens_are_those_of_the_text_as_exported(recognizer):
    """A backtick possessive is one token when spaCy reads the exported text, so it is one here."""
    text = "Pakistan`s ties with China"
    start = text.index("ties")
    [line] = formats.render("jsonl", export_of(recognizer, text, [(start, start + 4, ["t"])])).splitlines()
    words = [token["text"] for token in json.loads(line)["tokens"]]
    assert words == [token.text for token in recognizer.load().tokenizer(text)]


def test_tasks_are_accepted_and_labels_fold_as_reader_folds_tags(recognizer):
    text = "Absent were Russia and China."
    export = export_of(recognizer, text, [(0, 6, ["Absent parties"]), (23, 28, ["absent  PARTIES", "other"])])
    task = check_every_span_aligns(recognizer, export)
    assert task["answer"] == "accept"
    assert sorted(span["label"] for span in task["spans"]) == ["Absent parties", "Absent parties", "other"]
    back = {
        annotation.start: annotation.tags
        for annotation in formats.load(formats.render("jsonl", export), "jsonl").annotations
    }
    assert back == {0: ["Absent parties"], 23: ["absent PARTIES", "other"]}  # each keeps its own spelling
