"""Teach the model the user's corrections: fine-tune its NER on the corrected entities of a corpus.

The examples are paragraphs (the pieces the model reads, see :mod:`reader.nlp.pieces`) with the
entities reader shows there (model, rules, corrections). Those where a correction applies are
what there is to learn; a share of them is held out to measure the model before and after. The
other paragraphs, with the entities reader shows (the model's own predictions the user let
stand), are rehearsed alongside, so the model does not forget what it knew while it learns the
corrections (the "catastrophic forgetting" a fine-tune on a few examples causes otherwise).

Only the ``ner`` component is updated; the pipeline keeps its other components. spaCy stays in
this module and :mod:`reader.nlp.entities`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.nlp.corrections import words_pattern
from reader.nlp.entities import normalise_for_nlp
from reader.nlp.evaluate import Scores, Span, evaluate
from reader.nlp.model import Entity
from reader.nlp.pieces import pieces

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

    from annotations.corrections import EntityCorrection

#: Fewer paragraphs with a correction than this: too few to learn from and to measure on.
MIN_CORRECTED = 4
#: The share of the corrected paragraphs held out to measure the model on (one at least).
HELD_OUT_SHARE = 0.25
#: Rehearsed paragraphs for each corrected one trained on.
REHEARSAL_PER_EXAMPLE = 2
BATCH_SIZE = 8
DROPOUT = 0.2

#: A paragraph (normalised, as the model reads it) and its entities ``(start, end, label)`` in it.
Sample = tuple[str, list[tuple[int, int, str]]]


class TooFewCorrections(Exception):
    """There is not enough to learn from; the message says how many there are and are needed."""


@dataclass
class TrainingSet:
    """The paragraphs to train on, to hold out and to rehearse."""

    train: list[Sample] = field(default_factory=list)
    held_out: list[Sample] = field(default_factory=list)
    rehearsal: list[Sample] = field(default_factory=list)


def training_set(
    texts: dict[str, str],
    shown: Mapping[str, Sequence[Entity]],
    corrections: Sequence[EntityCorrection],
    seed: int = 0,
) -> TrainingSet:
    """Split the paragraphs of ``texts`` (with the entities ``shown`` for each article) into
    corrected ones (trained on, a share held out) and others (rehearsed); raises
    :class:`TooFewCorrections` when fewer than :data:`MIN_CORRECTED` paragraphs hold a correction."""
    patterns = [words_pattern(correction.words) for correction in corrections]
    corrected: list[Sample] = []
    others: list[Sample] = []
    for article_id in sorted(texts):
        text = texts[article_id]
        entities = shown.get(article_id, [])
        for offset, piece in pieces(normalise_for_nlp(text)):
            end = offset + len(piece)
            inside = [
                (e.start - offset, e.end - offset, e.label) for e in entities if offset <= e.start and e.end <= end
            ]
            sample = (piece, inside)
            (corrected if any(p.search(piece) for p in patterns) else others).append(sample)
    if len(corrected) < MIN_CORRECTED:
        raise TooFewCorrections(
            f"only {len(corrected)} paragraph(s) of the corpus hold one of your {len(corrections)} correction(s); "
            f"at least {MIN_CORRECTED} are needed to learn from them and measure what was learnt"
        )
    chooser = random.Random(seed)
    chooser.shuffle(corrected)
    held = max(1, round(len(corrected) * HELD_OUT_SHARE))
    train = corrected[held:]
    chooser.shuffle(others)
    return TrainingSet(train, corrected[:held], others[: REHEARSAL_PER_EXAMPLE * len(train)])


def predicted(nlp: Language, samples: Sequence[Sample]) -> list[list[tuple[int, int, str]]]:
    """The entities the pipeline finds in each sample's paragraph."""
    with nlp.select_pipes(enable=["ner"]):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(t for t, _ in samples)]


def score(nlp: Language, samples: Sequence[Sample]) -> Scores:
    """Relaxed scores of the pipeline's entities against the samples' entities."""
    gold = [Span(str(i), s, e, label) for i, (_, entities) in enumerate(samples) for s, e, label in entities]
    found = [
        Span(str(i), s, e, label) for i, entities in enumerate(predicted(nlp, samples)) for s, e, label in entities
    ]
    return evaluate(gold, found).relaxed


def examples(nlp: Language, samples: Sequence[Sample]) -> list[Example]:
    """spaCy ``Example`` values; entity edges inside a token are moved in to the token's edges
    ("contract"), and a span that then holds no token, or overlaps another, is left out."""
    from spacy.training import Example

    result: list[Example] = []
    for text, entities in samples:
        doc = nlp.make_doc(text)
        spans = []
        taken: set[int] = set()
        for start, end, label in entities:
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is None or taken & set(range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            spans.append((span.start_char, span.end_char, label))
        result.append(Example.from_dict(doc, {"entities": spans}))
    return result


def fine_tune(
    nlp: Language,
    training: TrainingSet,
    iterations: int,
    step: Callable[[], None] | None = None,
    seed: int = 0,
) -> None:
    """Update the pipeline's ``ner`` on the training and rehearsal paragraphs, ``iterations``
    passes over them in shuffled batches; ``step`` is called after each pass."""
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    ner: Any = nlp.get_pipe("ner")
    for _, entities in training.train + training.rehearsal:
        for _, _, label in entities:
            if label not in ner.labels:
                ner.add_label(label)
    data = examples(nlp, training.train + training.rehearsal)
    chooser = random.Random(seed)
    optimizer = nlp.resume_training()
    with nlp.select_pipes(enable=["ner"]):
        for _ in range(iterations):
            chooser.shuffle(data)
            losses: dict[str, float] = {}
            for batch in minibatch(data, size=BATCH_SIZE):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
            if step is not None:
                step()
