"""The native JSON document: every field of every annotation, and the articles they refer to.

Shape (version 1)::

    {"format": "reader-annotations", "version": 1, "exported": "<ISO 8601 UTC>",
     "articles": [{"id", "title", "date", "path", "sha256"}, ...],
     "annotations": [{"id", "article_id", "article_sha256", "start", "end", "quote",
                      "prefix", "suffix", "tags", "note", "created", "updated"}, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from annotations.model import Annotation, ArticleRef, to_iso, utc_now

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
