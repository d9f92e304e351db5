"""The texts of a corpus, kept beside its index so whole-corpus work need not parse every file.

Searching the full text, or finding which articles mention an entity, needs every article's text.
Parsing 10,000 files (and running an HTML extractor on some) on each start would take seconds;
reading one file of texts takes a fraction of that. The store is JSON Lines, ``["<sha256>",
"<text>"]`` a line, read as a stream so the whole corpus never sits in memory twice. It is a
cache: texts are keyed by their hash, so a stale line is never served for a changed article,
and a damaged line is skipped (its article read from its file instead) and the damaged file set
aside.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING

from annotations.atomic_file import replace_text
from reader.corpus import heap
from reader.corpus.article import ArticleUnavailable, text_sha256
from reader.corpus.rows import OrderRows, RankRows
from reader.disposable import set_aside

if TYPE_CHECKING:
    from reader.corpus.article import Article
    from reader.corpus.loader import Corpus

TEXTS_NAME = "texts.jsonl"

#: Called with (articles done, articles in all) while texts are read.
Progress = Callable[[int, int], None]


class TextStore:
    """The text store file of one corpus."""

    def __init__(self, path: Path) -> None:
        self.path = path
        #: Why the file is damaged, once a read met a bad line (the file is set aside when rewritten).
        self.damage: str | None = None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """(sha256, text) for each readable line; nothing if the file is missing.

        A line that is not UTF-8 JSON of that shape means the file was damaged (it is written
        whole): the good lines are still given, :attr:`damage` says so, and :meth:`rewrite`
        sets the damaged file aside with a notice (:mod:`reader.disposable`) as it writes anew.
        """
        return self._read(self.path)

    def _read(self, path: Path) -> Iterator[tuple[str, str]]:
        try:
            stream = path.open("rb")
        except OSError:
            return
        with stream:
            for line in stream:
                try:
                    sha256, text = json.loads(line.decode("utf-8"))
                    if not (isinstance(sha256, str) and isinstance(text, str)):
                        raise TypeError("not a (hash, text) pair")
                    text.encode("utf-8")
                except (ValueError, TypeError, RecursionError) as error:
                    self.damage = self.damage or f"the text cache cannot be read: {type(error).__name__}"
                    continue
                yield sha256, text

    @contextmanager
    def appending(self) -> Iterator[Callable[[str, str], None]]:
        """A function that appends a (sha256, text) line, for texts read while listing a corpus:
        they reach the store as they are read instead of waiting in memory. If the store cannot
        be written, the texts are dropped (they are read from their files when needed)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            stream = self.path.open("a", encoding="utf-8")
        except OSError:
            yield lambda sha256, text: None
            return
        broken = False

        def append(sha256: str, text: str) -> None:
            nonlocal broken
            if not broken:
                try:
                    stream.write(json.dumps([sha256, text], ensure_ascii=False) + "\n")
                except OSError:
                    broken = True

        try:
            yield append
        finally:
            try:
                stream.close()
            except OSError:
                pass

    def rewrite(self, keep: Callable[[list[str]], set[str]], added: Iterable[tuple[str, str]]) -> bool:
        """Keep the texts whose hash ``keep`` keeps (asked of a batch of hashes at a time), each
        once, then add ``added`` (hashes unique); False if it cannot be written. Streamed: the
        texts are never all in memory, nor a set of every hash."""
        source = self.path
        if self.damage is not None:
            set_aside(self.path, self.damage)
            source = self.path.with_name(self.path.name + ".damaged")

        def lines() -> Iterator[str]:
            with HashSet() as written:
                for batch in _batches(self._read(source)):
                    kept = keep([sha256 for sha256, _ in batch])
                    seen = written.having(list(kept))
                    for sha256, text in batch:
                        if sha256 in kept and sha256 not in seen:
                            seen.add(sha256)
                            written.add(sha256)
                            yield json.dumps([sha256, text], ensure_ascii=False) + "\n"
            for sha256, text in added:
                yield json.dumps([sha256, text], ensure_ascii=False) + "\n"

        try:
            replace_text(self.path, lines(), parents=True)
        except OSError:
            return False
        finally:
            self.damage = None
        return True


