"""The core's words for people name no command-line flag; the CLI adds how to choose a store.

And the one lock guard: entity corrections wait for the store's lock as the store does (with
the ``on_wait`` notice), while reading them never waits.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

import annotations as core
from annotations import AnnotationStore, StoreError, layout
from annotations.corrections import CorrectionBook
from annotations.errors import Advice
from reader.store_advice import cli_message
from tests.annotations.test_lock_free_reads import hold_lock
from tests.test_cli import run

#: A command-line flag: ``--db``, ``--corpus DIR``... (not an em dash or ``---`` front matter).
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def strings_of(module: Path) -> list[tuple[int, str]]:
    """Every string constant of ``module`` but its docstrings, with its line."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_string_of_the_core_names_a_command_line_flag():
    root = Path(core.__file__).parent
    found = [
        f"{module.relative_to(root)}:{line}: {text!r}"
        for module in sorted(root.rglob("*.py"))
        for line, text in strings_of(module)
        if FLAG.search(text)
    ]
    assert found == []


def test_a_store_error_says_what_to_do_without_flags_and_the_cli_adds_one(tmp_path: Path):
    path = tmp_path / "store.json"
    AnnotationStore(path).close()
    shutil.rmtree(layout.folder(path))
    with pytest.raises(StoreError) as refused:
        AnnotationStore(path)
    error = refused.value
    assert "lost its folder" in str(error) and "start a new store elsewhere" in str(error)
    assert not FLAG.search(str(error)) and error.advice is Advice.ANOTHER_STORE
    assert cli_message(error).startswith(str(error)) and "--db PATH" in cli_message(error)

    listed = run("export", "--db", str(path))
    assert listed.returncode == 1 and "lost its folder" in listed.stderr and "--db PATH" in listed.stderr


def test_a_missing_store_asks_to_check_its_path_and_the_cli_names_the_flag(tmp_path: Path):
    missing = tmp_path / "nowhere.json"
    with pytest.raises(StoreError) as refused:
        AnnotationStore(missing, read_only=True)
    assert refused.value.advice is Advice.CHECK_PATH and not FLAG.search(str(refused.value))
    listed = run("export", "--db", str(missing))
    assert listed.returncode == 1 and "no annotation store" in listed.stderr and "--db" in listed.stderr


def test_corrections_wait_for_the_store_lock_with_the_notice_and_reading_never_waits(tmp_path: Path):
    path = tmp_path / "store.json"
    AnnotationStore(path).close()
    book = CorrectionBook(path, lock_timeout=0.2)
    book.set("Centcom", "ORG")
    waited: list[Path] = []
    book.on_lock_wait = waited.append
    holder = hold_lock(path)
    try:
        assert [c.words for c in book.all()] == ["Centcom"]  # read while the lock is held
        assert waited == []
        with pytest.raises(StoreError, match="busy"):
            book.set("four", None)
        assert waited == [path]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    book.set("four", None)
    assert sorted(c.words for c in book.all()) == ["Centcom", "four"]
