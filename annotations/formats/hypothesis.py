"""Hypothesis (hypothes.is) API JSON: annotations of web pages, placed in reader's articles.

What the Hypothesis API returns, as one annotation, a list of them, or a search result
(``{"total": n, "rows": [...]}``)::

    {"id", "created", "updated", "uri", "text", "tags": [...], "document": {"title": [...]},
     "target": [{"source", "selector": [{"type": "RangeSelector", ...},
                                        {"type": "TextPositionSelector", "start", "end"},
                                        {"type": "TextQuoteSelector", "exact", "prefix", "suffix"}]}],
     "references": [...], ...}

An annotation names a web page (its ``uri``), not an article, so it can only be imported against
a corpus: the caller gives a :data:`PageFinder` that returns the article (and its text) a page
is (reader's CLI matches the article's ``url``, then a ``file:`` URI's path, then the page's
file name against the article id: see :mod:`reader.import_pages`). The passage is then placed in
the article's text as Hypothesis places it: at the ``TextPositionSelector`` if the quote is
there (its offsets count UTF-16 code units, as JavaScript strings do, and are converted to code
points), else where the quote is found with the most of its prefix and suffix around it (its
spacing aside), the nearest to the old position first. ``RangeSelector`` (XPaths into the
page's HTML) means nothing in plain text and is passed over.

``tags`` become the passage's tags and ``text`` its note; the Hypothesis ``user``
(``acct:ada@hypothes.is``) is the coder, without ``acct:`` (none: the default coder). Page
notes and replies (no selector) are not passages: they are counted in :attr:`Imported.ignored`.
An annotation whose page is not in the corpus, or whose quote is not in the article, is an error
naming it: nothing is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotations.coders import coder_of
from annotations.formats.exchange import Imported
from annotations.formats.fields import FormatError, Record, parse_json
from annotations.model import CONTEXT_CHARS, Annotation, ArticleRef, merge_tags, utc_now


@dataclass(frozen=True)
class Page:
    """The article a web page is, with its text as reader displays it."""

    article: ArticleRef
    text: str


#: The article a Hypothesis ``uri`` is, or None when the corpus has none.
PageFinder = Callable[[str], Page | None]

#: What a Hypothesis annotation has that no other format's record has together.
_KEYS = {"uri", "target"}


def is_annotation(value: object) -> bool:
    """Whether a parsed JSON object is a Hypothesis API annotation (and not W3C JSON-LD)."""
    return (
        isinstance(value, dict)
        and _KEYS <= value.keys()
        and isinstance(value.get("target"), list)
        and "@context" not in value
        and "type" not in value
    )


def is_document(value: object) -> bool:
    """Whether a parsed JSON value is Hypothesis API JSON: one annotation, a list, or search rows."""
    if isinstance(value, dict) and isinstance(value.get("rows"), list) and "total" in value:
        return all(is_annotation(row) for row in value["rows"])
    if isinstance(value, list):
        return bool(value) and all(is_annotation(item) for item in value)
    return is_annotation(value)


def loads(text: str, pages: PageFinder | None = None) -> Imported:
    """The annotations of Hypothesis API JSON, placed in the articles ``pages`` finds."""
    return read_document(parse_json(text), pages)


def read_document(document: object, pages: PageFinder | None) -> Imported:
    """Like :func:`loads`, for a document already parsed."""
    imported = Imported()
    for record in _records(document):
        if pages is None:
            raise FormatError(
                "these are Hypothesis annotations of web pages: reader places them in its articles by "
                "their words, so it needs the corpus that holds the pages",
                needs_pages=True,
            )
        annotation = read_annotation(record, pages)
        if annotation is None:
            imported.ignored += 1
            continue
        placed, article = annotation
        imported.add(placed, field=record.path)
        imported.articles.setdefault(article.id, article)
    return imported


def _records(document: object) -> Iterator[Record]:
    if isinstance(document, dict) and "rows" in document:
        yield from Record.of(document).records("rows")
    elif isinstance(document, list):
        yield from (Record.of(item, f"[{index}]") for index, item in enumerate(document))
    else:
        yield Record.of(document)


def read_annotation(record: Record, pages: PageFinder) -> tuple[Annotation, ArticleRef] | None:
    """One annotation placed in its article, or None for one that selects no passage (a page
    note, a reply). :class:`FormatError` when its page or its words cannot be found."""
    target, selectors = _selected_target(record)
    if target is None:
        return None
    uri = target.text("source") if isinstance(target.get("source", None), str) else record.text("uri")
    page = pages(uri)
    if page is None:
        raise record.fail(
            "uri",
            f"no article of the corpus is the page {uri}: give the corpus that holds it (an article's url, or its file name)",
        )
    quote = selectors.get("TextQuoteSelector")
    if quote is None:
        raise target.fail("selector", "no TextQuoteSelector: reader needs the passage's words to place it")
    exact = quote.text("exact")
    prefix, suffix = quote.text("prefix", ""), quote.text("suffix", "")
    hint = None
    if "TextPositionSelector" in selectors:
        position = selectors["TextPositionSelector"]
        hint = (utf16_to_index(page.text, position.offset("start")), utf16_to_index(page.text, position.offset("end")))
    found = place(page.text, exact, prefix, suffix, hint)
    if found is None:
        raise quote.fail("exact", f"the words {exact[:60]!r} are not in the text of article {page.article.id!r}")
    start, end = found
    created = record.time("created") if record.has("created") else utc_now()
    annotation = Annotation(
        id=record.identifier("id"),
        article_id=page.article.id,
        article_sha256=page.article.sha256,
        start=start,
        end=end,
        quote=page.text[start:end],
        prefix=page.text[max(0, start - CONTEXT_CHARS) : start],
        suffix=page.text[end : end + CONTEXT_CHARS],
        tags=merge_tags(record.texts("tags", [])),
        note=record.text("text", "") if record.get("text", None) is not None else "",
        created=created,
        updated=record.time("updated") if record.has("updated") else created,
        coder=coder_of(_user(record.get("user", None))),
    )
    return annotation, page.article


def _user(value: object) -> str | None:
    """The Hypothesis account ``acct:ada@hypothes.is`` as a coder's name (``ada@hypothes.is``)."""
    if not isinstance(value, str):
        return None
    return value.removeprefix("acct:")


