"""Bring a store's article ids over to the ids of :mod:`reader.corpus.identity`.

Stores made by older versions name articles by ids that depended on the other files of the
corpus (the stem alone, ``x~2`` for a second ``x.*``, a JSON ``id`` alone). Each article a store
knows comes with the path of its file (its :class:`~annotations.model.ArticleRef`); when that
path is inside this corpus, the annotations go to the id that file's article has now:

* the file is there: the article of that file (for a file of many, the one whose text the
  annotations were made on, else the one whose key or line the old id names);
* the file is gone but its old id is now another file's (``x.html`` removed, ``x.txt`` now
  ``x``): the id the gone file would have (``x.html``), so they show nowhere they do not belong
  and come back with the file.

Articles of other corpora (paths outside this root), annotations without a recorded path, and
ids that are right already are left alone. Moves go through :mod:`annotations.rekey`, which
loses no passage if it is cut short.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from annotations import AnnotationStore, ArticleRef
from annotations.model import Annotation
from annotations.rekey import move_annotations
from reader.corpus.article import Article
from reader.corpus.identity import file_id
from reader.corpus.loader import Corpus


def settle_ids(corpus: Corpus, store: AnnotationStore) -> int:
    """Move the store's annotations of this corpus to their articles' ids; returns how many moved."""
    return move_annotations(store, planned_moves(corpus, store))


def planned_moves(corpus: Corpus, store: AnnotationStore) -> list[tuple[list[Annotation], ArticleRef]]:
    """What :func:`settle_ids` would move (reads only, so a read-only store can tell): each group
    of annotations with the article they go to.

    Cheap when there is nothing to move (every start): the store's index, and the catalog asked
    about the annotated articles' files only; an article's annotations are read only when they
    may have to move.
    """
    refs = store.articles()
    catalog = corpus.catalog
    moves: list[tuple[list[Annotation], ArticleRef]] = []
    for old_id, count in store.counts_by_article().items():
        ref = refs.get(old_id)
        if not count or ref is None or not ref.path:
            continue
        articles = catalog.in_file(name) if (name := relative_name(ref.path, corpus.root)) is not None else None
        if name is None:
            continue
        if articles:
            if any(article.id == old_id for article in articles):
                continue  # the id it has now
            annotations = store.for_article(old_id)
            target = _article_for(old_id, ref, annotations, articles)
            if target is not None:
                moves.append((annotations, target.ref()))
            continue
        holder = catalog.get(old_id)
        if holder is None or file_id(name) == old_id or holder.path.name == Path(ref.path).name:
            continue  # nobody else has its id (or the recorded path may only be read wrongly)
        annotations = store.for_article(old_id)
        if holder.sha256 in {ref.sha256, *(annotation.article_sha256 for annotation in annotations)}:
            continue  # made on the text of the article that has the id now: it is that one's
        moves.append((annotations, ArticleRef(file_id(name), ref.title, ref.date, ref.path, ref.sha256)))
    return moves


def relative_name(path: str, root: Path) -> str | None:
    """``path`` relative to ``root`` with ``/`` (as the corpus names files), or None if outside."""
    top = os.path.abspath(root)
    candidate = os.path.abspath(path)
    if not candidate.startswith(top + os.sep):  # perhaps through a link: compare real paths
        top, candidate = os.path.realpath(top), os.path.realpath(candidate)
        if not candidate.startswith(top + os.sep):
            return None
    return candidate[len(top) + 1 :].replace(os.sep, "/")


def _article_for(
    old_id: str, ref: ArticleRef, annotations: Sequence[Annotation], articles: list[Article]
) -> Article | None:
    """Which of one file's articles the annotations of ``old_id`` belong to (None: cannot tell)."""
    if len(articles) == 1 and articles[0].locator is None:
        return articles[0]
    hashes = {ref.sha256, *(annotation.article_sha256 for annotation in annotations)}
    by_text = [article for article in articles if article.sha256 in hashes]
    if len(by_text) == 1:
        return by_text[0]
    base, _, tail = old_id.rpartition("#")
    for article in articles:
        if article.id.endswith(f"#{old_id}") or (base and tail.isdigit() and article.locator == int(tail)):
            return article
    return None


def settle_ids_message(corpus: Corpus, store: AnnotationStore) -> str | None:
    """:func:`settle_ids`, for a command or the app starting: a line for people when passages
    were moved or could not be, else None. Never raises: a store that cannot be changed now
    keeps the old ids, and the move is tried again on the next start."""
    from annotations.store import StoreError

    try:
        moved = settle_ids(corpus, store)
    except (StoreError, OSError, ValueError) as error:
        return f"reader: the annotations of renamed article ids in {store.path} could not be moved yet ({error}); they will be on the next start."
    if not moved:
        return None
    return f"reader: {moved} annotation(s) in {store.path} now use their article's new id (the file's path in {corpus.root})."
