"""The analysis screen's data at scale, against the tags screen's data in the same run (issue 12).

The store of ``bench_store`` (100,000 annotations over 10,000 articles, tags drawn from 300 with a
Zipf-like spread, 1 to 3 a passage) is made once; then, interleaved so both see the same machine:

- baseline: what the tags screen (``T``) reads to open: tag counts, tags by article, the articles
  known, and the passages of the most used tag;
- what the analysis screen (``A``) computes to show its first table (every annotation read, the
  codes, the matrix by article), and then all three (co-occurrence by overlap, timeline);
- the same tables from the annotations already in memory (what ``b`` or ``p`` recompute);
- a drill-down: the passages of the biggest cell (the top code's row), as the list shows them;
- codes and entities, with 40 mentions an article.

Medians of a few runs (the whole read is seconds); nothing fails on time.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import tempfile
from pathlib import Path

from annotations import AnnotationStore
from annotations.analysis import ArticleInfo, CodedPassages, code_matrix, code_timeline, coded_passages
from annotations.analysis_cooccurrence import cooccurrence
from annotations.analysis_entities import EntityMention, code_entities
from bench.bench_store import SEED, generate
from bench.common import median_ms, print_table, timings
from reader.analysis_data import article_infos

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
            annotations, known = store.all(), store.articles()
            return code_matrix(coded_passages(annotations), article_infos(None, known), "article")

        def analysis_screen() -> object:
            annotations, known = store.all(), store.articles()
            return tables(coded_passages(annotations), article_infos(None, known))

        tags_screen()  # warm: both read the index and the article files once before timing
        annotations, known = store.all(), store.articles()
        baseline, first, opening = [], [], []
        for _ in range(REPEAT):
            baseline += timings(tags_screen, 1, warmup=0)
            first += timings(first_table, 1, warmup=0)
            opening += timings(analysis_screen, 1, warmup=0)
    coded, infos = coded_passages(annotations), article_infos(None, known)
    in_memory = timings(lambda: tables(coded, infos), REPEAT, warmup=0)
    matrix = code_matrix(coded, infos, "article")
    top = max(matrix.codes, key=matrix.total)

    def drill() -> list[object]:
        ids = matrix.row(top)
        return [coded.passages[passage_id] for passage_id in ids]

    drilling = timings(drill, 20)
    entities = timings(lambda: code_entities(coded, mentions), REPEAT, warmup=0)
    base = median_ms(baseline)
    rows = [
        ("tags screen data (baseline)", f"{base:.0f}", "1.00x"),
        ("analysis screen, first table: read + matrix", f"{median_ms(first):.0f}", f"{median_ms(first) / base:.2f}x"),
        ("analysis screen data: read + tables", f"{median_ms(opening):.0f}", f"{median_ms(opening) / base:.2f}x"),
        ("  tables alone, annotations in memory", f"{median_ms(in_memory):.0f}", f"{median_ms(in_memory) / base:.2f}x"),
        (f"drill-down: top code's {len(drill())} passages", f"{median_ms(drilling):.2f}", ""),
        (f"codes x entities, {len(mentions):,} mentions", f"{median_ms(entities):.0f}", ""),
    ]
    print(f"{len(annotations):,} annotations, {len(known):,} articles, {len(tags)} tags; medians of {REPEAT}")
    print_table(("what", "ms", "vs tags screen"), rows)


def tables(coded: CodedPassages, infos: dict[str, ArticleInfo]) -> object:
    """The three tables the analysis screen opens on, from passages already read."""
    return code_matrix(coded, infos, "article"), cooccurrence(coded), code_timeline(coded, infos)
