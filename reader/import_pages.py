"""Which article of a corpus a web page is: for importing annotations of web pages (Hypothesis).

A page's URI names an article when, in this order:

1. the article's ``url`` (from its metadata: Markdown front matter, a JSON record, an HTML page's
   canonical link) is the URI, a ``#fragment`` and a trailing ``/`` aside;
2. the URI is a ``file:`` URI of the article's own file;
3. the last segment of the URI's path, without its suffix, is the article's id (its file name
   without suffix): ``https://example.org/news/000_ff5b.html`` is article ``000_ff5b``.

A URI that names several articles by file name names none of them: it cannot be placed.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from annotations.formats.hypothesis import Page
from reader.corpus import Article, ArticleUnavailable, Corpus


def same_page(uri: str) -> str:
    """A URI as compared here: without its fragment and trailing ``/``, scheme and host in lowercase."""
    parts = urlsplit(uri.strip())
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment="").geturl().rstrip("/")


class CorpusPages:
    """Finds the article (with its text) a web page's URI names in ``corpus``; callable as a
    :data:`~annotations.formats.hypothesis.PageFinder`."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.by_url = {same_page(article.url): article for article in corpus.articles if article.url}
        self.by_path = {os.path.abspath(article.path): article for article in corpus.articles}
        self.by_id: dict[str, list[Article]] = {}
        for article in corpus.articles:
            self.by_id.setdefault(article.id, []).append(article)

    def __call__(self, uri: str) -> Page | None:
        parts = urlsplit(uri.strip())
        article = self.by_url.get(same_page(uri))
        if article is None and parts.scheme == "file":
            article = self.by_path.get(os.path.abspath(unquote(parts.path)))
        if article is None:
            name = PurePosixPath(unquote(parts.path or uri)).name
            named = self.by_id.get(Path(name).stem, []) if name else []
            article = named[0] if len(named) == 1 else None
        if article is None:
            return None
        try:
            return Page(article.ref(), article.text)
        except ArticleUnavailable:
            return None
