"""The installed ``reader`` command, run as a user runs it (a subprocess), including its errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import AnnotationStore
from reader.corpus import load_corpus
from tests.helpers import add_passages

READER = shutil.which("reader", path=str(Path(sys.executable).parent)) or "reader"


def run(
    *arguments: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed ``reader`` with ``arguments``; ``env`` adds to (or overrides) the environment."""
    return subprocess.run(
        [READER, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def test_export_of_an_empty_store_is_a_valid_empty_document(tmp_path: Path):
    AnnotationStore(tmp_path / "empty.json").close()
    result = run("export", "--db", str(tmp_path / "empty.json"))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "reader-annotations" and document["version"] == 1
    assert document["annotations"] == [] and document["articles"] == []
    assert document["exported"].endswith("Z")


def test_export_writes_file_with_quotes_matching_the_text(tmp_path: Path, corpus_dir: Path):
    article = load_corpus(corpus_dir).articles[0]
    store_path = tmp_path / "store.json"
    add_passages(
        store_path,
        article,
        [("pivoting westward", ["pivot westward"]), ("no other South Asian state", ["absent parties"])],
    )
    output = tmp_path / "out.json"
    result = run("export", "--db", str(store_path), "-o", str(output))
    assert result.returncode == 0 and result.stdout == ""
    assert "Wrote 2 annotations" in result.stderr
    document = json.loads(output.read_text(encoding="utf-8"))
    assert [a["id"] for a in document["articles"]] == [article.id]
    assert document["articles"][0]["sha256"] == article.sha256
    assert document["articles"][0]["title"] == article.title
    for record in document["annotations"]:
        assert article.text[record["start"] : record["end"]] == record["quote"]
    assert sorted(tag for a in document["annotations"] for tag in a["tags"]) == ["absent parties", "pivot westward"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("{tmp}/missing",), "does not exist"),
        (("{tmp}/empty_folder",), "No articles in"),
    ],
)
def test_bad_corpus_gets_a_message_not_a_traceback(tmp_path: Path, arguments: tuple[str, ...], message: str):
    (tmp_path / "empty_folder").mkdir()
    result = run(*(a.format(tmp=tmp_path) for a in arguments), "--db", str(tmp_path / "db.json"))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_damaged_store_is_reported_and_left_as_it_is(tmp_path: Path, corpus_dir: Path):
    store_path = tmp_path / "db.json"
    store_path.write_bytes(b'{"annotations": {"1": {"id": "1", "quo')
    before = store_path.read_bytes()
    result = run("export", "--db", str(store_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(store_path) in result.stderr and "damaged" in result.stderr
    assert store_path.read_bytes() == before


def test_usage_errors_exit_2_and_help_exits_0(tmp_path: Path):
    assert run("export", "--no-such-option").returncode == 2
    assert run("--no-such-option").returncode == 2
    helped = run("--help")
    assert helped.returncode == 0 and "--model" in helped.stdout and "--db" in helped.stdout
    assert run("export", "--help").returncode == 0


def test_unwritable_output_is_a_clear_error(tmp_path: Path):
    AnnotationStore(tmp_path / "db.json").close()
    result = run("export", "--db", str(tmp_path / "db.json"), "-o", str(tmp_path / "no" / "such" / "dir" / "x.json"))
    assert result.returncode == 1 and "Cannot write" in result.stderr
