"""What a REFI-QDA export (``qdpx``, ``qdc``) writes besides the passages: the store's codebook,
the coder who exports, and the articles' source and url. Gathered here, once, for both
``reader export`` and the app's export dialog, so that the two write the same project."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotations import Annotation, AnnotationStore
from annotations.codebook import Code
from annotations.formats import Export, refi_qda

if TYPE_CHECKING:
    from reader.corpus import Corpus

#: The formats written with a :class:`RefiContext`.
REFI_FORMATS = ("qdpx", "qdc")

#: An article's details by id: the variables (``source``, ``url``) its ``TextSource`` gets.
Details = Mapping[str, Mapping[str, str | None]]


@dataclass(frozen=True)
class RefiContext:
    """The codebook (descriptions, colours, memos), the exporting coder (the project's user) and
    the articles' details that a REFI-QDA export writes; the registry's writer has none of them."""

    codes: Sequence[Code] = ()
    coder: str | None = None
    details: Details = field(default_factory=dict)


def codebook_codes(store: AnnotationStore | None, annotations: Iterable[Annotation]) -> list[Code]:
    """The codebook an export writes: the codebook store's codes (descriptions, colours, memos,
    codes made before use) and the codes of the tags in use; the export adds their parents."""
    in_use = refi_qda.codes_in_use(annotations)
    if store is None:
        return in_use
    from annotations.codebook_store import Codebook

    kept = {code.key: code for code in Codebook(store).codes()}
    return [*kept.values(), *(code for code in in_use if code.key not in kept)]


def article_details(corpus: Corpus | None, article_ids: Iterable[str]) -> dict[str, Mapping[str, str | None]]:
    """The source and url of each article the corpus has (its date and path come with its
    :class:`~annotations.model.ArticleRef`), for the project's variables."""
    if corpus is None:
        return {}
    found: dict[str, Mapping[str, str | None]] = {}
    for article_id in article_ids:
        article = corpus.get(article_id)
        if article is not None:
            found[article_id] = {"source": article.source, "url": article.url}
    return found


def refi_context(
    store: AnnotationStore | None, corpus: Corpus | None, annotations: Sequence[Annotation], coder: str | None
) -> RefiContext:
    """The context of a REFI-QDA export of ``annotations`` by ``coder``: the store's codebook and
    the corpus's details of their articles (what the app gathers; ``reader export`` does the same
    in two steps, as its store is closed before its corpus is opened)."""
    ids = {annotation.article_id for annotation in annotations}
    return RefiContext(codebook_codes(store, annotations), coder, article_details(corpus, ids))


def render_refi(fmt: str, export: Export, context: RefiContext) -> bytes:
    """The bytes of ``export`` in REFI format ``fmt`` with ``context``'s codebook, coder and
    details; :class:`~annotations.formats.refi_qda.NothingToExport` when there is nothing to write."""
    if fmt == "qdc":
        return refi_qda.render_qdc(export, context.codes).encode("utf-8")
    return refi_qda.render_qdpx(export, context.codes, context.coder, context.details)
