"""Move annotations to another article id without losing one, even if the move is cut short.

The store keeps each article's annotations apart, and an annotation id is unique in the whole
store, so moving one is a delete from the old article and an add to the new: two transactions.
To lose nothing between them, the whole move is first written to a small file beside the store
(``<store>.rekey.json``); :func:`finish_moves`, run before any new move and whenever the store
is opened for a corpus, completes a move that was cut short, then removes the file.

    {"format": "reader-rekey", "version": 1,
     "moves": [{"article": {<ArticleRef>}, "annotations": [{<Annotation>}, ...]}, ...]}
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations.atomic_file import replace_text
from annotations.model import Annotation, ArticleRef

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

FORMAT = "reader-rekey"
VERSION = 1


def pending_path(store: AnnotationStore) -> Path:
    """Where a move in progress is kept: beside the store's own path."""
    return store.path.with_name(store.path.name + ".rekey.json")


def move_annotations(store: AnnotationStore, moves: list[tuple[list[Annotation], ArticleRef]]) -> int:
    """Give each list of annotations the article of its :class:`ArticleRef`; returns how many moved.

    The annotations keep their ids, passages, tags and times; only ``article_id`` changes.
    Raises OSError if the move cannot be written down first (nothing is changed then), and the
    store's errors while moving (what was not moved yet stays pending, finished next time).
    """
    finish_moves(store)
    moves = [(annotations, article) for annotations, article in moves if annotations]
    if not moves:
        return 0
    document = {
        "format": FORMAT,
        "version": VERSION,
        "moves": [
            {"article": article.to_record(), "annotations": [annotation.to_record() for annotation in annotations]}
            for annotations, article in moves
        ],
    }
    replace_text(pending_path(store), (json.dumps(document, ensure_ascii=False),))
    return finish_moves(store)


def finish_moves(store: AnnotationStore) -> int:
    """Complete the move written down beside the store, if any; returns how many annotations moved.

    A pending file that cannot be read (it is written whole, so only a hand edit or a damaged disk
    makes it so) is set aside as ``.damaged`` and nothing is moved.
    """
    path = pending_path(store)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        moves = [
            (
                ArticleRef.from_record(move["article"]),
                [Annotation.from_record(record) for record in move["annotations"]],
            )
            for move in document["moves"]
        ]
    except FileNotFoundError:
        return 0
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        _set_aside(path)
        return 0
    moved = 0
    for article, planned_moves in moves:
        for planned in planned_moves:
            current = store.get(planned.id)
            if current is not None and current.article_id == article.id:
                continue
            if current is not None:
                store.delete(planned.id)
            store.add(replace(current or planned, article_id=article.id), article)
            moved += 1
    path.unlink(missing_ok=True)
    return moved


def _set_aside(path: Path) -> None:
    try:
        os.replace(path, path.with_name(path.name + ".damaged"))
    except OSError:
        pass


def pending_document(store: AnnotationStore) -> dict[str, Any] | None:
    """The move written down beside the store (for tests and diagnostics), or None."""
    try:
        return json.loads(pending_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
