"""A writer suspended while it holds the store's lock (Ctrl-Z on ``reader import``) must not stop
anyone from reading: opening the store, every store read and the read-only commands work without
the lock, and see the last change committed (as SQLite readers do). Only writers wait.

The lock is held by real processes: a writer stopped with SIGSTOP right after it journaled a
change and before it wrote the article's file, or a process that just holds the lock file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import AnnotationStore, StoreError
from annotations.layout import lock_path
from annotations.model import Annotation
from reader import cli
from tests.annotations.test_crash_and_concurrency import PROJECT, start_writer

TEXT = "The quick brown fox jumps over the lazy dog while the reporters take notes. " * 4


def hold_lock(store: Path) -> subprocess.Popen[str]:
    """Another process that holds the store's lock until its stdin is closed."""
    code = (
        "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire(); "
        "print('held', flush=True); sys.stdin.read(); lock.release()"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(lock_path(store))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.fixture
def stopped_writer(tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str], list[str]]]:
    """A store with 5 annotations of "early", and a writer of "late" stopped (SIGSTOP) after it
    saved 2 and journaled its 3rd, holding the lock; continued and reaped at the end."""
    store = tmp_path / "store.json"
    first = start_writer(store, 5, "early")
    _, errors = first.communicate(timeout=60)
    assert first.returncode == 0, errors
    writer = start_writer(store, 4, "late", extra=["--stop-after-journal", "3"])
    assert writer.stdout is not None
    saved: list[str] = []
    while (line := writer.stdout.readline().strip()) != "stopped":
        assert line, writer.stderr.read() if writer.stderr else "the writer ended"
        saved.append(line)
    try:
        yield store, writer, saved
    finally:
        writer.send_signal(signal.SIGCONT)
        writer.communicate(timeout=60)


def test_a_suspended_writer_does_not_block_opening_or_reading_the_store(
    stopped_writer: tuple[Path, subprocess.Popen[str], list[str]],
) -> None:
    store, writer, saved = stopped_writer
    assert len(saved) == 2
    # A short timeout: the old store waited for the lock even to open, then failed "busy".
    with AnnotationStore(store, lock_timeout=1) as reader:
        # The journaled but unwritten third annotation is not seen: the last committed state.
        assert reader.counts_by_article() == {"article-early": 5, "article-late": 2}
        assert {a.id for a in reader.for_article("article-late")} == set(saved)
        assert {a.id for a in reader.passages_with_tag("late")} == set(saved)
        assert len(reader.all()) == 7
        assert reader.tag_counts()[0] == ("early", 5)
        assert set(reader.articles()) == {"article-early", "article-late"}
        # Writing waits, and says so before it waits, then fails with a message.
        waited: list[Path] = []
        reader.on_lock_wait = waited.append
        annotation = Annotation.create(article_id="other", article_sha256="0" * 64, text=TEXT, start=0, end=9)
        with pytest.raises(StoreError, match="busy"):
            reader.add(annotation)
        assert waited == [store]

        writer.send_signal(signal.SIGCONT)
        out, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors
        finished = saved + out.split()
        # Once the writer finished, the same store object sees all it wrote.
        assert reader.counts_by_article() == {"article-early": 5, "article-late": 4}
        assert {a.id for a in reader.for_article("article-late")} == set(finished)
        assert {a.id for a in reader.passages_with_tag("late")} == set(finished)
        reader.add(annotation)
        assert reader.get(annotation.id) == annotation


def test_read_only_commands_work_while_another_process_holds_the_lock(
    stopped_writer: tuple[Path, subprocess.Popen[str], list[str]],
    corpus_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, _, _ = stopped_writer
    assert cli.main(["export", "--db", str(store)]) == cli.EXIT_OK
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["annotations"]) == 7
    assert cli.main(["stats", "--db", str(store), "--json"]) == cli.EXIT_OK
    assert {row["tag"]: row["count"] for row in json.loads(capsys.readouterr().out)["tags"]}["late"] == 2
    assert cli.main(["list", str(corpus_dir), "--db", str(store), "--json"]) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out)


def test_opening_a_store_held_by_another_process_needs_no_lock(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    with AnnotationStore(store) as writer:
        writer.add(Annotation.create(article_id="a", article_sha256="0" * 64, text=TEXT, start=0, end=9, tags=["x"]))
    new = tmp_path / "new.json"
    holders = [hold_lock(store), hold_lock(new)]
    try:
        with AnnotationStore(store, lock_timeout=1) as reader:
            assert reader.counts_by_article() == {"a": 1}
        # A store that does not exist yet must be created, which needs the lock: it waits.
        with pytest.raises(StoreError, match="busy"):
            AnnotationStore(new, lock_timeout=0.2)
    finally:
        for holder in holders:
            assert holder.stdin is not None
            holder.stdin.close()
            holder.wait(timeout=30)
