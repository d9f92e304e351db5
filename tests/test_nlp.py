"""The NLP layer with the real pipeline (loaded once per session by the ``recognizer`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.nlp import Entity, EntityRecognizer, ModelUnavailable, normalise_for_nlp
from reader.nlp.cache import EntityCache, text_hash


def test_normalisation_keeps_length_and_turns_backticks_into_apostrophes():
    text = "Pakistan`s `commitment` \u2018x\u2019"
    assert normalise_for_nlp(text) == "Pakistan's 'commitment' 'x'"
    assert len(normalise_for_nlp(text)) == len(text)


def test_reference_entities_have_offsets_into_the_displayed_text(recognizer, reference_text: str):
    text = reference_text.rstrip("\n")
    entities = list(recognizer.recognise(text))
    assert Entity(0, 8, "GPE") in entities
    possessive = text.index("Pakistan`s", text.index("ISLAMABAD"))
    assert Entity(possessive, possessive + 8, "GPE") in entities
    for entity in entities:
        assert text[entity.start : entity.end].strip() == text[entity.start : entity.end]
        assert "\n" not in text[entity.start : entity.end]


def test_cache_serves_second_call_and_is_keyed_by_model(tmp_path: Path, recognizer):
    cache = EntityCache(tmp_path)
    fresh = EntityRecognizer(recognizer.model, cache)
    fresh._nlp = recognizer.load()  # share the session's loaded pipeline
    text = "Ishaq Dar met Marco Rubio in Washington."
    first = fresh.entities(text)
    assert fresh.is_cached(text)
    assert cache.get(text, "some_other_model@1.0") is None
    assert cache.count() == 1 and cache.count(fresh.cache_key) == 1 and cache.count(fresh.identity) == 0
    assert not list(tmp_path.rglob("*.json"))  # one database file (and its journal), no file per text
    fresh._nlp = None  # a cached text needs no pipeline at all
    assert fresh.entities(text) == first


def test_damaged_cache_entry_is_a_miss(tmp_path: Path, recognizer):
    cache = EntityCache(tmp_path)
    cache.put("x", "m@1", [Entity(0, 1, "GPE")])
    cache._put(text_hash("x"), "m@1", "{broken")
    assert cache.get("x", "m@1") is None


def test_unknown_model_is_reported_not_raised_as_traceback():
    recognizer = EntityRecognizer("no_such_pipeline_xyz")
    with pytest.raises(ModelUnavailable, match="not installed"):
        recognizer.load()


def test_pipeline_folder_can_be_used(tmp_path: Path, recognizer):
    folder = tmp_path / "pipeline"
    recognizer.load().to_disk(folder)
    other = EntityRecognizer(str(folder))
    assert other.identity.endswith("@3.8.0")
    assert Entity(0, 8, "GPE") in list(other.recognise("Pakistan hosted a conference."))


def test_folder_that_is_not_a_pipeline(tmp_path: Path):
    with pytest.raises(ModelUnavailable, match="not a spaCy pipeline"):
        EntityRecognizer(str(tmp_path)).load()


def test_only_the_entity_components_run_and_they_find_what_the_whole_pipeline_finds(recognizer, reference_text):
    import spacy

    from reader.nlp import normalise_for_nlp
    from reader.nlp.entities import paragraphs

    nlp = recognizer.load()
    assert [name for name, _ in nlp.pipeline] == ["ner"]
    whole = spacy.load(recognizer.model)
    text = reference_text.rstrip("\n")
    expected = [
        Entity(offset + e.start_char, offset + e.end_char, e.label_)
        for offset, line in paragraphs(normalise_for_nlp(text))
        for e in whole(line).ents
    ]
    assert list(recognizer.recognise(text)) == expected
