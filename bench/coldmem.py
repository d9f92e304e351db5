"""Peak memory of opening a corpus with no cache, phase by phase (a tool, not a benchmark run).

    python -m bench.coldmem gen N FOLDER            a corpus of N articles as bench_corpus makes it
    python -m bench.coldmem run PHASE FOLDER [--trace=all|fts]

``PHASE`` is ``load`` (``load_corpus`` with no cache), ``fts`` (then the full-text index built)
or ``app`` (bench_corpus's cold child: the app on a corpus with no cache, index built, keys
typed). Each runs in a process of its own (``run`` starts it) and prints its VmHWM after imports
and after each phase. ``--trace`` records Python allocations with tracemalloc and prints what
held the most at the traced peak (slower; RSS then includes tracemalloc's own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

MB = 1e6


def vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024 / MB
    return 0.0


class PeakTracer:
    """Snapshots tracemalloc when traced memory passes the last snapshot's by a step."""

    def __init__(self, step: float = 8 * MB) -> None:
        self.step = step
        self.best = 0
        self.snapshot: tracemalloc.Snapshot | None = None
        self.where = ""
        self.stop = threading.Event()
        tracemalloc.start(6)
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self) -> None:
        while not self.stop.wait(0.05):
            current, _ = tracemalloc.get_traced_memory()
            if current > self.best + self.step:
                self.best = current
                self.snapshot = tracemalloc.take_snapshot()
                self.where = PHASE[0]

    def report(self) -> None:
        self.stop.set()
        _, peak = tracemalloc.get_traced_memory()
        print(f"traced peak {peak / MB:.1f} MB; snapshot at {self.best / MB:.1f} MB during {self.where}")
        if self.snapshot is None:
            return
        snapshot = self.snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        for stat in snapshot.statistics("traceback")[:12]:
            print(f"  {stat.size / MB:7.1f} MB {stat.count:8d} blocks")
            for line in stat.traceback.format()[-12:]:
                print(f"      {line}")


PHASE = ["imports"]
TIMELINE: list[tuple[float, float, str]] = []


def sample(started: float, stop: threading.Event) -> None:
    """RSS every half second, with the phase it was in (printed at the end: where the peak is)."""
    while not stop.wait(0.5):
        TIMELINE.append((time.perf_counter() - started, vm("VmRSS"), PHASE[0]))


def timeline() -> None:
    top = max(TIMELINE, key=lambda point: point[1], default=None)
    print("RSS timeline (s, MB, phase):", " ".join(f"{t:.0f}:{mb:.0f}" for t, mb, _ in TIMELINE[::4]))
    if top is not None:
        print(f"highest sample {top[1]:.1f} MB at {top[0]:.1f} s, during {top[2]}")


def native() -> str:
    """SQLite's memory now and at its peak, and glibc malloc's heap in use and free (mallinfo2)."""
    import ctypes
    import ctypes.util

    sqlite = ctypes.CDLL(ctypes.util.find_library("sqlite3"))
    sqlite.sqlite3_memory_used.restype = sqlite.sqlite3_memory_highwater.restype = ctypes.c_int64
    libc = ctypes.CDLL("libc.so.6")

    class Info(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in (
                "arena",
                "ordblks",
                "smblks",
                "hblks",
                "hblkhd",
                "usmblks",
                "fsmblks",
                "uordblks",
                "fordblks",
                "keepcost",
            )
        ]

    libc.mallinfo2.restype = Info
    info = libc.mallinfo2()
    return (
        f"sqlite {sqlite.sqlite3_memory_used() / MB:.1f} (peak {sqlite.sqlite3_memory_highwater(0) / MB:.1f}); "
        f"malloc heap {info.arena / MB:.1f} (used {info.uordblks / MB:.1f}, free {info.fordblks / MB:.1f}), mmapped {info.hblkhd / MB:.1f}"
    )


def phase(name: str, started: float) -> None:
    print(
        f"{PHASE[0]:>8} done: VmHWM {vm('VmHWM'):6.1f} MB  VmRSS {vm('VmRSS'):6.1f} MB  {time.perf_counter() - started:6.1f} s; {native()}",
        flush=True,
    )
    PHASE[0] = name


def child(kind: str, corpus_dir: Path, trace: str) -> None:
    started = time.perf_counter()
    import bench.bench_corpus  # noqa: F401 - what the app child imports too
    from bench.bench_corpus import reader_parts
    from reader.corpus import load_corpus
    from reader.corpus.fulltext import FullTextIndex
    from reader.paths import corpus_index_dir

    reader_parts()
    shutil.rmtree(corpus_index_dir(corpus_dir), ignore_errors=True)
    tracer = PeakTracer() if trace == "all" else None
    stop = threading.Event()
    threading.Thread(target=sample, args=(started, stop), daemon=True).start()
    phase("load", started)
    if kind == "app":
        from bench.bench_corpus import child as app_child

        PHASE[0] = "app"
        app_child("reader-cold", corpus_dir, Path(tempfile.mkdtemp()))
        phase("end", started)
    else:
        corpus = load_corpus(corpus_dir, scan_folder=False)
        print(f"  {len(corpus.articles)} articles", flush=True)
        phase("fts", started)
        if trace == "fts":
            tracer = PeakTracer()
        if kind == "fts":
            FullTextIndex.of(corpus).update(corpus)
            phase("end", started)
    stop.set()
    timeline()
    if tracer is not None:
        tracer.report()


def generate(count: int, folder: Path) -> None:
    from bench.bench_corpus import generate_corpus

    generate_corpus(folder, count)


def main() -> None:
    if sys.argv[1] == "gen":
        generate(int(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1] == "run":
        home = (
            Path(sys.argv[3]).resolve().parent / "coldmem-home"
        )  # beside the corpus: the user's own folders untouched
        env = os.environ | {
            name: str(home / name.lower())
            for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
        }
        subprocess.run([sys.executable, "-m", "bench.coldmem", "child", *sys.argv[2:]], check=True, env=env)
    elif sys.argv[1] == "child":
        child(sys.argv[2], Path(sys.argv[3]), sys.argv[4].removeprefix("--trace=") if len(sys.argv) > 4 else "")


if __name__ == "__main__":
    main()
