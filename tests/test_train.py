"""``reader train``: the NER fine-tuned on corrections learns them, keeps loading with --model,
and refuses (writing nothing) when there is too little to learn from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from annotations.corrections import CorrectionBook, EntityCorrection
from reader.nlp import Entity
from reader.nlp.train import MIN_CORRECTED, TooFewCorrections, training_set
from tests.test_cli import run

#: A made-up town the small English model reads as PERSON or DATE.
TOWN = [
    "Merrow said on Monday that the bridge would reopen.",
    "Officials in Merrow closed two schools after the storm.",
    "Merrow and Dalby signed a water agreement.",
    "The mayor of Merrow, Anna Price, visited the site.",
    "Merrow reported 40 new cases of flu this week.",
    "Farmers near Merrow lost crops to the flood.",
    "Merrow will host the regional games next year.",
    "Police in Merrow arrested three men on Friday.",
    "Merrow borrowed money from the national bank.",
    "Trains between Merrow and London were cancelled.",
    "Merrow voted to raise local taxes.",
    "A fire in Merrow destroyed a warehouse.",
    "Merrow opened a new hospital wing in March.",
    "Teachers in Merrow went on strike.",
    "Merrow announced a plan to plant trees.",
    "Merrow thanked volunteers for their help.",
]
OTHER = [
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday.",
    "Google opened an office in Nairobi.",
    "The United Nations said 3 million people need aid.",
    "Barack Obama spoke at Harvard University.",
    "Japan and China discussed trade in Beijing.",
    "Microsoft paid $2 billion for the company.",
    "The Red Cross sent teams to Haiti.",
    "Tokyo hosted the Olympic Games.",
]


def make_corpus(folder: Path, town_lines: list[str]) -> Path:
    folder.mkdir()
    for i in range(4):
        lines = town_lines[i * 4 : (i + 1) * 4] + OTHER[i * 2 : (i + 1) * 2]
        (folder / f"town{i}.txt").write_text(
            f"Town news\n2025-0{i + 1}-01\n" + "\n".join(lines) + "\n", encoding="utf-8"
        )
    return folder


def make_store(path: Path, corrections: dict[str, str]) -> Path:
    AnnotationStore(path).close()
    for words, label in corrections.items():
        CorrectionBook(path).set(words, label)
    return path


def test_training_set_holds_out_a_share_and_rehearses_the_rest():
    texts = {"a": "\n".join(["Merrow grew."] * 8 + ["Paris slept."] * 20)}
    shown = {"a": [Entity(i * 13, i * 13 + 6, "GPE") for i in range(8)]}
    training = training_set(texts, shown, [EntityCorrection("Merrow", "GPE")])
    assert (len(training.train), len(training.held_out), len(training.rehearsal)) == (6, 2, 12)
    assert all(entities == [(0, 6, "GPE")] for _, entities in training.train + training.held_out)
    assert all(text == "Paris slept." and entities == [] for text, entities in training.rehearsal)
    with pytest.raises(TooFewCorrections, match=f"at least {MIN_CORRECTED}"):
        training_set({"a": "Merrow grew.\nParis slept."}, {}, [EntityCorrection("Merrow", "GPE")])


def test_train_learns_the_corrections_and_the_pipeline_loads_with_model(tmp_path: Path):
    corpus = make_corpus(tmp_path / "corpus", TOWN)
    store = make_store(tmp_path / "db.json", {"Merrow": "GPE"})
    output = tmp_path / "pipeline"
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run(
        "train", "--corpus", str(corpus), "--db", str(store), "-o", str(output), "--iterations", "10", "--json", env=env
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["held_out"] >= 1 and report["trained_on"] >= 1 and report["rehearsed"] >= 1
    assert report["after"]["f1"] > report["before"]["f1"]
    assert "held-out relaxed F1" in result.stderr and "10/10" in result.stderr
    assert (output / "meta.json").exists()

    plain = run("entities", str(corpus / "town2.txt"), "--json", "--db", str(tmp_path / "none.json"), env=env)
    trained = run(
        "entities",
        str(corpus / "town2.txt"),
        "--json",
        "--model",
        str(output),
        "--db",
        str(tmp_path / "none.json"),
        env=env,
    )
    assert trained.returncode == 0, trained.stderr
    labels = [r["label"] for r in json.loads(trained.stdout) if r["text"] == "Merrow"]
    assert labels == ["GPE"] * 4  # without any correction applied
    assert [r["label"] for r in json.loads(plain.stdout) if r["text"] == "Merrow"] != labels


def test_train_refuses_and_writes_nothing(tmp_path: Path):
    corpus = make_corpus(tmp_path / "corpus", TOWN)
    output = tmp_path / "pipeline"
    none = run(
        "train", "--corpus", str(corpus), "--db", str(make_store(tmp_path / "empty.json", {})), "-o", str(output)
    )
    assert none.returncode == 1 and "no entity corrections" in none.stderr and not output.exists()
    few = make_store(tmp_path / "few.json", {"Dalby": "GPE"})  # in one paragraph only
    result = run("train", "--corpus", str(corpus), "--db", str(few), "-o", str(output))
    assert result.returncode == 1 and "Too few corrections" in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()
    output.mkdir()
    (output / "keep.txt").write_text("mine", encoding="utf-8")
    taken = run("train", "--corpus", str(corpus), "--db", str(few), "-o", str(output))
    assert taken.returncode == 1 and "not an empty folder" in taken.stderr
    assert [p.name for p in output.iterdir()] == ["keep.txt"]
    assert run("train", "--corpus", str(corpus)).returncode == 2  # -o is required
