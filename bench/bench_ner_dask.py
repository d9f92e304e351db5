"""``reader ner --dask local:2`` against one process of plain ``nlp.pipe`` (issue 16).

    python -m bench ner_dask                      local:2
    python -m bench.bench_ner --dask local:N      the same, N workers

The corpus is ``ARTICLES`` generated articles (``bench_ner.generate_corpus``: the reference's
paragraphs shuffled, so no two texts are the same), about 6 KB each.

What is timed, in the same process and the same run, in interleaved rounds (plain, Dask, plain,
Dask...), both sides warm:

- **plain nlp.pipe** (the baseline): one process (this one), ``spacy.load`` then only the entity
  components kept, loaded and warmed up untimed; timed: ``list(nlp.pipe(pieces,
  batch_size=PIPE_BATCH_SIZE))`` over the pieces reader gives the model (each text normalised and
  cut into paragraphs). Nothing else: no rules, no cache.
- **Dask**: the cluster started and the pipeline loaded on every worker untimed (as the baseline's
  model is); timed: the product's own :func:`reader.nlp.cluster.recognise_on_cluster`, what
  ``reader ner --dask`` runs once the cluster is up: batching, sending, the model on the workers,
  the spans back, and in this process the rule layer and the writes into a fresh entity cache.
  So the Dask side does more than the baseline (the rules and the cache); nothing is subtracted.

- **two plain processes** (no Dask): the same pipeline in two processes started and loaded
  untimed, each given half the pieces: what two processes can get from this machine at that
  moment, the ceiling for two Dask workers.

The entities are checked equal on every text in every round: the Dask side's against the
baseline's spans put through the same rules. Each round also records the CPU it got (CPU
seconds of our processes per wall second, from each process's own clock) and what the rest of the
machine used meanwhile (``/proc/stat``: busy CPU minus ours), since this machine is shared; and
at the end, how many other sessions were busy (Linux shares the CPUs between sessions).

Then, untimed by the rounds but reported: the fixed costs of a cold run (starting the cluster,
loading the model on the workers, closing it), and the whole command ``reader ner CORPUS --dask
TARGET`` as a subprocess with empty cache and config, wall clock, nothing subtracted.
The target (issue 16): Dask at least 1.7x plain ``nlp.pipe``. Nothing fails on time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.bench_ner import generate_corpus, run_reader
from bench.common import print_table, scratch_home

ARTICLES = 120
TARGET = 1.7
#: Rounds of (plain, Dask) at most, and the seconds they may take: another round only if it fits.
ROUNDS = 3
BUDGET = 130.0

if TYPE_CHECKING:
    from reader.nlp.cluster import Cluster
    from reader.nlp.entities import EntityRecognizer
    from reader.nlp.model import Entity

Spans = list[tuple[int, int, str]]


@dataclass
class Window:
    """One timed run: wall seconds, CPU seconds of our processes, busy CPU seconds of the machine."""

    wall: float
    ours: float
    machine: float | None

    @property
    def got(self) -> float:
        """CPU seconds our processes got per wall second (1.00: one whole CPU)."""
        return self.ours / self.wall

    @property
    def others(self) -> float | None:
        """CPU seconds per wall second the rest of the machine used meanwhile (None off Linux)."""
        return None if self.machine is None else max(0.0, (self.machine - self.ours) / self.wall)


def machine_busy() -> float | None:
    """Busy CPU seconds of the whole machine since boot (every CPU), or None without /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def group_cpu() -> dict[str, float]:
    """CPU seconds so far of each scheduling group (a session's autogroup on Linux): its live
    processes' own and that of the children they have reaped (so short-lived commands count)."""
    found: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            group = (entry / "autogroup").read_text().split()[0]
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[group] = found.get(group, 0.0) + sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return found


def busy_sessions(before: dict[str, float], after: dict[str, float], seconds: float) -> int:
    """How many scheduling groups besides this process's used at least a third of a CPU between
    the two snapshots. Linux (autogroup) shares the CPUs equally between sessions, not between
    processes: with other sessions busy, two workers of ours get no more CPU than one process."""
    try:
        ours = Path("/proc/self/autogroup").read_text().split()[0]
    except (OSError, IndexError):
        return 0
    used = {group: cpu - before.get(group, 0.0) for group, cpu in after.items() if group != ours}
    return sum(1 for cpu in used.values() if cpu / seconds >= 1 / 3)