class Additions:
    """Texts read from their files in a pass over a corpus, waiting for the text store's rewrite:
    in a temporary file (beside the store, else in the system's temporary folder), their hashes
    in a :class:`HashSet`, so a corpus whose store went missing is never held in memory whole.
    If no temporary file can be written, the texts are dropped (read from their files again
    next time), as :meth:`TextStore.appending` drops them."""

    def __init__(self, store: TextStore) -> None:
        self.hashes = HashSet()
        self.count = 0
        self.stream: IO[str] | None = None
        for folder in (store.path.parent, None):
            try:
                self.stream = tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder)
                break
            except OSError:
                continue

    def __enter__(self) -> Additions:
        return self

    def __exit__(self, *_: object) -> None:
        self.hashes.__exit__()
        if self.stream is not None:
            self.stream.close()

    def add(self, sha256: str, text: str) -> None:
        """Add a text (once a hash: the first one met, as a dict by hash keeps it)."""
        if self.hashes.having([sha256]):
            return
        self.hashes.add(sha256)
        self.count += 1
        if self.stream is not None:
            try:
                self.stream.write(json.dumps([sha256, text], ensure_ascii=False) + "\n")
            except OSError:
                self.stream = None

    def lines(self) -> Iterator[tuple[str, str]]:
        """The (hash, text) pairs added, in the order they came."""
        if self.stream is None:
            return
        self.stream.flush()
        self.stream.seek(0)
        for line in self.stream:
            sha256, text = json.loads(line)
            yield sha256, text


