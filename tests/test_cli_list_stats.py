"""``reader list`` and ``reader stats`` through the installed command."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from annotations import Annotation, AnnotationStore
from reader.corpus import load_corpus
from tests.helpers import add_passages
from tests.test_cli import run


def tag_passages(store_path: Path, corpus_dir: Path, passages: list[tuple[str, list[str]]]) -> str:
    article = load_corpus(corpus_dir, use_index=False).articles[0]
    add_passages(store_path, article, passages)
    return article.id


def test_list_shows_each_article_with_its_annotation_count(tmp_path: Path, corpus_dir: Path):
    second = corpus_dir / "older.txt"
    second.write_text("An older piece\n2024-01-02\nNothing much happened.\n", encoding="utf-8")
    store = tmp_path / "db.json"
    article_id = tag_passages(
        store, corpus_dir, [("pivoting westward", ["pivot"]), ("no other South Asian state", ["absent"])]
    )

    listed = run("list", str(corpus_dir), "--db", str(store), "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["articles"] == [
        {
            "id": article_id,
            "date": "2025-07-27",
            "title": "Pakistan pitches itself as key player in regional peace dynamics",
            "annotations": 2,
        },
        {"id": "older", "date": "2024-01-02", "title": "An older piece", "annotations": 0},
    ]
    table = run("list", str(corpus_dir), "--db", str(store))
    header, first, second_row = table.stdout.splitlines()
    assert header.split() == ["ID", "DATE", "ANNOTATIONS", "TITLE"]
    assert first.split()[:3] == [article_id, "2025-07-27", "2"] and second_row.split()[:3] == [
        "older",
        "2024-01-02",
        "0",
    ]
    assert table.stderr == ""


def test_list_names_every_problem_file_on_stderr_and_in_json(tmp_path: Path, corpus_dir: Path):
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "binary.md").write_bytes(b"\x00\x01\x02binary")
    (corpus_dir / "sub").mkdir()
    (corpus_dir / "sub" / "broken.json").write_text("{not json", encoding="utf-8")
    AnnotationStore(tmp_path / "db.json").close()  # an existing, empty store
    listed = run("list", str(corpus_dir), "--db", str(tmp_path / "db.json"), "--json")
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert [row["title"] for row in document["articles"]] == [
        "Pakistan pitches itself as key player in regional peace dynamics"
    ]
    problems = {Path(problem["path"]).name: problem["reason"] for problem in document["problems"]}
    assert set(problems) == {"empty.txt", "binary.md", "broken.json"}
    assert (
        "empty" in problems["empty.txt"]
        and "binary" in problems["binary.md"]
        and "not valid JSON" in problems["broken.json"]
    )
    lines = listed.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("reader: skipped ") for line in lines)
    assert {Path(line.split(": ")[1]).name for line in lines} == set(problems) and "more)" not in listed.stderr


def test_a_format_whose_library_cannot_load_is_a_problem_per_file_not_a_failed_run(tmp_path: Path, corpus_dir: Path):
    """trafilatura (or lxml under it) failing to import makes each .html file a problem line."""
    fake = tmp_path / "fake"
    (fake / "trafilatura").mkdir(parents=True)
    (fake / "trafilatura" / "__init__.py").write_text(
        'raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")\n', encoding="utf-8"
    )
    for name in ("one.html", "two.htm"):
        (corpus_dir / name).write_text("<html><body><p>Some page text here.</p></body></html>", encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(fake), os.environ.get("PYTHONPATH")]))
    AnnotationStore(tmp_path / "db.json").close()  # an existing, empty store
    listed = run("list", str(corpus_dir), "--db", str(tmp_path / "db.json"), "--json", env={"PYTHONPATH": path})
    assert listed.returncode == 0, listed.stderr
    document = json.loads(listed.stdout)
    assert len(document["articles"]) == 1
    problems = {Path(problem["path"]).name: problem["reason"] for problem in document["problems"]}
    assert set(problems) == {"one.html", "two.htm"} and all("lxml_html_clean" in reason for reason in problems.values())
    assert "Traceback" not in listed.stderr and len(listed.stderr.splitlines()) == 2


def test_list_never_creates_a_store_and_reports_a_missing_corpus(tmp_path: Path, corpus_dir: Path):
    store = tmp_path / "never.json"
    listed = run("list", str(corpus_dir), "--db", str(store))
    assert listed.returncode == 1 and listed.stdout == "" and "no annotation store" in listed.stderr
    assert not store.exists() and list(tmp_path.iterdir()) == [corpus_dir]
    missing = run("list", str(tmp_path / "nowhere"), "--db", str(store))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    assert run("list", "--no-such-option").returncode == 2
    helped = run("list", "--help")
    assert helped.returncode == 0 and "--json" in helped.stdout


def test_stats_counts_tags_and_with_a_corpus_entities(tmp_path: Path, corpus_dir: Path):
    store = tmp_path / "db.json"
    tag_passages(
        store, corpus_dir, [("pivoting westward", ["Pivot"]), ("no other South Asian state", ["pivot", "absent"])]
    )
    shutil.copy(corpus_dir / "000_ff5b33da8fd122af.txt", corpus_dir / "copy.txt")

    plain = run("stats", "--db", str(store))
    assert plain.returncode == 0, plain.stderr
    assert [line.split() for line in plain.stdout.splitlines()] == [["TAG", "COUNT"], ["Pivot", "2"], ["absent", "1"]]
    assert "--corpus" in plain.stderr

    counted = run("stats", "--db", str(store), "--corpus", str(corpus_dir), "--json")
    assert counted.returncode == 0, counted.stderr
    document = json.loads(counted.stdout)
    assert document["tags"] == [{"tag": "Pivot", "count": 2}, {"tag": "absent", "count": 1}]
    pakistan = next(e for e in document["entities"] if (e["text"], e["label"]) == ("Pakistan", "GPE"))
    assert pakistan["articles"] == 2 and pakistan["count"] % 2 == 0 and pakistan["count"] >= 10
    counts = [entity["count"] for entity in document["entities"]]
    assert counts == sorted(counts, reverse=True)


def test_stats_of_no_store_and_bad_options(tmp_path: Path):
    missing = run("stats", "--db", str(tmp_path / "none.json"), "--json")
    assert missing.returncode == 1 and missing.stdout == "" and "no annotation store" in missing.stderr
    assert not (tmp_path / "none.json").exists()
    AnnotationStore(tmp_path / "empty.json").close()
    empty = run("stats", "--db", str(tmp_path / "empty.json"), "--json")
    assert empty.returncode == 0 and json.loads(empty.stdout) == {"tags": [], "entities": None}
    bad_model = run(
        "stats", "--db", str(tmp_path / "empty.json"), "--corpus", str(tmp_path), "--model", "no_such_model_xyz"
    )
    assert bad_model.returncode == 1 and "no_such_model_xyz" in bad_model.stderr and "Traceback" not in bad_model.stderr
    assert run("stats", "--help").returncode == 0


def test_list_moves_annotations_kept_under_an_old_id_to_the_new_one(tmp_path: Path, corpus_dir: Path):
    """An older version called sub/only.txt "only" (its stem); its annotation must still count."""
    (corpus_dir / "sub").mkdir()
    only = corpus_dir / "sub" / "only.txt"
    only.write_text("Only story\n2024-05-05\nA body to tag.\n", encoding="utf-8")
    article = next(a for a in load_corpus(corpus_dir, use_index=False).articles if a.path == only)
    store = tmp_path / "db.json"
    with AnnotationStore(store) as opened:
        old = article.ref()
        opened.add(
            Annotation.create(
                article_id="only", article_sha256=article.sha256, text=article.text, start=0, end=4, tags=["t"]
            ),
            type(old)("only", old.title, old.date, old.path, old.sha256),
        )
    listed = run("list", str(corpus_dir), "--db", str(store), "--json")
    assert listed.returncode == 0, listed.stderr
    counts = {row["id"]: row["annotations"] for row in json.loads(listed.stdout)["articles"]}
    assert counts["sub/only"] == 1 and "only" not in counts
    assert "1 annotation(s)" in listed.stderr and "new id" in listed.stderr
    again = run("list", str(corpus_dir), "--db", str(store), "--json")
    assert (
        again.stderr == ""
        and {r["id"]: r["annotations"] for r in json.loads(again.stdout)["articles"]}["sub/only"] == 1
    )
