"""``reader export`` in every format with its filters, and ``reader import`` back, through the
installed command: same store after a round trip, skips counted, broken files refused."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from tests.test_cli import run
from tests.test_cli_list_stats import tag_passages

PASSAGES = [
    ("pivoting westward", ["pivot westward"]),
    ("no other South Asian state", ["absent parties", "South Asia"]),
    ("Missing were Russia and China", []),
]


@pytest.fixture
def store(tmp_path: Path, corpus_dir: Path) -> Path:
    path = tmp_path / "db.json"
    tag_passages(path, corpus_dir, PASSAGES)
    return path


def contents(path: Path) -> tuple[list[dict], dict]:
    with AnnotationStore(path) as store:
        return [annotation.to_record() for annotation in store.all()], store.articles()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "w3c"])
def test_export_then_import_into_an_empty_store_gives_the_same_store(
    tmp_path: Path, corpus_dir: Path, store: Path, fmt: str
):
    exported = tmp_path / f"out.{fmt}"
    written = run("export", "--db", str(store), "--format", fmt, "--corpus", str(corpus_dir), "-o", str(exported))
    assert written.returncode == 0, written.stderr
    assert written.stdout == "" and f"Wrote 3 annotations to {exported}" in written.stderr

    copy = tmp_path / "copy.json"
    imported = run("import", str(exported), "--db", str(copy))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 annotations" in imported.stderr and "0 already in the store" in imported.stderr
    assert contents(copy) == contents(store)

    again = run("import", str(exported), "--db", str(copy), "--format", fmt)
    assert (
        again.returncode == 0 and "Imported 0 annotations" in again.stderr and "3 already in the store" in again.stderr
    )
    assert contents(copy) == contents(store)


def test_filters_choose_what_is_exported_to_stdout(store: Path, corpus_dir: Path):
    by_tag = run("export", "--db", str(store), "--format", "csv", "--tag", "SOUTH ASIA", "--tag", "pivot westward")
    assert by_tag.returncode == 0, by_tag.stderr
    rows = list(csv.DictReader(by_tag.stdout.splitlines()))
    assert sorted(row["quote"] for row in rows) == ["no other South Asian state", "pivoting westward"]
    other_article = run("export", "--db", str(store), "--article", "not-this-one")
    assert other_article.returncode == 1 and other_article.stdout == ""
    assert "No article 'not-this-one' in the store" in other_article.stderr
    future = run("export", "--db", str(store), "--format", "w3c", "--since", "2999-01-01")
    assert json.loads(future.stdout)["total"] == 0
    past = run(
        "export", "--db", str(store), "--format", "jsonl", "--since", "2000-01-01T00:00Z", "--corpus", str(corpus_dir)
    )
    [task] = [json.loads(line) for line in past.stdout.splitlines()]
    assert len(task["spans"]) == 3 and len(task["untagged"]) == 1 and task["tokens"]


def test_jsonl_with_entities_and_brat_folder(tmp_path: Path, store: Path, corpus_dir: Path):
    with_entities = run("export", "--db", str(store), "-f", "jsonl", "--entities", "--corpus", str(corpus_dir))
    assert with_entities.returncode == 0, with_entities.stderr
    [task] = [json.loads(line) for line in with_entities.stdout.splitlines()]
    entity_labels = {span["label"] for span in task["spans"] if span["meta"].get("source") == "entity"}
    assert {"GPE", "ORG"} <= entity_labels

    folder = tmp_path / "brat"
    brat = run("export", "--db", str(store), "-f", "brat", "--corpus", str(corpus_dir), "-o", str(folder))
    assert brat.returncode == 0, brat.stderr
    assert sorted(path.suffix for path in folder.iterdir()) == [".ann", ".conf", ".conf", ".txt"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("-f", "brat"), "writes a folder"),
        (("-f", "jsonl"), "--corpus"),
        (("-f", "csv", "--entities"), "jsonl format only"),
        (("--since", "last week"), "not an ISO date"),
        (("-f", "xml"), "invalid choice"),
    ],
)
def test_export_usage_errors_exit_2(store: Path, arguments: tuple[str, ...], message: str):
    result = run("export", "--db", str(store), *arguments)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""


def test_a_broken_file_imports_nothing_and_says_where(tmp_path: Path, store: Path):
    exported = tmp_path / "out.json"
    run("export", "--db", str(store), "-o", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["annotations"][2]["end"] = "far"
    exported.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / "target.json"
    result = run("import", str(exported), "--db", str(target))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "annotations[2].end" in result.stderr and "Nothing was imported" in result.stderr
    assert not target.exists()

    lines = tmp_path / "broken.jsonl"
    lines.write_text('{"text": "a", "meta": {"id": "x"}, "spans": []}\n{"text": 5}\n', encoding="utf-8")
    result = run("import", str(lines), "--db", str(target))
    assert result.returncode == 1 and "line 2, field 'text'" in result.stderr
    missing = run("import", str(tmp_path / "nothing.json"), "--db", str(target))
    assert missing.returncode == 1 and "Cannot read" in missing.stderr
    assert run("import").returncode == 2 and run("import", "--help").returncode == 0
    assert not target.exists()


def test_import_against_a_changed_corpus_updates_moved_passages(tmp_path: Path, store: Path, corpus_dir: Path):
    exported = tmp_path / "out.json"
    run("export", "--db", str(store), "-o", str(exported))
    article = corpus_dir / "000_ff5b33da8fd122af.txt"
    text = article.read_text(encoding="utf-8")
    # A paragraph added before the passages moves them; one passage's words are gone altogether.
    lines = text.split("\n")
    lines.insert(2, "An editor's note added at the top of the article.")
    article.write_text(
        "\n".join(lines).replace("Missing were Russia and China", "Absent: two neighbours"), encoding="utf-8"
    )
    target = tmp_path / "target.json"
    result = run("import", str(exported), "--db", str(target), "--corpus", str(corpus_dir))
    assert result.returncode == 0, result.stderr
    assert "Imported 3 annotations" in result.stderr
    assert "2 moved" in result.stderr and "1 orphaned" in result.stderr and "0 exact" in result.stderr
    new_text = article.read_text(encoding="utf-8").rstrip("\n")
    with AnnotationStore(target) as copy:
        kept = {annotation.quote: annotation for annotation in copy.all()}
    assert new_text[kept["pivoting westward"].start : kept["pivoting westward"].end] == "pivoting westward"
    assert kept["Missing were Russia and China"].tags == []  # orphaned: kept as it was
