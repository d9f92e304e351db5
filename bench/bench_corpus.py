"""Corpora of 10,000 and 100,000 articles: first paint of the list, search as you type, peak
memory, and how each grows from the one size to the other.

    python -m bench corpus                                  both sizes
    READER_BENCH_SIZES=10000 python -m bench corpus         one

Each corpus is generated in a temporary folder: of every ten articles, eight ``.txt`` in the
reference shape, one ``.md`` with YAML front matter and one in a ``.jsonl`` file, each 4-7 KB of
sentences made from the reference article's words with names sprinkled in, dated over three
years. The user's data, cache and state folders are never touched: they point into the
temporary folder for the run.

Measured for each size, in the same run:

- **first listing**: ``load_corpus`` with no cache (every file read into the catalog);
- **first paint of the list**, warm (the catalog in the cache: how ``reader`` starts) and cold
  (no cache): from the call of ``load_corpus`` to the first frame in which the list has drawn
  rows, through the real ``ReaderApp`` with a real TinyDB store. Warm, the app paints from the
  catalog and looks at the folder afterwards, as ``reader`` does;
- **search as you type**: once the full-text index is up to date, the time from a key press in
  the ``/`` prompt to the frame that shows the list for it; words typed letter by letter and
  erased again;
- **peak memory**: the maximum resident set size of a process that runs the app on the corpus
  (warm, and with no cache), waits for the full-text index, and types.

At the smaller size, the baselines of issue 6: a bare Textual app with a ``DataTable`` of as many
rows (its first paint, its ``Input`` echoing the same keys, its peak memory).

How a frame is timed: ``App._display`` is wrapped. Textual calls it with each composed frame,
after the widgets have rendered their lines; headless, it writes nothing, so its call is the
moment the frame is ready. Targets (issue 16): at 100,000, warm first paint and peak memory at
most 1.2x their 10,000 figures, memory at most 150 MB, a keystroke at most 30 ms (median).
Nothing fails on time.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import REFERENCE, ROOT, median_ms, print_table, scratch_home, until

ARTICLES = 10_000
SIZES = (10_000, 100_000)
SIZE = (120, 40)
PAINTS = 5
COLD_PAINTS = 1
WORDS = ("pakistan", "security", "quixotic")
WARM_RATIO_TARGET = 1.5
GROWTH_TARGET = 1.2
KEY_TARGET_MS = 30.0
MEMORY_TARGET_MB = 150.0

NAMES = (
    "China", "India", "Brazil", "Kenya", "Norway", "Chile", "Vietnam", "Canada", "Egypt", "Peru",
    "Angela Merkel", "Lula da Silva", "Narendra Modi", "the World Bank", "the United Nations",
    "Reuters", "Siemens", "Toyota", "Lagos", "Jakarta", "Istanbul", "Quebec", "Mombasa", "Oslo",
)  # fmt: skip


# -- the corpus -------------------------------------------------------------------------------


def generate_corpus(folder: Path, count: int = ARTICLES, seed: int = 6) -> None:
    """Write ``count`` articles below ``folder``: .txt, .md and .jsonl, in subfolders by year."""
    rng = random.Random(seed)
    words = REFERENCE.read_text(encoding="utf-8").split()

    def sentence() -> str:
        chosen = rng.choices(words, k=rng.randint(12, 28))
        if rng.random() < 0.5:
            chosen.insert(rng.randrange(len(chosen)), rng.choice(NAMES))
        return " ".join(chosen).rstrip(".,;:") + "."

    def article(number: int) -> tuple[str, str, list[str]]:
        title = " ".join(rng.choices(words, k=rng.randint(5, 11))).strip(".,;:").capitalize() + f" ({number})"
        day = f"{2023 + number % 3}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(6, 10))]
        return title, day, paragraphs

    jsonl_every = 10
    records: list[str] = []
    for number in range(count):
        title, day, paragraphs = article(number)
        year = folder / day[:4]
        year.mkdir(parents=True, exist_ok=True)
        if number % jsonl_every == 1:
            records.append(json.dumps({"title": title, "date": day, "text": "\n\n".join(paragraphs), "source": "Wire"}))
            if len(records) == count // jsonl_every // 10:
                (folder / f"wire_{number:05d}.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
                records = []
        elif number % jsonl_every == 2:
            front = f'---\ntitle: "{title}"\ndate: {day}\nsource: Notes\n---\n\n'
            (year / f"note_{number:05d}.md").write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        else:
            (year / f"{number:05d}.txt").write_text("\n".join([title, day, *paragraphs]) + "\n", encoding="utf-8")
    if records:
        (folder / "wire_rest.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")


# -- timing frames ----------------------------------------------------------------------------


class Probe:
    """Stamps the first composed frame (``App._display``) that meets an armed condition."""

    def __init__(self) -> None:
        self.condition: Callable[[object], bool] | None = None
        self.done = asyncio.Event()
        self.wall = 0.0

    def arm(self, condition: Callable[[object], bool]) -> None:
        self.condition = condition
        self.done = asyncio.Event()

    def frame(self, screen: object) -> None:
        if self.condition is not None and self.condition(screen):
            self.wall = time.perf_counter()
            self.condition = None
            self.done.set()


PROBE = Probe()


def wrap_display() -> Callable[[], None]:
    """Wrap ``App._display`` to feed :data:`PROBE`; returns a function that undoes it."""
    from textual.app import App

    original = App.__dict__["_display"]

    @functools.wraps(original)
    def display(self, screen, renderable):
        if renderable is not None and not self._batch_count:
            PROBE.frame(screen)
        return original(self, screen, renderable)

    App._display = display  # type: ignore[method-assign]
    return lambda: setattr(App, "_display", original)


async def keystrokes(pilot, state: Callable[[], object]) -> list[float]:
    """Seconds from each key press to the first frame after ``state()`` changed (the query, or
    the echoed text: every key changes it), for every letter of :data:`WORDS` typed and erased."""
    samples = []
    for word in WORDS:
        for key in [*word, *["backspace"] * len(word)]:
            before = state()

            def changed(screen: object, before: object = before) -> bool:
                return state() != before

            PROBE.arm(changed)
            started = time.perf_counter()
            await pilot.press(key)
            await asyncio.wait_for(PROBE.done.wait(), timeout=30)
            samples.append(PROBE.wall - started)
    return samples


# -- the reader -------------------------------------------------------------------------------


def reader_parts():
    from annotations import AnnotationStore
    from reader.app.app import ReaderApp
    from reader.app.screens.library import LibraryScreen
    from reader.app.widgets.article_list import ArticleList
    from reader.corpus import load_corpus
    from reader.nlp import EntityRecognizer
    from reader.nlp.cache import EntityCache

    return AnnotationStore, ReaderApp, ArticleList, LibraryScreen, load_corpus, EntityRecognizer, EntityCache


def list_drawn(screen: object) -> bool:
    from reader.app.screens.library import LibraryScreen

    if not isinstance(screen, LibraryScreen):
        return False
    try:
        return screen.article_list.row_count > 0 and screen.article_list.size.height > 0
    except Exception:
        return False


async def reader_first_paint(corpus_dir: Path, work: Path, *, filter_keys: bool = False) -> tuple[float, list[float]]:
    """Seconds from ``load_corpus`` to the list's first frame; with ``filter_keys``, the
    keystroke latencies too."""
    AnnotationStore, ReaderApp, _, _, load_corpus, EntityRecognizer, EntityCache = reader_parts()
    PROBE.arm(list_drawn)
    started = time.perf_counter()
    corpus = load_corpus(
        corpus_dir, scan_folder=False
    )  # as ``reader`` opens it: the folder is looked at after painting
    with AnnotationStore(work / "annotations.json") as store:
        app = ReaderApp(corpus, store, EntityRecognizer(cache=EntityCache(work / "entities")))
        async with app.run_test(size=SIZE) as pilot:
            await asyncio.wait_for(PROBE.done.wait(), timeout=120)
            paint = PROBE.wall - started
            latencies: list[float] = []
            if filter_keys:
                screen = app.screen
                await until(pilot, lambda: screen.search_ready, timeout=1800.0)  # a first full-text build of 100,000
                await pilot.press("slash")
                latencies = await keystrokes(pilot, lambda: screen.filters.query)
    return paint, latencies


# -- the bare app -----------------------------------------------------------------------------


def bare_app(rows: list[tuple[str, str, str]]):
    """A Textual app with nothing but a 10,000-row DataTable and an Input that echoes keys."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Input

    class BareList(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row", id="table")
            yield Input(id="echo")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Title", "Date", "Tagged")
            table.add_rows(rows)
            table.focus()

    return BareList()


def bare_rows(corpus_dir: Path) -> list[tuple[str, str, str]]:
    """The same titles and dates the reader lists (from a warm index: no timing here)."""
    from reader.corpus import load_corpus

    return [(article.title, article.date or "", "\u00b7") for article in load_corpus(corpus_dir).articles]


def bare_drawn(screen: object) -> bool:
    from textual.widgets import DataTable

    try:
        table = screen.query_one(DataTable)  # type: ignore[attr-defined]
    except Exception:
        return False
    return table.row_count > 0 and table.size.height > 0


async def bare_first_paint(rows: list[tuple[str, str, str]], *, echo_keys: bool = False) -> tuple[float, list[float]]:
    from textual.widgets import Input

    PROBE.arm(bare_drawn)
    started = time.perf_counter()
    app = bare_app(list(rows))
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(PROBE.done.wait(), timeout=120)
        paint = PROBE.wall - started
        latencies: list[float] = []
        if echo_keys:
            field = app.query_one(Input)
            field.focus()
            await pilot.pause()
            latencies = await keystrokes(pilot, lambda: field.value)
    return paint, latencies


# -- memory, in a process of its own ----------------------------------------------------------


def child(kind: str, corpus_dir: Path, work: Path) -> None:
    """Run one app on the corpus (``reader`` or ``bare``) and print its peak RSS in bytes."""

    async def run() -> None:
        restore = wrap_display()
        try:
            if kind == "reader-cold":
                from reader.paths import corpus_index_dir

                shutil.rmtree(corpus_index_dir(corpus_dir), ignore_errors=True)
            if kind.startswith("reader"):
                await reader_first_paint(corpus_dir, work, filter_keys=True)
            else:
                await bare_first_paint(bare_rows(corpus_dir), echo_keys=True)
        finally:
            restore()

    asyncio.run(run())
    print(peak_rss_bytes())


def peak_rss_bytes() -> int:
    """This process's peak resident set size. Linux's ``VmHWM`` first: ``ru_maxrss`` keeps the
    parent's peak across fork and exec, so a child started by a big parent would report that."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_memory(kind: str, corpus_dir: Path, work: Path) -> float:
    """Peak resident memory in MB of a process running ``kind`` on the corpus."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.bench_corpus", "--child", kind, str(corpus_dir), str(work)],
        capture_output=True, text=True, check=True, cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    return int(result.stdout.strip().splitlines()[-1]) / 1e6


