"""``reader entities FILE``: the real CLI with the real model, offsets into the text as displayed."""

from __future__ import annotations

import json
from pathlib import Path

from annotations import AnnotationStore
from annotations.corrections import CorrectionBook
from reader.corpus import load_corpus
from tests.conftest import REFERENCE
from tests.test_cli import run

MARKDOWN = """---
title: Talks in Geneva
date: 2025-07-28
---

# Talks in **Geneva**

Ishaq Dar met *Marco Rubio* in Washington on Monday.
"""


def test_entities_of_a_markdown_file_have_offsets_into_the_displayed_text(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "talks.md").write_text(MARKDOWN, encoding="utf-8")
    [article] = load_corpus(corpus, use_index=False).articles
    displayed = article.read_text()
    assert displayed != MARKDOWN  # the front matter and the markup are not displayed

    result = run("entities", str(corpus / "talks.md"), "--json", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records, "the model finds names in this text"
    for record in records:
        assert set(record) == {"article_id", "start", "end", "label", "text"}
        assert displayed[record["start"] : record["end"]] == record["text"]
        assert record["article_id"] == article.id
    assert any(r["text"] == "Washington" and r["label"] == "GPE" for r in records)


def test_entities_table_and_corrections_of_the_store_apply(tmp_path: Path):
    store_path = tmp_path / "db.json"
    AnnotationStore(store_path).close()
    text = REFERENCE.read_text(encoding="utf-8")
    word = "Centcom" if "Centcom" in text else "CENTCOM"
    CorrectionBook(store_path).set(word, "ORG")
    CorrectionBook(store_path).set("four", None)

    shown = run("entities", str(REFERENCE), "--json", "--db", str(store_path))
    assert shown.returncode == 0, shown.stderr
    records = json.loads(shown.stdout)
    assert any(r["text"] == word and r["label"] == "ORG" for r in records)
    assert not any(r["text"] == "four" for r in records)
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]

    plain = run("entities", str(REFERENCE), "--db", str(store_path))
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert lines[0].split() == ["START", "END", "LABEL", "TEXT"]
    assert len(lines) == len(records) + 1


def test_every_article_of_a_json_lines_file_is_shown_with_its_id(tmp_path: Path):
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": "a", "title": "One", "text": "Angela Merkel visited Paris."},
        {"id": "b", "title": "Two", "text": "Nothing named here."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = run("entities", str(path), "--json", "--db", str(tmp_path / "none.json"))
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    ids = {article.title: article.id for article in load_corpus(tmp_path, use_index=False).articles}
    assert {r["article_id"] for r in records} <= set(ids.values())
    assert any(r["text"] == "Paris" and r["article_id"] == ids["One"] for r in records)


def test_bad_files_get_a_message_and_no_traceback(tmp_path: Path):
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    for target, message in (
        (tmp_path / "missing.txt", "is not a file"),
        (tmp_path, "is not a file"),
        (tmp_path / "notes.bin", "is not an article file"),
        (tmp_path / "empty.json", "cannot be read"),
    ):
        result = run("entities", str(target))
        assert result.returncode == 1, (target, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
    assert run("entities").returncode == 2
    bad_model = run("entities", str(REFERENCE), "--model", "no_such_model_xyz")
    assert bad_model.returncode == 1 and "no_such_model_xyz" in bad_model.stderr


def test_rules_apply_unless_turned_off_and_a_bad_user_pattern_is_named(tmp_path: Path):
    article = tmp_path / "talks.txt"
    article.write_text("Talks\n2025-02-03\nLAGOS: Lt. Gen. Femi Okafor met the Zubar Collective.\n", encoding="utf-8")
    config = tmp_path / "config"
    (config / "reader").mkdir(parents=True)
    (config / "reader" / "patterns.jsonl").write_text(
        '{"kind": "entity", "words": "Zubar Collective", "label": "ORG"}\n{broken\n', encoding="utf-8"
    )
    env = {"XDG_CONFIG_HOME": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    db = str(tmp_path / "none.json")
    ruled = run("entities", str(article), "--json", "--db", db, env=env)
    assert ruled.returncode == 0, ruled.stderr
    found = [(r["text"], r["label"]) for r in json.loads(ruled.stdout)]
    assert ("LAGOS", "GPE") in found and ("Femi Okafor", "PERSON") in found
    assert any(words.endswith("Zubar Collective") and label == "ORG" for words, label in found)
    assert "patterns.jsonl line 2" in ruled.stderr and "skipped" in ruled.stderr
    plain = run("entities", str(article), "--json", "--no-rules", "--db", db, env=env)
    assert plain.returncode == 0, plain.stderr
    plain_found = [(r["text"], r["label"]) for r in json.loads(plain.stdout)]
    assert plain_found != found and not any(label == "ORG" for _, label in plain_found)
