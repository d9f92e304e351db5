"""Coders through the installed ``reader``: the settings' coder and ``--coder``; coder B's export
imported into coder A's store stays B's layer, and importing it again adds nothing (item 5 of
issue 13: merging stores). Real stores, real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import AnnotationStore
from reader.corpus import load_corpus
from tests.annotations.test_coders import strip_coders
from tests.helpers import add_passages
from tests.test_cli import run


def code(store_path: Path, corpus_dir: Path, coder: str, passages: list[tuple[str, list[str]]]) -> None:
    """``coder``'s passages of the corpus's first article, added to the store at ``store_path``."""
    add_passages(store_path, load_corpus(corpus_dir, use_index=False).articles[0], passages, coder=coder)


def records(store_path: Path) -> list[dict]:
    with AnnotationStore(store_path) as store:
        return sorted((annotation.to_record() for annotation in store.all()), key=lambda record: record["id"])


def config_home(tmp_path: Path, coder: str) -> dict[str, str]:
    """An environment whose settings file names ``coder``."""
    folder = tmp_path / "config"
    (folder / "reader").mkdir(parents=True, exist_ok=True)
    (folder / "reader" / "config.toml").write_text(f'coder = "{coder}"\n', encoding="utf-8")
    return {"XDG_CONFIG_HOME": str(folder)}


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_b_export_imported_into_a_store_stays_b_and_twice_adds_nothing(fmt: str, tmp_path: Path, corpus_dir: Path):
    ada_store, bob_store = tmp_path / "ada.json", tmp_path / "bob.json"
    code(ada_store, corpus_dir, "ada", [("pivoting westward", ["pivot"])])
    code(
        bob_store, corpus_dir, "bob", [("pivoting westward", ["westward"]), ("no other South Asian state", ["absent"])]
    )
    exported = tmp_path / f"bob-export.{fmt}"
    result = run("export", "--db", str(bob_store), "--format", fmt, "-o", str(exported))
    assert result.returncode == 0, result.stderr
    ada_env = config_home(tmp_path, "ada")

    first = run("import", str(exported), "--db", str(ada_store), env=ada_env)
    assert first.returncode == 0, first.stderr
    assert "Imported 2 annotations" in first.stderr
    merged = records(ada_store)
    assert sorted(record["coder"] for record in merged) == ["ada", "bob", "bob"]
    bobs = {record["id"]: record for record in merged if record["coder"] == "bob"}
    assert bobs == {record["id"]: record for record in records(bob_store)}

    again = run("import", str(exported), "--db", str(ada_store), env=ada_env)
    assert again.returncode == 0, again.stderr
    assert "Imported 0 annotations" in again.stderr and "2 already in the store were skipped" in again.stderr
    assert records(ada_store) == merged


def test_a_file_without_coders_imports_as_the_settings_coder_or_the_one_named(tmp_path: Path, corpus_dir: Path):
    old_store = tmp_path / "old.json"
    code(old_store, corpus_dir, "whoever", [("pivoting westward", ["pivot"])])
    exported = tmp_path / "old-export.json"
    assert run("export", "--db", str(old_store), "-o", str(exported)).returncode == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    for record in document["annotations"]:
        del record["coder"]
    exported.write_text(json.dumps(document), encoding="utf-8")

    as_settings = tmp_path / "settings.json"
    result = run("import", str(exported), "--db", str(as_settings), env=config_home(tmp_path, "grace"))
    assert result.returncode == 0, result.stderr
    assert [record["coder"] for record in records(as_settings)] == ["grace"]

    as_named = tmp_path / "named.json"
    result = run("import", str(exported), "--db", str(as_named), "--coder", " bob ", env=config_home(tmp_path, "grace"))
    assert result.returncode == 0, result.stderr
    assert [record["coder"] for record in records(as_named)] == ["bob"]


def test_a_store_from_before_coders_exports_as_the_settings_coder(tmp_path: Path, corpus_dir: Path):
    store = tmp_path / "store.json"
    code(store, corpus_dir, "whoever", [("pivoting westward", ["pivot"])])
    assert strip_coders(store) == 1
    result = run("export", "--db", str(store), env=config_home(tmp_path, "grace"))
    assert result.returncode == 0, result.stderr
    assert [record["coder"] for record in json.loads(result.stdout)["annotations"]] == ["grace"]


@pytest.mark.parametrize("command", [("import", "x.json"), ()])
def test_a_blank_coder_is_a_usage_error_and_writes_nothing(command: tuple[str, ...], tmp_path: Path, corpus_dir: Path):
    (tmp_path / "x.json").write_text('{"format": "reader-annotations", "version": 1, "annotations": []}')
    store = tmp_path / "store.json"
    arguments = [*command, "--coder", " \x1b ", "--db", str(store)]
    if not command:
        arguments.append(str(corpus_dir))
    result = run(*arguments, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "--coder needs a name" in result.stderr and "Traceback" not in result.stderr
    assert not store.exists()