def _selected_target(record: Record) -> tuple[Record | None, dict[str, Record]]:
    """The first target with selectors, and its selectors by type (the first of each type)."""
    for target in record.records("target"):
        if not target.has("selector"):
            continue
        found: dict[str, Record] = {}
        for selector in target.records("selector"):
            kind = selector.get("type", None)
            if isinstance(kind, str):
                found.setdefault(kind, selector)
        if found:
            return target, found
    return None, {}


def utf16_to_index(text: str, units: int) -> int:
    """The code-point index in ``text`` of a JavaScript (UTF-16 code unit) offset ``units``.

    A character beyond the Basic Multilingual Plane (an emoji) is two units; an offset between
    its two halves is taken as the character's start. An offset past the end is the text's length.
    """
    counted = 0
    for index, character in enumerate(text):
        width = 2 if ord(character) > 0xFFFF else 1
        if counted + width > units:
            return index
        counted += width
    return len(text)


def place(text: str, exact: str, prefix: str, suffix: str, hint: tuple[int, int] | None) -> tuple[int, int] | None:
    """Where ``exact`` is in ``text``: at ``hint`` if it is there, else the occurrence with the
    most of ``prefix`` before it and ``suffix`` after it (nearest ``hint`` first among equals);
    its spacing may differ from the text's (a web page's line breaks are not an article's).
    None when the words are not in the text."""
    if not exact.strip():
        return None
    if hint is not None and text[hint[0] : hint[1]] == exact:
        return hint
    words = exact.split()
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    candidates = [(match.start(), match.end()) for match in pattern.finditer(text)]
    if not candidates:
        return None
    near = hint[0] if hint is not None else 0

    def score(span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        before = _common_suffix(prefix, text[max(0, start - len(prefix)) : start])
        after = _common_prefix(suffix, text[end : end + len(suffix)])
        return (-(before + after), abs(start - near))

    return min(candidates, key=score)


def _common_prefix(one: str, other: str) -> int:
    count = 0
    for left, right in zip(one, other, strict=False):
        if left != right:
            break
        count += 1
    return count


def _common_suffix(one: str, other: str) -> int:
    return _common_prefix(one[::-1], other[::-1])
