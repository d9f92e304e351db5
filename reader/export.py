"""Exporting annotations from reader: the one function the CLI and the app both call.

The formats (:mod:`annotations.formats`) write what they are given. This module gathers what
some of them need besides the annotations: the articles' texts, which ``jsonl`` and ``brat``
write, from the corpus. An article's text may have changed since it was annotated, so its
annotations are first placed in the text as it is now (:func:`annotations.placing.placement`);
those that cannot be placed with confidence are left out of these formats and reported, rather
than written at wrong offsets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from annotations import Annotation, ArticleRef, formats
from annotations.formats import EntitySpan, Export, Tokenizer, refi_qda
from annotations.placing import placement
from reader.corpus import ArticleUnavailable, Corpus
from reader.corpus.article import text_sha256
from reader.refi_export import REFI_FORMATS, RefiContext, render_refi
from reader.spoken import Spoken

#: Says something to the user (a line on stderr, a notification in the app).
Report = Callable[[str], None]


class ExportError(Spoken):
    """An export that cannot be made as asked; the message says why and what to do."""


class CorpusTexts(Mapping[str, str]):
    """The texts of a corpus's articles by id, each read only when it is asked for.

    What :func:`export_annotations` takes as ``corpus_texts``, without reading a whole corpus
    for an export of a few articles.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def __getitem__(self, article_id: str) -> str:
        article = self.corpus.get(article_id)
        if article is None:
            raise KeyError(article_id)
        try:
            return article.text
        except ArticleUnavailable as error:
            raise ExportError(str(error)) from None

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.corpus.get(article_id) is not None

    def __iter__(self) -> Iterator[str]:
        return (article.id for article in self.corpus.articles)

    def __len__(self) -> int:
        return len(self.corpus.articles)


def prepare_export(
    fmt: str,
    annotations: Iterable[Annotation],
    articles: Mapping[str, ArticleRef],
    corpus_texts: Mapping[str, str] | None = None,
    tokenizer: Tokenizer | None = None,
    *,
    entities: Mapping[str, Sequence[EntitySpan]] | None = None,
    report: Report | None = None,
) -> Export:
    """What format ``fmt`` needs to write ``annotations``: for formats that write the text, the
    texts, and the annotations placed in them. See :func:`export_annotations`."""
    chosen = list(annotations)
    if not formats.get(fmt).needs_text:
        return Export(chosen, articles, tokenizer=tokenizer, entities=entities)
    needed = {annotation.article_id for annotation in chosen} | set(entities or {})
    texts = {article_id: _text_of(article_id, corpus_texts or {}, fmt) for article_id in sorted(needed)}
    placed, left_out = place(chosen, texts)
    if left_out and report is not None:
        articles_named = ", ".join(sorted({annotation.article_id for annotation in left_out}))
        report(
            f"Left out {len(left_out)} annotation(s) whose passage is no longer found with confidence in the "
            f"text of {articles_named}; open the article in reader to place them, or export as json, w3c or csv."
        )
    return Export(placed, articles, texts, tokenizer, entities)


def export_annotations(
    fmt: str,
    annotations: Iterable[Annotation],
    articles: Mapping[str, ArticleRef],
    destination: Path,
    corpus_texts: Mapping[str, str] | None = None,
    tokenizer: Tokenizer | None = None,
    *,
    entities: Mapping[str, Sequence[EntitySpan]] | None = None,
    report: Report | None = None,
    refi: RefiContext | None = None,
) -> Path:
    """Write ``annotations`` in format ``fmt`` to ``destination`` and return where they went.

    ``destination`` is a file, or for ``brat`` a folder (made if missing). ``articles`` names
    the articles by id, as they are now. ``corpus_texts`` gives article texts by id (such as
    :class:`CorpusTexts`); ``jsonl`` and ``brat`` need the text of every article they write, and
    one missing is an :class:`ExportError`. ``tokenizer`` gives ``jsonl`` its tokens and
    ``entities`` adds entity spans to it. ``report`` hears of annotations left out. ``refi`` gives
    the REFI-QDA formats their codebook, coder and article details. Raises :class:`ExportError`
    when the export cannot be written.
    """
    export = prepare_export(fmt, annotations, articles, corpus_texts, tokenizer, entities=entities, report=report)
    return write_export(fmt, export, destination, refi)


def write_export(fmt: str, export: Export, destination: Path, refi: RefiContext | None = None) -> Path:
    """Write a prepared export (see :func:`prepare_export`), a REFI-QDA one with ``refi``'s
    codebook, coder and details; where it went, or :class:`ExportError`."""
    try:
        if refi is not None and fmt in REFI_FORMATS:
            return formats.registry.write_data(render_refi(fmt, export, refi), destination)
        return formats.write(fmt, export, destination)
    except refi_qda.NothingToExport as error:
        raise ExportError(f"Nothing was written to {destination}: {error}.") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ExportError(f"Cannot write {destination}: {reason}. Choose another place to export to.") from None


def place(annotations: Iterable[Annotation], texts: Mapping[str, str]) -> tuple[list[Annotation], list[Annotation]]:
    """The annotations as placed in their article's text now, and those that cannot be placed.

    Exact and moved passages are placed (a moved one gets its new offsets and context); fuzzy and
    orphaned ones would need the user's eye, so they are returned apart, and so is an empty
    passage (which reader no longer makes or imports, but an older store may hold).
    """
    hashes = {article_id: text_sha256(text) for article_id, text in texts.items()}
    placed: list[Annotation] = []
    left_out: list[Annotation] = []
    for annotation in annotations:
        if annotation.start >= annotation.end:
            left_out.append(annotation)
            continue
        text = texts[annotation.article_id]
        found = placement(annotation, text, hashes[annotation.article_id])
        (placed if found.placed else left_out).append(found.annotation)
    return placed, left_out


def _text_of(article_id: str, corpus_texts: Mapping[str, str], fmt: str) -> str:
    if article_id in corpus_texts:
        return corpus_texts[article_id]
    raise ExportError(
        f"The {fmt} format writes each article's text, and article {article_id!r} is not in the corpus "
        "given. Export from the corpus that holds it (reader export --corpus DIR)."
    )
