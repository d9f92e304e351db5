"""The rule layer (reader.nlp.rules), each rule on sentences written for it, with the model's
mistakes given by hand; then the layer with the real model, the patterns files and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.nlp import Entity, EntityRecognizer
from reader.nlp.cache import EntityCache
from reader.nlp.gazetteer import gazetteer
from reader.nlp.patterns import load_patterns
from reader.nlp.rules import RuleSet, stands_for


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet(load_patterns(None), gazetteer())


def at(text: str, words: str, label: str, occurrence: int = 0) -> Entity:
    """The entity ``words`` (its ``occurrence``-th place in ``text``) with ``label``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return Entity(start, start + len(words), label)


def shown(text: str, entities: list[Entity]) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in entities]


def test_ranks_and_titles_are_cut_off_names(rules: RuleSet):
    text = "Field Marshal Karim Nadeem Shah spoke after Lt. Gen. Omar Haddad and Sheikh Rashid Khalil arrived."
    model = [
        at(text, "Field Marshal Karim Nadeem Shah", "WORK_OF_ART"),
        at(text, "Lt. Gen. Omar Haddad", "PERSON"),
        at(text, "Sheikh Rashid Khalil", "ORG"),
    ]
    assert shown(text, rules.apply(text, model)) == [
        ("Karim Nadeem Shah", "PERSON"),
        ("Omar Haddad", "PERSON"),
        ("Rashid Khalil", "PERSON"),
    ]


def test_a_titled_name_the_model_missed_is_added(rules: RuleSet):
    text = "Talks went on as Foreign Minister Lena Varga and Secretary of State Tom Hale met."
    found = rules.apply(text, [])
    assert shown(text, found) == [("Lena Varga", "PERSON"), ("Tom Hale", "PERSON")]


def test_posts_alone_are_not_entities_nor_their_acronyms(rules: RuleSet):
    text = "The Chief of Army Staff (COAS) chaired the meeting; the COAS later left. The CDS was absent."
    model = [
        at(text, "Chief of Army Staff", "ORG"),
        at(text, "COAS", "ORG"),
        at(text, "COAS", "ORG", 1),
        at(text, "CDS", "ORG"),
    ]
    assert rules.apply(text, model) == []


def test_an_organisation_named_with_a_rank_stays_an_organisation(rules: RuleSet):
    text = "General Motors and the General Assembly were mentioned, with President Smith Jones."
    model = [at(text, "General Motors", "ORG"), at(text, "General Assembly", "ORG")]
    assert shown(text, rules.apply(text, model)) == [
        ("General Motors", "ORG"),
        ("General Assembly", "ORG"),
        ("Smith Jones", "PERSON"),
    ]


def test_datelines_are_places_without_the_words_after_them(rules: RuleSet):
    text = "Title\nNAIROBI: Kenya said on Monday.\nWASHINGTON \u2014 The talks began.\nUPDATE: Nothing new."
    model = [at(text, "NAIROBI: Kenya", "ORG"), at(text, "WASHINGTON \u2014 The", "ORG")]
    assert shown(text, rules.apply(text, model)) == [
        ("NAIROBI", "GPE"),
        ("Kenya", "GPE"),
        ("WASHINGTON", "GPE"),
    ]


def test_a_dateline_the_model_missed_with_agency_and_country(rules: RuleSet):
    text = "LAGOS, Nigeria (AP) \u2014 Floods hit the city."
    found = rules.apply(text, [at(text, "Nigeria", "GPE")])
    assert shown(text, found) == [("LAGOS", "GPE"), ("Nigeria", "GPE")]


def test_gazetteer_relabels_places_and_demonyms(rules: RuleSet):
    text = "Envoys from Tajikistan and Kyrgyzstan met Kenyan and Peruvians officials in Lima and Punjab."
    model = [
        at(text, "Tajikistan", "NORP"),
        at(text, "Kyrgyzstan", "PERSON"),
        at(text, "Kenyan", "GPE"),
        at(text, "Lima", "PERSON"),
        at(text, "Punjab", "ORG"),
    ]
    assert shown(text, rules.apply(text, model)) == [
        ("Tajikistan", "GPE"),
        ("Kyrgyzstan", "GPE"),
        ("Kenyan", "NORP"),
        ("Peruvians", "NORP"),  # missed by the model, added
        ("Lima", "GPE"),
        ("Punjab", "GPE"),
    ]


def test_gazetteer_adds_only_what_stands_alone(rules: RuleSet):
    text = "The Bank of China and the Pakistan Army met. Male voters in Chad Smith's town. In Norway, rain."
    found = rules.apply(text, [])
    assert shown(text, found) == [("Norway", "GPE")]


def test_a_language_keeps_its_label(rules: RuleSet):
    text = "She spoke Punjabi and Sikhs listened."
    found = rules.apply(text, [at(text, "Punjabi", "LANGUAGE")])
    assert shown(text, found) == [("Punjabi", "LANGUAGE"), ("Sikhs", "NORP")]


