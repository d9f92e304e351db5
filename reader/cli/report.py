"""``reader report``: the analysis tables (code x article matrix, co-occurrence, timeline, codes
and entities) for scripts, as a table for people, CSV for pandas and R, or JSON (see README,
"Analysis"). The numbers are those of the analysis screen: both come from :mod:`annotations.analysis`."""

from __future__ import annotations

import argparse
import csv
import io
import json
from typing import TYPE_CHECKING, Any

from annotations import Annotation
from annotations.analysis import GROUPINGS, UNDATED, CodedPassages, CodeMatrix, code_key, code_matrix, code_timeline
from annotations.analysis import coded_passages as select_passages
from annotations.analysis_cooccurrence import cooccurrence
from annotations.analysis_entities import code_entities
from annotations.codebook import ancestors_of
from reader.analysis_data import EntityMentions, article_infos, coded_texts, entity_mentions, paragraph_spans
from reader.cli.shared import (
    EXIT_OK,
    UsageError,
    UserError,
    add_corpus_option,
    add_db_option,
    add_model_option,
    existing_store,
    open_corpus,
    out,
    say,
    store_path,
    table,
)

if TYPE_CHECKING:
    from reader.corpus import Corpus

TABLES = ("matrix", "cooccurrence", "timeline", "entities")
#: Eight heights of a bar, for the timeline's trend column.
BLOCKS = " \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader report",
        description="Write an analysis table: codes by article (matrix), codes applied together "
        "(cooccurrence), codes by month (timeline) or the named entities in each code's passages (entities).",
    )
    parser.add_argument("table", choices=TABLES, help="which table")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only this code and those under it (repeatable)"
    )
    parser.add_argument("--by", choices=GROUPINGS, default=None, help="matrix columns (default: article)")
    parser.add_argument(
        "--paragraph",
        action="store_true",
        help="cooccurrence: passages in the same paragraph co-occur (needs --corpus)",
    )
    add_db_option(parser)
    add_corpus_option(parser, "for sources, paragraphs and entities (entities found with the model unless cached)")
    add_model_option(parser)
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON (see README, Analysis)")
    form.add_argument("--csv", action="store_true", help="print CSV (one header line, UTF-8)")
    return parser


