"""Real processes against one real store: killed mid-write, and writing at the same time.

The writers are separate Python processes (``helpers_writer.py``) so that the file lock, the
atomic renames, the journal and the stray-temporary cleanup are exercised as they are in use,
not simulated. The store is a manifest, one file per article and an index journal; after any
crash every one of them must be whole (the journal may end in one torn line, which is never read).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotations import AnnotationStore, layout, schema
from annotations.storage import TEMP_SUFFIX, backup_path

WRITER = Path(__file__).with_name("helpers_writer.py")
PROJECT = Path(__file__).resolve().parents[2]


def start_writer(
    store: Path, count: int, label: str, *, wait: bool = False, extra: list[str] | None = None
) -> subprocess.Popen[str]:
    """A writer process whose stdout (one id per saved annotation) is a pipe to this test."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    arguments = [sys.executable, str(WRITER), str(store), str(count), label] + (["--wait"] if wait else [])
    arguments += extra or []
    return subprocess.Popen(
        arguments,
        stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def temporaries(store: Path) -> list[Path]:
    """Temporaries beside the manifest and in the store's scratch folder."""
    return list(store.parent.glob(f".{store.name}.*{TEMP_SUFFIX}")) + list(
        layout.scratch_folder(store).glob(f"*{TEMP_SUFFIX}")
    )


def assert_every_file_is_whole(store: Path, context: str) -> None:
    """The manifest, every article file and every backup parse; every whole journal line too."""
    files = [store, backup_path(store)]
    if layout.shards_folder(store).is_dir():
        files += [file for file in layout.shards_folder(store).iterdir() if not file.name.startswith(".")]
    for file in files:
        if file.exists():
            json.loads(file.read_bytes())
    journal = layout.journal_path(store)
    if journal.exists():
        raw = journal.read_bytes()
        for line in raw[: raw.rfind(b"\n") + 1].splitlines():
            json.loads(line)


def test_a_writer_killed_at_random_moments_never_loses_a_reported_annotation(tmp_path: Path) -> None:
    """The moment of each kill is chosen by the writer's progress, not by the clock: after a
    seeded number of reported annotations (none: during start-up), plus a few milliseconds so
    that the kill lands inside a write. So the test means the same on a fast or a loaded machine."""
    store = tmp_path / "store.json"
    seed = int(os.environ.get("READER_CRASH_SEED", "20261130"))
    rng = random.Random(seed)
    reported: set[str] = set()
    killed_mid_run = 0
    for run in range(20):
        writer = start_writer(store, 200, f"run{run}")
        assert writer.stdout is not None
        wait_for = 0 if run == 0 else rng.randrange(1, 150)
        lines = [writer.stdout.readline() for _ in range(wait_for)]
        time.sleep(rng.uniform(0.0, 0.003))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        lines += writer.stdout.readlines()
        errors = writer.stderr.read() if writer.stderr else ""
        ids = [line.strip() for line in lines if line.strip()]
        context = f"seed {seed}, run {run}, {len(ids)} reported; writer stderr: {errors[-2000:]}"
        assert writer.returncode in (-signal.SIGKILL, 0), context
        killed_mid_run += writer.returncode == -signal.SIGKILL
        reported.update(ids)

        # Whatever the moment, every file is whole, and so is every backup.
        assert_every_file_is_whole(store, context)
        assert len(temporaries(store)) <= 2, context  # at most the new version and the backup's link
        with AnnotationStore(store) as reopened:
            everything = reopened.all()
            # The index (journal) agrees with the files, whatever the moment of the kill.
            counted = sum(reopened.counts_by_article().values())
            tagged = {annotation.id for annotation in reopened.passages_with_tag(f"RUN{run}")}
        present = {annotation.id for annotation in everything}
        assert reported <= present, f"lost {len(reported - present)}; {context}"
        assert counted == len(present), context
        assert tagged == {annotation.id for annotation in everything if f"run{run}" in annotation.tags}, context
        assert set(ids) <= tagged, context
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
    for writer, (_, errors) in zip(writers, outputs, strict=True):
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
    for label, written in zip(("left", "right"), reported, strict=True):
        stored = json.loads(layout.shard_path(store, f"article-{label}").read_bytes())
        assert set(stored["annotations"]) == set(written)  # each document is keyed by its own id
    assert json.loads(store.read_bytes()) == {"meta": {"schema": {"version": schema.SCHEMA_VERSION}}}


def test_a_writer_dying_between_journal_and_article_file_loses_nothing_and_the_index_agrees(
    tmp_path: Path,
) -> None:
    """The journal line of a change is written before the article's file: a writer that dies in
    between leaves a journal that says more than the files. Whoever reads next must not trust it."""
    store = tmp_path / "store.json"
    first = start_writer(store, 50, "early")
    out, errors = first.communicate(timeout=60)
    assert first.returncode == 0, errors
    # Dies after journaling its 11th annotation (the line before that created the article's file).
    dying = start_writer(store, 50, "late", extra=["--die-after-journal", "11"])
    out_dying, errors = dying.communicate(timeout=60)
    assert dying.returncode == 9, errors
    survivors = out_dying.split()
    assert len(survivors) == 10
    journal_before = layout.journal_path(store).read_bytes()

    # A reader in another store object (as another process would be) sees exactly what was saved.
    with AnnotationStore(store) as reader:
        assert reader.counts_by_article() == {"article-early": 50, "article-late": 10}
        assert {a.id for a in reader.passages_with_tag("late")} == set(survivors)
        assert {a.id for a in reader.for_article("article-late")} == set(survivors)
        assert len(reader.all()) == 60
    # ... and the journal was corrected for every later reader.
    assert len(layout.journal_path(store).read_bytes()) > len(journal_before)
    with AnnotationStore(store) as later:
        assert sum(later.counts_by_article().values()) == 60

    # A writer carries on from there.
    last = start_writer(store, 5, "late")
    out_last, errors = last.communicate(timeout=60)
    assert last.returncode == 0, errors
    with AnnotationStore(store) as after:
        assert {a.id for a in after.for_article("article-late")} == set(survivors) | set(out_last.split())
        assert after.counts_by_article() == {"article-early": 50, "article-late": 15}
    assert temporaries(store) == []
