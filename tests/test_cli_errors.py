"""Arguments at the edges are usage errors (exit 2), never an "unexpected error"; an unexpected
error (a bug) names the log that holds its traceback; paths from a relative --corpus are kept
absolute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from reader import cli
from reader.cli import listing
from tests.test_cli import run

TEXT = "Pakistan pitched itself as a key player.\n"


@pytest.mark.parametrize(
    "since",
    ["10000-01-01", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00", "0000-12-31"],
)
def test_since_past_the_calendar_is_a_usage_error(tmp_path: Path, since: str):
    result = run("export", "--db", str(tmp_path / "db.json"), "--since", since)
    assert result.returncode == 2, result.stderr
    assert "--since" in result.stderr and "unexpected" not in result.stderr


@pytest.mark.parametrize("since", ["0001-01-01", "9999-12-31T23:59:59", "9999-12-31T23:59:59Z"])
def test_since_at_the_calendar_edges_works(tmp_path: Path, since: str):
    AnnotationStore(tmp_path / "db.json").close()  # an existing, empty store
    result = run("export", "--db", str(tmp_path / "db.json"), "--since", since)
    assert result.returncode == 0 and "unexpected" not in result.stderr, result.stderr


@pytest.mark.parametrize("processes", ["100000", "0", "-1", "many"])
def test_processes_out_of_range_is_a_usage_error(tmp_path: Path, processes: str):
    result = run("ner", str(tmp_path), "--processes", processes)
    assert result.returncode == 2 and "--processes" in result.stderr and "unexpected" not in result.stderr


def test_an_unexpected_error_names_the_log_that_holds_its_traceback(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(arguments: object) -> int:
        raise ZeroDivisionError("an injected bug")

    monkeypatch.setitem(cli.COMMANDS, "list", cli.Command("list", listing.parser, broken))
    assert cli.main(["list", str(tmp_path)]) == cli.EXIT_ERROR
    message = capsys.readouterr().err
    log = tmp_path / "state" / "reader" / "errors.log"
    assert "unexpected error: ZeroDivisionError: an injected bug" in message
    assert str(log) in message and "Traceback" not in message
    kept = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in kept and "ZeroDivisionError: an injected bug" in kept
    assert "in broken" in kept and "command: reader list" in kept


def test_an_unexpected_error_without_a_writable_log_still_says_what_happened(tmp_path: Path, monkeypatch, capsys):
    blocker = tmp_path / "state"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    monkeypatch.setitem(cli.COMMANDS, "list", cli.Command("list", listing.parser, lambda arguments: 1 // 0))
    assert cli.main(["list", str(tmp_path)]) == cli.EXIT_ERROR
    message = capsys.readouterr().err
    assert "unexpected error: ZeroDivisionError" in message and "please report it" in message


def test_import_with_a_relative_corpus_keeps_absolute_article_paths(tmp_path: Path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(TEXT, encoding="utf-8")
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x:1", "type": "Annotation",
        "target": {"source": "urn:reader:article:a", "selector": [
            {"type": "TextPositionSelector", "start": 0, "end": 8}, {"type": "TextQuoteSelector", "exact": "Pakistan"}]},
    }  # fmt: skip
    (tmp_path / "one.jsonld").write_text(json.dumps(document), encoding="utf-8")
    result = run("import", "one.jsonld", "--db", "db.json", "--corpus", "corpus", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with AnnotationStore(tmp_path / "db.json") as store:
        path = Path(store.articles()["a"].path)
    assert path.is_absolute() and path == tmp_path / "corpus" / "a.txt"
