"""Entity questions over a cached corpus at 10,000 and 100,000 articles: each article's cached
entries read (the former way) against the cache's entity summary (indexed SQL), in the same run.

    python -m bench entity_summary        (BENCH_ENTITY_SIZES=2000,10000 for other sizes)

For each size a corpus is built in scratch folders as JSON Lines files from the reference and
gold articles (dated across three years; each article ends with a line of its own naming one of
5,000 reporters, so texts, cache entries and entities are not all alike). The real model's
entities of the four base texts are put in the entity cache, in batches, for every article (the
model is run four times, not once an article), with a PERSON entity for its reporter. Then, with
the corpus loaded (its index on disk):

- the entity index screen's first list (``I``): every entity counted, the top entity's articles
  and its months; formerly every text read and its entries decoded into an
  :class:`~reader.nlp.entity_index.EntityIndex`, then every article put in a temporary table and
  the corpus's summary rows added up (:mod:`reader.nlp.entity_overview`, "SQL aggregate"), now
  the model's totals with the texts the corpus and cache differ in counted apart
  (:mod:`reader.nlp.corpus_totals`, "model totals": the list alone, then with the articles put in
  and the top entity's articles and months asked, as the screen's workers do after the list);
- a write of 5,000 texts' entries to the cache with the totals kept and without (their cost);
- the library's entity filter "Pakistan/GPE" both ways.

Both ways must agree. The former way runs once at 100,000 (it takes tens of seconds); the size
of the cache's database is given per article.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import REFERENCE, ROOT, median_ms, print_table, scratch_home, timings

if TYPE_CHECKING:
    from reader.corpus import Corpus
    from reader.corpus.finding import EntityQuery
    from reader.nlp import Entity, EntityRecognizer
    from reader.nlp.entity_overview import EntityOverview
    from reader.nlp.entity_summary import EntityTotal

SIZES = (10_000, 100_000)
RECORDS_A_FILE = 5_000
REPORTERS = 5_000
GOLD = ROOT / "tests" / "data" / "gold" / "corpus"

#: One index answer compared between the two ways: each entity's name, mentions and articles, and
#: the top entity's articles (ids, newest first) and mentions by month.
Answer = tuple[list[tuple[tuple[str, str], str, int, int]], list[str], dict[str, int]]


def former_index(corpus: Corpus, recognizer: EntityRecognizer) -> Answer:
    """The entity index's first list as it was made: every text read, its cached entities decoded."""
    from collections import Counter

    from reader.corpus.texts import article_texts
    from reader.nlp.entity_index import EntityIndex

    index = EntityIndex()
    for article, text in article_texts(corpus):
        index.add(article.id, text, recognizer.entities(text))
    shown = sorted(index.entities.values(), key=lambda e: (-len(e.mentions), -e.total, e.name, e.label))
    top = shown[0]
    articles = sorted(
        (a for a in map(corpus.get, top.mentions) if a is not None), key=lambda a: (a.date or "", a.title), reverse=True
    )
    per_month: Counter[str] = Counter()
    for article in articles:
        if article.date:
            per_month[article.date[:7]] += len(top.mentions[article.id])
    return [(e.key, e.name, e.total, e.articles) for e in shown], [a.id for a in articles], dict(per_month)


def summary_index(corpus: Corpus, recognizer: EntityRecognizer, limit: int | None = None) -> Answer:
    """The entity index's first list by the SQL aggregate: every article put in the overview,
    then the summary rows of their texts added up (the way before the model's totals)."""
    from reader.nlp.entity_overview import summary_overview

    overview = summary_overview(recognizer)
    assert overview is not None
    try:
        overview.add_articles(corpus.articles)
        assert not overview.unsummarised()
        shown = sorted(overview.entities(), key=lambda e: (-e.articles, -e.total, e.name, e.label))
        top = shown[0]
        articles = [a.id for a in overview.articles(top.key, limit)]
        return [(e.key, e.name, e.total, e.articles) for e in shown], articles, overview.by_month(top.key)
    finally:
        overview.close()


