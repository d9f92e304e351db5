"""What the agreement core (:mod:`annotations.agreement`) needs from the store and the corpus,
gathered once for ``reader agree`` and the app's agreement screen alike, so both show the same
figures: each coder's coded passages, placed in the articles' current texts, over the articles
every coder coded, and the articles' lengths.

Problems that leave nothing to compare raise :class:`AgreementProblem` with a message for the
user; problems that only leave something out are returned as notes (the command prints them on
stderr, the screen shows them as notices).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotations.agreement import Agreement, NothingToCompare, Passage, compare
from annotations.model import Annotation
from annotations.placing import placement
from reader.spoken import Spoken

if TYPE_CHECKING:
    from reader.corpus import Corpus


class AgreementProblem(Spoken, ValueError):
    """Nothing can be compared; the message says why and what to do. ``notes`` are what was left
    out on the way there (an article not in the corpus), to show before the message."""

    def __init__(self, message: str, notes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.notes = list(notes)


@dataclass
class Measured:
    """The figures, and what was left out on the way (one sentence a note)."""

    agreement: Agreement
    notes: list[str] = field(default_factory=list)


def measure(
    annotations: Sequence[Annotation],
    coders: Sequence[str],
    corpus_of: Callable[[], Corpus],
    *,
    store: str,
    codes: Collection[str] = (),
    articles: Collection[str] = (),
) -> Measured:
    """The agreement of ``coders`` (A, B, then any more for alpha) over the articles each coded,
    narrowed to ``codes`` and ``articles`` when given. ``corpus_of`` gives the corpus, asked for
    only once the coders are known to have coded articles in common (so the command reports a
    missing coder before a missing corpus). ``store`` names the store in messages."""
    notes: list[str] = []
    stored = layers_of(annotations, coders, store)
    common = set.intersection(*({a.article_id for a in layer} for layer in stored.values()))
    if articles:
        common &= set(articles)
    if not common:
        raise AgreementProblem(no_common_articles(stored, bool(articles)))
    corpus = corpus_of()
    texts = article_texts(corpus, sorted(common), notes)
    layers = placed_passages(stored, texts, notes)
    lengths = {article_id: len(text) for article_id, (text, _) in texts.items()}
    try:
        agreement = compare(layers, lengths, codes=list(codes) or None, articles=common)
    except NothingToCompare:
        if not lengths:
            raise AgreementProblem(
                f"none of the {len(common)} article(s) every coder coded is in the corpus {corpus.root}:"
                " give the corpus they come from with --corpus DIR.",
                notes,
            ) from None
        if codes:
            raise AgreementProblem(
                f"no passage coded {' or '.join(repr(t) for t in codes)} in the articles every coder coded;"
                " see the codes in use with reader stats.",
                notes,
            ) from None
        raise AgreementProblem("no article is left that every coder coded: nothing to compare.", notes) from None
    notes.extend(f"no passage coded {code!r} in the articles every coder coded." for code in agreement.unused)
    return Measured(agreement, notes)


def layers_of(annotations: Sequence[Annotation], coders: Sequence[str], store: str) -> dict[str, list[Annotation]]:
    """Each coder's coded annotations (with at least one tag); a coder with none is an error
    that names the coders the store has."""
    layers: dict[str, list[Annotation]] = {coder: [] for coder in coders}
    for annotation in annotations:
        if annotation.coder in layers and annotation.tags:
            layers[annotation.coder].append(annotation)
    empty = [coder for coder, passages in layers.items() if not passages]
    if empty:
        known = sorted({annotation.coder for annotation in annotations if annotation.tags})
        raise AgreementProblem(
            f"coder {empty[0]!r} has no coded passages in the store {store}"
            + (f"; coders with passages: {', '.join(known)}." if known else "; the store has no coded passages yet.")
        )
    return layers


def placed_passages(
    layers: dict[str, list[Annotation]], texts: dict[str, tuple[str, str]], notes: list[str]
) -> dict[str, list[Passage]]:
    """Each coder's passages in the articles' current texts, one a tag (a passage with two tags
    is coded with each). A passage made on another version of its article's text is placed
    again (:mod:`annotations.placing`, as the app does); one that cannot be is left out, and
    how many were is added to ``notes``."""
    passages: dict[str, list[Passage]] = {}
    lost = 0
    for coder, layer in layers.items():
        passages[coder] = []
        for annotation in layer:
            if annotation.article_id not in texts:
                continue
            text, sha256 = texts[annotation.article_id]
            if annotation.article_sha256 != sha256:
                placed = placement(annotation, text, sha256)
                if not placed.placed:
                    lost += 1
                    continue
                annotation = placed.annotation
            passages[coder].extend(
                Passage(annotation.article_id, annotation.start, annotation.end, t) for t in annotation.tags
            )
    if lost:
        notes.append(
            f"{lost} passage(s) could not be found in the current text of their article: left out"
            " (the app's orphans screen, O, re-attaches them)."
        )
    return passages


def no_common_articles(layers: dict[str, list[Annotation]], chosen: bool) -> str:
    """Why nothing can be compared when no article was coded by every coder."""
    counts = ", ".join(f"{coder} {len({a.article_id for a in layer})}" for coder, layer in layers.items())
    among = " among the articles given with --article" if chosen else ""
    return (
        f"no article was coded by every coder{among} (articles coded: {counts}): agreement is measured on the"
        " articles each coder coded, so have each code the same articles first."
    )


def article_texts(corpus: Corpus, article_ids: Sequence[str], notes: list[str]) -> dict[str, tuple[str, str]]:
    """The text and its SHA-256 of each article of ``article_ids`` found in the corpus; those
    not there (or unreadable) are named in ``notes`` and left out."""
    from reader.corpus import ArticleUnavailable

    texts: dict[str, tuple[str, str]] = {}
    for article_id in article_ids:
        article = corpus.get(article_id)
        try:
            found = (article.text, article.sha256) if article is not None else None
        except ArticleUnavailable:
            found = None
        if found is None:
            notes.append(f"article {article_id!r} is not in the corpus {corpus.root}: left out of the agreement.")
        else:
            texts[article_id] = found
    return texts
