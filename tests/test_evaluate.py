"""Scoring entities against gold (reader.nlp.evaluate) with figures computed by hand, and
``reader evaluate`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.nlp.evaluate import Span, evaluate, read_gold, relaxed_matching
from tests.conftest import REFERENCE
from tests.test_cli import run

GOLD = [
    Span("a", 0, 8, "GPE"),
    Span("a", 10, 20, "PERSON"),
    Span("a", 30, 40, "ORG"),
    Span("a", 50, 55, "GPE"),
]
FOUND = [
    Span("a", 0, 8, "GPE"),  # exact
    Span("a", 12, 20, "PERSON"),  # same label, other boundaries
    Span("a", 30, 40, "GPE"),  # same place, other label
    Span("a", 60, 65, "DATE"),  # nothing in the gold there
]  # and the GPE at 50 is missed


def test_strict_and_relaxed_overall():
    result = evaluate(GOLD, FOUND)
    # strict: only the first is right: 1 of 4 found, 1 of 4 gold
    assert (result.strict.true_positives, result.strict.false_positives, result.strict.false_negatives) == (1, 3, 3)
    assert result.strict.precision == pytest.approx(0.25) and result.strict.recall == pytest.approx(0.25)
    assert result.strict.f1 == pytest.approx(0.25)
    # relaxed: the PERSON overlapping with the same label counts too: 2 of 4, 2 of 4
    assert (result.relaxed.true_positives, result.relaxed.false_positives, result.relaxed.false_negatives) == (2, 2, 2)
    assert result.relaxed.f1 == pytest.approx(0.5)


def test_scores_by_label():
    result = evaluate(GOLD, FOUND)
    gpe = result.relaxed_by_label["GPE"]
    assert (gpe.true_positives, gpe.false_positives, gpe.false_negatives) == (1, 1, 1)
    assert gpe.precision == pytest.approx(0.5) and gpe.recall == pytest.approx(0.5)
    assert result.relaxed_by_label["PERSON"].f1 == pytest.approx(1.0)
    assert result.strict_by_label["PERSON"].f1 == 0.0
    org = result.relaxed_by_label["ORG"]
    assert (org.true_positives, org.false_negatives, org.precision, org.recall, org.f1) == (0, 1, 0.0, 0.0, 0.0)
    assert result.relaxed_by_label["DATE"].false_positives == 1


def test_errors_are_classified_in_text_order():
    errors = evaluate(GOLD, FOUND).errors
    assert [(e.kind, e.gold, e.found) for e in errors] == [
        ("boundaries", GOLD[1], FOUND[1]),
        ("label", GOLD[2], FOUND[2]),
        ("missed", GOLD[3], None),
        ("spurious", None, FOUND[3]),
    ]


def test_relaxed_is_one_to_one():
    two_names = [Span("a", 0, 5, "PERSON"), Span("a", 6, 11, "PERSON")]
    one_span = [Span("a", 0, 11, "PERSON")]
    merged = evaluate(two_names, one_span).relaxed
    assert (merged.true_positives, merged.false_positives, merged.false_negatives) == (1, 0, 1)
    assert merged.f1 == pytest.approx(2 / 3)  # P 1, R 1/2
    split = evaluate(one_span, two_names).relaxed
    assert (split.true_positives, split.false_positives, split.false_negatives) == (1, 1, 0)


def test_matching_is_maximum_not_greedy():
    gold = [Span("a", 0, 10, "X"), Span("a", 10, 12, "X")]
    found = [Span("a", 0, 12, "X"), Span("a", 2, 4, "X")]
    # greedy by overlap would give the long span the first gold one and leave the short one out
    assert relaxed_matching(gold, found) == {0: 1, 1: 0}
    assert evaluate(gold, found).relaxed.true_positives == 2


def test_articles_are_apart_and_label_must_agree_even_relaxed():
    result = evaluate([Span("a", 0, 5, "GPE")], [Span("b", 0, 5, "GPE"), Span("a", 0, 5, "LOC")])
    assert result.relaxed.true_positives == 0 and result.relaxed.false_positives == 2
    assert [e.kind for e in result.errors] == ["label", "spurious"]


def test_nothing_found_and_no_gold_give_zeros_not_errors():
    assert evaluate([], []).relaxed.f1 == 0.0
    assert evaluate(GOLD, []).strict.recall == 0.0


def test_read_gold_names_bad_lines_by_number():
    lines = [
        '{"article_id": "a", "start": 0, "end": 8, "label": "GPE", "text": "Pakistan"}',
        "",
        "not json",
        '["a", 0, 8]',
        '{"article_id": "a", "start": 9, "end": 3, "label": "GPE"}',
        '{"article_id": "a", "start": "0", "end": 3, "label": "GPE"}',
        '{"article_id": "a", "start": 0, "label": "GPE"}',
        '{"start": 0, "end": 3, "label": "GPE"}',
        '{"article_id": "b"}',
        '{"article_id": "a", "start": 0, "end": 3, "label": ""}',
    ]
    gold = read_gold(lines)
    assert gold.spans == [Span("a", 0, 8, "GPE")] and gold.lines == {Span("a", 0, 8, "GPE"): 1}
    assert gold.articles == {"a", "b"}
    problems = gold.problems
    assert [problem.split(":")[0] for problem in problems] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
        "line 10",
    ]
    assert "missing 'end'" in problems[4]


def _gold_file(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_evaluate_cli_scores_reader_against_its_own_output(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / REFERENCE.name).write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    db = str(tmp_path / "none.json")
    shown = json.loads(run("entities", str(corpus / REFERENCE.name), "--json", "--db", db).stdout)
    gold = shown[1:]  # the first entity left out of the gold: one spurious, all else right
    path = _gold_file(tmp_path, gold)
    result = run("evaluate", str(path), "--corpus", str(corpus), "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    overall = report["strict"]["overall"]
    assert (overall["true_positives"], overall["false_positives"], overall["false_negatives"]) == (len(gold), 1, 0)
    assert overall["recall"] == 1.0
    assert report["errors"] == [
        {"kind": "spurious", "article_id": shown[0]["article_id"], "found": {**shown[0]}, "gold": None}
    ]
    table = run("evaluate", str(path), "--corpus", str(corpus), "--db", db)
    assert table.returncode == 0 and "relaxed" in table.stdout and "spurious" in table.stdout


def test_evaluate_cli_refuses_bad_gold_and_unknown_articles(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("Title\n2025-01-01\nParis is in France.\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"article_id": "one", "start": 17, "end": 23, "label": "GPE"}\n{oops\n', encoding="utf-8")
    result = run("evaluate", str(bad), "--corpus", str(corpus))
    assert result.returncode == 1 and "line 2" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    unknown = _gold_file(tmp_path, [{"article_id": "nope", "start": 0, "end": 3, "label": "GPE"}])
    result = run("evaluate", str(unknown), "--corpus", str(corpus))
    assert result.returncode == 1 and "nope" in result.stderr
    outside = _gold_file(tmp_path, [{"article_id": "one", "start": 0, "end": 999, "label": "GPE"}])
    result = run("evaluate", str(outside), "--corpus", str(corpus))
    assert result.returncode == 1 and "line 1" in result.stderr and "999" in result.stderr
    missing = run("evaluate", str(tmp_path / "nowhere.jsonl"), "--corpus", str(corpus))
    assert missing.returncode == 1 and "nowhere.jsonl" in missing.stderr
