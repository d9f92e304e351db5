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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.atomic_file import replace_text
from reader.corpus.article import ArticleUnavailable, text_sha256
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

    def rewrite(self, keep: set[str], added: dict[str, str]) -> bool:
        """Keep the texts whose hash is in ``keep``, add ``added``; False if it cannot be written."""
        source = self.path
        if self.damage is not None:
            set_aside(self.path, self.damage)
            source = self.path.with_name(self.path.name + ".damaged")

        def lines() -> Iterator[str]:
            written: set[str] = set()
            for sha256, text in self._read(source):
                if sha256 in keep and sha256 not in written and sha256 not in added:
                    written.add(sha256)
                    yield json.dumps([sha256, text], ensure_ascii=False) + "\n"
            for sha256, text in added.items():
                yield json.dumps([sha256, text], ensure_ascii=False) + "\n"

        try:
            replace_text(self.path, lines(), parents=True)
        except OSError:
            return False
        finally:
            self.damage = None
        return True


def article_texts(
    corpus: Corpus, progress: Progress | None = None, should_stop: Callable[[], bool] | None = None
) -> Iterator[tuple[Article, str]]:
    """Each article of ``corpus`` with its text, in no set order.

    Texts come from the text store, then from what the corpus read while indexing, then from
    the files; the store is brought up to date once all have been read. An article whose file
    cannot be read is left out. ``should_stop`` is polled to end early (a cancelled worker).
    """
    wanted: dict[str, list[Article]] = {}
    for article in corpus.articles:
        wanted.setdefault(article.sha256, []).append(article)
    total, done = len(corpus.articles), 0
    step = max(total // 50, 1)
    store = corpus.text_store
    stale = False

    def report(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if progress is not None and (done // step != before // step or done == total):
            progress(done, total)

    if store is not None:
        for sha256, text in store:
            articles = wanted.pop(sha256, None)
            if articles is None:
                stale = True
                continue
            for article in articles:
                yield article, text
            report(len(articles))
            if should_stop is not None and should_stop():
                return
        stale = stale or store.damage is not None
    fresh = corpus.fresh_texts
    added: dict[str, str] = {}
    for sha256, articles in wanted.items():
        known: str | None = fresh.get(sha256)
        for article in articles:
            if known is None:
                try:
                    known = article.text if article.is_loaded else article.read_text()
                except ArticleUnavailable:
                    continue
            yield article, known
        if known is not None:
            added[text_sha256(known)] = known
        report(len(articles))
        if should_stop is not None and should_stop():
            return
    if store is not None and (added or stale):
        if store.rewrite({article.sha256 for article in corpus.articles} | set(added), added):
            corpus.fresh_texts = {}
