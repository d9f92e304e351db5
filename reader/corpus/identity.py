"""Article ids: what annotations, reading positions and exports call an article.

An id is a function of the article's own file (its path relative to the corpus root) and, for a
file that holds many articles, of that file's own records; never of which other files exist. So
adding, removing or renaming ``x.html`` cannot change the id of ``x.txt``, and annotations stay
with the passage they were made on.

* A ``.txt`` file: its path without ``.txt`` (``story``, ``2025/story``). This is the id stores
  have always used for a ``.txt`` file at the top of a corpus whose stem was unique, so those
  stores need no change. When the rest itself ends in an article suffix (``x.html.txt``) the whole
  path is kept, and so it is when the rest holds a ``#`` (which marks the ids below), so no two
  files share an id.
* Any other file holding one article: its path, suffix included (``story.html``, ``a/b.md``).
* A file holding many (JSON array, JSON Lines): the file's id, ``#``, then the record's own
  ``id`` field, or its line or position when it has none (or shares it with a record before
  it): ``feed.jsonl#a1``, ``feed.jsonl#3``.

Only a contrived name can still make two ids equal (a file ``feed.jsonl#k.md`` beside a record
with the key ``k.md`` in ``feed.jsonl``); the corpus then tells the second apart with ``~2``.

Older versions gave other ids (the stem alone, ``x~2``, a JSON ``id`` alone); see
:mod:`reader.corpus.rekey` for how a store made with them is brought over.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.corpus.formats import is_article_file

#: The suffix dropped from the id of a plain-text file (in this spelling only, so ``x.TXT`` and
#: ``x.txt``, two files on a case-sensitive file system, keep two ids).
PLAIN_SUFFIX = ".txt"


def file_id(name: str) -> str:
    """The id of the file at ``name`` (relative to the root, with ``/``), alone in its file."""
    if name.endswith(PLAIN_SUFFIX):
        rest = name[: -len(PLAIN_SUFFIX)]
        if rest and not rest.endswith("/") and "#" not in rest and not is_article_file(rest):
            return rest
    return name


def record_ids(name: str, records: Sequence[tuple[str | None, int | None]]) -> list[str]:
    """The ids of a file's articles, given each one's (key, locator) in file order.

    A file's only article without a locator takes the file's id. Others take ``file#key`` the
    first time a key is met in the file, else ``file#locator``; the few clashes left (a key
    that is another record's line number) are settled within the file, in file order.
    """
    base = file_id(name)
    if len(records) == 1 and records[0][1] is None:
        return [base]
    taken: set[str] = set()
    ids: list[str] = []
    for key, locator in records:
        candidates = [f"{base}#{key}"] if key else []
        candidates.append(f"{base}#{locator if locator is not None else len(ids) + 1}")
        chosen = next((candidate for candidate in candidates if candidate not in taken), None)
        if chosen is None:
            number = 2
            while f"{candidates[-1]}~{number}" in taken:
                number += 1
            chosen = f"{candidates[-1]}~{number}"
        taken.add(chosen)
        ids.append(chosen)
    return ids
