"""The texts the full-text index needs (:mod:`reader.corpus.fulltext`), read the cheapest way.

A few changed articles are read one by one (from what listing the corpus just read, else their
file); many (a first build) come from the corpus's text store in one stream, which is much faster
than parsing every file again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from reader.corpus.article import Article

if TYPE_CHECKING:
    from reader.corpus.loader import Corpus

#: Above this many articles to add, texts are read from the text store in one stream.
FEW = 200


def texts_to_index(
    corpus: Corpus, todo: list[Article] | None, should_stop: Callable[[], bool] | None
) -> Iterator[tuple[Article, str]]:
    """The text of each article of ``todo`` (None: every article of ``corpus``, a first build)
    that can be read: a few read one by one, many through the text store (one stream instead of
    every file parsed)."""
    from reader.corpus.texts import article_texts, text_of

    if todo is None or (len(todo) > FEW and corpus.text_store is not None):
        texts = article_texts(corpus, should_stop=should_stop)
        if todo is None:
            yield from texts
            return
        wanted = {article.id for article in todo}
        for article, text in texts:
            if article.id in wanted:
                yield article, text
        return
    for article in todo:
        if (known := text_of(corpus, article)) is not None:
            yield article, known
