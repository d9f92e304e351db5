"""The native JSON document: every field of every annotation, and the articles they refer to.

Shape (version 1)::

    {"format": "reader-annotations", "version": 1, "exported": "<ISO 8601 UTC>",
     "articles": [{"id", "title", "date", "path", "sha256"}, ...],
     "annotations": [{"id", "article_id", "article_sha256", "start", "end", "quote",
                      "prefix", "suffix", "tags", "note", "created", "updated", "coder"}, ...]}

``coder`` (who made the annotation) is optional: documents written before coders existed lack
it, and their annotations are read as the default coder's (:mod:`annotations.coders`).

Its JSON Schema ships beside this module (``schemas/reader-annotations.schema.json``, see
:func:`schema_path`). Reading it back (:func:`loads`) gives every annotation exactly as it was
kept, so an export is also a backup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from annotations.coders import coder_of
from annotations.formats.exchange import Export, Imported
from annotations.formats.fields import Record, parse_json
from annotations.model import Annotation, ArticleRef, merge_tags, to_iso, utc_now

FORMAT_NAME = "reader-annotations"
FORMAT_VERSION = 1


def export_document(
    annotations: Iterable[Annotation],
    articles: Mapping[str, ArticleRef],
    exported: datetime | None = None,
) -> dict[str, Any]:
    """The export document for ``annotations``; only the articles they refer to are listed."""
    chosen = sorted(annotations, key=lambda a: (a.article_id, a.start, a.end, a.id))
    referenced = sorted({a.article_id for a in chosen})
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": to_iso(exported or utc_now()),
        "articles": [
            (articles.get(article_id) or ArticleRef(article_id, "", None, "", "")).to_record()
            for article_id in referenced
        ],
        "annotations": [annotation.to_record() for annotation in chosen],
    }


def dumps(document: Mapping[str, Any]) -> str:
    """The document as indented UTF-8 JSON text, ending with a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(export: Export) -> str:
    """The document of ``export`` as text (the registry's entry point)."""
    return dumps(export_document(export.annotations, export.articles, export.exported))


def schema_path() -> Traversable:
    """The JSON Schema (draft 2020-12) that every exported document satisfies."""
    return files("annotations.formats") / "schemas" / "reader-annotations.schema.json"


def is_document(value: object) -> bool:
    """Whether a parsed JSON value claims to be a native document (for format detection)."""
    return isinstance(value, dict) and value.get("format") == FORMAT_NAME


def loads(text: str) -> Imported:
    """The annotations and articles of a native document; :class:`FormatError` says where it is wrong."""
    return read_document(parse_json(text))


def read_document(document: object) -> Imported:
    """Like :func:`loads`, for a document already parsed."""
    root = Record.of(document)
    if root.get("format") != FORMAT_NAME:
        raise root.fail("format", f"expected {FORMAT_NAME!r}: this is not a reader annotations document")
    version = root.get("version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION
        reason = "written by a newer reader; upgrade reader to import it" if newer else f"expected {FORMAT_VERSION}"
        raise root.fail("version", f"version {version!r}: {reason}")
    imported = Imported()
    for article in root.records("articles"):
        imported.articles[article.identifier("id")] = ArticleRef(
            id=article.identifier("id"),
            title=article.text("title", ""),
            date=article.optional_text("date"),
            path=article.text("path", ""),
            sha256=article.text("sha256", ""),
        )
    for record in root.records("annotations"):
        imported.add(read_annotation(record), field=record.path)
    return imported


def read_annotation(record: Record) -> Annotation:
    """One annotation record of the document, every field checked."""
    return Annotation(
        id=record.identifier("id"),
        article_id=record.identifier("article_id"),
        article_sha256=record.text("article_sha256", ""),
        start=record.offset("start"),
        end=record.offset("end"),
        quote=record.text("quote"),
        prefix=record.text("prefix", ""),
        suffix=record.text("suffix", ""),
        tags=merge_tags(record.texts("tags", [])),
        note=record.text("note", ""),
        created=record.time("created"),
        updated=record.time("updated"),
        coder=coder_of(record.text("coder", "")),
    )