def run(arguments: argparse.Namespace) -> int:
    if arguments.table == "entities" and arguments.corpus is None:
        raise UsageError("the entities table needs --corpus DIR (the texts the entities are found in)")
    if arguments.by is not None and arguments.table != "matrix":
        raise UsageError("--by sets the columns of the matrix table only")
    if arguments.paragraph and arguments.table != "cooccurrence":
        raise UsageError("--paragraph applies to the cooccurrence table only")
    if arguments.paragraph and arguments.corpus is None:
        raise UsageError("--paragraph needs --corpus DIR (the texts whose paragraphs are used)")
    with existing_store(arguments.db) as store:
        annotations = store.all() if store is not None else []
        known = store.articles() if store is not None else {}
    check_tags(arguments.tag, annotations)
    coded = select_passages(annotations, arguments.tag)
    corpus = open_corpus(arguments.corpus) if arguments.corpus is not None else None
    infos = article_infos(corpus, known)
    if arguments.table == "matrix":
        document = matrix_document(code_matrix(coded, infos, arguments.by or "article"))
    elif arguments.table == "timeline":
        document = matrix_document(code_timeline(coded, infos), table="timeline")
    elif arguments.table == "cooccurrence":
        spans = None
        if arguments.paragraph and corpus is not None:
            spans = {aid: paragraph_spans(text) for aid, text in coded_texts(corpus, coded.passages.values()).items()}
        document = cooccurrence_document(coded, spans)
    else:
        assert corpus is not None
        document = entities_document(coded, corpus_entities(corpus, coded, arguments))
    if arguments.json:
        out(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif arguments.csv:
        out(to_csv(document))
    else:
        out(to_table(document) if document["rows"] else "No coded passages.\n")
    return EXIT_OK


def check_tags(tags: list[str], annotations: list[Annotation]) -> None:
    """Refuse a ``--tag`` that names no code in use (nor a parent of one), before any output."""
    present: set[str] = set()
    for annotation in annotations:
        for tag in annotation.tags:
            present.add(code_key(tag))
            present.update(code_key(parent) for parent in ancestors_of(tag))
    for tag in tags:
        if code_key(tag) not in present:
            raise UserError(f"No passage is coded {tag!r} (nor with a code under it); reader stats lists the codes.")


def corpus_entities(corpus: Corpus, coded: CodedPassages, arguments: argparse.Namespace) -> EntityMentions:
    """The mentions in the coded articles: cached entities, the rest found with the model."""
    from reader.cli.recognition import find_entities, make_recognizer

    texts = coded_texts(corpus, coded.passages.values())
    missing = {passage.article_id for passage in coded.passages.values()} - set(texts)
    if missing:
        say(f"reader: {len(missing)} coded article(s) are not in {corpus.root}: their entities are left out.")
    found = find_entities(make_recognizer(arguments.model, store_path(arguments.db)), texts) if texts else {}
    return entity_mentions(texts, found.__getitem__)


def matrix_document(matrix: CodeMatrix, table: str = "matrix") -> dict[str, Any]:
    """A matrix (or timeline) as JSON: columns in order, then one row a code with a count and
    the passage ids for each column."""
    return {
        "table": table,
        "by": matrix.by,
        "columns": [{"key": column, "label": matrix.labels[column]} for column in matrix.columns],
        "rows": [
            {
                "code": matrix.spelling[code],
                "total": matrix.total(code),
                "counts": matrix.counts(code),
                "passages": [list(matrix.passages(code, column)) for column in matrix.columns],
            }
            for code in matrix.codes
        ],
    }


def cooccurrence_document(coded: CodedPassages, paragraphs: dict[str, list[tuple[int, int]]] | None) -> dict[str, Any]:
    """Co-occurrence as JSON: each code's passage count, then every pair of codes that meet."""
    result = cooccurrence(coded, paragraphs)
    return {
        "table": "cooccurrence",
        "scope": result.scope,
        "codes": [{"code": result.spelling[code], "passages": result.frequency[code]} for code in result.codes],
        "rows": [
            {
                "code1": result.spelling[one],
                "code2": result.spelling[two],
                "n1": result.frequency[one],
                "n2": result.frequency[two],
                "n12": result.n12(one, two),
                "c": result.coefficient(one, two),
                "passages": result.passages(one, two),
            }
            for one, two in result.meeting()
        ],
    }


def entities_document(coded: CodedPassages, found: EntityMentions) -> dict[str, Any]:
    """Codes and entities as JSON: one row a (code, entity) that meet, by code then mentions."""
    result = code_entities(coded, found.mentions)
    rows = []
    for code in result.codes:
        for entity, cell in result.of_code(code):
            rows.append(
                {
                    "code": result.spelling[code],
                    "entity": found.names[entity],
                    "label": entity[1],
                    "mentions": cell.mentions,
                    "passages": list(cell.passages),
                }
            )
    return {"table": "entities", "rows": rows}


def _flat(document: dict[str, Any]) -> tuple[list[str], list[list[object]]]:
    """The document as one header and rows of plain values (what CSV and the table print)."""
    rows: list[dict[str, Any]] = document["rows"]
    if document["table"] in ("matrix", "timeline"):
        keys = [column["key"] for column in document["columns"]]
        return ["code", *keys, "total"], [[row["code"], *row["counts"], row["total"]] for row in rows]
    if document["table"] == "cooccurrence":
        header = ["code1", "code2", "n1", "n2", "n12", "c"]
        return header, [
            [*(row[k] for k in header[:-1]), "" if row["c"] is None else round(row["c"], 4)] for row in rows
        ]
    header = ["code", "entity", "label", "mentions", "passages"]
    return header, [[row["code"], row["entity"], row["label"], row["mentions"], len(row["passages"])] for row in rows]


def to_csv(document: dict[str, Any]) -> str:
    """CSV with a header line (pandas and R read it as it is); cells are never shortened."""
    header, rows = _flat(document)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def to_table(document: dict[str, Any]) -> str:
    """Aligned columns for people; a timeline gets a trend of bars, a matrix by article the
    titles of its columns below it."""
    header, rows = _flat(document)
    if document["table"] == "timeline":
        header.append("trend")
        dated = [index for index, column in enumerate(document["columns"]) if column["key"] != UNDATED]
        for row, source in zip(rows, document["rows"], strict=True):
            row.append(bars([source["counts"][index] for index in dated]))
    fixed = {
        "code",
        "total",
        "trend",
        "code1",
        "code2",
        "n1",
        "n2",
        "n12",
        "c",
        "entity",
        "label",
        "mentions",
        "passages",
    }
    text = table([name.upper() if name in fixed else name for name in header], rows)
    if document["table"] == "matrix" and document["by"] == "article":
        text += "\n" + table(("ARTICLE", "TITLE"), ((c["key"], c["label"]) for c in document["columns"]))
    return text


def bars(counts: list[int]) -> str:
    """One block character a count, as high as the count against the largest."""
    most = max(counts, default=0)
    if most == 0:
        return BLOCKS[0] * len(counts)
    return "".join(BLOCKS[0 if n == 0 else max(1, round(8 * n / most))] for n in counts)
