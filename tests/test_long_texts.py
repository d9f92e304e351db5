"""Texts longer than spaCy's ``max_length`` (1,000,000 characters) in one paragraph (issue 10.3).

The model reads pieces (paragraphs, long ones cut at sentence ends or spaces), each well under
``max_length``; the entities' offsets are into the whole text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import AnnotationStore
from reader.nlp import EntityRecognizer
from reader.nlp.cache import EntityCache
from reader.nlp.pieces import PIECE_CHARS, SENTENCE_END, pieces
from tests.test_cli import run

MILLION = 1_000_000


@pytest.fixture(scope="module")
def one_paragraph(reference_text: str) -> tuple[str, str, int]:
    """(text, one copy of the body, copies): the reference article's title and date, then its
    paragraphs joined by spaces and repeated, as one paragraph of more than 1,000,000 characters."""
    title, date, *body = [line for line in reference_text.splitlines() if line.strip()]
    copy = " ".join(body)
    copies = MILLION // (len(copy) + 1) + 1
    text = f"{title}\n{date}\n" + " ".join([copy] * copies)
    assert len(text.split("\n")[2]) > MILLION
    return text, copy, copies


def fresh_recognizer(recognizer, folder: Path) -> EntityRecognizer:
    """A recognizer with an empty cache, sharing the session's loaded pipeline."""
    fresh = EntityRecognizer(recognizer.model, EntityCache(folder))
    fresh._nlp = recognizer.load()
    return fresh


def test_pieces_of_a_huge_paragraph_are_short_exact_slices_cut_at_sentence_ends(one_paragraph):
    text, _, _ = one_paragraph
    found = list(pieces(text))
    assert len(found) > MILLION // PIECE_CHARS
    covered = 0
    for offset, piece in found:
        assert len(piece) <= PIECE_CHARS
        assert text[offset : offset + len(piece)] == piece  # offsets map back exactly
        covered += len(piece)
    body = found[2:]
    assert sum(len(piece) for _, piece in body) == len(text.split("\n")[2])  # nothing left out
    assert all(SENTENCE_END.search(piece[-3:]) for _, piece in body[:-1])  # each piece ends a sentence


def test_a_run_without_spaces_is_cut_at_the_limit():
    text = "x" * (PIECE_CHARS * 2 + 10)
    assert [(offset, len(piece)) for offset, piece in pieces(text)] == [
        (0, PIECE_CHARS),
        (PIECE_CHARS, PIECE_CHARS),
        (2 * PIECE_CHARS, 10),
    ]


@pytest.mark.slow
def test_paragraph_over_a_million_characters_gets_its_entities_from_the_real_model(
    tmp_path: Path, recognizer, one_paragraph
):
    text, copy, copies = one_paragraph
    fresh = fresh_recognizer(recognizer, tmp_path)
    assert len(text) > fresh.load().max_length  # max_length is not raised: the text is cut
    entities = fresh.entities(text)
    assert fresh.cached(text) == entities
    body_start = text.index("\n", text.index("\n") + 1) + 1
    in_copy = [e for e in recognizer.recognise(copy)]
    pakistan_per_copy = sum(1 for e in in_copy if copy[e.start : e.end] == "Pakistan" and e.label == "GPE")
    pakistan = [e for e in entities if e.start >= body_start and text[e.start : e.end] == "Pakistan"]
    # Every copy's Pakistan found, at an offset into the whole text (a cut may cost one or two).
    assert len(pakistan) >= (pakistan_per_copy - 1) * copies
    assert sum(1 for e in pakistan if e.label == "GPE") > 0.95 * pakistan_per_copy * copies
    last = max(e.start for e in pakistan)
    assert last > MILLION - len(copy)  # found to the end of the paragraph
    for entity in entities:
        assert text[entity.start : entity.end].strip() == text[entity.start : entity.end] != ""


@pytest.mark.slow
def test_reader_ner_and_stats_read_a_paragraph_over_a_million_characters(tmp_path: Path):
    """``reader ner`` (one pipe over every article's pieces) and ``stats --corpus`` do not crash.

    Most of the paragraph is one long run of letters, which the model reads quickly; the words
    before it still get their entities, at offsets into the whole text.
    """
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    head = "Long line\n2025-07-27\nPakistan hosted a conference in Islamabad. "
    (corpus / "long.txt").write_text(head + "x" * (MILLION + 5) + "\n", encoding="utf-8")
    environment = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    found = run("ner", str(corpus), env=environment)
    assert found.returncode == 0, found.stderr
    assert "Found the entities of 1 articles" in found.stderr and "Traceback" not in found.stderr
    AnnotationStore(tmp_path / "store.json").close()  # an existing, empty store
    stats = run("stats", "--corpus", str(corpus), "--db", str(tmp_path / "store.json"), env=environment)
    assert stats.returncode == 0, stats.stderr
    assert "Pakistan" in stats.stdout or "GPE" in stats.stdout


@pytest.mark.slow
def test_pipe_entities_of_a_huge_paragraph_equal_the_step_by_step_ones(tmp_path: Path, recognizer):
    text = "Talks\n2025-07-28\nIshaq Dar met Marco Rubio in Washington. " + "y" * (MILLION + 1) + " China replied."
    fresh = fresh_recognizer(recognizer, tmp_path)
    [piped] = list(fresh.pipe_entities([text]))
    assert piped == list(recognizer.recognise(text))
    assert any(text[e.start : e.end] == "Washington" for e in piped)
    assert any(text[e.start : e.end] == "China" for e in piped)
