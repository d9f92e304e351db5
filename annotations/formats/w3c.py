"""The W3C Web Annotation Data Model, as JSON-LD: what annotation servers and tools exchange.

An export is one ``AnnotationCollection`` whose page (embedded as ``first``) holds every
annotation. Each annotation targets its article with a ``TextQuoteSelector`` (exact, prefix,
suffix) and a ``TextPositionSelector`` (start, end); each tag is a ``TextualBody`` with purpose
``tagging`` and the note one with purpose ``commenting``. An annotation with neither has no body.

A file is one JSON document, and a page's ``next`` may only name another page by IRI, so the
collection has a single page: paging is for servers, which can serve the annotations in as many
pages as they like.

IRIs: annotations are ``urn:reader:annotation:<id>`` and articles ``urn:reader:article:<id>``
(ids percent-encoded); collection and page get a fresh ``urn:uuid:``. What the model has no term
for is kept in terms of our own (prefix ``reader:``, declared in the ``@context``), so that an
import loses nothing: the hash of the text the selectors point into (``reader:sha256`` on the
target), and the article's date, file path and current hash on its source (whose title is the
source's ``label``).

The coder is the annotation's ``creator``, a ``Person`` with ``name`` and an IRI
``urn:reader:coder:<name>`` (percent-encoded). On import the creator's ``name`` (else its
``nickname``, else its IRI, ours unwrapped) is the coder; an annotation without a creator is the
default coder's (:mod:`annotations.coders`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote

from annotations.coders import coder_of
from annotations.formats.exchange import Export, Imported
from annotations.formats.fields import Record, date_or_none, parse_json, sha256_or_empty, text_or_empty
from annotations.model import CONTEXT_CHARS, Annotation, ArticleRef, merge_tags, to_iso, utc_now

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Where the terms of our own (``reader:sha256`` ...) live.
READER_TERMS = "urn:reader:terms#"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"reader": READER_TERMS}]
ANNOTATION_IRI = "urn:reader:annotation:"
ARTICLE_IRI = "urn:reader:article:"
CODER_IRI = "urn:reader:coder:"
TAGGING, COMMENTING = "tagging", "commenting"


def annotation_iri(annotation_id: str) -> str:
    return ANNOTATION_IRI + quote(annotation_id, safe="")


def article_iri(article_id: str) -> str:
    return ARTICLE_IRI + quote(article_id, safe="")


def coder_iri(coder: str) -> str:
    return CODER_IRI + quote(coder, safe="")


def creator(coder: str) -> dict[str, Any]:
    """The Web Annotation Agent for ``coder``."""
    return {"id": coder_iri(coder), "type": "Person", "name": coder}


def render(export: Export) -> str:
    """The collection of ``export`` as indented JSON-LD text, ending with a newline."""
    return json.dumps(collection(export), ensure_ascii=False, indent=2) + "\n"


def collection(export: Export) -> dict[str, Any]:
    """The ``AnnotationCollection`` document: its page holds every annotation, in text order."""
    items = [annotation_object(annotation, export) for group in export.by_article().values() for annotation in group]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": uuid.uuid4().urn,
        "type": "AnnotationCollection",
        "label": "Annotations exported from reader",
        "created": to_iso(export.exported),
        "total": len(items),
    }
    if items:
        page = {
            "id": uuid.uuid4().urn,
            "type": "AnnotationPage",
            "partOf": document["id"],
            "startIndex": 0,
            "items": items,
        }
        document["first"] = page
        document["last"] = page["id"]
    return document


def annotation_object(annotation: Annotation, export: Export) -> dict[str, Any]:
    """One annotation in the model, with its own ``@context``: the model asks every annotation
    to carry one, even inside a collection (the W3C test suite checks each item alone)."""
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": TAGGING, "value": tag} for tag in annotation.tags
    ]
    if annotation.note:
        bodies.append({"type": "TextualBody", "purpose": COMMENTING, "value": annotation.note, "format": "text/plain"})
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": annotation.quote}
    if annotation.prefix:
        quote_selector["prefix"] = annotation.prefix
    if annotation.suffix:
        quote_selector["suffix"] = annotation.suffix
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": TAGGING if annotation.tags else COMMENTING if annotation.note else "highlighting",
        "creator": creator(annotation.coder),
        "created": to_iso(annotation.created),
        "modified": to_iso(annotation.updated),
    }
    if bodies:
        result["body"] = bodies
    result["target"] = {
        "type": "SpecificResource",
        "source": _source(export.article(annotation.article_id)),
        "reader:sha256": annotation.article_sha256,
        "selector": [
            quote_selector,
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }
    return result


def _source(article: ArticleRef) -> dict[str, Any]:
    source: dict[str, Any] = {"id": article_iri(article.id), "type": "Text", "format": "text/plain"}
    if article.title:
        source["label"] = article.title
    if article.date:
        source["reader:date"] = article.date
    if article.path:
        source["reader:path"] = article.path
    if article.sha256:
        source["reader:sha256"] = article.sha256
    return source


# -- import ------------------------------------------------------------------------------------


def is_document(value: object) -> bool:
    """Whether a parsed JSON value looks like Web Annotation JSON-LD (for format detection)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, dict) and _has_type(item, "Annotation") for item in value)
    if not isinstance(value, dict):
        return False
    context = value.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return ANNO_CONTEXT in contexts or any(
        _has_type(value, kind) for kind in ("AnnotationCollection", "AnnotationPage", "Annotation")
    )