def timed(work: Callable[[], float | None], our_cpu: Callable[[], float]) -> Window:
    """``work`` run once, as a :class:`Window`; ``our_cpu`` reads our processes' CPU seconds, and
    ``work`` returns those it had other processes spend besides (or None)."""
    cpu, busy = our_cpu(), machine_busy()
    started = time.perf_counter()
    elsewhere = work() or 0.0
    wall = time.perf_counter() - started
    busy_after = machine_busy()
    machine = None if busy is None or busy_after is None else busy_after - busy
    return Window(wall, our_cpu() - cpu + elsewhere, machine)


def plain_spans(nlp: object, texts: list[str]) -> tuple[Callable[[], None], Callable[[], list[Spans]]]:
    """The baseline's timed work (one plain ``nlp.pipe`` over the pieces of ``texts``, as reader
    cuts them), and, to call after it, each text's entities ``(start, end, label)`` put back into
    text offsets (the mapping is not timed)."""
    from reader.nlp.entities import PIPE_BATCH_SIZE, normalise_for_nlp
    from reader.nlp.pieces import pieces

    places = [(index, offset) for index, text in enumerate(texts) for offset, _ in pieces(text)]
    lines = [piece for text in texts for _, piece in pieces(normalise_for_nlp(text))]
    found: list[Spans] = [[] for _ in texts]
    docs: list[object] = []

    def work() -> None:
        docs[:] = list(nlp.pipe(lines, batch_size=PIPE_BATCH_SIZE))  # type: ignore[attr-defined]

    def spans() -> list[Spans]:
        for doc, (index, offset) in zip(docs, places, strict=True):
            found[index].extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)  # type: ignore[attr-defined]
        return found

    return work, spans


#: CPU seconds this process (scheduler, client, rules, cache writes) spent in each Dask run.
CLIENT_CPU: list[float] = []


def on_cluster(
    recognizer: EntityRecognizer, texts: list[str], cluster: Cluster, found: dict[int, list[Entity]]
) -> Callable[[], None]:
    """The Dask side's timed work: the product's :func:`recognise_on_cluster` over ``texts``,
    each text's entities put in ``found`` (a failed batch stops the benchmark)."""
    from reader.nlp.cluster import BatchFailed, recognise_on_cluster

    def work() -> None:
        CLIENT_CPU.append(-time.process_time())
        for index, entities in recognise_on_cluster(recognizer, texts, cluster):
            if isinstance(entities, BatchFailed):
                raise RuntimeError(f"a batch failed on the cluster: {entities.reason}")
            found[index] = entities
        CLIENT_CPU[-1] += time.process_time()

    return work


_PLAIN: list[object] = []


def _load_plain() -> None:
    """In a process of :class:`TwoPlain`: the entity-only pipeline, loaded once."""
    import spacy

    from reader.nlp.entities import DEFAULT_MODEL, keep_only_entity_components

    nlp = spacy.load(DEFAULT_MODEL)
    keep_only_entity_components(nlp)
    _PLAIN.append(nlp)


def _pipe(lines: list[str], ready: Any) -> float:
    """In a process of :class:`TwoPlain`: plain ``nlp.pipe`` over ``lines``, its CPU seconds."""
    from reader.nlp.entities import PIPE_BATCH_SIZE

    ready.wait()  # both processes loaded before either is timed
    cpu = time.process_time()
    list(_PLAIN[0].pipe(lines, batch_size=PIPE_BATCH_SIZE))  # type: ignore[attr-defined]
    return time.process_time() - cpu