def article_texts(
    corpus: Corpus, progress: Progress | None = None, should_stop: Callable[[], bool] | None = None
) -> Iterator[tuple[Article, str]]:
    """Each article of ``corpus`` with its text, in no set order.

    Texts come from the text store, then from what the corpus read while indexing, then from
    the files; the store is brought up to date once all have been read. An article whose file
    cannot be read is left out. ``should_stop`` is polled to end early (a cancelled worker).

    Memory does not grow with the corpus: the store is read a batch of lines at a time, each
    batch's articles found in the catalog by hash, and the hashes already given are kept in a
    private SQLite file (:class:`HashSet`), not in a dict of every article.
    """
    articles = corpus.articles
    listed = _membership(articles)
    total, done = len(articles), 0
    step = max(total // 50, 1)
    store = corpus.text_store
    stale = False

    def report(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if progress is not None and (done // step != before // step or done == total):
            progress(done, total)
        if done // TRIM_EVERY != before // TRIM_EVERY:
            heap.trim()  # the texts given before are freed: their pages go back (see reader.corpus.heap)

    def stop() -> bool:
        return should_stop is not None and should_stop()

    with HashSet() as given, Additions(store) if store is not None else nullcontext() as added:
        if store is not None:
            for lines in _batches(store):
                groups = _by_hash(corpus, articles.order, listed, [sha256 for sha256, _ in lines])
                before = given.having(list(groups))
                given.add_all([sha256 for sha256 in groups if sha256 not in before])  # one statement a batch
                for sha256, text in lines:
                    group = None if sha256 in before else groups.pop(sha256, None)
                    if group is None:
                        stale = True
                        continue
                    for article in group:
                        yield article, text
                    report(len(group))
                    if stop():
                        return
            stale = stale or store.damage is not None
        if done < total:  # some articles had no text in the store: from the listing, else their files
            for sha256 in _left(articles, given):
                group = _by_hash(corpus, articles.order, listed, [sha256]).get(sha256, [])
                given.add(sha256)
                known: str | None = None
                for article in group:
                    if known is None and (known := text_of(corpus, article)) is None:
                        continue
                    yield article, known
                if known is not None and added is not None:  # kept for the store only
                    added.add(text_sha256(known), known)
                report(len(group))
                if stop():
                    return
        if store is not None and added is not None and (added.count or stale):

            def keep(hashes: list[str]) -> set[str]:
                """Of ``hashes``, those of the corpus's articles not read anew."""
                return set(_by_hash(corpus, articles.order, listed, hashes)) - added.hashes.having(hashes)

            if store.rewrite(keep, added.lines()):
                corpus.fresh_texts = {}


#: Lines of the text store matched with the catalog at once, and the characters they may hold.
LINES, LINE_CHARS = 500, 4_000_000
#: Articles given between two returns of the C heap's free pages to the system.
TRIM_EVERY = 5000


def text_of(corpus: Corpus, article: Article) -> str | None:
    """The text of ``article`` without the text store: kept from the listing, else loaded, else
    read from its file; None when its file cannot be read."""
    known = corpus.fresh_texts.get(article.sha256)
    if known is not None:
        return known
    try:
        return article.text if article.is_loaded else article.read_text()
    except ArticleUnavailable:
        return None


def _batches(store: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """A store's (hash, text) lines, a batch at a time."""
    batch: list[tuple[str, str]] = []
    chars = 0
    for line in store:
        batch.append(line)
        chars += len(line[1])
        if len(batch) >= LINES or chars >= LINE_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _membership(articles: OrderRows | RankRows) -> Callable[[int], bool]:
    """Whether the article at a rank (in ``articles.order``) is one of ``articles``."""
    if not isinstance(articles, RankRows):
        return _everything
    ranks = articles.ranks

    def listed(rank: int) -> bool:
        where = bisect_left(ranks, rank)
        return where < len(ranks) and ranks[where] == rank

    return listed


def _everything(rank: int) -> bool:
    return True


def _by_hash(corpus: Corpus, order: str, listed: Callable[[int], bool], hashes: list[str]) -> dict[str, list[Article]]:
    """The articles of ``corpus`` whose text has one of ``hashes``, by hash, each list in the
    order of ``corpus.articles``."""
    groups: dict[str, list[Article]] = {}
    for rank, article in corpus.catalog.with_hashes(order, hashes):
        if listed(rank):
            groups.setdefault(article.sha256, []).append(article)
    return groups


def _left(articles: OrderRows | RankRows, given: HashSet, batch: int = 2000) -> Iterator[str]:
    """The hashes of ``articles`` not in ``given``, each once, in the order their first article
    comes (the caller adds each to ``given`` as it goes)."""
    chunk: list[str] = []
    for article in articles:
        chunk.append(article.sha256)
        if len(chunk) >= batch:
            yield from _not_given(chunk, given)
            chunk = []
    yield from _not_given(chunk, given)


def _not_given(chunk: list[str], given: HashSet) -> Iterator[str]:
    known = given.having(chunk)
    for sha256 in chunk:
        if sha256 not in known:
            known.add(sha256)
            yield sha256


class HashSet:
    """A set of text hashes in a private temporary SQLite file (removed when closed): which
    texts a pass over a whole corpus has given, without a set in memory that grows with it."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE hashes (sha256 TEXT PRIMARY KEY) WITHOUT ROWID")
        self.db.execute("BEGIN")  # never committed: the file goes with the connection

    def __enter__(self) -> HashSet:
        return self

    def __exit__(self, *_: object) -> None:
        self.db.close()

    def add(self, sha256: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO hashes VALUES (?)", (sha256,))

    def add_all(self, hashes: list[str]) -> None:
        """Add ``hashes``, 500 a statement (a statement each cost a pass over 100,000 texts 0.7 s)."""
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            self.db.execute(f"INSERT OR IGNORE INTO hashes VALUES {','.join(['(?)'] * len(chunk))}", chunk)

    def having(self, hashes: list[str]) -> set[str]:
        """Those of ``hashes`` in the set."""
        found: set[str] = set()
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                sha256 for (sha256,) in self.db.execute(f"SELECT sha256 FROM hashes WHERE sha256 IN ({marks})", chunk)
            )
        return found
