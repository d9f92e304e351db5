"""``reader entities FILE``: the named entities reader shows for the articles of one file.

The same entities as the app: the file is read by the corpus's own format loaders (so the text,
and every offset, is the text as displayed), the model's entities pass the rule layer and the
user's corrections. Tests, benchmarks and a user building gold data start from this output.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli.recognition import load_pipeline, make_recognizer
from reader.cli.shared import EXIT_OK, UserError, add_db_option, add_model_option, out, say, store_path, table

if TYPE_CHECKING:
    from reader.nlp import Entity


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader entities",
        description="Show the named entities of the articles of one file, as the app shows them "
        "(model, rules and your corrections), with offsets into the text as displayed.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="an article file (.txt, .md, .json, .jsonl, .html)")
    add_model_option(parser)
    add_db_option(parser)
    parser.add_argument("--no-rules", action="store_true", help="the model's entities alone, without the rule layer")
    parser.add_argument(
        "--json", action="store_true", help='print a JSON list of {"article_id", "start", "end", "label", "text"}'
    )
    return parser


def article_texts(path: Path) -> list[tuple[str, str]]:
    """(article id, text as displayed) of each article of the file ``path``, as a corpus of its
    folder would read it; a file that cannot be read is a :class:`UserError` naming it."""
    from reader.corpus.formats import check_text, failure_reason, is_article_file, read_file
    from reader.corpus.identity import record_ids

    path = path.expanduser()
    if not path.is_file():
        raise UserError(f"{path} is not a file. Give the path of one article file.")
    if not is_article_file(path.name):
        raise UserError(f"{path} is not an article file (reader reads .txt, .md, .json, .jsonl and .html files).")
    try:
        content, _ = read_file(path)
        for entry in content.entries:
            check_text(entry)
    except Exception as error:  # noqa: BLE001 - any failure to read is this file's problem, said plainly
        raise UserError(f"{path} cannot be read: {failure_reason(error, path)}.") from None
    for problem in content.problems:
        say(f"reader: {path}: {problem}")
    ids = record_ids(path.name, [(entry.key, entry.locator) for entry in content.entries])
    return [(article_id, entry.text) for article_id, entry in zip(ids, content.entries, strict=True)]


def entity_records(article_id: str, text: str, entities: list[Entity]) -> list[dict[str, Any]]:
    """One JSON object an entity: where it is in ``text`` and what it says."""
    return [
        {"article_id": article_id, "start": e.start, "end": e.end, "label": e.label, "text": text[e.start : e.end]}
        for e in entities
    ]


def run(arguments: argparse.Namespace) -> int:
    texts = article_texts(arguments.file)
    recognizer = make_recognizer(arguments.model, store_path(arguments.db), rules=not arguments.no_rules)

    records: list[dict[str, Any]] = []
    for article_id, text in texts:
        if recognizer.cached(text) is None:
            load_pipeline(recognizer)
        records.extend(entity_records(article_id, text, recognizer.entities(text)))
    for problem in recognizer.rule_problems():
        say(f"reader: {problem}")
    if arguments.json:
        out(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    rows: list[tuple[object, ...]] = [(r["start"], r["end"], r["label"], " ".join(r["text"].split())) for r in records]
    if len(texts) > 1:
        rows = [(r["article_id"], *row) for r, row in zip(records, rows, strict=True)]
        out(table(("ARTICLE", "START", "END", "LABEL", "TEXT"), rows))
    else:
        out(table(("START", "END", "LABEL", "TEXT"), rows))
    return EXIT_OK