class TwoPlain:
    """Two processes of plain ``nlp.pipe``, each given half the pieces: what two processes get
    from this machine now without Dask, the ceiling for the Dask path's two workers."""

    def __init__(self, lines: list[str]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        self.manager = context.Manager()
        self.pool = ProcessPoolExecutor(2, mp_context=context, initializer=_load_plain)
        self.halves = [lines[0::2], lines[1::2]]
        self.run(warm=True)  # loads the pipeline in both, untimed

    def run(self, warm: bool = False) -> float:
        """Both halves at once; the CPU seconds the two processes spent."""
        ready = self.manager.Barrier(3)
        halves = [half[:64] for half in self.halves] if warm else self.halves
        futures = [self.pool.submit(_pipe, half, ready) for half in halves]
        ready.wait()
        return sum(future.result() for future in futures)

    def close(self) -> None:
        self.pool.shutdown()
        self.manager.shutdown()


def main(target: str = "local:2") -> None:
    with scratch_home("reader-bench-dask-home-"):  # the rules read no user patterns; nothing of the user's touched
        run(target)


def run(target: str) -> None:
    import spacy

    from reader.nlp.cache import EntityCache
    from reader.nlp.cluster import Cluster, recognise_on_cluster
    from reader.nlp.entities import DEFAULT_MODEL, EntityRecognizer, keep_only_entity_components, normalise_for_nlp
    from reader.nlp.model import Entity
    from reader.nlp.pieces import pieces

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="reader-bench-dask-"))
    try:
        corpus_dir = folder / "corpus"
        generate_corpus(corpus_dir, ARTICLES)
        from reader.corpus import load_corpus
        from reader.corpus.texts import article_texts

        texts = [text for _, text in article_texts(load_corpus(corpus_dir, use_index=False))]
        print(f"corpus: {len(texts)} articles, {sum(map(len, texts)) / 1e6:.2f} M characters; model {DEFAULT_MODEL}")

        nlp = spacy.load(DEFAULT_MODEL)
        keep_only_entity_components(nlp)
        warm, _ = plain_spans(nlp, texts[:2])
        warm()  # untimed
        fixed: dict[str, float] = {}
        samples: dict[str, list[Window]] = {"plain": [], "two": [], "dask": []}
        two = TwoPlain([piece for text in texts for _, piece in pieces(normalise_for_nlp(text))])
        started = time.perf_counter()
        cluster = Cluster(target)
        with cluster:
            fixed["start the cluster"] = time.perf_counter() - started
            workers = cluster.workers()
            loading = time.perf_counter()
            cluster.preload(DEFAULT_MODEL)
            fixed["load the model on the workers"] = time.perf_counter() - loading
            list(recognise_on_cluster(EntityRecognizer(DEFAULT_MODEL, None), texts[:2], cluster))  # warm-up, untimed

            def our_cpu() -> float:
                return time.process_time() + cluster.cpu_seconds()

            rounds_from, snapshot = time.perf_counter(), group_cpu()
            for number in range(1, ROUNDS + 1):
                round_started = time.perf_counter()
                work, spans = plain_spans(nlp, texts)
                samples["plain"].append(timed(work, our_cpu))
                recognizer = EntityRecognizer(DEFAULT_MODEL, EntityCache(folder / f"cache{number}"))
                found: dict[int, list[Entity]] = {}
                samples["dask"].append(timed(on_cluster(recognizer, texts, cluster, found), our_cpu))
                samples["two"].append(timed(two.run, our_cpu))
                expected = [recognizer.with_rules(t, [Entity(*s) for s in spans_of]) for t, spans_of in zip(texts, spans(), strict=True)]  # fmt: skip
                if [found[index] for index in range(len(texts))] != expected:
                    raise RuntimeError("the Dask path's entities differ from plain nlp.pipe's (with the same rules)")
                if recognizer.cache is None or recognizer.cache.count() != len(set(texts)):
                    raise RuntimeError("the Dask path did not cache every text")
                print(f"  round {number}: {describe(samples, -1)}", flush=True)
                spent = time.perf_counter() - rounds_from
                if spent + (time.perf_counter() - round_started) > BUDGET:
                    break
            sessions = busy_sessions(snapshot, group_cpu(), time.perf_counter() - rounds_from)
            closing = time.perf_counter()
        fixed["close the cluster"] = time.perf_counter() - closing
        two.close()
        command, reported = run_reader(["ner", str(corpus_dir), "--dask", target], folder / "run", len(texts))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report(target, workers, texts, samples, fixed, command, reported)
    if Path("/proc/self/autogroup").exists():
        print(
            f"other sessions busy during the rounds (a third of a CPU or more): {sessions}; the kernel shares the CPUs "
            "equally between sessions (autogroup), so with N others busy this one gets about 2/(N+1) CPUs, "
            "however many processes it runs"
        )


