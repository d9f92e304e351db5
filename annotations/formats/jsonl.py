"""JSON Lines for spaCy and Prodigy: one line per article, its text with labelled spans.

Each line is one task in the shape spaCy and Prodigy span and NER tasks use::

    {"text": "...", "meta": {"id", "title", "date", "path", "sha256"}, "answer": "accept",
     "tokens": [{"text", "start", "end", "id", "ws"}, ...],
     "spans": [{"start", "end", "label", "token_start", "token_end", "meta": {...}}, ...]}

``answer: "accept"`` makes the file read as accepted annotations in Prodigy (``db-in``). A tagged
passage gives one span per tag; the span's ``meta`` keeps the rest of the annotation
(``annotation_id``, ``coder``, ``note``, ``created``, ``updated``, ``prefix``, ``suffix``,
``article_sha256``; a span without ``coder`` is read as the default coder's), so the file can
be imported back without loss. ``label`` is the tag as
reader folds it: tags equal but for case are one tag, spelled as first met
(:meth:`Export.tag_spellings`); where the annotation spells it otherwise, ``meta.tag`` keeps its
own spelling. A passage without tags has no label to train on: it goes to ``untagged`` (same
shape, no ``label``). Entity spans, when asked for, join ``spans`` with
``meta: {"source": "entity"}``; imports skip them.

``tokens`` and the token indices are written when a tokenizer is given; it tokenises the text as
written in the task. ``token_end`` is the index of the span's last token (inclusive, as Prodigy
has it; spaCy's ``Span.end`` is that plus one). So that every span is a span of the ``Doc`` built
from the tokens (``doc.char_span`` never gives None), a token is split where a span starts or
ends inside it (a passage inside a run of Chinese, or beside a zero-width space), and space
next to a span's edge is a token of its own rather than a token's trailing ``ws``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from annotations.coders import coder_of
from annotations.formats.exchange import Export, Imported
from annotations.formats.fields import Record, date_or_none, parse_json, sha256_or_empty
from annotations.model import CONTEXT_CHARS, Annotation, ArticleRef, merge_tags, tag_key, to_iso

#: ``meta.source`` of an entity span: not an annotation, skipped on import.
ENTITY_SOURCE = "entity"


def render(export: Export) -> str:
    """Every line of ``export``, each ending with a newline."""
    return "".join(json.dumps(task, ensure_ascii=False) + "\n" for task in tasks(export))


def tasks(export: Export) -> Iterator[dict[str, Any]]:
    """One task per article: those with annotations, and (with entities) those with entities."""
    groups = export.by_article()
    spellings = export.tag_spellings()
    article_ids = sorted(set(groups) | set(export.entities or {}))
    for article_id in article_ids:
        yield _task(export, article_id, groups.get(article_id, []), spellings)


def _task(export: Export, article_id: str, annotations: list[Annotation], spellings: dict[str, str]) -> dict[str, Any]:
    text = export.text(article_id)
    entities = (export.entities or {}).get(article_id, ())
    tokens = None
    if export.tokenizer is not None:
        edges = [(a.start, a.end) for a in annotations] + [(start, end) for start, end, _ in entities]
        tokens = _Tokens(text, export.tokenizer(text), edges)
    spans: list[dict[str, Any]] = []
    untagged: list[dict[str, Any]] = []
    for annotation in annotations:
        if text[annotation.start : annotation.end] != annotation.quote:
            raise ValueError(f"annotation {annotation.id} does not match the text given for article {article_id!r}")
        meta = {
            "annotation_id": annotation.id,
            "coder": annotation.coder,
            "note": annotation.note,
            "created": to_iso(annotation.created),
            "updated": to_iso(annotation.updated),
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
            "article_sha256": annotation.article_sha256,
        }
        if not annotation.tags:
            untagged.append(_span(annotation.start, annotation.end, None, tokens, meta))
        for tag in annotation.tags:
            label = spellings.get(tag_key(tag), tag)
            spans.append(
                _span(annotation.start, annotation.end, label, tokens, meta if label == tag else {**meta, "tag": tag})
            )
    for start, end, label in entities:
        spans.append(_span(start, end, label, tokens, {"source": ENTITY_SOURCE}))
    spans.sort(key=lambda span: (span["start"], span["end"]))
    ref = export.article(article_id)
    task: dict[str, Any] = {
        "text": text,
        "meta": {"id": ref.id, "title": ref.title, "date": ref.date, "path": ref.path, "sha256": ref.sha256},
        "answer": "accept",
    }
    if tokens is not None:
        task["tokens"] = tokens.records()
    task["spans"] = spans
    if untagged:
        task["untagged"] = untagged
    return task


def _span(start: int, end: int, label: str | None, tokens: _Tokens | None, meta: dict[str, Any]) -> dict[str, Any]:
    span: dict[str, Any] = {"start": start, "end": end}
    if label is not None:
        span["label"] = label
    if tokens is not None and tokens.spans:
        span["token_start"], span["token_end"] = tokens.covering(start, end)
    span["meta"] = meta
    return span


class _Tokens:
    """A text's tokens, cut so that every span's edges are token edges, indexed by position.

    The tokenizer's tokens are kept, but one is split where a span starts or ends inside it, and
    the text between tokens is made tokens too, except one plain space after a token, which is
    that token's ``ws`` (as spaCy has it) unless a span starts at it or ends just after it. So
    the words and spaces rebuild the text, and each span starts and ends at a token's edge.
    """

    def __init__(self, text: str, spans: Sequence[tuple[int, int]], edges: Sequence[tuple[int, int]]) -> None:
        self.text = text
        span_starts = {start for start, _ in edges}
        span_ends = {end for _, end in edges}
        cuts = sorted((span_starts | span_ends) - {0, len(text)})
        pieces: list[tuple[int, int]] = []

        def add(start: int, end: int) -> None:
            """``[start, end)`` as tokens, cut at the span edges inside it."""
            inside = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
            for left, right in zip([start, *inside], [*inside, end], strict=True):
                pieces.append((left, right))

        def gap(start: int, end: int) -> None:
            """Text no token holds: a plain space after a token is its ``ws``, the rest tokens."""
            if (
                start < end
                and pieces
                and pieces[-1][1] == start
                and text[start] == " "
                and start not in span_starts
                and start + 1 not in span_ends
            ):
                start += 1
            if start < end:
                add(start, end)

        position = 0
        for start, end in sorted(spans):
            start, end = max(start, position), min(end, len(text))
            if end <= start:
                continue  # overlapping or empty: what the text between keeps is made a token below
            gap(position, start)
            add(start, end)
            position = end
        gap(position, len(text))
        self.spans = pieces
        self.starts = [start for start, _ in pieces]
        self.ends = [end for _, end in pieces]

    def covering(self, start: int, end: int) -> tuple[int, int]:
        """Indices of the first and the last token of ``[start, end)`` (both inclusive)."""
        first = min(bisect.bisect_right(self.ends, start), len(self.spans) - 1)
        last = max(bisect.bisect_left(self.starts, end) - 1, first)
        return first, last

    def records(self) -> list[dict[str, Any]]:
        """Prodigy's token list: ``ws`` says whether a space follows, so words and spaces rebuild the text."""
        records = []
        for index, (start, end) in enumerate(self.spans):
            following = self.spans[index + 1][0] if index + 1 < len(self.spans) else len(self.text)
            records.append(
                {"text": self.text[start:end], "start": start, "end": end, "id": index, "ws": following > end}
            )
        return records


