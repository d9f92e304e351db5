"""Small helpers shared by the benchmarks: timing, medians and a printed table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


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
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
