"""The code x article matrix from the store's index: counts without reading a passage.

The index (:mod:`annotations.index`) keeps, for every tag, the articles that use it and how many
of their passages carry it. A code is a tag's path (:func:`annotations.analysis.code_key`), so
each code's row is its tag's counts, regrouped by month or source if asked: on 100,000 passages
this takes a few tens of milliseconds where reading every passage takes a second. The ids behind
a number are found in the index's entries when a drill-down asks for them, as many as it lists.

Tags that differ as written but name one code (``a /b`` and ``a/b``) are counted again from the
index's entries for the articles they share, so a passage carrying both counts once, as there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotations.analysis import ArticleInfo, CodeMatrix, Grouping, code_key, column_of, info_of, ordered_columns
from annotations.codebook import code_path

#: tag key -> article id -> passages with the tag there.
TagArticles = Mapping[str, dict[str, int]]
#: tag key -> (the first article by id using it, its first spelling there).
TagSpellings = Mapping[str, tuple[str, str]]
#: article id -> its passages' ``[id, [tags]]`` in text order.
ArticleEntries = Mapping[str, Sequence[Sequence[Any]]]


def index_matrix(
    tag_articles: TagArticles,
    spellings: TagSpellings,
    entries: ArticleEntries,
    articles: Mapping[str, ArticleInfo],
    by: Grouping = "article",
) -> CodeMatrix:
    """The counts of :func:`~annotations.analysis.code_matrix` over every code, from what
    ``AnnotationStore.tag_articles`` and ``AnnotationStore.tagged`` give (no passage read).
    ``tag_articles``' counts become the matrix's own (by article), not to be changed after."""
    groups: dict[str, list[tuple[str, str]]] = {}  # code key -> (first article, tag key) of its tags
    for key, (first, spelled) in spellings.items():
        path = code_path(spelled)
        if path and key in tag_articles:
            groups.setdefault(code_key(path), []).append((first, key))
    spelling: dict[str, str] = {}
    by_article: dict[str, dict[str, int]] = {}
    for code, tags in groups.items():
        first, key = min(tags)
        if len(tags) == 1:
            spelling[code] = code_path(spellings[key][1])
            by_article[code] = tag_articles[key]
        else:
            spelling[code], by_article[code] = _recount(code, [key for _, key in tags], tag_articles, entries)
    present: set[str] = set().union(*by_article.values())
    infos = {article_id: info_of(articles, article_id) for article_id in present}
    if by == "article":
        counted = by_article
    else:
        columns_of = {article_id: column_of(info, by) for article_id, info in infos.items()}
        counted = {}
        for code, row in by_article.items():
            regrouped: dict[str, int] = {}
            for article_id, count in row.items():
                column = columns_of[article_id]
                regrouped[column] = regrouped.get(column, 0) + count
            counted[code] = regrouped
    codes = sorted(by_article, key=lambda code: (code, spelling[code]))
    columns, labels = ordered_columns(infos.values(), by)
    in_column: dict[str, list[str]] = {}  # column -> its articles, in store order (by id)
    for article_id in sorted(infos):
        in_column.setdefault(article_id if by == "article" else column_of(infos[article_id], by), []).append(article_id)

    def finder(code: str, column: str | None, limit: int | None) -> list[str]:
        """The ids of ``code`` in ``column`` (every column: None), the first ``limit`` of them."""
        found: list[str] = []
        row = by_article.get(code, {})
        for each in columns if column is None else [column]:
            for article_id in in_column.get(each, ()):
                if not row.get(article_id):
                    continue
                for passage_id, tags in entries.get(article_id, ()):
                    if limit is not None and len(found) >= limit:
                        return found
                    if any(code_key(tag) == code for tag in tags):
                        found.append(passage_id)
        return found

    return CodeMatrix(by, codes, spelling, columns, labels, {}, counted, finder)


def _recount(
    code: str, keys: list[str], tag_articles: TagArticles, entries: ArticleEntries
) -> tuple[str, dict[str, int]]:
    """A code reached from several tags: its spelling (the first tag in store order) and its
    passages in each article, each passage once."""
    spelled = ""
    counts: dict[str, int] = {}
    for article_id in sorted(set().union(*(tag_articles[key] for key in keys))):
        count = 0
        for _, tags in entries.get(article_id, ()):
            mine = [tag for tag in tags if code_key(tag) == code]
            if mine:
                count += 1
                spelled = spelled or code_path(mine[0])
        if count:
            counts[article_id] = count
    return spelled, counts
