"""The annotation store at scale, against plain TinyDB on the same data (issue 4, point 5).

Generates 100,000 annotations over 10,000 articles (tags drawn from 300 with a Zipf-like
spread, 1 to 3 a passage) into a temporary folder, twice: as a plain TinyDB ``JSONStorage``
file (the baseline) and as a version 1 single-file store, which :class:`AnnotationStore`
migrates on open to its per-article layout. Then it times, side by side:

- adding one annotation (to a random existing article; a different one each time);
- loading one article's annotations (a different article each time, so never from memory);
- listing every passage with one tag (a common tag and the most used one), warm: the store has
  read those articles before, as the app has after the first listing;
- opening the store on that data against opening it empty.

Plain TinyDB re-reads and re-parses its whole 45 MB file for every operation (about 1.6 s an
insert), so it gets few samples. Rows marked "info" have no target: the cold first listing
(index loaded and articles read from disk), the counts the library and tag screens ask for, and
the one-off migration.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from annotations import AnnotationStore
from annotations.model import Annotation, ArticleRef, tag_key
from bench.common import median_ms, print_table, scratch_home, timings

ARTICLES = 10_000
ANNOTATIONS = 100_000
TAGS = 300
SEED = 20240501

BASELINE_SAMPLES = 5
STORE_SAMPLES = 100
OPEN_SAMPLES = 40
#: App opens to first paint, for each store (each starts Textual headless).
APP_SAMPLES = 5

WORDS = (
    "minister parliament budget vote opposition reform economy election court council police report "
    "inflation trade border energy health school strike protest treaty summit talks market bank"
).split()


def article_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(400))


def generate(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Annotation records, article records and the tag vocabulary, most used tag first."""
    texts = [article_text(rng) for _ in range(50)]  # articles share a few texts: only offsets matter
    tags = [f"{rng.choice(WORDS).title()} {n}" for n in range(TAGS)]
    weights = [1 / (rank + 1) for rank in range(TAGS)]
    articles = [
        ArticleRef(f"article-{n:05d}", f"Title of article {n}", "2024-05-01", f"corpus/{n:05d}.txt", f"{n:064x}")
        for n in range(ARTICLES)
    ]
    records = []
    for _ in range(ANNOTATIONS):
        article = rng.choice(articles)
        text = texts[int(article.id[-5:]) % len(texts)]
        start = rng.randrange(0, len(text) - 200)
        annotation = Annotation.create(
            article_id=article.id,
            article_sha256=article.sha256,
            text=text,
            start=start,
            end=start + rng.randrange(20, 120),
            tags=rng.choices(tags, weights, k=rng.randint(1, 3)),
        )
        records.append(annotation.to_record())
    return records, [article.to_record() for article in articles], tags


def new_annotation(rng: random.Random, article_id: str, tags: list[str]) -> Annotation:
    text = " ".join(WORDS) * 4
    start = rng.randrange(0, 200)
    return Annotation.create(
        article_id=article_id, article_sha256="0" * 64, text=text, start=start, end=start + 40, tags=[rng.choice(tags)]
    )


def sampled(work: Callable[[int], object], repeat: int) -> list[float]:
    """Seconds for each of ``repeat`` calls ``work(0)``, ``work(1)``, ... (each on other data)."""
    result = []
    for number in range(repeat):
        start = time.perf_counter()
        work(number)
        result.append(time.perf_counter() - start)
    return result


def fmt(ms: float) -> str:
    return f"{ms:.3f}" if ms < 1 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


async def _app_first_paint(store_path: Path) -> tuple[float, float]:
    """Seconds from opening the store to the library's first frame in the real app (headless),
    and to the frame that first shows the store's annotation counts.

    A frame is timed when Textual hands it to the driver (``App._display``), after every widget
    in it has been drawn.
    """
    from rich.console import RenderableType
    from textual.screen import Screen

    from reader.app.app import ReaderApp
    from reader.app.screens.library import LibraryScreen
    from reader.corpus import load_corpus
    from reader.nlp import EntityRecognizer
    from reader.paths import sample_corpus_dir

    corpus = load_corpus(sample_corpus_dir())
    frames: dict[str, float] = {}
    started = time.perf_counter()
    with AnnotationStore(store_path) as store:
        app = ReaderApp(corpus, store, EntityRecognizer())
        display = app._display

        def timed_display(screen: Screen[Any], renderable: RenderableType | None) -> None:
            display(screen, renderable)
            screen = app.screen
            if isinstance(screen, LibraryScreen):
                frames.setdefault("list", time.perf_counter())
                if screen.facts.counts or screen.facts_ready:  # an empty store has no counts to show
                    frames.setdefault("counts", time.perf_counter())

        app._display = timed_display  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            while "counts" not in frames:
                await pilot.pause(0.01)
    return frames["list"] - started, frames["counts"] - started