def loads(text: str) -> Imported:
    """The annotations of a collection (with its pages in the file), a page, one annotation, or a
    list of annotations; :class:`~annotations.formats.fields.FormatError` says where it is wrong."""
    return read_document(parse_json(text))


def read_document(document: object) -> Imported:
    """Like :func:`loads`, for a document already parsed."""
    imported = Imported()
    for item in _annotation_records(document):
        annotation, article = _read_annotation(item)
        imported.add(annotation, field=item.path)
        if article is not None:
            imported.articles.setdefault(article.id, article)
    return imported


def _annotation_records(document: object) -> Iterator[Record]:
    if isinstance(document, list):
        yield from (Record.of(item, f"[{index}]") for index, item in enumerate(document))
        return
    root = Record.of(document)
    if _has_type(root.value, "Annotation"):
        yield root
        return
    page = root
    if _has_type(root.value, "AnnotationCollection"):
        if not root.has("first"):
            return
        first = root.get("first")
        if isinstance(first, str):
            raise root.fail("first", f"the collection's pages are not in this file (its first page is {first})")
        page = root.record("first")
    if not _has_type(page.value, "AnnotationPage"):
        raise page.fail("type", "expected an Annotation, an AnnotationPage or an AnnotationCollection")
    yield from page.records("items")
    if page.has("next"):
        raise page.fail("next", f"the collection continues in {page.get('next')}, which is not in this file")


def _read_annotation(item: Record) -> tuple[Annotation, ArticleRef | None]:
    if not _has_type(item.value, "Annotation"):
        raise item.fail("type", "expected an Annotation")
    target = _text_target(item)
    source = target.get("source")
    if isinstance(source, str):
        article_id, article = _strip(source, ARTICLE_IRI), None
    else:
        described = target.record("source")
        article_id = _strip(described.identifier("id"), ARTICLE_IRI)
        # Descriptions reader can do without: a value of another type or shape is dropped, so
        # what comes in always fits reader's own schema when it is exported again.
        article = ArticleRef(
            id=article_id,
            title=text_or_empty(described.get("label", "")),
            date=date_or_none(described.get("reader:date", None)),
            path=text_or_empty(described.get("reader:path", "")),
            sha256=sha256_or_empty(described.get("reader:sha256", "")),
        )
    if not article_id:
        raise target.fail("source", "the source has no id")
    position, text_quote = _selectors(target)
    tags: list[str] = []
    notes: list[str] = []
    for body in _objects(item, "body"):
        if not _has_type(body.value, "TextualBody") and not body.has("value"):
            continue  # a body of another kind (a resource) holds nothing reader keeps
        purposes = body.get("purpose", [])
        purposes = purposes if isinstance(purposes, list) else [purposes]
        (tags if TAGGING in purposes else notes).append(body.text("value"))
    created = item.time("created") if item.has("created") else utc_now()
    annotation = Annotation(
        id=_strip(item.identifier("id"), ANNOTATION_IRI),
        article_id=article_id,
        article_sha256=sha256_or_empty(target.get("reader:sha256", "")),
        start=position.offset("start"),
        end=position.offset("end"),
        quote=text_quote.text("exact"),
        # Another tool may keep more context than reader does: keep the nearest characters.
        prefix=text_quote.text("prefix", "")[-CONTEXT_CHARS:],
        suffix=text_quote.text("suffix", "")[:CONTEXT_CHARS],
        tags=merge_tags(tags),
        note="\n\n".join(notes),
        created=created,
        updated=item.time("modified") if item.has("modified") else created,
        coder=_coder(item.get("creator", None)),
    )
    return annotation, article


def _coder(value: object) -> str:
    """The coder named by a ``creator`` value (an Agent, an IRI, or a list of them: the first);
    the default coder when it names none."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return _coder(value[key]) if key == "id" else coder_of(value[key])
        return coder_of(None)
    if isinstance(value, str) and value.startswith(CODER_IRI):
        return coder_of(unquote(value[len(CODER_IRI) :]))
    return coder_of(value)


def _text_target(item: Record) -> Record:
    """The target that selects a passage of text: reader's annotations have exactly one."""
    for target in _objects(item, "target"):
        if target.has("source") and target.has("selector"):
            return target
    raise item.fail("target", "no target with a source and a selector: reader needs the passage's place")


def _selectors(target: Record) -> tuple[Record, Record]:
    """The target's TextPositionSelector and TextQuoteSelector; both are needed."""
    found: dict[str, Record] = {}
    for selector in target.records("selector"):
        for kind in ("TextPositionSelector", "TextQuoteSelector"):
            if _has_type(selector.value, kind):
                found.setdefault(kind, selector)
    for kind in ("TextPositionSelector", "TextQuoteSelector"):
        if kind not in found:
            raise target.fail("selector", f"no {kind}: reader needs both the passage's offsets and its words")
    return found["TextPositionSelector"], found["TextQuoteSelector"]


def _objects(record: Record, key: str) -> list[Record]:
    """The objects among the value(s) of ``key``; an IRI given in place of one is passed over."""
    value = record.get(key, [])
    base = record.where(key)
    if not isinstance(value, list):
        return [Record(value, base, record.line)] if isinstance(value, dict) else []
    return [Record(item, f"{base}[{index}]", record.line) for index, item in enumerate(value) if isinstance(item, dict)]


def _has_type(value: dict[str, Any], name: str) -> bool:
    kind = value.get("type", value.get("@type"))
    return kind == name or (isinstance(kind, list) and name in kind)


def _strip(iri: str, prefix: str) -> str:
    """Our id inside one of our IRIs; another tool's IRI is kept whole as the id."""
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else iri