# -- the run ----------------------------------------------------------------------------------


async def measure(corpus_dir: Path, work: Path, *, with_bare: bool) -> dict[str, list[float]]:
    from reader.corpus import load_corpus
    from reader.paths import corpus_index_dir

    reader_parts()  # imports before any timing
    restore = wrap_display()
    results: dict[str, list[float]] = {"cold": [], "listing": [], "warm": [], "bare": [], "keys": [], "echo": []}
    try:
        shutil.rmtree(corpus_index_dir(corpus_dir), ignore_errors=True)
        started = time.perf_counter()
        load_corpus(corpus_dir)  # the first listing: every file read into the catalog
        results["listing"].append(time.perf_counter() - started)
        for attempt in range(COLD_PAINTS):
            shutil.rmtree(corpus_index_dir(corpus_dir), ignore_errors=True)
            paint, _ = await reader_first_paint(corpus_dir, work / f"cold{attempt}")
            results["cold"].append(paint)
        rows = bare_rows(corpus_dir) if with_bare else []
        for attempt in range(PAINTS):
            if with_bare:
                paint, _ = await bare_first_paint(rows)
                results["bare"].append(paint)
            last = attempt == PAINTS - 1
            paint, keys = await reader_first_paint(corpus_dir, work / f"warm{attempt}", filter_keys=last)
            results["warm"].append(paint)
            results["keys"].extend(keys)
        if with_bare:
            _, echo = await bare_first_paint(rows, echo_keys=True)
            results["echo"].extend(echo)
    finally:
        restore()
    return results


