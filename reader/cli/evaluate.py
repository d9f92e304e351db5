"""``reader evaluate GOLD.jsonl --corpus DIR``: how well reader's entities agree with gold ones.

The entities are those reader shows (model, rules, corrections; see ``reader entities``) for the
articles the gold file names; the scores are those of :mod:`reader.nlp.evaluate`. A gold file
with bad lines, or lines naming articles or places the corpus does not have, is refused with
every such line named: scores over part of a gold file would mislead.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.recognition import find_entities, make_recognizer, texts_of
from reader.cli.shared import (
    EXIT_OK,
    UserError,
    add_db_option,
    add_model_option,
    corpus_path,
    open_corpus,
    out,
    say,
    store_path,
    table,
)

if TYPE_CHECKING:
    from reader.nlp.evaluate import Evaluation, Gold, Span

#: How many bad gold lines a refusal lists before saying how many more there are.
SHOWN_PROBLEMS = 20


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader evaluate",
        description="Score reader's entities against gold entities: precision, recall and F1, strict (same "
        "boundaries and label) and relaxed (overlap and same label, one-to-one), overall and per label, "
        'with the list of errors. GOLD.jsonl holds {"article_id", "start", "end", "label"} lines.',
    )
    parser.add_argument("gold", type=Path, metavar="GOLD.jsonl", help="the gold entities, one JSON object a line")
    parser.add_argument("--corpus", type=Path, default=None, metavar="DIR", help="the corpus the gold articles are in")
    add_model_option(parser)
    add_db_option(parser)
    parser.add_argument("--no-rules", action="store_true", help="the model's entities alone, without the rule layer")
    parser.add_argument("--json", action="store_true", help="print the scores and errors as JSON")
    return parser


def read_gold_file(path: Path) -> Gold:
    from reader.nlp.evaluate import read_gold

    try:
        with path.expanduser().open(encoding="utf-8") as stream:
            return read_gold(stream)
    except OSError as error:
        raise UserError(f"The gold file {path} cannot be read: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise UserError(f"The gold file {path} is not UTF-8 text.") from None


def refuse(path: Path, problems: list[str]) -> None:
    """Raise a :class:`UserError` listing the gold file's problems (the first few, and a count)."""
    shown = "\n".join(f"  {problem}" for problem in problems[:SHOWN_PROBLEMS])
    more = f"\n  ... and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
    raise UserError(f"The gold file {path} has {len(problems)} bad line(s); fix them and run again:\n{shown}{more}")


def check_against_texts(gold: Gold, texts: dict[str, str]) -> list[str]:
    """Gold lines naming an article the corpus lacks, or a place past the end of its text."""
    problems = [f"article {article_id!r} is not in the corpus" for article_id in sorted(gold.articles - set(texts))]
    for span in gold.spans:
        text = texts.get(span.article_id)
        if text is not None and span.end > len(text):
            problems.append(
                f"line {gold.lines[span]}: end {span.end} is past the end of {span.article_id!r} ({len(text)} characters)"
            )
    return problems


def span_record(span: Span | None, texts: dict[str, str]) -> dict[str, Any] | None:
    if span is None:
        return None
    text = texts[span.article_id][span.start : span.end]
    return {"article_id": span.article_id, "start": span.start, "end": span.end, "label": span.label, "text": text}


def report(result: Evaluation, texts: dict[str, str]) -> dict[str, Any]:
    """The scores and errors as one JSON-ready object."""
    errors = [
        {
            "kind": error.kind,
            "article_id": (error.gold or error.found).article_id,  # type: ignore[union-attr]
            "gold": span_record(error.gold, texts),
            "found": span_record(error.found, texts),
        }
        for error in result.errors
    ]
    return {**result.to_record(), "articles": len(texts), "errors": errors}


def scores_table(result: Evaluation) -> str:
    def row(name: str, label: str | None) -> tuple[object, ...]:
        strict = result.strict if label is None else result.strict_by_label[label]
        relaxed = result.relaxed if label is None else result.relaxed_by_label[label]
        gold = relaxed.true_positives + relaxed.false_negatives
        found = relaxed.true_positives + relaxed.false_positives
        figures = [f"{value:.2f}" for s in (strict, relaxed) for value in (s.precision, s.recall, s.f1)]
        return (name, gold, found, *figures)

    headers = ("LABEL", "GOLD", "FOUND", "strict P", "R", "F1", "relaxed P", "R", "F1")
    rows = [row("all", None)] + [row(label, label) for label in sorted(result.relaxed_by_label)]
    return table(headers, rows)


def errors_table(report_: dict[str, Any]) -> str:
    def shown(span: dict[str, Any] | None) -> str:
        return "-" if span is None else f"{' '.join(span['text'].split())} [{span['label']}] @{span['start']}"

    rows = [(e["kind"], e["article_id"], shown(e["gold"]), shown(e["found"])) for e in report_["errors"]]
    return table(("ERROR", "ARTICLE", "GOLD", "FOUND"), rows)


def run(arguments: argparse.Namespace) -> int:
    from reader.nlp.evaluate import Span, evaluate

    gold = read_gold_file(arguments.gold)
    if gold.problems:
        refuse(arguments.gold, gold.problems)
    corpus = open_corpus(corpus_path(arguments.corpus))
    texts = texts_of(corpus, gold.articles)
    problems = check_against_texts(gold, texts)
    if problems:
        refuse(arguments.gold, problems)
    recognizer = make_recognizer(arguments.model, store_path(arguments.db), rules=not arguments.no_rules)
    found = find_entities(recognizer, texts)
    for problem in recognizer.rule_problems():
        say(f"reader: {problem}")
    spans = [Span(article_id, e.start, e.end, e.label) for article_id, entities in found.items() for e in entities]
    result = evaluate(gold.spans, spans)
    record = report(result, texts)
    if arguments.json:
        out(json.dumps(record, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    out(f"{len(texts)} articles, {len(set(gold.spans))} gold entities, {len(set(spans))} found\n\n")
    out(scores_table(result) + "\n" + errors_table(record))
    return EXIT_OK
