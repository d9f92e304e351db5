"""Undo is per window: two windows (real processes) editing one article through one store and
one history file each undo only their own changes; a window's changes that outlive it (after a
restart) can be undone by the next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotations import AnnotationStore
from tests.annotations.test_crash_and_concurrency import PROJECT

WINDOW = Path(__file__).with_name("helpers_window.py")


class Window:
    """One window: a process editing the store through the history, one command at a time."""

    def __init__(self, store: Path) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, str(WINDOW), str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def send(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, self.process.stderr.read() if self.process.stderr else "the window ended"
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        _, errors = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, errors


def ids(store: Path) -> set[str]:
    with AnnotationStore(store) as reader:
        return {annotation.id for annotation in reader.for_article("budget")}


def test_undo_in_one_window_never_undoes_another_windows_change(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    left, right = Window(store), Window(store)
    try:
        mine = left.send("add 0 9 politics")
        theirs = right.send("add 10 20 economy")  # the last change in the article: the other window's
        assert ids(store) == {mine, theirs}

        assert left.send("undo") == "tag_passage 1 0"
        assert ids(store) == {theirs}  # the other window's new annotation is still there
        assert left.send("undo") == "none"  # nothing else of this window's to undo

        # A new change in the other window does not clear this window's redo.
        later = right.send("add 30 40 vote")
        assert left.send("redo") == "tag_passage 1 0"
        assert ids(store) == {mine, theirs, later}

        assert right.send("undo") == "tag_passage 1 0"
        assert right.send("undo") == "tag_passage 1 0"
        assert right.send("undo") == "none"
        assert ids(store) == {mine}
    finally:
        left.close()
        right_still_open = right

    # After a restart, the closed window's changes are the new window's to undo, not the open one's.
    restarted = Window(store)
    try:
        assert right_still_open.send("redo") == "tag_passage 1 0"  # its own undone changes stay its own
        assert ids(store) == {mine, theirs}
        assert restarted.send("undo") == "tag_passage 1 0"  # the closed window's annotation
        assert ids(store) == {theirs}
        assert restarted.send("undo") == "none"  # the open window's redone change is not its
    finally:
        restarted.close()
        right_still_open.close()
