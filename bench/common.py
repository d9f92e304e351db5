"""Small helpers shared by the benchmarks: where the reference article is, timing, medians, a printed
table, and waiting for a Pilot-driven app."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The bundled sample article every benchmark builds its corpora from.
REFERENCE = ROOT / "reader" / "corpus" / "sample" / "000_ff5b33da8fd122af.txt"


def timings(work: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds taken by each of ``repeat`` calls of ``work`` (after ``warmup`` untimed calls)."""
    for _ in range(warmup):
        work()
    result = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        result.append(time.perf_counter() - start)
    return result


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned table, readable in a terminal and pasteable into a closing note."""
    cells = [[str(cell) for cell in header]] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for index, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


#: The folders reader keeps things in (platformdirs reads these on Linux).
XDG = ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")


@contextmanager
def scratch_home(prefix: str) -> Iterator[Path]:
    """A temporary folder holding this process's data, cache, config and state folders.

    The user's own folders are never touched; everything is removed afterwards.
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    saved = {name: os.environ.get(name) for name in XDG}
    os.environ.update({name: str(folder / name.lower()) for name in XDG})
    try:
        yield folder
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(folder, ignore_errors=True)


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let a Pilot-driven app run until ``condition()`` holds; an error after ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the app did not reach the expected state in time")
        await pilot.pause(0.02)
