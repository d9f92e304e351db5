"""``reader list``, ``stats`` and ``export`` on a store that is missing, missing files, cut short
or read-only: they say so and recover or refuse (exit 1); never a partial store reported as
complete, never an export over the store's own files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore, layout
from annotations.storage import backup_path
from reader.cli import main
from tests.annotations.test_recovery import read_only_filesystem, snapshot
from tests.test_cli import run
from tests.test_cli_export_import import PASSAGES
from tests.test_cli_list_stats import tag_passages


@pytest.fixture
def store(tmp_path: Path, corpus_dir: Path) -> Path:
    path = tmp_path / "db.json"
    tag_passages(path, corpus_dir, PASSAGES)
    return path


def test_a_store_that_does_not_exist_is_said_and_not_created(tmp_path: Path, corpus_dir: Path) -> None:
    missing = tmp_path / "typo.json"
    for arguments in (("export",), ("export", "-o", str(tmp_path / "out.json")), ("stats",), ("list", str(corpus_dir))):
        result = run(*arguments, "--db", str(missing))
        assert result.returncode == 1 and result.stdout == "", arguments
        assert f"There is no annotation store at {missing}" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [corpus_dir.name]


def test_article_ids_that_match_nothing_are_said(store: Path, corpus_dir: Path) -> None:
    result = run("export", "--db", str(store), "--article", "nope", "--article", "000_ff5b33da8fd122af")
    assert result.returncode == 1 and result.stdout == "" and "'nope'" in result.stderr
    article_only_in_corpus = run(
        "export", "--db", str(store), "--article", "000_ff5b33da8fd122af", "--corpus", str(corpus_dir)
    )
    assert article_only_in_corpus.returncode == 0, article_only_in_corpus.stderr


def test_a_lost_top_file_does_not_hide_the_annotations(tmp_path: Path, store: Path) -> None:
    out = tmp_path / "out.json"
    assert run("export", "--db", str(store), "-o", str(out)).returncode == 0
    good = out.read_bytes()
    store.unlink()
    stats = run("stats", "--db", str(store), "--json")
    assert stats.returncode == 0 and {t["tag"] for t in json.loads(stats.stdout)["tags"]} == {
        "pivot westward",
        "absent parties",
        "South Asia",
    }
    assert f"file {store} was missing" in stats.stderr
    again = run("export", "--db", str(store), "-o", str(out))
    assert again.returncode == 0 and "Wrote 3 annotations" in again.stderr
    assert json.loads(out.read_bytes())["annotations"] == json.loads(good)["annotations"]
    assert not store.exists()  # reading wrote nothing


def test_a_missing_article_file_stops_the_export_and_names_its_backup(tmp_path: Path, store: Path) -> None:
    [shard] = [f for f in layout.shards_folder(store).iterdir() if layout.is_shard_file(f)]
    shard.unlink()
    out = tmp_path / "out.json"
    out.write_text("a good earlier export")
    result = run("export", "--db", str(store), "-o", str(out))
    assert result.returncode == 1 and "missing" in result.stderr
    assert str(shard) in result.stderr and str(backup_path(shard)) in result.stderr
    assert out.read_text() == "a good earlier export"


def test_a_journal_cut_short_gives_the_whole_count_and_says_so(tmp_path: Path, corpus_dir: Path) -> None:
    path = tmp_path / "db.json"
    tag_passages(path, corpus_dir, PASSAGES)
    journal = layout.journal_path(path)
    journal.write_bytes(journal.read_bytes().splitlines(keepends=True)[0] + b'{"a":"000_ff5b')  # cut mid-line
    listed = run("list", str(corpus_dir), "--db", str(path), "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["articles"][0]["annotations"] == 3
    assert "did not account for 1 article file" in listed.stderr
    exported = run("export", "--db", str(path))
    assert len(json.loads(exported.stdout)["annotations"]) == 3


@pytest.mark.parametrize("name", ["db.json", "db.json.bak", "db.json.history.json", "db.json.d/index.log", "db.json.d"])
def test_an_export_onto_the_store_itself_is_refused(tmp_path: Path, store: Path, name: str) -> None:
    before = snapshot(tmp_path)
    result = run("export", "--db", str(store), "-o", str(tmp_path / name))
    assert result.returncode == 1 and "part of the annotation store" in result.stderr
    assert snapshot(tmp_path) == before


def test_a_read_only_store_is_listed_counted_and_exported(
    tmp_path: Path, store: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run in this process, on a filesystem made read-only by refusing every write under the
    store's folder (see ``read_only_filesystem``: as root, ``chmod -w`` would change nothing)."""
    layout.journal_path(store).unlink()  # even a journal to rebuild needs no write to be read
    before = snapshot(tmp_path)
    with read_only_filesystem(monkeypatch, tmp_path) as attempts:
        assert main(["export", "--db", str(store)]) == 0
        assert len(json.loads(capsys.readouterr().out)["annotations"]) == 3
        assert main(["stats", "--db", str(store)]) == 0
        assert "pivot westward" in capsys.readouterr().out
        assert main(["list", str(corpus_dir), "--db", str(store), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["articles"][0]["annotations"] == 3
        assert attempts == []
    assert snapshot(tmp_path) == before
    with AnnotationStore(store) as writable:
        assert len(writable.all()) == 3