def totals_list(corpus: Corpus, recognizer: EntityRecognizer) -> list[tuple[tuple[str, str], str, int, int]]:
    """The entity index's first list as the screen shows it now: from the model's totals."""
    from reader.nlp.entity_overview import summary_overview

    overview = summary_overview(recognizer)
    assert overview is not None
    try:
        return [(e.key, e.name, e.total, e.articles) for e in _from_totals(overview, corpus)]
    finally:
        overview.close()


def _from_totals(overview: EntityOverview, corpus: Corpus) -> list[EntityTotal]:
    """The overview's first list from the model's totals, in the screen's order."""
    quick = overview.quick(corpus.articles)
    assert quick is not None and quick.unsummarised == 0
    return sorted(quick.entities, key=lambda e: (-e.articles, -e.total, e.name, e.label))


def totals_index(corpus: Corpus, recognizer: EntityRecognizer, limit: int | None = None) -> Answer:
    """The first list from the model's totals, then the articles put in and the top entity's
    articles and months asked (what the screen's workers do after showing the list)."""
    from reader.nlp.entity_overview import summary_overview

    overview = summary_overview(recognizer)
    assert overview is not None
    try:
        shown = _from_totals(overview, corpus)
        overview.add_articles(corpus.articles)
        assert not overview.unsummarised()
        top = shown[0]
        articles = [a.id for a in overview.articles(top.key, limit)]
        return [(e.key, e.name, e.total, e.articles) for e in shown], articles, overview.by_month(top.key)
    finally:
        overview.close()


def cache_writes(home: Path, found: list[tuple[str, list[Entity]]], keep_totals: bool) -> float:
    """Seconds to write ``found`` to a new cache in one batch, with the model's totals kept or not."""
    import tempfile
    from unittest import mock

    from reader.nlp import entity_totals
    from reader.nlp.cache import EntityCache

    cache = EntityCache(Path(tempfile.mkdtemp(dir=home)))
    cache.put_many("warm@1", found[:1])  # the database made before the clock starts
    start = time.perf_counter()
    if keep_totals:
        cache.put_many("model@1", found)
    else:
        with mock.patch.object(entity_totals, "add_text"), mock.patch.object(entity_totals, "remove_text"):
            cache.put_many("model@1", found)
    took = time.perf_counter() - start
    cache.close()
    return took


async def in_app(corpus: Corpus, recognizer: EntityRecognizer, folder: Path) -> tuple[float, float, float]:
    """In the real app, once its background work is done: seconds from pressing I to the first
    list put in the table, the median
    seconds the UI thread spends showing the entity a cursor move lands on (down, ten times), and seconds
    from I to the current entity's articles shown."""
    import threading
    from unittest import mock

    from annotations import AnnotationStore
    from bench.common import until
    from reader.app.app import ReaderApp
    from reader.app.screens.entity_index import EntityIndexScreen

    listed: list[float] = []
    moves: list[float] = []
    listing, highlighted = EntityIndexScreen._listed, EntityIndexScreen.show_articles

    def timed_listing(screen: EntityIndexScreen, *args: object) -> None:
        listing(screen, *args)  # type: ignore[arg-type]
        listed.append(time.perf_counter())

    def timed_move(screen: EntityIndexScreen) -> None:
        start = time.perf_counter()
        highlighted(screen)
        moves.append(time.perf_counter() - start)

    def settled(app: ReaderApp) -> bool:
        return not any(worker.is_running for worker in app.workers) and not any(
            thread.name == "fulltext-writer" for thread in threading.enumerate()
        )

    def articles_shown(screen: EntityIndexScreen) -> bool:
        if not hasattr(screen, "articles_for"):  # the screen before its articles were asked in a worker
            return bool(screen.articles_shown)
        return screen.current is not None and screen.articles_for == screen.current.key

    folder.mkdir()
    with (
        mock.patch.object(EntityIndexScreen, "_listed", timed_listing),
        mock.patch.object(EntityIndexScreen, "show_articles", timed_move),
    ):
        with AnnotationStore(folder / "annotations.json") as store:
            app = ReaderApp(corpus, store, recognizer)
            async with app.run_test(size=(120, 40)) as pilot:
                # the library painted, and its background work (the full-text index) done
                await until(pilot, lambda: settled(app), timeout=1200)
                start = time.perf_counter()
                await pilot.press("I")
                screen = app.screen
                assert isinstance(screen, EntityIndexScreen)
                await until(pilot, lambda: bool(listed), timeout=600)
                moves.clear()
                for _ in range(10):
                    await pilot.press("down")
                await until(pilot, lambda: articles_shown(screen), timeout=600)
                ready = time.perf_counter() - start
    return listed[0] - start, statistics.median(moves), ready