def test_acronyms_take_the_label_of_the_name_before_them(rules: RuleSet):
    text = "The Federal Bureau of Investigation (FBI) said the FBI would help. The FBI-run lab closed."
    model = [at(text, "Federal Bureau of Investigation", "ORG"), at(text, "FBI", "GPE", 1)]
    assert shown(text, rules.apply(text, model)) == [
        ("Federal Bureau of Investigation", "ORG"),
        ("FBI", "ORG"),
        ("FBI", "ORG"),
    ]
    assert stands_for("ISPR", "Inter-Services Public Relations") and stands_for("PTI", "Pakistan Tehreek-e-Insaf")
    assert stands_for("IGAD", "the Intergovernmental Authority on Development")
    assert not stands_for("AP", "Kenya") and not stands_for("ISPR", "Inter Public")
    assert not stands_for("ABC", "Federal Bureau") and not stands_for("X", "Xavier")


def test_possessives_quotes_and_brackets_are_left_out(rules: RuleSet):
    text = "\"Acme Widgets\" grew; Norway's fleet, the Taliban', and Relief Aid (RA said more."
    model = [
        at(text, '"Acme Widgets"', "ORG"),
        at(text, "Norway's", "GPE"),
        at(text, "Taliban',", "ORG"),
        at(text, "Relief Aid (RA", "ORG"),
    ]
    assert shown(text, rules.apply(text, model)) == [
        ("Acme Widgets", "ORG"),
        ("Norway", "GPE"),
        ("Taliban", "ORG"),
        ("Relief Aid", "ORG"),
    ]


def test_title_case_headline_is_not_one_organisation(rules: RuleSet):
    text = "Floods Hit Northern Towns As Kenya Braces For More Rain\n2025-05-01\nBody text here."
    model = [at(text, "Floods Hit Northern Towns As Kenya Braces", "ORG")]
    assert shown(text, rules.apply(text, model)) == [("Kenya", "GPE")]


def test_user_patterns_are_merged_and_bad_lines_named(tmp_path: Path):
    user = tmp_path / "patterns.jsonl"
    user.write_text(
        '{"kind": "entity", "words": "Zorblatt Foundation", "label": "ORG"}\n'
        '{"label": "PRODUCT", "pattern": "Widget Nine"}\n'
        '{"kind": "title", "words": "Grand Vizier"}\n'
        "not json\n"
        '{"kind": "colour", "words": "x"}\n',
        encoding="utf-8",
    )
    patterns = load_patterns(user)
    assert [p.split(":")[0] for p in patterns.problems] == [f"{user} line 4", f"{user} line 5"]
    rules = RuleSet(patterns, gazetteer())
    text = "The Zorblatt Foundation sold Widget Nine; Grand Vizier Amos Quill agreed."
    assert shown(text, rules.apply(text, [])) == [
        ("Zorblatt Foundation", "ORG"),
        ("Widget Nine", "PRODUCT"),
        ("Amos Quill", "PERSON"),
    ]
    assert patterns.version != load_patterns(None).version


def test_rules_with_the_real_model(recognizer, tmp_path: Path):
    text = (
        "Border talks\n2025-03-02\nKABUL: Lt. Gen. Hamid Rahimi met Foreign Minister Ahmed Yusuf "
        "and the Asian Development Bank (ADB) team; the ADB pledged funds."
    )
    plain = EntityRecognizer(recognizer.model, EntityCache(tmp_path / "plain"), rules=False)
    ruled = EntityRecognizer(recognizer.model, EntityCache(tmp_path / "ruled"))
    plain._nlp = ruled._nlp = recognizer.load()
    found = shown(text, ruled.entities(text))
    assert ("KABUL", "GPE") in found and ("Hamid Rahimi", "PERSON") in found and ("Ahmed Yusuf", "PERSON") in found
    assert found.count(("ADB", "ORG")) == 2
    assert not any(words.startswith(("Lt", "Foreign")) for words, _ in found)
    assert ruled.with_rules(text, list(plain.recognise(text))) == ruled.entities(text)


def test_the_cache_is_keyed_by_the_rules_version(recognizer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    cache = EntityCache(tmp_path / "cache")
    text = "The Quibble Society met in Oslo."
    first = EntityRecognizer(recognizer.model, cache)
    first._nlp = recognizer.load()
    assert not any(label == "NORP" for _, label in shown(text, first.entities(text)))
    assert first.is_cached(text)

    (config / "reader").mkdir(parents=True)
    (config / "reader" / "patterns.jsonl").write_text(
        json.dumps({"kind": "entity", "words": "Quibble Society", "label": "NORP"}) + "\n", encoding="utf-8"
    )
    second = EntityRecognizer(recognizer.model, cache)  # a new process: the user's file is read anew
    assert second.cache_key != first.cache_key and not second.is_cached(text)
    second._nlp = recognizer.load()
    assert any(
        words.endswith("Quibble Society") and label == "NORP" for words, label in shown(text, second.entities(text))
    )