# -- import ------------------------------------------------------------------------------------


def loads(text: str) -> Imported:
    """The annotations of a file written by :func:`render` (blank lines are allowed).

    Spans without ``meta.annotation_id`` (entity spans, spans from other tools) are counted in
    :attr:`Imported.ignored` and otherwise skipped.
    """
    imported = Imported()
    # Only "\n" ends a line: str.splitlines would also split at U+2028 and the like, which JSON
    # text may hold unescaped inside its strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            _read_task(Record.of(parse_json(line, line=number), line=number), imported)
    return imported


def _read_task(task: Record, imported: Imported) -> None:
    text = task.text("text")
    meta = task.record("meta")
    article_id = meta.identifier("id")
    imported.articles[article_id] = ArticleRef(
        id=article_id,
        title=meta.text("title", ""),
        date=date_or_none(meta.optional_text("date")),
        path=meta.text("path", ""),
        sha256=sha256_or_empty(meta.text("sha256", "")),
    )
    found: dict[str, tuple[Annotation, Record]] = {}
    tags: dict[str, list[str]] = {}
    for key in ("spans", "untagged"):
        for span in task.records(key, []):
            annotation = _read_span(span, key == "spans", text, article_id)
            if annotation is None:
                imported.ignored += 1
                continue
            first, _ = found.setdefault(annotation.id, (annotation, span))
            if (first.start, first.end) != (annotation.start, annotation.end):
                raise span.fail(
                    "start",
                    f"annotation {first.id!r} is given two passages "
                    f"({first.start}..{first.end} and {annotation.start}..{annotation.end})",
                )
            tags.setdefault(annotation.id, []).extend(annotation.tags)
    for annotation, span in found.values():
        imported.add(replace(annotation, tags=merge_tags(tags[annotation.id])), line=task.line, field=span.path)


def _read_span(span: Record, labelled: bool, text: str, article_id: str) -> Annotation | None:
    """The annotation one span stands for (with its one tag), or None for a span of no annotation."""
    meta = span.record("meta") if span.has("meta") else Record({}, span.where("meta"), span.line)
    if not meta.has("annotation_id"):
        return None
    start, end = span.offset("start"), span.offset("end")
    if not start <= end <= len(text):
        raise span.fail("end", f"the span {start}..{end} is not inside the text ({len(text)} characters)")
    return Annotation(
        id=meta.identifier("annotation_id"),
        article_id=article_id,
        article_sha256=sha256_or_empty(meta.text("article_sha256", "")),
        start=start,
        end=end,
        quote=text[start:end],
        prefix=meta.text("prefix", text[max(0, start - CONTEXT_CHARS) : start])[-CONTEXT_CHARS:],
        suffix=meta.text("suffix", text[end : end + CONTEXT_CHARS])[:CONTEXT_CHARS],
        # The annotation's own spelling of the tag, where the label is reader's folded one.
        tags=[meta.text("tag") if meta.has("tag") else span.text("label")] if labelled else [],
        note=meta.text("note", ""),
        created=meta.time("created"),
        updated=meta.time("updated"),
        coder=coder_of(meta.text("coder", "")),
    )
