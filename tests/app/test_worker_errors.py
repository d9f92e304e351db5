"""Every worker of the app turns a failure into a message one way (reader.app.worker_errors)."""

from __future__ import annotations

import ast
from pathlib import Path

import reader.app
from annotations import StoreError
from reader.app.worker_errors import failure_message
from reader.nlp import ModelUnavailable

APP = Path(reader.app.__file__).parent
#: Code that runs in a worker thread without a ``@work`` decorator of its own.
WORKER_BODIES = {"find_in_background", "run"}


def test_an_error_written_for_people_is_shown_as_it_is_and_any_other_names_its_type():
    assert failure_message(StoreError("The store is damaged.")) == "The store is damaged."
    assert failure_message(ModelUnavailable("No model."), "Export failed") == "Export failed: No model."
    assert failure_message(FileNotFoundError(2, "No such file", "/x")) == "[Errno 2] No such file: '/x'"
    assert failure_message(KeyError("id"), "Could not save the change") == "Could not save the change: KeyError: 'id'"
    assert failure_message(RuntimeError("")) == "RuntimeError: "


def _is_worker(function: ast.FunctionDef) -> bool:
    def named_work(node: ast.expr) -> bool:
        target = node.func if isinstance(node, ast.Call) else node
        return isinstance(target, ast.Name) and target.id == "work"

    return function.name in WORKER_BODIES or any(named_work(d) for d in function.decorator_list)


def test_no_worker_words_its_own_failure_messages():
    """A worker's ``except ... as error`` never formats ``error`` by hand (``str(error)``,
    ``f"...{error}"``): it goes through failure_message or report_failure."""
    by_hand = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        workers = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and _is_worker(n)]
        for worker in workers:
            for handler in (n for n in ast.walk(worker) if isinstance(n, ast.ExceptHandler) and n.name):
                for node in ast.walk(handler):
                    formatted = isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name)
                    stringified = (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Name)
                        and node.func.id == "str"
                        and node.args
                        and isinstance(node.args[0], ast.Name)
                    )
                    if (formatted and node.value.id == handler.name) or (
                        stringified and node.args[0].id == handler.name
                    ):
                        by_hand.append(f"{path.name}:{node.lineno} in {worker.name}")
    assert by_hand == []
