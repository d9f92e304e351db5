"""Telling apart articles that have the same title.

Two files can carry the same headline (the same story saved as ``.html`` and ``.txt``, a wire
story in two feeds). The list then shows, beside each such title, what differs: the file name
when the files' names differ, else the article's id (its path in the corpus, and its line or key
in a file of many).
"""

from __future__ import annotations

from collections.abc import Iterable

from reader.corpus.article import Article
from reader.corpus.search import fold


def title_details(articles: Iterable[Article]) -> dict[str, str]:
    """For each article whose title another one has too (case and accents aside), by id, what
    tells it apart; articles with a title of their own are not in the result."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(fold(article.title), []).append(article)
    details: dict[str, str] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        names = [article.path.name for article in group]
        distinct = len(set(names)) == len(names)
        for article, name in zip(group, names, strict=True):
            details[article.id] = name if distinct else article.id
    return details


def shown_title(title: str, detail: str | None) -> str:
    """The title as the list shows it, with what tells it apart when another article has it too."""
    return f"{title} \u00b7 {detail}" if detail else title