def app_open_timings(store_path: Path, empty_path: Path, samples: int) -> dict[str, list[float]]:
    """Opening the app on the big store and on an empty one, interleaved, in a scratch home:
    first frame of the list, and first frame with the annotation counts, for each."""
    found: dict[str, list[float]] = {"full": [], "empty": [], "full counts": [], "empty counts": []}
    with scratch_home("bench-store-app-"):
        asyncio.run(_app_first_paint(empty_path))  # warm imports and Textual once
        for _ in range(samples):
            for name, path in (("empty", empty_path), ("full", store_path)):
                first, counted = asyncio.run(_app_first_paint(path))
                found[name].append(first)
                found[f"{name} counts"].append(counted)
    return found


def main() -> None:
    rng = random.Random(SEED)
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        run(rng, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(rng: random.Random, folder: Path) -> None:
    started = time.perf_counter()
    records, article_records, tags = generate(rng)
    article_ids = [record["id"] for record in article_records]
    common_tag, top_tag = tags[10], tags[0]

    # The baseline: plain TinyDB, default JSONStorage, one table of annotations.
    baseline_path = folder / "plain.json"
    plain = TinyDB(baseline_path)
    plain.table("annotations").insert_multiple(records)
    plain.table("articles").insert_multiple(article_records)
    size_mb = baseline_path.stat().st_size / 1e6

    # Ours: a version 1 single-file store of the same records, migrated on open.
    store_path = folder / "store" / "annotations.json"
    store_path.parent.mkdir()
    version_1 = {
        "meta": {"schema": {"version": 1}},
        "annotations": {record["id"]: record for record in records},
        "articles": {record["id"]: record for record in article_records},
    }
    store_path.write_text(json.dumps(version_1), encoding="utf-8")
    # The generated records are the benchmark's, not the app's: let them go, so that their
    # hundreds of thousands of objects do not slow down the garbage collections of what is timed.
    del records, version_1, article_records
    gc.collect()
    migrating = time.perf_counter()
    AnnotationStore(store_path).close()
    migration_ms = (time.perf_counter() - migrating) * 1000
    empty_path = folder / "empty" / "annotations.json"
    AnnotationStore(empty_path).close()

    # Opening, interleaved so that both see the same machine state.
    open_full, open_empty = [], []
    for _ in range(OPEN_SAMPLES):
        open_empty += timings(lambda: AnnotationStore(empty_path).close(), 1, warmup=0)
        open_full += timings(lambda: AnnotationStore(store_path).close(), 1, warmup=0)

    app_open = app_open_timings(store_path, empty_path, APP_SAMPLES)

    # Cold: a store just opened, first listing of a tag (loads the index, reads the articles).
    cold_tag = sampled(lambda n: AnnotationStore(store_path).passages_with_tag(tags[10 + n]), 5)
    opened_then_counts = sampled(lambda n: AnnotationStore(store_path).counts_by_article(), 5)

    store = AnnotationStore(store_path)
    picks = rng.sample(article_ids, 2 * STORE_SAMPLES + 2 * BASELINE_SAMPLES)
    loads = picks[:STORE_SAMPLES]
    adds = picks[STORE_SAMPLES : 2 * STORE_SAMPLES]
    baseline_loads = picks[2 * STORE_SAMPLES : 2 * STORE_SAMPLES + BASELINE_SAMPLES]
    baseline_adds = picks[2 * STORE_SAMPLES + BASELINE_SAMPLES :]

    store_load = sampled(lambda n: store.for_article(loads[n]), STORE_SAMPLES)
    store.counts_by_article()  # the app has its index from the library screen on
    store_add = sampled(lambda n: store.add(new_annotation(rng, adds[n], tags)), STORE_SAMPLES)
    store.passages_with_tag(common_tag), store.passages_with_tag(top_tag)  # the first, cold listing
    store_common = timings(lambda: store.passages_with_tag(common_tag), STORE_SAMPLES, warmup=0)
    store_top = timings(lambda: store.passages_with_tag(top_tag), 20, warmup=0)
    store_tag_counts = timings(store.tag_counts, STORE_SAMPLES, warmup=0)
    store_counts = timings(store.counts_by_article, STORE_SAMPLES, warmup=0)
    common_count, top_count = len(store.passages_with_tag(common_tag)), len(store.passages_with_tag(top_tag))
    store.close()

    annotations_table = plain.table("annotations")

    def plain_search_tag(tag: str) -> object:
        key = tag_key(tag)
        annotations_table.clear_cache()
        return annotations_table.search(Query().tags.test(lambda spelled: any(tag_key(t) == key for t in spelled)))

    def plain_load(number: int) -> object:
        annotations_table.clear_cache()
        return annotations_table.search(Query().article_id == baseline_loads[number])

    plain_add = sampled(
        lambda n: annotations_table.insert(new_annotation(rng, baseline_adds[n], tags).to_record()), BASELINE_SAMPLES
    )
    plain_loads = sampled(plain_load, BASELINE_SAMPLES)
    plain_common = sampled(lambda n: plain_search_tag(common_tag), BASELINE_SAMPLES)
    plain_top = sampled(lambda n: plain_search_tag(top_tag), BASELINE_SAMPLES)
    plain.close()

    def faster(baseline: list[float], ours: list[float]) -> str:
        return f"{median_ms(baseline) / median_ms(ours):.0f}x faster"

    def verdict(ok: bool) -> str:
        return "yes" if ok else "NO"

    rows: list[list[object]] = []

    def compared(what: str, baseline: list[float], ours: list[float], limit_ms: float, min_ratio: float | None) -> None:
        ratio = median_ms(baseline) / median_ms(ours)
        target = f"<= {limit_ms:g} ms" + (f", >= {min_ratio:g}x" if min_ratio else "")
        ok = median_ms(ours) <= limit_ms and (min_ratio is None or ratio >= min_ratio)
        rows.append([what, fmt(median_ms(baseline)), fmt(median_ms(ours)), faster(baseline, ours), target, verdict(ok)])

    compared("add one annotation", plain_add, store_add, 10, 20)
    compared("load one article's annotations", plain_loads, store_load, 10, 20)
    compared(f"passages with a common tag ({common_count:,})", plain_common, store_common, 50, None)
    compared(f"passages with the most used tag ({top_count:,})", plain_top, store_top, 50, None)

    def against_empty(what: str, empty: list[float], full: list[float], limit: float | None) -> None:
        """A row comparing the 100k store with the empty one (a target when ``limit`` is given)."""
        ratio = median_ms(full) / median_ms(empty)
        target = "" if limit is None else f"<= {limit:g}x empty"
        met = "" if limit is None else verdict(ratio <= limit)
        rows.append(
            [what, f"{fmt(median_ms(empty))} (empty)", fmt(median_ms(full)), f"{ratio:.2f}x the empty", target, met]
        )

    against_empty("open the store: 100k vs empty", open_empty, open_full, 1.5)
    against_empty("open the app, list painted: 100k vs empty", app_open["empty"], app_open["full"], 1.5)
    against_empty("  ... and annotation counts shown (info)", app_open["empty counts"], app_open["full counts"], None)
    info = [
        ("first tag listing after open, cold (info)", cold_tag),
        ("open + counts_by_article, cold (info)", opened_then_counts),
        ("tag_counts() (info)", store_tag_counts),
        ("counts_by_article() (info)", store_counts),
    ]
    for what, samples in info:
        rows.append([what, "", fmt(median_ms(samples)), "", "", ""])
    rows.append(["migrate the v1 file on first open, once (info)", "", f"{migration_ms:.0f}", "", "", ""])

    print(
        f"{ANNOTATIONS:,} annotations over {ARTICLES:,} articles, {TAGS} tags "
        f"(plain TinyDB file {size_mb:.0f} MB); medians of {STORE_SAMPLES} samples "
        f"({BASELINE_SAMPLES} for plain TinyDB, {OPEN_SAMPLES} for opening, 5 for cold listings)"
    )
    print_table(["operation", "plain TinyDB ms", "store ms", "ratio", "target", "met"], rows)
    print(f"(benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
