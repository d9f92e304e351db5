"""``reader agree``: how far two coders' passages agree, per code and overall (issue 13).

The figures are :mod:`annotations.agreement`'s (percent agreement and Cohen's kappa by character
as NVivo defines them, Krippendorff's alpha, passage F1 of B against A); this command picks the
coders' passages from the store and the articles' lengths from the corpus, and prints a table or
the JSON document described in the README's "Agreement" section.
"""

from __future__ import annotations

import argparse
import json

from annotations.agreement import Agreement, Figures
from annotations.coders import normalise_coder
from reader.agreement_data import AgreementProblem, measure
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
    try:
        measured = measure(
            annotations,
            coders,
            lambda: open_corpus(corpus_path(arguments.corpus)),
            store=str(store_path(arguments.db)),
            codes=arguments.tag,
            articles=arguments.article,
        )
    except AgreementProblem as problem:
        for note in problem.notes:
            say(f"reader: {note}")
        raise UserError(str(problem)) from None
    for note in measured.notes:
        say(f"reader: {note}")
    agreement = measured.agreement
    if arguments.json:
        out(json.dumps(agreement.to_record(), ensure_ascii=False, indent=2) + "\n")
    else:
        out(readable(agreement))
    return EXIT_OK


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
