"""The corpus catalog alone at 10,000, 100,000 and 1,000,000 articles: opening a listed corpus,
the first screen of rows, each filter and order, and memory, against the size.

    python -m bench catalog

A million article files take gigabytes and a quarter of an hour to write, so the catalog is
filled here with records as a scan would write them (one file of one article each), through the
catalog's own update. What is timed is what the library does with a corpus listed before: open
the catalog without looking at the folder (``scan_folder=False``), show the first 40 rows, and
show the first 40 rows of each filter (unread, not annotated, a date range, by title, a tag), with
a thousand articles read and annotated. Medians of 5 runs, and each size's peak memory measured
in a process of its own. The smallest size is the baseline: the target is that the larger sizes
cost the same (issue 16: first paint at most 1.2x, memory at most 1.2x).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import ROOT, print_table, scratch_home
from reader.corpus import Article
from reader.corpus.finding import Facts, Filters, Finder

SIZES = (10_000, 100_000, 1_000_000)
RUNS = 5
SHOWN = 40
MARKED = 1_000


def fill(folder: Path, root: Path, count: int) -> None:
    """A catalog of ``count`` one-article files, as a first scan would write it."""
    from reader.corpus.catalog import Catalog
    from reader.corpus.index import ArticleRecord, FileStamp, IndexedFile

    rng = random.Random(count)
    catalog = Catalog(folder, root)
    with catalog.updating(time.time_ns()) as update:
        batch: dict[str, IndexedFile] = {}
        for number in range(count):
            date = f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + rng.randrange(28):02d}"
            title = f"Article {rng.randrange(10**9):09d} on the harbour ({number})"
            record = ArticleRecord(title, date, f"{number:064x}")
            batch[f"{number // 1000:04d}/{number:07d}.txt"] = IndexedFile(FileStamp(5000, 1), "utf-8", [record])
            if len(batch) == 20_000:
                update.files(batch)
                batch = {}
        update.files(batch)
    catalog.close()


def timings(root: Path, folder: Path) -> dict[str, float]:
    """Median milliseconds of each step, over :data:`RUNS` runs."""
    from reader.corpus import load_corpus
    from reader.corpus.finding import DateRange, SortOrder

    samples: dict[str, list[float]] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = step()
        samples.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    for _ in range(RUNS):
        corpus = timed("open", lambda: load_corpus(root, index_dir=folder, scan_folder=False))
        timed("first rows", partial(_first_rows, corpus.articles))
        finder = Finder(corpus.articles)
        some = [corpus.articles[i * 97 % len(corpus.articles)].id for i in range(MARKED)]
        facts = Facts(counts=dict.fromkeys(some, 1), tags={key: {"pivot"} for key in some}, read=set(some))
        for name, filters in {
            "unread": Filters(unread=True),
            "not annotated": Filters(unannotated=True),
            "date range": Filters(dates=DateRange("2019-03", "2019-05")),
            "by title": Filters(sort=SortOrder.TITLE),
            "most annotated": Filters(sort=SortOrder.ANNOTATIONS),
            "tag": Filters(tag="pivot"),
        }.items():
            timed(name, partial(_selected, finder, filters, facts))
        corpus.catalog.close()
    return {name: statistics.median(values) for name, values in samples.items()}


def _first_rows(rows: Sequence[Article]) -> int:
    return len([rows[i].id for i in range(min(SHOWN, len(rows)))]) + len(rows)


def _selected(finder: Finder, filters: Filters, facts: Facts) -> int:
    return _first_rows(finder.select(filters, facts))


def child(root: Path, folder: Path) -> None:
    """Open the catalog, show rows and filters once, print this process's peak RSS in bytes."""
    from bench.bench_corpus import peak_rss_bytes

    global RUNS
    RUNS = 1
    timings(root, folder)
    print(peak_rss_bytes())


def main() -> None:
    results: dict[int, dict[str, float]] = {}
    with scratch_home("reader-bench-catalog-") as home:
        for count in SIZES:
            root, folder = home / f"corpus{count}", home / f"catalog{count}"
            root.mkdir()
            started = time.perf_counter()
            fill(folder, root, count)
            size = (folder / "catalog.sqlite3").stat().st_size
            print(
                f"{count:,} articles: catalog filled in {time.perf_counter() - started:.1f} s, {size / 1e6:.0f} MB",
                flush=True,
            )
            results[count] = timings(root, folder)
            run = subprocess.run(
                [sys.executable, "-m", "bench.bench_catalog", "--child", str(root), str(folder)],
                capture_output=True, text=True, check=True, cwd=ROOT, env=os.environ.copy(),
            )  # fmt: skip
            results[count]["memory"] = int(run.stdout.split()[-1]) / 1e6
    base = results[SIZES[0]]
    header = ["step (median ms)", *(f"{count:,}" for count in SIZES), f"{SIZES[-1]:,} / {SIZES[0]:,}"]
    rows = []
    for name in base:
        unit = "MB" if name == "memory" else "ms"
        label = "peak memory of a process doing all this" if name == "memory" else name
        values = [f"{results[count][name]:.1f} {unit}" for count in SIZES]
        rows.append([label, *values, f"{results[SIZES[-1]][name] / max(base[name], 1e-6):.2f}x"])
    print(
        f"\neach filter: its list made and its first {SHOWN} rows read; {MARKED:,} articles read, annotated, tagged\n"
    )
    print_table(header, rows)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--child":
    child(Path(sys.argv[2]), Path(sys.argv[3]))