def former_filter(corpus: Corpus, recognizer: EntityRecognizer, wanted: EntityQuery) -> set[str]:
    """The entity filter as it was: every article's text read and its cached entities decoded."""
    from reader.corpus.texts import article_texts

    return {
        article.id
        for article, text in article_texts(corpus)
        if any(wanted.matches(text[e.start : e.end], e.label) for e in recognizer.entities(text))
    }


def summary_filter(corpus: Corpus, recognizer: EntityRecognizer, wanted: EntityQuery) -> set[str]:
    """The entity filter from the summary, as :meth:`LibraryWork.find_entity` answers it."""
    from reader.nlp.entity_lookup import articles_mentioning, coverage, summary_cache

    cache = summary_cache(recognizer)
    assert cache is not None
    covered = coverage(cache, recognizer.cache_key, corpus.articles)
    assert not covered.unsummarised
    return articles_mentioning(cache, recognizer.cache_key, corpus.articles, wanted.folded, wanted.label)


def build(folder: Path, size: int, recognizer: EntityRecognizer) -> list[tuple[str, list[Entity]]]:
    """``size`` articles in JSON Lines files in ``folder``, every one's entities in the cache;
    returns the last batch written (texts and entities)."""
    from reader.corpus.formats.common import compose
    from reader.nlp import Entity

    bases = []
    for file in [REFERENCE, *sorted(GOLD.glob("*.txt"))]:
        lines = file.read_text(encoding="utf-8").splitlines()
        title, paragraphs = lines[0], [line for line in lines[2:] if line.strip()]
        text = compose(title, "2025-01-01", paragraphs)
        bases.append((title, paragraphs, text, recognizer.entities(text)))  # the model, once a base
    cache = recognizer.cache
    assert cache is not None
    folder.mkdir()
    found: list[tuple[str, list[Entity]]] = []
    for first in range(0, size, RECORDS_A_FILE):
        records, found = [], []
        for number in range(first, min(first + RECORDS_A_FILE, size)):
            title, paragraphs, base_text, base_entities = bases[number % len(bases)]
            month = number % 36
            date = f"{2023 + month // 12}-{month % 12 + 1:02d}-{number % 28 + 1:02d}"
            reporter = f"Reporter {number % REPORTERS}"
            last = f"Filed by {reporter} as number {number}."
            records.append(json.dumps({"title": title, "date": date, "text": "\n".join([*paragraphs, last])}))
            start = len(base_text) + 1 + len("Filed by ")
            entities: list[Entity] = [*base_entities, Entity(start, start + len(reporter), "PERSON")]
            found.append((compose(title, date, [*paragraphs, last]), entities))
        (folder / f"part{first // RECORDS_A_FILE:03d}.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
        cache.put_many(recognizer.cache_key, found)
    return found


#: Format 1 of the cache (names and hashes on every row), to compare its size and time its migration.
FORMAT_1 = (
    "CREATE TABLE entities (model TEXT NOT NULL, text_hash TEXT NOT NULL, records TEXT NOT NULL,"
    " PRIMARY KEY (model, text_hash)) WITHOUT ROWID",
    "CREATE TABLE entity_summary (model TEXT NOT NULL, text_hash TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,"
    " spelling TEXT NOT NULL, count INTEGER NOT NULL, first INTEGER NOT NULL,"
    " PRIMARY KEY (model, text_hash, key, label, spelling)) WITHOUT ROWID",
    "CREATE INDEX entity_summary_key ON entity_summary (model, key, label)",
    "CREATE TABLE entity_summarised (model TEXT NOT NULL, text_hash TEXT NOT NULL, version INTEGER NOT NULL,"
    " PRIMARY KEY (model, text_hash)) WITHOUT ROWID",
)


def format_1_copy(source: Path, target: Path) -> None:
    """The cache database ``source`` written again in format 1 at ``target``."""
    import sqlite3

    from reader.nlp.cache import DATABASE

    target.mkdir()
    connection = sqlite3.connect(target / DATABASE)
    connection.execute("ATTACH DATABASE ? AS new", (str(source / DATABASE),))
    for statement in FORMAT_1:
        connection.execute(statement)
    connection.execute(
        "INSERT INTO entities SELECT m.name, t.hash, e.records FROM new.entities e"
        " JOIN new.models m ON m.id = e.model JOIN new.texts t ON t.id = e.text"
    )
    connection.execute(
        "INSERT INTO entity_summary SELECT m.name, t.hash, n.key, n.label, n.spelling, s.count, s.first"
        " FROM new.entity_summary s JOIN new.models m ON m.id = s.model JOIN new.texts t ON t.id = s.text"
        " JOIN new.entity_names n ON n.id = s.name"
    )
    connection.execute(
        "INSERT INTO entity_summarised SELECT m.name, t.hash, s.version FROM new.entity_summarised s"
        " JOIN new.models m ON m.id = s.model JOIN new.texts t ON t.id = s.text"
    )
    connection.commit()
    connection.close()


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir())


