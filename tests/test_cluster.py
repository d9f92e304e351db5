"""``reader ner --dask``: recognition on a real Dask ``LocalCluster`` (two worker processes,
started once for this module) gives the entities of the one-process path, fills the cache the
app and ``reader stats`` read, and fails with a clear message when the cluster cannot be reached."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_ner import generate_corpus
from reader.nlp import EntityRecognizer
from reader.nlp.cache import EntityCache
from reader.nlp.cluster import BatchFailed, Cluster, ClusterUnavailable, batches, recognise_on_cluster
from tests.conftest import REFERENCE
from tests.test_cli import run

pytest.importorskip("distributed", reason="the cluster extra is not installed")

OTHER_TEXTS = {
    "talks.txt": "Talks in Geneva\n2025-07-28\nIshaq Dar met Marco Rubio in Washington.\n\nThe United Nations welcomed it.\n",
    "visit.txt": "A visit\n2025-08-01\nChina's foreign minister flew from Beijing to Islamabad on Monday.\n",
    "empty-body.txt": "A title only\n",
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """One LocalCluster of two single-threaded worker processes for the whole module."""
    with Cluster("local:2") as started:
        yield started


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    for name, text in OTHER_TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_cluster_entities_equal_the_one_process_path_and_are_cached(
    cluster: Cluster, recognizer: EntityRecognizer, reference_text: str, tmp_path: Path
):
    texts = [reference_text, "", *OTHER_TEXTS.values()]
    assert len(list(batches(texts, 100))) >= 3  # several batches, one text or two each
    fresh = EntityRecognizer(recognizer.model, EntityCache(tmp_path / "cache"))  # its pipeline is never loaded
    found = dict(recognise_on_cluster(fresh, texts, cluster, batch_chars=100))
    assert sorted(found) == list(range(len(texts)))
    expected = [recognizer.with_rules(text, list(recognizer.recognise(text))) for text in texts]
    assert [found[index] for index in range(len(texts))] == expected
    assert len(expected[0]) > 20  # the reference article has entities: the comparison is not empty
    assert [fresh.cached(text) for text in texts] == expected  # in the cache, under the same key
    assert fresh._nlp is None


def test_a_batch_that_fails_on_every_try_is_reported_and_nothing_cached(cluster: Cluster, tmp_path: Path):
    results = list(cluster.recognise("no_such_model_xyz", "no_such_model_xyz@1", ["Paris.", "Rome."]))
    assert len(results) == 1
    indexes, failure = results[0]
    assert indexes == [0, 1] and isinstance(failure, BatchFailed) and "no_such_model_xyz" in failure.reason


def test_workers_with_another_model_version_are_refused(cluster: Cluster, recognizer: EntityRecognizer):
    with pytest.raises(ClusterUnavailable, match="other@9"):
        list(cluster.recognise(recognizer.model, "other@9", ["Paris is in France."]))


def test_reader_ner_on_the_cluster_fills_the_cache_that_stats_and_the_app_read(
    cluster: Cluster, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    environment = {"XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    first = run("ner", str(corpus), "--dask", cluster.address, env=environment)
    assert first.returncode == 0, first.stderr
    said = " ".join(first.stderr.split())  # rich wraps long lines at the terminal width
    assert "Found the entities of 4 articles" in said and "on the Dask cluster" in said
    assert "4/4" in said and first.stdout == ""

    stats = run("stats", "--corpus", str(corpus), env=environment)
    assert stats.returncode == 0, stats.stderr
    assert "Finding entities" not in stats.stderr  # everything came from the cache
    assert "Islamabad" in stats.stdout and "Geneva" in stats.stdout

    from reader.cli.recognition import make_recognizer, texts_of
    from reader.cli.shared import open_corpus

    monkeypatch.setenv("XDG_CACHE_HOME", environment["XDG_CACHE_HOME"])
    app_recognizer = make_recognizer(None)  # as the app makes it
    texts = texts_of(open_corpus(corpus))
    assert all(app_recognizer.is_cached(text) for text in texts.values())

    again = run("ner", str(corpus), "--dask", cluster.address, env=environment)
    said = " ".join(again.stderr.split())
    assert "All 4 articles" in said and "already have their entities cached" in said


def test_an_unreachable_scheduler_gives_a_clear_message_and_writes_nothing(corpus: Path, tmp_path: Path):
    cache = tmp_path / "xdg-cache"
    result = run(
        "ner", str(corpus), "--dask", "tcp://127.0.0.1:1", "--dask-timeout", "1", env={"XDG_CACHE_HOME": str(cache)}
    )
    assert result.returncode == 1
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:1" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert not (cache / "reader" / "entities").exists()


def test_dask_usage_errors(corpus: Path):
    for arguments in (["--dask", "local:0"], ["--dask", "local"], ["--dask", "local:2", "--processes", "2"]):
        result = run("ner", str(corpus), *arguments)
        assert result.returncode == 2 and "Traceback" not in result.stderr, arguments
    assert "--dask" in run("ner", "--help").stdout


def test_reader_starts_without_importing_dask():
    code = "import sys, reader.cli; reader.cli.main(['ner', '--help']); print(sorted({'dask', 'distributed'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_ctrl_c_cancels_closes_the_local_cluster_and_says_what_was_cached(tmp_path: Path):
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, 400)  # far more than the second before the interrupt can do (60 took 6 s)
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    command = [shutil.which("reader", path=str(Path(sys.executable).parent)) or "reader", "ner", str(corpus)]
    process = subprocess.Popen(
        [*command, "--dask", "local:2"],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the cluster is up
    assert "Dask scheduler at" in first
    time.sleep(1)
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C in a terminal: every process of the group
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 1, rest
    assert "Stopped: the entities of" in rest and "Traceback" not in rest, rest
    time.sleep(2)
    left = [pid for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if _session(pid) == process.pid]
    assert left == []  # the workers are gone with the client


def _ctrl_c_as_in_a_terminal() -> None:
    """Ctrl-C as a terminal delivers it: a run started in the background (``cmd &``, as CI may)
    inherits SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _session(pid: int) -> int | None:
    """The session of process ``pid``, None if it is gone."""
    try:
        return os.getsid(pid)
    except OSError:
        return None


def test_reader_ner_reports_batches_that_failed_every_try_and_caches_nothing_for_them(cluster: Cluster, tmp_path: Path):
    from reader.cli.ner_cluster import find_on_cluster
    from reader.cli.shared import UserError

    broken = tmp_path / "pipeline"  # a pipeline folder here whose model the workers cannot load
    broken.mkdir()
    (broken / "meta.json").write_text('{"lang": "en", "name": "broken", "version": "1.0"}', encoding="utf-8")
    cache = EntityCache(tmp_path / "cache")
    recognizer = EntityRecognizer(str(broken), cache)
    with pytest.raises(UserError, match="the entities of 2 articles could not be found on the cluster after retries"):
        find_on_cluster(recognizer, {"a": "Paris is in France.", "b": "Rome is in Italy."}, cluster.address, 5.0)
    assert cache.count() == 0


def _worker_overheads() -> tuple[object, object, object]:
    """On a worker: its profiler setting, its malloc trim threshold and its OpenMP threads."""
    import dask

    return (
        dask.config.get("distributed.worker.profile.enabled"),
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        os.environ.get("OMP_NUM_THREADS"),
    )


def test_local_workers_run_without_the_overheads_that_took_cpu_from_the_model(cluster: Cluster):
    # measured by python -m bench.bench_ner --dask local:2: see LOCAL_SETTINGS
    assert set(cluster._client.run(_worker_overheads).values()) == {(False, None, "1")}
