"""The analysis screen's data at scale, against the tags screen's data in the same run (issue 12).

The store of ``bench_store`` (100,000 annotations over 10,000 articles, tags drawn from 300 with a
Zipf-like spread, 1 to 3 a passage) is made once; then, interleaved so both see the same machine:

- baseline: what the tags screen (``T``) reads to open: tag counts, tags by article, the articles
  known, and the passages of the most used tag;
- what the analysis screen (``A``) computes to show its first table (the matrix's counts from the
  store's index, no article file read), then the ids behind them and the timeline (from the
  index too), then co-occurrence by overlap (every annotation read: only when its tab is shown);
- the same tables from the annotations already in memory (what ``b`` or ``p`` recompute);
- a drill-down: the top code's row as the list shows it (its first 500 passages, ids found in the
  index's entries and those passages read from their article files), on a store just opened
  (no file read yet) and then again;
- codes and entities, with 40 mentions an article.

Medians of a few runs (the whole read is seconds); nothing fails on time.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from annotations import AnnotationStore
from annotations.analysis import ArticleInfo, CodedPassages, code_matrix, code_timeline, coded_passages
from annotations.analysis_cooccurrence import cooccurrence
from annotations.analysis_entities import EntityMention, code_entities
from bench.bench_store import SEED, generate
from bench.common import median_ms, print_table, timings
from reader.analysis_data import article_infos, id_tables, indexed_matrix, read_passages
from reader.app.screens.analysis import MAX_PASSAGES

REPEAT = 3
#: Entity mentions made up for each article (the mentions of a long news article).
MENTIONS = 40


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-analysis-"))
    try:
        run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path) -> None:
    rng = random.Random(SEED)
    records, article_records, tags = generate(rng)
    store_path = folder / "store" / "annotations.json"
    store_path.parent.mkdir()
    version_1 = {
        "meta": {"schema": {"version": 1}},
        "annotations": {record["id"]: record for record in records},
        "articles": {record["id"]: record for record in article_records},
    }
    store_path.write_text(json.dumps(version_1), encoding="utf-8")
    del records, version_1
    gc.collect()
    AnnotationStore(store_path).close()  # migrated to the per-article layout once
    mentions = [
        EntityMention(record["id"], start, start + 8, f"entity {rng.randrange(500)}", rng.choice(("PERSON", "GPE")))
        for record in article_records
        for start in sorted(rng.sample(range(0, 2400, 10), MENTIONS))
    ]
    del article_records

    with AnnotationStore(store_path, read_only=True) as store:

        def tags_screen() -> None:
            counted = store.tag_counts()
            store.tags_by_article()
            store.articles()
            store.passages_with_tag(counted[0][0])

        def first_table() -> object:
            return indexed_matrix(store, None, "article")

        def ids_and_timeline() -> object:
            _, infos, entries = indexed_matrix(store, None, "article")
            return id_tables(entries, infos)

        def analysis_screen() -> object:
            ids_and_timeline()
            return cooccurrence(read_passages(store))

        tags_screen()  # warm: both read the index and the article files once before timing
        annotations, known = store.all(), store.articles()
        baseline, first, second, opening = [], [], [], []
        for _ in range(REPEAT):
            baseline += timings(tags_screen, 1, warmup=0)
            first += timings(first_table, 1, warmup=0)
            second += timings(ids_and_timeline, 1, warmup=0)
            opening += timings(analysis_screen, 1, warmup=0)
    coded, infos = coded_passages(annotations), article_infos(None, known)
    in_memory = timings(lambda: tables(coded, infos), REPEAT, warmup=0)
    with AnnotationStore(store_path, read_only=True) as store:
        matrix = indexed_matrix(store, None, "article")[0]  # as the screen first shows it
        store.map_ids()  # as the screen's worker does next
        top = max(matrix.codes, key=matrix.total)
        busiest = max(matrix.columns, key=lambda column: matrix.count(top, column))

        def drill() -> Sequence[object]:
            return store.get_many(matrix.row(top)[:MAX_PASSAGES])

        cell = timings(lambda: store.get_many(matrix.passages(top, busiest)[:MAX_PASSAGES]), 1, warmup=0)
        cold = timings(drill, 1, warmup=0)  # no article file of the row read yet by this store
        drilling = timings(drill, 20, warmup=0)
    entities = timings(lambda: code_entities(coded, mentions), REPEAT, warmup=0)
    base = median_ms(baseline)

    def ratio(samples: Sequence[float]) -> str:
        return f"{median_ms(samples) / base:.2f}x"

    rows = [
        ("tags screen data (baseline)", f"{base:.0f}", "1.00x"),
        ("analysis screen, first table: counts from the index", f"{median_ms(first):.0f}", ratio(first)),
        ("  then ids behind them + timeline, from the index", f"{median_ms(second):.0f}", ratio(second)),
        ("  all three: + every annotation read, co-occurrence", f"{median_ms(opening):.0f}", ratio(opening)),
        ("  tables alone, annotations in memory", f"{median_ms(in_memory):.0f}", f"{median_ms(in_memory) / base:.2f}x"),
        (
            f"drill-down: the top code's biggest cell, {matrix.count(top, busiest)} passages",
            f"{median_ms(cell):.1f}",
            "",
        ),
        (f"drill-down: the top code's row, first {len(drill())} passages", f"{median_ms(cold):.1f}", ""),
        ("  the same again (files read once)", f"{median_ms(drilling):.1f}", ""),
        (f"codes x entities, {len(mentions):,} mentions", f"{median_ms(entities):.0f}", ""),
    ]
    print(f"{len(annotations):,} annotations, {len(known):,} articles, {len(tags)} tags; medians of {REPEAT}")
    print_table(("what", "ms", "vs tags screen"), rows)


def tables(coded: CodedPassages, infos: dict[str, ArticleInfo]) -> object:
    """The three tables the analysis screen opens on, from passages already read."""
    return code_matrix(coded, infos, "article"), cooccurrence(coded), code_timeline(coded, infos)
