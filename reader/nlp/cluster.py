"""Entity recognition on a Dask distributed cluster (``reader ner --dask``): the only module that
imports Dask, and only when it is imported itself (``reader`` starts without it).

The client cuts the texts into batches and sends them to the workers; each worker process loads
the pipeline once (:func:`recognise_batch` keeps it per process, keyed by model) and reads the
texts exactly as the local path does (:meth:`EntityRecognizer.pipe_entities`: the same pieces,
only the entity components), returning plain ``(start, end, label)`` spans. The rule layer and
the cache stay on the client: the entities written are those the one-machine path writes, under
the same key (text hash, model ``name@version``, rules version), so the app never knows where
they came from. A worker whose model version differs from the client's is refused, since its
entities would be cached under the wrong key.

Dask is an optional extra (``pip install reader-qda[cluster]``): most users never need a cluster,
and distributed brings tornado, psutil, msgpack and more.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from reader.nlp.model import Entity

if TYPE_CHECKING:
    from reader.nlp.entities import EntityRecognizer

#: Characters of text a batch holds at most (a single longer text is a batch of its own): big
#: enough that a worker spends its time in the model, not in messages; small enough that the
#: work spreads evenly and a retry repeats little.
BATCH_CHARS = 20_000

#: Times a failed batch (a worker that died, an error) is run again before it is given up.
RETRIES = 2

#: Batches in flight per worker: the workers never wait for work, and the client holds a bounded
#: number of futures however large the corpus is.
IN_FLIGHT_PER_WORKER = 3

#: Seconds to wait for a scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT = 10

#: Dask settings for a local cluster (``local:N``), where the workers share this machine's CPUs
#: with the client and scheduler, so every CPU second Dask spends on itself is taken from the
#: model. Measured with ``python -m bench.bench_ner --dask local:2`` (worker and client CPU
#: against the task's own): with Dask's defaults the cluster spent 13-19% on top of the model,
#: with these 3-5%. The workers' statistical profiler (a stack sample every 10 ms) and the event
#: loops' 20 ms tick are the largest part; work stealing and the 0.1 s memory and 0.5 s system
#: monitors are the rest (one task at a time per worker: nothing to steal or to spill). Dask
#: also starts its workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which makes spaCy hand memory
#: back to the system after nearly every batch: 10% more CPU (in the kernel) for the model
#: alone, so it is unset (None unsets it); the thread limits (OMP, MKL, OpenBLAS: 1) stay.
LOCAL_SETTINGS: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}

LOCAL = re.compile(r"local:(\d+)")
MAX_LOCAL_WORKERS = 64

#: Spans ``(start, end, label)`` of one text, as they travel back from a worker.
Spans = list[tuple[int, int, str]]

_PIPELINES: dict[str, EntityRecognizer] = {}


class ClusterUnavailable(Exception):
    """The cluster could not be started or reached, or cannot run the model; the message says why."""


def dask_installed() -> bool:
    """Whether Dask distributed can be imported (it is the optional extra ``cluster``)."""
    from importlib.util import find_spec

    return find_spec("distributed") is not None


def check_target(text: str) -> str:
    """``text`` if it names a cluster: ``local:N`` (1 to :data:`MAX_LOCAL_WORKERS`) or a scheduler
    address; raises ValueError with the reason otherwise."""
    local = LOCAL.fullmatch(text)
    if local is not None:
        if not 1 <= int(local.group(1)) <= MAX_LOCAL_WORKERS:
            raise ValueError(f"local:N needs N from 1 to {MAX_LOCAL_WORKERS}, not {text!r}")
        return text
    if text.startswith("local") or not text.strip() or any(c.isspace() for c in text):
        raise ValueError(f"expected local:N or a scheduler address such as tcp://host:8786, not {text!r}")
    return text


def recognise_batch(model: str, texts: Sequence[str]) -> tuple[str, list[Spans]]:
    """On a worker: the model's identity and its entities ``(start, end, label)`` of each text
    (no rules, no cache), read as :meth:`EntityRecognizer.pipe_entities` reads them. The
    pipeline is loaded on the first batch of a worker process and kept for the next ones."""
    recognizer = _load_pipeline(model)
    found = recognizer.pipe_entities(texts)
    return recognizer.identity, [[(e.start, e.end, e.label) for e in entities] for entities in found]


def _load_pipeline(model: str) -> EntityRecognizer:
    """On a worker: the recognizer of ``model`` (no rules, no cache), loaded once per process."""
    from reader.nlp.entities import EntityRecognizer

    recognizer = _PIPELINES.get(model)
    if recognizer is None:
        recognizer = EntityRecognizer(model, None, rules=False)
        recognizer.load()
        _PIPELINES[model] = recognizer
    return recognizer


def _preload(model: str) -> None:
    """On a worker: :func:`_load_pipeline`, returning nothing (the pipeline stays there)."""
    _load_pipeline(model)


def batches(texts: Sequence[str], limit: int = BATCH_CHARS) -> Iterator[list[int]]:
    """The indexes of ``texts`` in consecutive batches of at most ``limit`` characters (a longer
    text alone)."""
    batch: list[int] = []
    size = 0
    for index, text in enumerate(texts):
        if batch and size + len(text) > limit:
            yield batch
            batch, size = [], 0
        batch.append(index)
        size += len(text)
    if batch:
        yield batch


@dataclass
class BatchFailed:
    """Texts (indexes) whose batch failed on every try, and why."""

    indexes: list[int]
    reason: str


class Cluster:
    """A connection to a Dask cluster, as a context manager: ``local:N`` starts a
    ``LocalCluster`` of N single-threaded worker processes (closed on exit); an address connects
    to a running scheduler (left running on exit). On exit, whatever is still running is cancelled
    (a Ctrl-C included)."""

    def __init__(self, target: str, *, timeout: float = CONNECT_TIMEOUT) -> None:
        self.target = check_target(target)
        self.timeout = timeout
        self._stack = ExitStack()
        self._client: Any = None
        self.address = ""

    def __enter__(self) -> Cluster:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterUnavailable(
                "Dask distributed is not installed; install the cluster extra: pip install 'reader-qda[cluster]'"
            ) from None
        logging.getLogger("distributed").setLevel(logging.ERROR)  # its warnings are not the user's business
        local = LOCAL.fullmatch(self.target)
        try:
            if local is not None:
                # the workers read their logging settings from the environment when they start
                os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")
                self._stack.enter_context(dask.config.set(LOCAL_SETTINGS))
                # the scheduler's HTTP server on a free port (8787, its default, may be taken: a
                # warning each time); without bokeh installed it serves no dashboard anyway
                with _workers_deaf_to_ctrl_c():
                    cluster = LocalCluster(
                        n_workers=int(local.group(1)), threads_per_worker=1, processes=True, dashboard_address=":0"
                    )
                self._stack.callback(cluster.close)
                client = Client(cluster)
            else:
                client = Client(self.target, timeout=self.timeout)
        except (OSError, TimeoutError, ValueError, TypeError) as error:
            self._stack.close()
            raise ClusterUnavailable(_unreachable(self.target, error)) from None
        self._stack.callback(client.close)
        self._client = client
        self.address = str(client.scheduler_info().get("address", self.target))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stack.close()

    def workers(self) -> int:
        """How many workers the scheduler has now (at least 1, for pacing the batches)."""
        return max(1, len(self._client.scheduler_info(n_workers=-1).get("workers", {})))

    def preload(self, model: str) -> None:
        """Load the pipeline on every worker now, in parallel, rather than with its first batch (so
        a benchmark can time the recognition apart from the start)."""
        self._client.run(_preload, model)

    def cpu_seconds(self) -> float:
        """The CPU seconds the worker processes have used so far, summed (to see how much of the
        machine they got)."""
        import time

        return float(sum(self._client.run(time.process_time).values()))

    def recognise(
        self, model: str, identity: str, texts: Sequence[str], *, batch_chars: int = BATCH_CHARS
    ) -> Iterator[tuple[list[int], list[Spans] | BatchFailed]]:
        """For each batch as it is done (in any order): its text indexes and the model's spans of
        each text, or a :class:`BatchFailed` when it failed :data:`RETRIES` + 1 times. Raises
        ClusterUnavailable when a worker runs another model version than ``identity``."""
        from distributed import as_completed

        pending = iter(batches(texts, batch_chars))
        running: dict[Any, list[int]] = {}

        def submit() -> Any:
            indexes = next(pending, None)
            if indexes is None:
                return None
            future = self._client.submit(
                recognise_batch, model, [texts[i] for i in indexes], retries=RETRIES, pure=False
            )
            running[future] = indexes
            return future

        futures = [f for f in (submit() for _ in range(self.workers() * IN_FLIGHT_PER_WORKER)) if f is not None]
        done = as_completed(futures)
        try:
            for future in done:
                indexes = running.pop(future)
                following = submit()
                if following is not None:
                    done.add(following)
                try:
                    worker_identity, spans = future.result()
                except Exception as error:  # the worker's own error, raised again here after the retries
                    yield indexes, BatchFailed(indexes, f"{type(error).__name__}: {error}")
                    continue
                if worker_identity != identity:
                    raise ClusterUnavailable(
                        f"the cluster's workers run {worker_identity}, not {identity} as here: install the same "
                        "model version on both, or their entities would be cached under the wrong version"
                    )
                yield indexes, spans
        finally:
            if running:
                self._client.cancel(list(running))


@contextmanager
def _workers_deaf_to_ctrl_c() -> Iterator[None]:
    """Ctrl-C ignored while local workers are started, so they inherit that: a Ctrl-C in the
    terminal reaches every process of the group, and the workers would each print a traceback;
    the client cancels and closes them instead. (Only the main thread can set a signal handler.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _unreachable(target: str, error: BaseException) -> str:
    what = "start a local Dask cluster" if LOCAL.fullmatch(target) else f"reach the Dask scheduler at {target}"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"could not {what} ({reason}); is the scheduler running, and is the address right?"


def recognise_on_cluster(
    recognizer: EntityRecognizer, texts: Sequence[str], cluster: Cluster, *, batch_chars: int = BATCH_CHARS
) -> Iterator[tuple[int, list[Entity] | BatchFailed]]:
    """Each text's entities (model, then the rules) found on ``cluster``, as each batch comes back,
    and put in ``recognizer``'s cache, as the one-machine path does; a failed batch yields a
    :class:`BatchFailed` for each of its texts (nothing is cached for them)."""
    for indexes, result in cluster.recognise(recognizer.model, recognizer.identity, texts, batch_chars=batch_chars):
        if isinstance(result, BatchFailed):
            for index in indexes:
                yield index, result
            continue
        for index, spans in zip(indexes, result, strict=True):
            entities = recognizer.with_rules(texts[index], [Entity(*span) for span in spans])
            if recognizer.cache is not None:
                recognizer.cache.put(texts[index], recognizer.cache_key, entities)
            yield index, entities
