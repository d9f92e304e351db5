"""``reader ner``: the entities of a whole corpus found with one ``nlp.pipe`` and cached."""

from __future__ import annotations

import shutil
from pathlib import Path

from reader.nlp import EntityRecognizer
from reader.nlp.cache import EntityCache
from tests.conftest import REFERENCE
from tests.test_cli import run

OTHER_TEXTS = {
    "talks.txt": "Talks in Geneva\n2025-07-28\nIshaq Dar met Marco Rubio in Washington.\n\nThe United Nations welcomed it.\n",
    "empty-body.txt": "A title only\n",
}


def test_batch_entities_equal_one_at_a_time_and_are_cached(tmp_path: Path, recognizer, reference_text: str):
    texts = [reference_text.rstrip("\n"), "", *[text.rstrip("\n") for text in OTHER_TEXTS.values()]]
    fresh = EntityRecognizer(recognizer.model, EntityCache(tmp_path))
    fresh._nlp = recognizer.load()  # share the session's pipeline
    batch = list(fresh.pipe_entities(texts, batch_size=3))
    assert batch == [fresh.with_rules(text, list(recognizer.recognise(text))) for text in texts]
    assert all(fresh.cached(text) == found for text, found in zip(texts, batch, strict=True))


def test_ner_fills_the_cache_for_the_corpus_once(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REFERENCE, corpus / REFERENCE.name)
    for name, text in OTHER_TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    environment = {"XDG_CACHE_HOME": str(cache)}

    first = run("ner", str(corpus), "--processes", "2", env=environment)
    assert first.returncode == 0, first.stderr
    assert "Found the entities of 3 articles" in first.stderr and "0 were cached already" in first.stderr
    assert "3/3" in first.stderr  # the progress bar's last state
    assert first.stdout == ""
    assert EntityCache(cache / "reader" / "entities").count() == 3

    (corpus / "new.txt").write_text("Later\n2025-08-01\nChina replied from Beijing.\n", encoding="utf-8")
    second = run("ner", str(corpus), env=environment)
    assert second.returncode == 0, second.stderr
    assert "Found the entities of 1 articles" in second.stderr and "3 were cached already" in second.stderr
    third = run("ner", str(corpus), env=environment)
    assert "All 4 articles" in third.stderr and "already have their entities cached" in third.stderr


def test_ner_errors_and_usage(tmp_path: Path):
    missing = run("ner", str(tmp_path / "nowhere"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "c").mkdir()
    bad_model = run("ner", str(tmp_path / "c"), "--model", "no_such_model_xyz")
    assert bad_model.returncode == 1 and "no_such_model_xyz" in bad_model.stderr
    assert run("ner", str(tmp_path / "c"), "--processes", "0").returncode == 2
    assert run("ner").returncode == 2
    helped = run("ner", "--help")
    assert helped.returncode == 0 and "--processes" in helped.stdout
