"""Real processes against one real store file: killed mid-write, and writing at the same time.

The writers are separate Python processes (``helpers_writer.py``) so that the file lock, the
atomic rename and the stray-temporary cleanup are exercised as they are in use, not simulated.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from annotations import AnnotationStore
from annotations.storage import TEMP_SUFFIX, backup_path

WRITER = Path(__file__).with_name("helpers_writer.py")
PROJECT = Path(__file__).resolve().parents[2]


def start_writer(store: Path, count: int, label: str, *, wait: bool = False) -> subprocess.Popen[str]:
    """A writer process whose stdout (one id per saved annotation) is a pipe to this test."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    arguments = [sys.executable, str(WRITER), str(store), str(count), label] + (["--wait"] if wait else [])
    return subprocess.Popen(
        arguments,
        stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def temporaries(store: Path) -> list[Path]:
    return list(store.parent.glob(f".{store.name}.*{TEMP_SUFFIX}"))


def test_a_writer_killed_at_random_moments_never_loses_a_reported_annotation(tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    reported: set[str] = set()
    killed_mid_run = 0
    for run in range(20):
        writer = start_writer(store, 200, f"run{run}")
        assert writer.stdout is not None
        # Collect the ids in a thread while this one picks the moment to kill: anywhere from
        # interpreter start-up, through opening the store, to well into the writes.
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(writer.stdout,))
        reader.start()
        time.sleep(rng.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        reader.join(timeout=30)
        errors = writer.stderr.read() if writer.stderr else ""
        ids = [line.strip() for line in lines if line.strip()]
        context = f"seed {seed}, run {run}, {len(ids)} reported; writer stderr: {errors[-2000:]}"
        assert writer.returncode in (-signal.SIGKILL, 0), context
        killed_mid_run += writer.returncode == -signal.SIGKILL
        reported.update(ids)

        # Whatever the moment, the file is a whole store, and so is its backup (if there is one).
        if store.exists():
            json.loads(store.read_bytes())
        if backup_path(store).exists():
            json.loads(backup_path(store).read_bytes())
        assert len(temporaries(store)) <= 2, context  # at most the new version and the backup's link
        with AnnotationStore(store) as reopened:
            present = {annotation.id for annotation in reopened.all()}
        assert reported <= present, f"lost {len(reported - present)}; {context}"
        assert temporaries(store) == [], context
    assert killed_mid_run >= 15, f"the writer should mostly be killed before it finishes (seed {seed})"
    assert len(reported) > 100, f"the writer should get some way before most kills (seed {seed})"


def test_two_processes_adding_at_once_keep_all_600_annotations(tmp_path: Path) -> None:
    store = tmp_path / "shared.json"  # not created yet: both writers also race to create it
    writers = [start_writer(store, 300, label, wait=True) for label in ("left", "right")]
    for writer in writers:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read() if writer.stderr else ""
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate(timeout=60) for writer in writers]
    for writer, (_, errors) in zip(writers, outputs):
        assert writer.returncode == 0, errors
    reported = [out.split() for out, _ in outputs]
    assert [len(ids) for ids in reported] == [300, 300]

    with AnnotationStore(store) as shared:
        annotations = shared.all()
        articles = shared.articles()
    ids = [annotation.id for annotation in annotations]
    assert len(ids) == 600
    assert len(set(ids)) == 600
    assert set(ids) == set(reported[0]) | set(reported[1])
    assert set(articles) == {"article-left", "article-right"}
    stored = json.loads(store.read_bytes())
    assert set(stored["annotations"]) == set(ids)  # each document is keyed by its own id
    assert stored["meta"] == {"schema": {"version": 1}}
