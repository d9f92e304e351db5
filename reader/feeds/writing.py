"""An article as a ``.md`` file with front matter, as :mod:`reader.corpus.formats.markdown` reads it.

Front matter: ``title``, ``date``, ``source``, ``url``, ``feed``, ``fetched`` (and ``guid``), written
by YAML's safe dumper, which quotes and escapes whatever a title holds. The body is one Markdown
paragraph a paragraph, every character Markdown would read as syntax escaped with a backslash, so
the text read back is the text written (a ``# `` or ``* `` or ``[x](y)`` in an article stays words).
File names come from the date and the title through :func:`reader.feeds.subscriptions.slug`: no
title or URL can name a path outside the feed's folder.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from annotations.atomic_file import replace_text
from reader.feeds.subscriptions import slug


@dataclass(frozen=True)
class FetchedArticle:
    """An article ready to write: what it says and where it came from."""

    title: str
    paragraphs: list[str]
    url: str
    feed: str
    fetched: datetime
    published: datetime | None = None
    source: str = ""
    guid: str = ""


_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#!|~&+\-=.:()\"'$^@])")


def escape_markdown(paragraph: str) -> str:
    """``paragraph`` as Markdown that reads back as exactly these words (one line)."""
    line = " ".join(paragraph.split())
    return _SPECIAL.sub(r"\\\1", line)


def markdown_document(article: FetchedArticle) -> str:
    """The whole ``.md`` file: front matter, then the paragraphs."""
    import yaml

    meta: dict[str, str] = {"title": " ".join(article.title.split()) or "(no title)"}
    if article.published is not None:
        meta["date"] = article.published.isoformat()
    if article.source:
        meta["source"] = article.source
    if article.url:
        meta["url"] = article.url
    meta["feed"] = article.feed
    meta["fetched"] = article.fetched.isoformat(timespec="seconds")
    if article.guid and article.guid != article.url:
        meta["guid"] = article.guid
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000)
    body = "\n\n".join(escape_markdown(paragraph) for paragraph in article.paragraphs if paragraph.strip())
    return f"---\n{front}---\n\n{body}\n"


def file_name(article: FetchedArticle) -> str:
    """``YYYY-MM-DD-title.md`` (the date when known), from the title, else the URL's hash."""
    stem = slug(article.title) or hashlib.sha256((article.url or article.guid).encode()).hexdigest()[:12]
    if article.published is not None:
        stem = f"{article.published.date().isoformat()}-{stem}"
    return f"{stem}.md"


def write_article(corpus: Path, folder: str, article: FetchedArticle, existing: str = "") -> str:
    """Write ``article``; returns its path relative to ``corpus`` (with ``/``).

    ``existing`` is the file the article was written to before (an update in place, so the
    article keeps its id and its annotations); a new article takes a free name in ``folder``.
    """
    if existing:
        target = corpus / existing
        if not _inside(corpus, target):
            existing = ""
    if not existing:
        directory = corpus / (slug(folder) or "feed")
        directory.mkdir(parents=True, exist_ok=True)
        name = file_name(article)
        target = directory / name
        number = 2
        while target.exists() and not _holds(target, article.url):
            target = directory / f"{name[:-3]}-{number}.md"
            number += 1
    replace_text(target, [markdown_document(article)], parents=True)
    target.chmod(0o666 & ~_umask())  # an ordinary file of the corpus, not the private temporary's 0600
    return target.relative_to(corpus).as_posix()


@cache
def _umask() -> int:
    """The process umask (read once, on the thread that writes)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _inside(corpus: Path, target: Path) -> bool:
    """Whether ``target`` is inside ``corpus`` once links are resolved."""
    try:
        target.resolve().relative_to(corpus.resolve())
    except ValueError:
        return False
    return True


def _holds(path: Path, url: str) -> bool:
    """Whether the article file at ``path`` is the one fetched from ``url`` (per its front matter),
    so an article written before the ledger was saved is updated, not written twice."""
    from reader.corpus.formats.markdown import split_front_matter

    if not url:
        return False
    try:
        meta, _ = split_front_matter(path.read_text(encoding="utf-8")[:20_000])
    except (OSError, ValueError):
        return False
    return meta.get("url") == url