def measure(size: int, recognizer_for: Callable[[Path], EntityRecognizer], home: Path) -> list[tuple[str, ...]]:
    """The rows of the table for one corpus size."""
    from reader.app.screens.entity_index import SHOWN_AT_MOST
    from reader.corpus import load_corpus
    from reader.corpus.finding import EntityQuery

    recognizer = recognizer_for(home / f"entities-{size}")
    folder = home / f"corpus-{size}"
    start = time.perf_counter()
    last_batch = build(folder, size, recognizer)
    from reader.corpus.texts import article_texts

    corpus = load_corpus(folder)  # indexed, and its texts stored, once, as the app's first start does
    assert len(corpus.articles) == size, corpus.problems[:3]
    assert sum(1 for _ in article_texts(corpus)) == size  # the text store written from the texts just read
    corpus = load_corpus(folder)
    built = time.perf_counter() - start
    repeats = 3 if size <= 10_000 else 1
    before = timings(partial(former_index, corpus, recognizer), repeats, warmup=0)
    after = timings(partial(summary_index, corpus, recognizer, SHOWN_AT_MOST), 3)
    listed = timings(partial(totals_list, corpus, recognizer), 5)
    totalled = timings(partial(totals_index, corpus, recognizer, SHOWN_AT_MOST), 3)
    former, now = former_index(corpus, recognizer), summary_index(corpus, recognizer)
    # The same entities and counts, the top one's articles (equally new ones in any order) and months.
    # The names agree but for spellings met equally often: the former way took the first met in
    # the order the texts were read in (no set order), the summary the first in the corpus's order.
    assert {e[0]: e[2:] for e in former[0]} == {e[0]: e[2:] for e in now[0]}, "the ways disagree"
    assert sorted(former[1]) == sorted(now[1]) and former[2] == now[2], "the ways disagree"
    renamed = sum(1 for e in former[0] if (e[0], e[1]) not in {(n[0], n[1]) for n in now[0]})
    assert totals_list(corpus, recognizer) == now[0] and totals_index(corpus, recognizer) == now, "totals disagree"
    writes = {keep: median_ms([cache_writes(home, last_batch, keep) for _ in range(3)]) for keep in (False, True)}
    listed_s, move_s, ready_s = asyncio.run(in_app(corpus, recognizer, home / f"app-{size}"))
    wanted = EntityQuery.parse("Pakistan/GPE")
    filter_before = timings(partial(former_filter, corpus, recognizer, wanted), repeats, warmup=0)
    filter_after = timings(partial(summary_filter, corpus, recognizer, wanted), 3)
    assert former_filter(corpus, recognizer, wanted) == summary_filter(corpus, recognizer, wanted)
    assert recognizer.cache is not None
    recognizer.cache.close()
    size_bytes = folder_bytes(home / f"entities-{size}")
    print(
        f"{size:,} articles, {len(now[0]):,} entities; built in {built:.0f} s;"
        f" cache database {size_bytes / 1e6:.1f} MB = {size_bytes / size / 1e3:.1f} kB an article;"
        f" {renamed} entities named otherwise by the former way (spellings as often met)"
    )
    if size <= 10_000:  # the same entries in format 1, and their migration
        from reader.nlp.cache import EntityCache
        from reader.nlp.cache_schema import FORMAT

        old = home / f"format-1-{size}"
        format_1_copy(home / f"entities-{size}", old)
        old_bytes = folder_bytes(old)
        start = time.perf_counter()
        migrated = EntityCache(old)
        assert migrated.count() == size + 4  # and the four base texts
        took = time.perf_counter() - start
        migrated.close()
        print(
            f"  the same in format 1: {old_bytes / 1e6:.1f} MB = {old_bytes / size / 1e3:.1f} kB an article;"
            f" migrated to format {FORMAT} in {took:.1f} s ({folder_bytes(old) / 1e6:.1f} MB after)"
        )
    index_ms, index_now = median_ms(before), median_ms(after)
    list_ms, totalled_ms = median_ms(listed), median_ms(totalled)
    filter_ms, filter_now = median_ms(filter_before), median_ms(filter_after)
    return [
        (
            f"{size:,}",
            "I screen first list",
            "each article read (former)",
            f"{index_ms:.0f}",
            f"{index_ms / list_ms:.1f}x",
        ),
        (
            f"{size:,}",
            "I screen first list",
            "SQL aggregate (former)",
            f"{index_now:.0f}",
            f"{index_now / list_ms:.1f}x",
        ),
        (f"{size:,}", "I screen first list", "model totals", f"{list_ms:.0f}", "1.0x"),
        (f"{size:,}", "  + top entity's articles", "model totals, articles put in", f"{totalled_ms:.0f}", ""),
        (f"{size:,}", "app: I pressed, list shown", "the screen", f"{listed_s * 1000:.0f}", ""),
        (f"{size:,}", "app: a cursor move, UI thread (median)", "the screen", f"{move_s * 1000:.1f}", ""),
        (f"{size:,}", "app: I pressed, its articles shown", "the screen", f"{ready_s * 1000:.0f}", ""),
        (
            f"{size:,}",
            f"cache write of {len(last_batch):,} texts",
            "without totals kept",
            f"{writes[False]:.0f}",
            f"{writes[False] / writes[True]:.2f}x",
        ),
        (f"{size:,}", f"cache write of {len(last_batch):,} texts", "with totals kept", f"{writes[True]:.0f}", "1.0x"),
        (
            f"{size:,}",
            "entity filter",
            "each article read (former)",
            f"{filter_ms:.0f}",
            f"{filter_ms / filter_now:.1f}x",
        ),
        (f"{size:,}", "entity filter", "entity summary (SQL)", f"{filter_now:.0f}", "1.0x"),
    ]


def main() -> None:
    from reader.nlp import EntityRecognizer
    from reader.nlp.cache import EntityCache

    sizes = [int(size) for size in os.environ.get("BENCH_ENTITY_SIZES", ",".join(map(str, SIZES))).split(",")]
    loaded = EntityRecognizer()
    loaded.load()

    def recognizer_for(folder: Path) -> EntityRecognizer:
        fresh = EntityRecognizer(cache=EntityCache(folder))
        fresh._nlp, fresh._identity = loaded._nlp, loaded.identity  # the model loaded once for all sizes
        return fresh

    rows: list[tuple[str, ...]] = []
    with scratch_home("bench-entity-summary-") as home:
        for size in sizes:
            rows.extend(measure(size, recognizer_for, home))
    print_table(("articles", "question", "answered from", "median ms", "vs the way now"), rows)


if __name__ == "__main__":
    main()
