"""The core's words for people name no command-line flag; the CLI adds how to choose a store.

And the one lock guard: entity corrections wait for the store's lock as the store does (with
the ``on_wait`` notice), while reading them never waits.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import annotations as core
from annotations import AnnotationStore, StoreError, layout
from annotations import history as history_module
from annotations.corrections import CorrectionBook
from annotations.errors import Advice
from annotations.history import Change, History
from annotations.locking import StoreLock
from annotations.model import Annotation
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


def hold_lock_file(lock_file: Path) -> subprocess.Popen[str]:
    """Another process that holds the lock file ``lock_file`` until its stdin is closed."""
    code = (
        "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire(); "
        "print('held', flush=True); sys.stdin.read(); lock.release()"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(lock_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_the_history_locks_through_the_same_guard_and_records_anyway_when_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Another process holding the history's lock delays a change for LOCK_TIMEOUT at most;
    then the change is recorded without the lock (losing a race loses an undo step, never an
    annotation), as before the history used :class:`~annotations.locking.StoreLock`."""
    monkeypatch.setattr(history_module, "LOCK_TIMEOUT", 0.1)
    store = AnnotationStore(tmp_path / "store.json")
    history = History(store)
    assert isinstance(history._lock, StoreLock)
    passage = Annotation.create(article_id="a1", article_sha256="", text="Hello there", start=0, end=5, tags=["t"])
    holder = hold_lock_file(history.path.with_name(history.path.name + ".lock"))
    try:
        history.record("a1", Change("tag passage", [(None, passage.to_record())]))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert History(store).can_undo("a1")  # written to the file although the lock was held