def describe(samples: dict[str, list[Window]], index: int) -> str:
    """One round in a line: the times, Dask's ratio, the CPU each got and what others used."""
    plain, two, dask = (samples[key][index] for key in ("plain", "two", "dask"))
    others = [w.others for w in (plain, two, dask)]
    used = "" if None in others else f"; the rest of the machine used {' / '.join(f'{x:.2f}' for x in others)} CPU"
    return (
        f"plain {plain.wall:.2f} s ({plain.got:.2f} CPU), Dask {dask.wall:.2f} s ({dask.got:.2f} CPU): "
        f"{plain.wall / dask.wall:.2f}x; two plain processes {two.wall:.2f} s ({two.got:.2f} CPU): "
        f"{plain.wall / two.wall:.2f}x{used}"
    )


def report(
    target: str,
    workers: int,
    texts: list[str],
    samples: dict[str, list[Window]],
    fixed: dict[str, float],
    command: float,
    reported: float | None,
) -> None:
    medians = {key: statistics.median(w.wall for w in windows) for key, windows in samples.items()}
    plain = medians["plain"]
    ratios = [p.wall / d.wall for p, d in zip(samples["plain"], samples["dask"], strict=True)]
    ratio = statistics.median(ratios)
    rounds = len(ratios)
    print(
        f"\n{rounds} round(s), medians; {workers} Dask workers ({target}), 1 thread each; entities equal on "
        f"all {len(texts)} texts in every round; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        "all warm: the models loaded, the cluster and the two plain processes started, untimed; the Dask side also "
        "applies the rules and writes a fresh entity cache; the plain sides get the pieces cut for them untimed\n"
    )

    def row(name: str, seconds: float, verdict: str = "-") -> list[str]:
        return [name, f"{seconds:.2f} s", f"{len(texts) / seconds:.2f}", f"{plain / seconds:.2f}x", verdict]

    print_table(
        ["measure", "time", "articles/s", "vs plain", "target >= 1.7x"],
        [
            row("plain nlp.pipe, 1 process, entity components (baseline)", plain),
            row(f"reader's Dask path, {target}, warm", medians["dask"], "pass" if ratio >= TARGET else "FAIL"),
            row("two plain nlp.pipe processes, half each (no Dask: the ceiling)", medians["two"]),
            *[[f"  fixed cost: {what}", f"{seconds:.2f} s", "-", "-", "-"] for what, seconds in fixed.items()],
            row(f"reader ner --dask {target}, whole command, cold", command),
        ],
    )  # fmt: skip
    print(f"\nDask's ratios in the rounds: {', '.join(f'{r:.2f}x' for r in ratios)} (the verdict is their median)")

    def cpu(key: str) -> str:
        windows = samples[key]
        return f"{statistics.median(w.got for w in windows):.2f} CPU ({statistics.median(w.ours for w in windows):.1f} CPU s)"

    others = [w.others for windows in samples.values() for w in windows if w.others is not None]
    print(
        f"CPU got (and CPU seconds spent on the corpus): plain {cpu('plain')}, Dask workers + scheduler + client "
        f"{cpu('dask')} (of which this process: scheduler, client, rules, cache, {statistics.median(CLIENT_CPU):.1f} CPU s), "
        f"two plain processes {cpu('two')}, of {os.cpu_count()} CPUs; the rest of the machine used "
        f"{min(others, default=0):.2f} to {max(others, default=0):.2f} CPU meanwhile"
    )
    if reported is not None:
        print(f"the cold command reports {reported:.2f} s for its entity finding (cluster start and close included)")


if __name__ == "__main__":
    main()
