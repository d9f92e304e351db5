"""``reader agree`` through the installed command, on a real store and corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from annotations.agreement import cohen_kappa
from reader.corpus import load_corpus
from tests.helpers import span
from tests.test_cli import run

TEXT = "The council met on Monday. " * 20  # 540 characters


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("first", "second", "third"):
        (folder / f"{name}.txt").write_text(f"{name.title()} story\n2024-05-01\n{TEXT}\n", encoding="utf-8")
    return folder


def fill(store_path: Path, corpus: Path, passages: list[tuple[str, str, int, int, list[str]]]) -> dict[str, int]:
    """Add (coder, article, start, end, tags) passages to a real store; the articles' lengths."""
    articles = {article.id: article for article in load_corpus(corpus, use_index=False).articles}
    with AnnotationStore(store_path) as store:
        for coder, article_id, start, end, tags in passages:
            article = articles[article_id]
            store.add(span(article, start, end, tags, coder=coder), article.ref())
    return {article_id: len(article.text) for article_id, article in articles.items()}


def test_json_gives_each_code_and_overall_over_the_common_articles(tmp_path: Path, corpus: Path):
    db = tmp_path / "db.json"
    lengths = fill(
        db,
        corpus,
        [
            ("ana", "first", 0, 100, ["Risk"]),
            ("ben", "first", 50, 150, ["risk"]),
            ("ana", "first", 200, 260, ["blame"]),
            ("ben", "first", 200, 260, ["blame", "risk"]),
            ("ana", "second", 10, 40, ["blame"]),  # ben never coded "second": not compared
            ("cat", "first", 0, 10, ["risk"]),  # another coder, not asked for
        ],
    )
    before = sorted(path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file())
    result = run("agree", "--coder", "ana", "--coder", "ben", "--db", str(db), "--corpus", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["coders"] == ["ana", "ben"] and document["articles"] == 1
    assert set(document["codes"]) == {"Risk", "blame"}
    n = lengths["first"]
    risk = document["codes"]["Risk"]
    assert set(risk) == {"percent", "kappa", "alpha", "f1_exact", "f1_overlap", "a_passages", "b_passages"}
    # ana: 100 characters, ben: 100 + 60, both: 50 + 0.
    assert risk["kappa"] == pytest.approx(cohen_kappa(n, 100, 160, 50))
    assert risk["percent"] == pytest.approx(100 * (n - 100 - 160 + 100) / n)
    assert (risk["a_passages"], risk["b_passages"], risk["f1_exact"]) == (1, 2, 0.0)
    assert risk["f1_overlap"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)  # precision 1/2, recall 1/1
    blame = document["codes"]["blame"]
    assert (blame["kappa"], blame["alpha"], blame["f1_exact"]) == (1.0, 1.0, 1.0)
    assert document["overall"]["a_passages"] == 2 and document["overall"]["b_passages"] == 3
    after = sorted(path.stat().st_mtime_ns for path in tmp_path.rglob("*") if path.is_file())
    assert before == after  # reading only: nothing written


def test_table_by_default_and_choices_by_tag_and_article(tmp_path: Path, corpus: Path):
    db = tmp_path / "db.json"
    fill(
        db,
        corpus,
        [
            ("ana", "first", 0, 100, ["risk"]),
            ("ben", "first", 0, 100, ["risk"]),
            ("ana", "third", 0, 50, ["[red]blame"]),
            ("ben", "third", 10, 50, ["[red]blame"]),
        ],
    )
    result = run("agree", "--coder", "ana", "--coder", "ben", "--db", str(db), "--corpus", str(corpus))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("A = ana, B = ben: 2 article(s)")
    assert lines[2].split() == ["CODE", "AGREE", "KAPPA", "ALPHA", "F1", "EXACT", "F1", "OVERLAP", "A", "B"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:]}
    assert set(rows) == {"[red]blame", "risk", "(overall)"}
    assert rows["risk"][:2] == ["100.0%", "1.000"]
    chosen = run(
        "agree",
        "--coder",
        "ana",
        "--coder",
        "ben",
        "--db",
        str(db),
        "--corpus",
        str(corpus),
        "--json",
        "--tag",
        "RISK",
        "--tag",
        "nothing",
        "--article",
        "first",
    )
    assert chosen.returncode == 0, chosen.stderr
    document = json.loads(chosen.stdout)
    assert list(document["codes"]) == ["risk"] and document["articles"] == 1
    assert "no passage coded 'nothing'" in chosen.stderr


def test_clear_messages_and_nothing_printed_when_there_is_nothing_to_compare(tmp_path: Path, corpus: Path):
    db = tmp_path / "db.json"
    fill(db, corpus, [("ana", "first", 0, 100, ["risk"]), ("ben", "second", 0, 100, ["risk"])])
    common = ["--db", str(db), "--corpus", str(corpus)]
    nobody = run("agree", "--coder", "ana", "--coder", "zoe", *common)
    assert nobody.returncode == 1 and nobody.stdout == ""
    assert "coder 'zoe' has no coded passages" in nobody.stderr and "ana, ben" in nobody.stderr
    apart = run("agree", "--coder", "ana", "--coder", "ben", *common)
    assert apart.returncode == 1 and apart.stdout == ""
    assert "no article was coded by every coder" in apart.stderr and "ana 1, ben 1" in apart.stderr
    alone = run("agree", "--coder", "ana", *common)
    assert alone.returncode == 2 and "--coder A --coder B" in alone.stderr
    missing = run("agree", "--coder", "ana", "--coder", "ben", "--db", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert not (tmp_path / "none.json").exists()


def test_passages_coded_on_an_earlier_text_are_placed_in_the_current_one(tmp_path: Path, corpus: Path):
    path = corpus / "fourth.txt"
    vote = "after the vote in the council hall yesterday."
    path.write_text(f"Fourth story\n2024-05-02\nThe mayor resigned on Tuesday {vote} Then it rained.\n")
    db = tmp_path / "db.json"

    def where(phrase: str) -> tuple[int, int]:
        text = load_corpus(corpus, use_index=False).get("fourth").text
        return text.index(phrase), text.index(phrase) + len(phrase)

    # ana codes the text as it was (and a sentence it will lose); ben codes it after a change.
    fill(db, corpus, [("ana", "fourth", *where("resigned on Tuesday"), ["when"])])
    fill(db, corpus, [("ana", "fourth", *where("Then it rained"), ["when"])])
    path.write_text(f"Fourth story\n2024-05-02\nBreaking: the mayor resigned on Tuesday {vote}\n")
    fill(db, corpus, [("ben", "fourth", *where("resigned on Tuesday"), ["when"])])
    result = run("agree", "--coder", "ana", "--coder", "ben", "--db", str(db), "--corpus", str(corpus), "--json")
    assert result.returncode == 0, result.stderr
    when = json.loads(result.stdout)["codes"]["when"]
    assert (when["kappa"], when["f1_exact"], when["a_passages"], when["b_passages"]) == (1.0, 1.0, 1, 1)
    assert "1 passage(s) could not be found" in result.stderr
