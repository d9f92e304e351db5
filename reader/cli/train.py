"""``reader train -o PIPELINE_DIR``: a pipeline whose NER has learnt the user's corrections.

The corrections of the store, the entities reader shows for the corpus, and the model to start
from (``--model``) go to :mod:`reader.nlp.train`; the held-out paragraphs are scored before and
after, and the new pipeline is written to a folder that ``--model`` then loads. Nothing is
written when there is too little to learn from or the training fails.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from annotations.corrections import CorrectionBook
from reader.cli.recognition import find_entities, make_recognizer, progress_bar, texts_of
from reader.cli.shared import (
    EXIT_OK,
    UserError,
    add_corpus_option,
    add_db_option,
    add_model_option,
    corpus_path,
    open_corpus,
    out,
    say,
    store_path,
)


def _iterations(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 200, not {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader train",
        description="Fine-tune the model's NER on your entity corrections (with the model's other "
        "predictions rehearsed so it keeps what it knew), report held-out scores before and after, and "
        "write the new pipeline to a folder for --model.",
    )
    add_corpus_option(parser, "whose corrected entities to learn from")
    add_db_option(parser)
    add_model_option(parser)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="PIPELINE_DIR", help="a new folder")
    parser.add_argument("--iterations", type=_iterations, default=20, metavar="N", help="passes over the data (20)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    return parser


def run(arguments: argparse.Namespace) -> int:
    from reader.nlp.entities import ModelUnavailable
    from reader.nlp.train import TooFewCorrections, fine_tune, score, training_set

    output: Path = arguments.output.expanduser()
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise UserError(f"{output} already exists and is not an empty folder. Give a new folder for the pipeline.")
    store = store_path(arguments.db)
    corrections = CorrectionBook(store).all() if store.exists() else []
    if not corrections:
        raise UserError(
            f"The store {store} holds no entity corrections: correct some entities first (key c in an article)."
        )
    corpus = open_corpus(corpus_path(arguments.corpus))
    recognizer = make_recognizer(arguments.model, store)
    texts = texts_of(corpus)
    shown = find_entities(recognizer, texts)
    try:
        training = training_set(texts, shown, corrections)
    except TooFewCorrections as error:
        raise UserError(f"Too few corrections to learn from in {corpus.root}: {error}.") from None
    try:
        import spacy

        nlp = spacy.load(recognizer.model)
    except Exception as error:  # spaCy raises OSError, ValueError, ImportError...
        raise UserError(
            f"{ModelUnavailable.__name__}: the pipeline {recognizer.model!r} could not be loaded: {error}."
        ) from None
    before = score(nlp, training.held_out)
    with progress_bar(arguments.iterations, "Training") as advance:
        fine_tune(nlp, training, arguments.iterations, advance)
    after = score(nlp, training.held_out)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    nlp.meta["name"] = f"{nlp.meta.get('name', 'pipeline')}_trained_{stamp}"
    nlp.meta["description"] = f"{recognizer.identity} fine-tuned by reader train on {len(corrections)} correction(s)"
    staging = Path(tempfile.mkdtemp(prefix=".reader-train-", dir=output.parent if output.parent.exists() else None))
    try:
        nlp.to_disk(staging)
        if output.exists():
            output.rmdir()
        shutil.move(str(staging), str(output))
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(f"Cannot write the pipeline to {output}: {error.strerror or error}.") from None
    report = {
        "pipeline": str(output),
        "trained_on": len(training.train),
        "rehearsed": len(training.rehearsal),
        "held_out": len(training.held_out),
        "before": before.to_record(),
        "after": after.to_record(),
    }
    if arguments.json:
        out(json.dumps(report, indent=1) + "\n")
    say(
        f"Trained on {len(training.train)} corrected paragraph(s) with {len(training.rehearsal)} rehearsed; "
        f"held-out relaxed F1 {before.f1:.2f} -> {after.f1:.2f} on {len(training.held_out)} paragraph(s). "
        f"Wrote {output}: use it with --model {output}."
    )
    return EXIT_OK
