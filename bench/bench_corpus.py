"""A 10,000-article corpus: time to first paint of the list, filter-as-you-type, peak memory.

    python -m bench corpus

The corpus is generated in a temporary folder: 8,000 ``.txt`` articles in the reference shape,
1,000 ``.md`` articles with YAML front matter, and 1,000 articles in ten ``.jsonl`` files, each
4-7 KB of sentences made from the reference article's words with names sprinkled in, dated over
three years. The user's data, cache and state folders are never touched: they point into the
temporary folder for the run.

Measured in the same run, each against a baseline:

- **first paint of the list**, warm (the corpus index is in the cache) and cold (no index: every
  file is read): from the call of ``load_corpus`` to the first frame in which the list has drawn
  rows, through the real ``ReaderApp`` with a real TinyDB store. The baseline is a bare Textual
  app that shows a 10,000-row ``DataTable`` (title, date, count), timed from building its rows to
  its first frame with rows drawn. Imports are done before timing, in both.
- **filter as you type**: in the library, once the full text is in memory, the time from a key
  press in the ``/`` prompt to the frame that shows the filtered list; words typed letter by
  letter and erased again. The baseline is a bare app's ``Input`` echoing the same keys.
- **peak memory**: the maximum resident set size of a process that runs the app on the corpus
  (with a warm index, and with none), waits for the full text, and filters; against a process
  running the bare 10,000-row app and typing in its ``Input``.

How a frame is timed: ``App._display`` is wrapped. Textual calls it with each composed frame,
after the widgets have rendered their lines; headless, it writes nothing, so its call is the
moment the frame is ready. Targets (issue 6): warm first paint at most 1.5x the bare app; one
keystroke at most 50 ms (median); peak memory at most 400 MB. Nothing fails on time.
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
SIZE = (120, 40)
PAINTS = 5
COLD_PAINTS = 2
WORDS = ("pakistan", "security", "quixotic")
WARM_RATIO_TARGET = 1.5
KEY_TARGET_MS = 50.0
MEMORY_TARGET_MB = 400.0

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
    corpus = load_corpus(corpus_dir)
    with AnnotationStore(work / "annotations.json") as store:
        app = ReaderApp(corpus, store, EntityRecognizer(cache=EntityCache(work / "entities")))
        async with app.run_test(size=SIZE) as pilot:
            await asyncio.wait_for(PROBE.done.wait(), timeout=120)
            paint = PROBE.wall - started
            latencies: list[float] = []
            if filter_keys:
                screen = app.screen
                await until(pilot, lambda: screen.search_ready, timeout=120.0)
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


async def measure(corpus_dir: Path, work: Path) -> dict[str, list[float]]:
    from reader.paths import corpus_index_dir

    reader_parts()  # imports before any timing
    restore = wrap_display()
    results: dict[str, list[float]] = {"cold": [], "warm": [], "bare": [], "keys": [], "echo": []}
    try:
        rows = bare_rows(corpus_dir)
        index_dir = corpus_index_dir(corpus_dir)
        for attempt in range(COLD_PAINTS):
            shutil.rmtree(index_dir, ignore_errors=True)
            paint, _ = await reader_first_paint(corpus_dir, work / f"cold{attempt}")
            results["cold"].append(paint)
        for attempt in range(PAINTS):
            paint, _ = await bare_first_paint(rows)
            results["bare"].append(paint)
            last = attempt == PAINTS - 1
            paint, keys = await reader_first_paint(corpus_dir, work / f"warm{attempt}", filter_keys=last)
            results["warm"].append(paint)
            results["keys"].extend(keys)
        _, echo = await bare_first_paint(rows, echo_keys=True)
        results["echo"].extend(echo)
    finally:
        restore()
    return results


def main() -> None:
    with scratch_home("reader-bench-corpus-") as folder:
        corpus_dir, work = folder / "corpus", folder / "work"
        started = time.perf_counter()
        generate_corpus(corpus_dir)
        size = sum(path.stat().st_size for path in corpus_dir.rglob("*") if path.is_file())
        print(f"corpus: {ARTICLES:,} articles, {size / 1e6:.0f} MB, generated in {time.perf_counter() - started:.1f} s")
        time.sleep(2.1)  # files younger than the index's timestamp margin would be read again
        results = asyncio.run(measure(corpus_dir, work))
        reader_mb = peak_memory("reader", corpus_dir, work / "memory")
        bare_mb = peak_memory("bare", corpus_dir, work / "memory")
        cold_mb = peak_memory("reader-cold", corpus_dir, work / "memory-cold")

    warm, cold, bare = median_ms(results["warm"]), median_ms(results["cold"]), median_ms(results["bare"])
    keys, echo = median_ms(results["keys"]), median_ms(results["echo"])
    print(
        f"first paint: {PAINTS} warm and {COLD_PAINTS} cold runs, medians; keys: {len(results['keys'])} presses "
        f"({', '.join(WORDS)} typed and erased), median from key press to the frame that shows it\n"
    )

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    print_table(
        ["measure", "reader", "baseline", "ratio", "target", "verdict"],
        [
            ["first paint, warm index", f"{warm:.0f} ms", f"{bare:.0f} ms bare 10k DataTable", f"{warm / bare:.2f}x",
             f"<= {WARM_RATIO_TARGET}x", verdict(warm <= WARM_RATIO_TARGET * bare)],
            ["first paint, cold (no index)", f"{cold:.0f} ms", f"{bare:.0f} ms bare 10k DataTable", f"{cold / bare:.2f}x",
             "-", "-"],
            ["filter keystroke (median)", f"{keys:.1f} ms", f"{echo:.1f} ms bare Input echo", f"{keys / echo:.2f}x",
             f"<= {KEY_TARGET_MS:.0f} ms", verdict(keys <= KEY_TARGET_MS)],
            ["filter keystroke (max)", f"{max(results['keys']) * 1000:.1f} ms", f"{max(results['echo']) * 1000:.1f} ms",
             "-", "-", "-"],
            ["peak memory, warm index", f"{reader_mb:.0f} MB", f"{bare_mb:.0f} MB bare 10k DataTable",
             f"{reader_mb / bare_mb:.2f}x", f"<= {MEMORY_TARGET_MB:.0f} MB", verdict(reader_mb <= MEMORY_TARGET_MB)],
            ["peak memory, cold (no index)", f"{cold_mb:.0f} MB", f"{bare_mb:.0f} MB bare 10k DataTable",
             f"{cold_mb / bare_mb:.2f}x", f"<= {MEMORY_TARGET_MB:.0f} MB", verdict(cold_mb <= MEMORY_TARGET_MB)],
        ],
    )  # fmt: skip


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "--child":
    child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
