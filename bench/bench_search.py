"""The full-text index (issue 16): a search keystroke at 10,000 and 100,000 articles, and the
cold index build rate beside just reading and decoding the same files.

    python -m bench search

The corpora are generated in a temporary folder (the user's folders are never touched): ``.txt``
articles of 1-2 KB of sentences made from the reference article's words, with names sprinkled
in, dated over three years. Short articles keep 100,000 of them to ~150 MB, so the run stays
within a few minutes.

Measured, each in the same run:

- **keystroke**: the library's search without the drawing: a fresh :class:`Finder` on the
  corpus, with the on-disk index as its search, and ``Finder.select`` timed for every prefix of
  words typed letter by letter and erased again (``pakistan``, ``security``, ``quixotic`` which
  matches nothing, and ``"security pak``), in ranked order; the median of all keystrokes, and
  of the typing ones alone (erasing goes back to queries met before, which are kept). Target:
  median at most 30 ms at 100,000 articles. The generated words all come from one article, so
  most words are in nearly every article: the worst case for ranking, which scores every match.
- **best**: what the library needs a keystroke, :meth:`FullTextIndex.best` (the first
  :data:`BEST_LIMIT` ids ranked and the match count) for the same keystrokes, on an index of its
  own (nothing kept from the Finder's run); and, each on a fresh index, ``matching`` (every
  matching id) and ``ranked`` (up to 5,000 ranked) alone, which ``Finder.select`` calls.
- **cold build**: ``load_corpus`` with no index (every file read, decoded, parsed and hashed)
  then ``FullTextIndex.update`` from nothing (texts in memory from the listing; the text store
  written meanwhile), in MB of text a second; and the build **from files**: the index and the
  text store deleted, the corpus listed again (from its metadata index, untimed) and
  ``update`` timed, every text read from its file. Beside the baseline of reading and decoding
  the same files alone (``Path.read_bytes().decode()``, the same run), and ``load_corpus`` alone.
  Target: at least 20 MB/s. Also in MB per CPU second of the process (both its threads), which
  the other work on a shared machine changes less than the wall-clock rate; and the load average.
- **snippet window**: the snippets the library draws under the hits of a query
  (:meth:`FullTextIndex.snippets`) for one screenful of rows (:data:`WINDOW`, a 140x45 terminal)
  at the top, middle and end of each TYPED word's ranked list; median and max. Done while
  drawing, so it must stay well under a frame (5 ms).

Nothing fails on time.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

from bench.common import print_table, scratch_home

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "reader" / "corpus" / "sample" / "000_ff5b33da8fd122af.txt"
#: The corpus sizes measured (``BENCH_SEARCH_SIZES=10000`` for a quick run).
SIZES = tuple(int(size) for size in os.environ.get("BENCH_SEARCH_SIZES", "10000,100000").split(","))
TYPED = ("pakistan", "security", "quixotic", '"security pak')
KEY_TARGET_MS = 30.0
BUILD_TARGET_MBS = 20.0
#: Ids :meth:`FullTextIndex.best` is asked for a keystroke (a screenful and some).
BEST_LIMIT = 50
#: Hits on screen at once (two lines each in a 140x45 terminal's list).
WINDOW = 20
NAMES = ("China", "India", "Kenya", "Norway", "Chile", "Angela Merkel", "Lula da Silva", "Reuters", "Lagos", "Québec")


def generate(folder: Path, count: int, seed: int = 16) -> int:
    """Write ``count`` short ``.txt`` articles below ``folder`` (1,000 a subfolder); their bytes."""
    rng = random.Random(seed)
    words = REFERENCE.read_text(encoding="utf-8").split()
    total = 0
    for number in range(count):
        sentences = []
        for _ in range(rng.randint(8, 16)):
            chosen = rng.choices(words, k=rng.randint(10, 20))
            if rng.random() < 0.4:
                chosen.insert(rng.randrange(len(chosen)), rng.choice(NAMES))
            sentences.append(" ".join(chosen).rstrip(".,;:") + ".")
        title = " ".join(rng.choices(words, k=rng.randint(5, 9))).strip(".,;:").capitalize() + f" ({number})"
        day = f"{2023 + number % 3}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        data = "\n".join([title, day, " ".join(sentences[:5]), " ".join(sentences[5:])]).encode("utf-8") + b"\n"
        sub = folder / f"{number // 1000:03d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def keystrokes(corpus: object) -> tuple[list[float], list[float]]:
    """Seconds of ``Finder.select`` for each keystroke typing and erasing the words of TYPED;
    and for the typing ones alone (each a query not met before)."""
    from reader.corpus.finding import Facts, Filters, Finder
    from reader.corpus.fulltext import FullTextIndex

    finder = Finder(corpus.articles)  # type: ignore[attr-defined]
    index = FullTextIndex.of(corpus)  # type: ignore[arg-type]
    index.load_ids()
    finder.search = index
    facts = Facts()
    samples, typing = [], []
    for word in TYPED:
        typed = [word[:length] for length in range(1, len(word) + 1)]
        for number, query in enumerate(typed + typed[-2::-1]):
            start = time.perf_counter()
            finder.select(Filters(query=query), facts)
            samples.append(time.perf_counter() - start)
            if number < len(typed):
                typing.append(samples[-1])
    index.close()
    return samples, typing


def typed_queries() -> list[tuple[str, bool]]:
    """Each keystroke's query typing and erasing the words of TYPED, and whether it was typed
    (a query not met before) rather than erased."""
    queries = []
    for word in TYPED:
        typed = [word[:length] for length in range(1, len(word) + 1)]
        queries += [(query, True) for query in typed] + [(query, False) for query in typed[-2::-1]]
    return queries


def index_keystrokes(corpus: object, call: str) -> tuple[list[float], list[float]]:
    """Seconds of one :class:`FullTextIndex` method (``best``, ``matching`` or ``ranked``) for
    each keystroke, on an index of its own; and for the typing ones alone."""
    from reader.corpus.fulltext import FullTextIndex

    index = FullTextIndex.of(corpus)  # type: ignore[arg-type]
    index.load_ids()
    index.matching("warm up")  # the id map is read at the first query, as in the library
    samples, typing = [], []
    for query, typed in typed_queries():
        start = time.perf_counter()
        if call == "best":
            index.best(query, BEST_LIMIT)
        else:
            getattr(index, call)(query)
        samples.append(time.perf_counter() - start)
        if typed:
            typing.append(samples[-1])
    index.close()
    return samples, typing


def snippet_windows(corpus: object) -> list[float]:
    """Seconds of :meth:`FullTextIndex.snippets` for a window of WINDOW hits at the top, middle
    and end of each TYPED word's ranked matches (a fresh query each: nothing cached)."""
    from reader.app.widgets.snippets import MARKS, WORDS
    from reader.corpus.fulltext import FullTextIndex

    index = FullTextIndex.of(corpus)  # type: ignore[arg-type]
    index.load_ids()
    samples = []
    for word in TYPED:
        found = index.ranked(word) or sorted(index.matching(word))
        for start in {0, max(len(found) // 2 - WINDOW // 2, 0), max(len(found) - WINDOW, 0)}:
            began = time.perf_counter()
            index.snippets(word, found[start : start + WINDOW], MARKS, WORDS)
            samples.append(time.perf_counter() - began)
    index.close()
    return samples


def builds(folder: Path, home: Path, count: int, megabytes: float) -> tuple[dict[str, float], object]:
    """MB/s of reading and decoding the files, of ``load_corpus``, and of a first index build:
    after the listing (texts in memory), and from the files; and the corpus listed."""
    from reader.corpus import load_corpus
    from reader.corpus.fulltext import FULLTEXT_NAME, FullTextIndex
    from reader.corpus.texts import TEXTS_NAME

    index_dir = home / f"index-{count}"
    start = time.perf_counter()
    for path in folder.rglob("*.txt"):
        path.read_bytes().decode("utf-8")
    read_s = time.perf_counter() - start

    start = time.perf_counter()
    corpus = load_corpus(folder, index_dir=index_dir)
    load_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    index = FullTextIndex.of(corpus)
    assert index.update(corpus)
    build_s, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    index.close()

    (index_dir / FULLTEXT_NAME).unlink()
    (index_dir / TEXTS_NAME).unlink()
    corpus = load_corpus(folder, index_dir=index_dir)
    corpus.fresh_texts = {}  # the few files written just before the listing were read again: not those either
    start, cpu = time.perf_counter(), time.process_time()
    index = FullTextIndex.of(corpus)
    assert index.update(corpus)
    files_s, files_cpu = time.perf_counter() - start, time.process_time() - cpu
    index.close()
    return {
        "read_mbs": megabytes / read_s,
        "load_mbs": megabytes / load_s,
        "build_mbs": megabytes / build_s,
        "build_cpu_mbs": megabytes / build_cpu,
        "files_mbs": megabytes / files_s,
        "files_cpu_mbs": megabytes / files_cpu,
        "cold_mbs": megabytes / (load_s + build_s),
        "index_ratio": (index_dir / FULLTEXT_NAME).stat().st_size / 1e6 / megabytes,
    }, corpus


def measure(count: int, home: Path) -> dict[str, float]:
    """Generate ``count`` articles and time reading, building and typing on them."""
    folder = home / f"corpus-{count}"
    megabytes = generate(folder, count) / 1e6
    result: dict[str, float] = {"articles": count, "MB": megabytes}
    rates, corpus = builds(folder, home, count, megabytes)
    result.update(rates)
    samples, typing = keystrokes(corpus)
    result.update(key_median_ms=_ms(statistics.median(samples)), typing_median_ms=_ms(statistics.median(typing)))
    result.update(key_max_ms=_ms(max(samples)))
    for call in ("best", "matching", "ranked"):
        samples, typing = index_keystrokes(corpus, call)
        result[f"{call}_median_ms"] = _ms(statistics.median(samples))
        result[f"{call}_typing_ms"] = _ms(statistics.median(typing))
        result[f"{call}_max_ms"] = _ms(max(samples))
    windows = snippet_windows(corpus)
    result.update(snippet_median_ms=_ms(statistics.median(windows)), snippet_max_ms=_ms(max(windows)))
    return result


def _ms(seconds: float) -> float:
    return seconds * 1000


def main() -> None:
    builds_rows, keys_rows = [], []
    for count in SIZES:
        with scratch_home("reader-bench-search-") as home:
            r = measure(count, home)
        builds_rows.append(
            [f"{count:,}", f"{r['MB']:.0f}", f"{r['read_mbs']:.0f}", f"{r['load_mbs']:.1f}", f"{r['build_mbs']:.1f}"]
            + [f"{r['build_cpu_mbs']:.1f}", f"{r['files_mbs']:.1f}", f"{r['files_cpu_mbs']:.1f}"]
            + [f"{r['cold_mbs']:.1f}", f"{r['index_ratio']:.2f}x", f"{os.getloadavg()[0]:.1f}"]
        )
        keys_rows.append(
            [f"{count:,}", f"{r['key_median_ms']:.1f}", f"{r['typing_median_ms']:.1f}", f"{r['key_max_ms']:.1f}"]
            + [
                f"{r[f'{call}_{kind}']:.1f}"
                for call in ("best", "matching", "ranked")
                for kind in ("median_ms", "typing_ms", "max_ms")
            ]
            + [f"{r['snippet_median_ms']:.1f}", f"{r['snippet_max_ms']:.1f}"]
        )
        print(f"{count:,} articles done", flush=True)
    print_table(
        ("articles", "MB text", "read+decode MB/s", "load_corpus MB/s", "FTS build after listing MB/s", "per CPU s")
        + ("FTS build from files MB/s", "per CPU s", "cold total MB/s", "index/text", "load avg"),
        builds_rows,
    )
    print()
    print_table(
        ("articles", "Finder.select median ms", "typing-only", "max")
        + tuple(
            f"{call} {kind}"
            for call in (f"best({BEST_LIMIT})", "matching", "ranked")
            for kind in ("median ms", "typing-only", "max")
        )
        + (f"snippets/{WINDOW} rows median ms", "max"),
        keys_rows,
    )
    print(
        f"targets at {SIZES[-1]:,} articles: a keystroke median at most {KEY_TARGET_MS:.0f} ms;"
        f" a first build at least {BUILD_TARGET_MBS:.0f} MB/s"
    )


if __name__ == "__main__":
    main()
