"""``reader agree``: how far two coders' passages agree, per code and overall (issue 13).

The figures are :mod:`annotations.agreement`'s (percent agreement and Cohen's kappa by character
as NVivo defines them, Krippendorff's alpha, passage F1 of B against A); this command picks the
coders' passages from the store and the articles' lengths from the corpus, and prints a table or
the JSON document described in the README's "Agreement" section.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from annotations.agreement import Agreement, Figures, NothingToCompare, Passage, compare
from annotations.coders import normalise_coder
from annotations.model import Annotation
from annotations.placing import placement
from reader.cli.shared import (
    EXIT_OK,
    UsageError,
    UserError,
    add_corpus_option,
    add_db_option,
    corpus_path,
    existing_store,
    open_corpus,
    out,
    say,
    store_path,
    table,
)
from reader.corpus import ArticleUnavailable


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader agree",
        description="How far coders agree, per code and overall, over the articles each of them coded: percent "
        "agreement and Cohen's kappa by character (as NVivo), Krippendorff's alpha, and passage F1 of B against A.",
    )
    add_db_option(parser)
    add_corpus_option(parser, "whose articles' lengths count the characters (default: the settings' corpus)")
    parser.add_argument(
        "--coder",
        action="append",
        default=[],
        metavar="NAME",
        help="a coder to compare; give it twice (A, then B); more coders count in alpha only",
    )
    parser.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="only this code (case aside); repeat for several"
    )
    parser.add_argument(
        "--article", action="append", default=[], metavar="ID", help="only this article; repeat for several"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def run(arguments: argparse.Namespace) -> int:
    coders = [normalise_coder(name) for name in arguments.coder]
    if len(coders) < 2 or not all(coders):
        raise UsageError("name two coders to compare: reader agree --coder A --coder B")
    if len(set(coders)) < len(coders):
        raise UsageError(f"each coder once: {', '.join(coders)} names one twice")
    with existing_store(arguments.db) as store:
        annotations = store.all() if store is not None else []
    stored = layers_of(annotations, coders, str(store_path(arguments.db)))
    common = set.intersection(*({a.article_id for a in layer} for layer in stored.values()))
    if arguments.article:
        common &= set(arguments.article)
    if not common:
        raise UserError(no_common_articles(stored, bool(arguments.article)))
    texts = article_texts(arguments, sorted(common))
    layers = placed_passages(stored, texts)
    lengths = {article_id: len(text) for article_id, (text, _) in texts.items()}
    try:
        agreement = compare(layers, lengths, codes=arguments.tag or None, articles=common)
    except NothingToCompare:
        if not lengths:
            raise UserError(
                f"none of the {len(common)} article(s) every coder coded is in the corpus {corpus_path(arguments.corpus)}:"
                " give the corpus they come from with --corpus DIR."
            ) from None
        if arguments.tag:
            raise UserError(
                f"no passage coded {' or '.join(repr(t) for t in arguments.tag)} in the articles every coder coded;"
                " see the codes in use with reader stats."
            ) from None
        raise UserError("no article is left that every coder coded: nothing to compare.") from None
    for code in agreement.unused:
        say(f"reader: no passage coded {code!r} in the articles every coder coded.")
    if arguments.json:
        out(json.dumps(agreement.to_record(), ensure_ascii=False, indent=2) + "\n")
    else:
        out(readable(agreement))
    return EXIT_OK


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
        raise UserError(
            f"coder {empty[0]!r} has no coded passages in the store {store}"
            + (f"; coders with passages: {', '.join(known)}." if known else "; the store has no coded passages yet.")
        )
    return layers


def placed_passages(layers: dict[str, list[Annotation]], texts: dict[str, tuple[str, str]]) -> dict[str, list[Passage]]:
    """Each coder's passages in the articles' current texts, one a tag (a passage with two tags
    is coded with each). A passage made on another version of its article's text is placed
    again (:mod:`annotations.placing`, as the app does); one that cannot be is left out, and
    how many were is said on stderr."""
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
        say(
            f"reader: {lost} passage(s) could not be found in the current text of their article: left out"
            " (the app's orphans screen, O, re-attaches them)."
        )
    return passages


def no_common_articles(layers: dict[str, list[Annotation]], chosen: bool) -> str:
    counts = ", ".join(f"{coder} {len({a.article_id for a in layer})}" for coder, layer in layers.items())
    among = " among the articles given with --article" if chosen else ""
    return (
        f"no article was coded by every coder{among} (articles coded: {counts}): agreement is measured on the"
        " articles each coder coded, so have each code the same articles first."
    )


def article_texts(arguments: argparse.Namespace, article_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The text and its SHA-256 of each article of ``article_ids`` found in the corpus; those
    not there (or unreadable) are named on stderr and left out."""
    corpus = open_corpus(corpus_path(arguments.corpus))
    texts: dict[str, tuple[str, str]] = {}
    for article_id in article_ids:
        article = corpus.get(article_id)
        try:
            found = (article.text, article.sha256) if article is not None else None
        except ArticleUnavailable:
            found = None
        if found is None:
            say(f"reader: article {article_id!r} is not in the corpus {corpus.root}: left out of the agreement.")
        else:
            texts[article_id] = found
    return texts


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _row(name: str, figures: Figures) -> list[object]:
    return [
        name,
        f"{figures.percent:.1f}%",
        _number(figures.kappa),
        _number(figures.alpha),
        _number(figures.f1_exact),
        _number(figures.f1_overlap),
        figures.a_passages,
        figures.b_passages,
    ]


def readable(agreement: Agreement) -> str:
    """The figures as a table, one row a code and a last row for all codes."""
    a, b = agreement.coders[:2]
    others = f" (alpha also counts {', '.join(agreement.coders[2:])})" if len(agreement.coders) > 2 else ""
    heading = (
        f"A = {a}, B = {b}{others}: {len(agreement.articles)} article(s) coded by each, "
        f"{agreement.characters} characters.\n\n"
    )
    rows = [_row(code, figures) for code, figures in agreement.codes.items()]
    rows.append(_row("(overall)", agreement.overall))
    return heading + table(("CODE", "AGREE", "KAPPA", "ALPHA", "F1 EXACT", "F1 OVERLAP", "A", "B"), rows)