def sizes() -> list[int]:
    """The corpus sizes to measure: ``READER_BENCH_SIZES`` (e.g. ``10000,100000``), else both."""
    chosen = os.environ.get("READER_BENCH_SIZES", "")
    return [int(part) for part in chosen.split(",") if part.strip()] or list(SIZES)


def run_size(count: int, folder: Path) -> dict[str, float]:
    """Every figure for a corpus of ``count`` articles (medians in ms, memory in MB)."""
    corpus_dir, work = folder / f"corpus{count}", folder / f"work{count}"
    started = time.perf_counter()
    generate_corpus(corpus_dir, count)
    size = sum(path.stat().st_size for path in corpus_dir.rglob("*") if path.is_file())
    print(
        f"corpus: {count:,} articles, {size / 1e6:.0f} MB, generated in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    time.sleep(2.1)  # files younger than the index's timestamp margin would be read again
    with_bare = count == min(sizes())
    results = asyncio.run(measure(corpus_dir, work, with_bare=with_bare))
    figures = {
        "listing": results["listing"][0] * 1000,
        "cold": median_ms(results["cold"]),
        "warm": median_ms(results["warm"]),
        "keys": median_ms(results["keys"]),
        "keys_max": max(results["keys"]) * 1000,
        "memory": peak_memory("reader", corpus_dir, work / "memory"),
        "memory_cold": peak_memory("reader-cold", corpus_dir, work / "memory-cold"),
    }
    if with_bare:
        figures |= {
            "bare": median_ms(results["bare"]),
            "echo": median_ms(results["echo"]),
            "bare_memory": peak_memory("bare", corpus_dir, work / "memory"),
        }
    shutil.rmtree(corpus_dir, ignore_errors=True)
    return figures


def main() -> None:
    measured: dict[int, dict[str, float]] = {}
    with scratch_home("reader-bench-corpus-") as folder:
        for count in sizes():
            measured[count] = run_size(count, folder)
    small, large = min(measured), max(measured)
    base, top = measured[small], measured[large]
    print(
        f"first paint: {PAINTS} warm runs (the catalog and full-text index there: the app's start) and "
        f"{COLD_PAINTS} cold (no cache: every file read); keys: {', '.join(WORDS)} typed and erased, median "
        "from key press to the frame that shows the list for it; memory: peak RSS of a process that paints, "
        "waits for the full-text index, and types\n"
    )

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    def growth(key: str) -> str:
        return f"{top[key] / base[key]:.2f}x" if large != small else "-"

    header = ["measure", f"{small:,}", *([f"{large:,}"] if large != small else []), "growth", "target", "verdict"]

    def row(label: str, key: str, unit: str, target: str, ok: bool | None) -> list[str]:
        values = [f"{base[key]:.1f} {unit}", *([f"{top[key]:.1f} {unit}"] if large != small else [])]
        return [label, *values, growth(key), target, "-" if ok is None else verdict(ok)]

    print_table(
        header,
        [
            row("first listing (every file read)", "listing", "ms", "-", None),
            row("first paint, cold (no cache)", "cold", "ms", "-", None),
            row("first paint, warm", "warm", "ms", f"<= {GROWTH_TARGET}x growth",
                top["warm"] <= GROWTH_TARGET * base["warm"]),
            row("search keystroke (median)", "keys", "ms", f"<= {KEY_TARGET_MS:.0f} ms at {large:,}",
                top["keys"] <= KEY_TARGET_MS),
            row("search keystroke (max)", "keys_max", "ms", "-", None),
            row("peak memory, warm", "memory", "MB", f"<= {MEMORY_TARGET_MB:.0f} MB, <= {GROWTH_TARGET}x growth",
                top["memory"] <= MEMORY_TARGET_MB and top["memory"] <= GROWTH_TARGET * base["memory"]),
            row("peak memory, cold", "memory_cold", "MB", "-", None),
        ],
    )  # fmt: skip
    print(
        f"\nbaseline at {small:,}: a bare Textual app with a {small:,}-row DataTable paints in {base['bare']:.0f} ms "
        f"(reader warm: {base['warm'] / base['bare']:.2f}x, target <= {WARM_RATIO_TARGET}x: "
        f"{verdict(base['warm'] <= WARM_RATIO_TARGET * base['bare'])}); its Input echoes a key in "
        f"{base['echo']:.1f} ms (reader's search keystroke {base['keys'] / base['echo']:.2f}x); "
        f"its peak memory {base['bare_memory']:.0f} MB (reader warm {base['memory'] / base['bare_memory']:.2f}x)"
    )


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
