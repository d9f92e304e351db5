"""``reader agree``'s core at scale, against a plain Python character array (issue 13, point 3).

Generates 10,000 articles (1,500 to 4,000 characters) and two coders with 50,000 passages each
(10 to 200 characters, one of 30 codes; B's passages follow A's half the time, shifted a
little, so the figures are neither 0 nor 1), then times, side by side:

- :func:`annotations.agreement.compare`: percent, kappa, alpha and passage F1 per code and
  overall, by interval arithmetic (what ``reader agree`` runs once it has read the store);
- the baseline: the same percent and kappa per code computed the plain way, one Python list of
  0/1 per character of each article for each coder, filled passage by passage and counted.

The baseline computes less (no alpha, no F1) and still takes far longer; both must give the
same kappa, which is checked before timing. Then the whole command, ``reader agree --json``, on
the same passages in a real store (100,000 annotations, migrated from a version 1 file as
bench_store does) and a corpus folder of 10,000 text files: once with the corpus index cold,
then warm. Nothing fails on time; the target is <= 5 s.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotations.agreement import Passage, cohen_kappa, compare
from annotations.model import Annotation
from bench.common import median_ms, print_table, scratch_home, timings
from reader.corpus.article import text_sha256

ARTICLES = 10_000
PASSAGES = 50_000
CODES = 30
SEED = 20261201
CORE_SAMPLES = 5
BASELINE_SAMPLES = 1


def generate(rng: random.Random) -> tuple[dict[str, int], list[Passage], list[Passage]]:
    """Article lengths, coder A's passages and coder B's."""
    lengths = {f"article-{n:05d}": rng.randint(1_500, 4_000) for n in range(ARTICLES)}
    ids = list(lengths)
    codes = [f"code {n}" for n in range(CODES)]
    a: list[Passage] = []
    for _ in range(PASSAGES):
        article = rng.choice(ids)
        start = rng.randrange(lengths[article] - 200)
        a.append(Passage(article, start, start + rng.randint(10, 200), rng.choice(codes)))
    b: list[Passage] = []
    for passage in a:
        if rng.random() < 0.5:
            shift = rng.randint(-10, 10)
            start, end = max(0, passage.start + shift), min(lengths[passage.article_id], passage.end + shift)
            b.append(Passage(passage.article_id, start, end, passage.code))
        else:
            article = rng.choice(ids)
            start = rng.randrange(lengths[article] - 200)
            b.append(Passage(article, start, start + rng.randint(10, 200), rng.choice(codes)))
    return lengths, a, b


def baseline(lengths: dict[str, int], a: list[Passage], b: list[Passage]) -> dict[str, tuple[float, float]]:
    """Percent and kappa per code, with a list of 0/1 per character of every common article
    where A or B used the code (the same definition as the core)."""
    common = {p.article_id for p in a} & {p.article_id for p in b}
    by_code: dict[str, dict[str, tuple[list[int], list[int]]]] = {}
    for which, layer in enumerate((a, b)):
        for p in layer:
            if p.article_id not in common:
                continue
            article = by_code.setdefault(p.code, {})
            if p.article_id not in article:
                n = lengths[p.article_id]
                article[p.article_id] = ([0] * n, [0] * n)
            marks = article[p.article_id][which]
            for i in range(p.start, p.end):
                marks[i] = 1
    result = {}
    for code, articles in by_code.items():
        agree = total = 0
        weighted = 0.0
        for article_id, (ma, mb) in articles.items():
            n = lengths[article_id]
            coded_a, coded_b = sum(ma), sum(mb)
            both = sum(x & y for x, y in zip(ma, mb, strict=True))
            agree += n - coded_a - coded_b + 2 * both
            weighted += n * cohen_kappa(n, coded_a, coded_b, both)
            total += n
        result[code] = (100 * agree / total, weighted / total)
    return result


def write_corpus(folder: Path, lengths: dict[str, int]) -> dict[str, str]:
    """One text file an article (title, date, body of the article's length); the texts by id,
    as the corpus reads them (title and date lines included), so that the passages' hashes match."""
    from reader.corpus import load_corpus

    folder.mkdir()
    for article_id, length in lengths.items():
        body = ("The council met on Monday and talked. " * (length // 38 + 1))[:length].strip() + "."
        (folder / f"{article_id}.txt").write_text(f"Title {article_id}\n2024-05-01\n{body}\n", encoding="utf-8")
    return {article.id: article.text for article in load_corpus(folder, use_index=False).articles}


def write_store(path: Path, texts: dict[str, str], layers: dict[str, list[Passage]]) -> None:
    """A version 1 store file of every passage (the reader migrates it on first open)."""
    records = {}
    shas = {article_id: text_sha256(text) for article_id, text in texts.items()}
    for coder, layer in layers.items():
        for p in layer:
            text = texts[p.article_id]
            start, end = min(p.start, len(text) - 1), min(p.end, len(text))
            annotation = Annotation.create(
                article_id=p.article_id,
                article_sha256=shas[p.article_id],
                text=text,
                start=start,
                end=end,
                tags=[p.code],
            )
            records[annotation.id] = {**annotation.to_record(), "coder": coder}
    path.parent.mkdir()
    path.write_text(json.dumps({"meta": {"schema": {"version": 1}}, "annotations": records, "articles": {}}))


def command_seconds(db: Path, corpus: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--coder", "A", "--coder", "B", "--db", str(db)]
        + ["--corpus", str(corpus), "--json"],
        capture_output=True,
        env=os.environ.copy(),
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode())
    return time.perf_counter() - started


def whole_command(lengths: dict[str, int], layers: dict[str, list[Passage]]) -> tuple[float, float, float]:
    """Seconds of ``reader agree --json``: corpus index cold, warm; and the store's migration."""
    with scratch_home("bench-agree-") as home, tempfile.TemporaryDirectory(dir=home) as scratch:
        folder = Path(scratch)
        texts = write_corpus(folder / "corpus", lengths)
        db = folder / "store" / "annotations.json"
        write_store(db, texts, layers)
        from annotations import AnnotationStore

        started = time.perf_counter()
        AnnotationStore(db).close()
        migration = time.perf_counter() - started
        return command_seconds(db, folder / "corpus"), command_seconds(db, folder / "corpus"), migration


def main() -> None:
    lengths, a, b = generate(random.Random(SEED))
    layers = {"A": a, "B": b}
    core = compare(layers, lengths)
    plain = baseline(lengths, a, b)
    worst = max(abs(core.codes[code].kappa - plain[code][1]) for code in plain)
    assert worst < 1e-9 and set(plain) == set(core.codes), "core and baseline disagree"
    core_times = timings(lambda: compare(layers, lengths), CORE_SAMPLES)
    base_times = timings(lambda: baseline(lengths, a, b), BASELINE_SAMPLES, warmup=0)
    core_ms, base_ms = median_ms(core_times), median_ms(base_times)
    print(
        f"{ARTICLES:,} articles, 2 x {PASSAGES:,} passages, {CODES} codes; overall kappa {core.overall.kappa:.3f},"
        f" alpha {core.overall.alpha:.3f}, F1 overlap {core.overall.f1_overlap:.3f}\n"
    )
    print_table(
        ("work", "median", "samples", "against baseline"),
        [
            (
                "agreement core (percent, kappa, alpha, F1)",
                f"{core_ms:,.0f} ms",
                CORE_SAMPLES,
                f"{base_ms / core_ms:.1f}x as fast",
            ),
            ("baseline: character arrays (percent, kappa)", f"{base_ms:,.0f} ms", BASELINE_SAMPLES, "1.0x"),
        ],
    )
    cold, warm, migration = whole_command(lengths, layers)
    print("\nreader agree --json, 100,000 annotations in the store, 10,000 corpus files (one run each):")
    print(
        f"  corpus index cold {cold * 1000:,.0f} ms, warm {warm * 1000:,.0f} ms (store migrated once before: {migration * 1000:,.0f} ms)"
    )
    print(f"target: reader agree <= 5,000 ms: {'met' if warm <= 5 else 'NOT met'} (warm), core alone {core_ms:,.0f} ms")
