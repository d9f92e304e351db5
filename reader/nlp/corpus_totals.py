"""A corpus's entity totals from the model's totals over every text it summarised
(:mod:`reader.nlp.entity_totals`), with the texts where the corpus and the cache differ counted
apart: the entity index's first list without adding up every summary row.

A corpus weighs each text by its articles (a text of two articles counts twice; one the corpus
lacks, zero). Its totals are the model's totals (each summarised text once) plus, for each text
whose weight is not one, its rows times (weight - 1): :func:`corpus_totals`, exactly what
:func:`reader.nlp.entity_summary.totals_over` counts over the corpus's texts, at the cost of the
texts that differ rather than of every summary row. When the corpus and the cache differ in more
texts than they share, it declines (None) and the caller adds up the corpus's own rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from reader.nlp import entity_summary
from reader.nlp.entity_index import EntityKey
from reader.nlp.entity_summary import EntityTotal

#: ``first`` of a spelling is its text's position times this plus its order in the text (as
#: :func:`reader.nlp.entity_summary.totals_over` makes it).
POSITION = 1_000_000

#: Spellings as often mentioned as another of their entity's, and more often than this, are
#: first met by walking the corpus's texts in order, :data:`WALK` at a time (at most
#: :data:`STEPS` times), rather than by reading every row of theirs (a dateline's "NAIROBI" and
#: the text's "Nairobi": the rows of tens of thousands of texts, to find the first).
COMMON = 1000
WALK, STEPS = 500, 8


@dataclass
class CorpusTexts:
    """The texts of a corpus's articles: by text hash, how many articles have it (its weight)
    and the position of the first of them in the corpus's order (to name an entity as the
    :class:`~reader.nlp.entity_index.EntityIndex` does), in the order of those positions."""

    texts: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, rows: Iterable[tuple[str, int, int]]) -> CorpusTexts:
        """From (text hash, weight, first position) rows, one a text (in any order: sorted here,
        at little cost when they come sorted)."""
        return cls({sha: (weight, first) for sha, weight, first in sorted(rows, key=itemgetter(2))})

    @classmethod
    def counted(cls, shas: Iterable[str]) -> CorpusTexts:
        """From the text hashes of the articles, in the corpus's order."""
        texts: dict[str, tuple[int, int]] = {}
        for position, sha in enumerate(shas):
            weight, first = texts.get(sha, (0, position))
            texts[sha] = (weight + 1, first)
        return cls(texts)

    def weight(self, sha: str) -> int:
        found = self.texts.get(sha)
        return 0 if found is None else found[0]


@dataclass
class CorpusTotals:
    """A corpus's entities (as :func:`reader.nlp.entity_summary.totals_over` lists them) and how
    many of its articles have no summary (of this version) yet."""

    entities: list[EntityTotal]
    unsummarised: int


def corpus_totals(connection: sqlite3.Connection, model: str, corpus: CorpusTexts) -> CorpusTotals | None:
    """The totals of ``corpus`` from the model's totals and the texts that differ (see the
    module), in one read transaction; None when more texts differ than the corpus shares with
    the cache (its own rows are then fewer to add up)."""
    connection.execute("BEGIN")
    try:
        return _corpus_totals(connection, model, corpus)
    finally:
        connection.execute("COMMIT")


def _corpus_totals(connection: sqlite3.Connection, model: str, corpus: CorpusTexts) -> CorpusTotals | None:
    row = connection.execute("SELECT id FROM models WHERE name = ?", (model,)).fetchone()
    if row is None:
        return CorpusTotals([], sum(weight for weight, _ in corpus.texts.values()))
    model_id = int(row[0])
    query = "SELECT t.hash, t.id, s.version FROM entity_summarised s JOIN texts t ON t.id = s.text WHERE s.model = ?"
    differing: list[tuple[int, int]] = []  # (text id, weight - 1) of the texts whose weight is not one
    positions: dict[int, int] = {}  # the first position of each text (by id) the corpus shares with the cache
    summarised, version_now, texts_of = 0, entity_summary.VERSION, corpus.texts
    for sha, text_id, version in connection.execute(query, (model_id,)):
        found = texts_of.get(sha)
        if found is None:
            differing.append((text_id, -1))
            continue
        weight, positions[text_id] = found
        if weight != 1:
            differing.append((text_id, weight - 1))
        if version == version_now:
            summarised += weight
    if len(differing) > len(positions):
        return None
    unsummarised = sum(weight for weight, _ in texts_of.values()) - summarised
    counts: dict[int, int] = dict(
        connection.execute("SELECT name, count FROM entity_totals WHERE model = ?", (model_id,))
    )
    texts: dict[EntityKey, int] = {
        (key, label): int(n)
        for key, label, n in connection.execute(
            "SELECT key, label, texts FROM entity_key_totals WHERE model = ?", (model_id,)
        )
    }
    if differing:
        _add_differing(connection, model_id, differing, counts, texts)
    return CorpusTotals(_named(connection, model_id, corpus, positions, counts, texts), unsummarised)


def _add_differing(
    connection: sqlite3.Connection,
    model: int,
    differing: list[tuple[int, int]],
    counts: dict[int, int],
    texts: dict[EntityKey, int],
) -> None:
    """Add each differing text's rows times (weight - 1) to ``counts`` and ``texts``. (CROSS JOIN
    keeps the few texts as the outer loop: else SQLite walks every summary row of the model.)"""
    entity_summary.fill_temp_table(connection, "totals_differing", "text INTEGER PRIMARY KEY, extra INTEGER", differing)
    query = (
        "SELECT s.name, sum(s.count * d.extra) FROM totals_differing d"
        " CROSS JOIN entity_summary s ON s.model = ? AND s.text = d.text GROUP BY s.name"
    )
    for name, extra in connection.execute(query, (model,)):
        counts[name] = counts.get(name, 0) + int(extra)
    query = (
        "SELECT key, label, sum(extra) FROM (SELECT DISTINCT n.key AS key, n.label AS label, d.text, d.extra AS extra"
        " FROM totals_differing d CROSS JOIN entity_summary s ON s.model = ? AND s.text = d.text"
        " JOIN entity_names n ON n.id = s.name) GROUP BY key, label"
    )
    for key, label, extra in connection.execute(query, (model,)):
        texts[(key, label)] = texts.get((key, label), 0) + int(extra)


def _named(
    connection: sqlite3.Connection,
    model: int,
    corpus: CorpusTexts,
    positions: dict[int, int],
    counts: dict[int, int],
    texts: dict[EntityKey, int],
) -> list[EntityTotal]:
    """The entities with their names: each one's most mentioned spelling; between spellings as
    often mentioned, the one met first in the corpus's order (found from their rows alone)."""
    forms: dict[EntityKey, list[tuple[int, str, int]]] = defaultdict(list)
    query = (
        "SELECT id, key, label, spelling FROM entity_names WHERE id IN (SELECT name FROM entity_totals WHERE model = ?)"
    )
    for name, key, label, spelling in connection.execute(query, (model,)):
        count = counts.get(name, 0)
        if count > 0:
            forms[(key, label)].append((count, spelling, name))
    tied: list[int] = []
    for spellings in forms.values():
        most = max(count for count, _, _ in spellings)
        candidates = [name for count, _, name in spellings if count == most]
        if len(candidates) > 1:
            tied.extend(candidates)
    firsts: dict[int, int] = {}
    common = {name for name in tied if counts[name] > COMMON}
    if common:
        common -= _walked(connection, model, corpus, common, firsts)
    if tied:
        _first_meetings(connection, model, positions, [name for name in tied if name not in firsts], firsts)
    found = []
    for key, spellings in forms.items():
        most = max(count for count, _, _ in spellings)
        named = min((firsts.get(name, 0), spelling) for count, spelling, name in spellings if count == most)[1]
        found.append(EntityTotal(key, named, sum(count for count, _, _ in spellings), texts.get(key, 0)))
    return sorted(found, key=lambda e: (-e.total, e.name.casefold(), e.label))


def _tied(connection: sqlite3.Connection, names: Iterable[int]) -> None:
    """``names`` in the temporary table ``totals_tied``."""
    entity_summary.fill_temp_table(connection, "totals_tied", "name INTEGER PRIMARY KEY", [(name,) for name in names])


def _walked(
    connection: sqlite3.Connection, model: int, corpus: CorpusTexts, names: set[int], firsts: dict[int, int]
) -> set[int]:
    """Where each of ``names`` is first met (into ``firsts``), found by walking the corpus's
    texts in order: the first step with a text that has a spelling holds its first meeting.
    Returns the names met (the walk stops after :data:`STEPS` steps: the others are left)."""
    _tied(connection, names)
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS totals_walk (hash TEXT PRIMARY KEY, position INTEGER)")
    query = (
        f"SELECT s.name, min(w.position * {POSITION} + s.first) FROM totals_walk w CROSS JOIN texts t ON t.hash = w.hash"
        " CROSS JOIN totals_tied v CROSS JOIN entity_summary s ON s.model = ? AND s.text = t.id AND s.name = v.name"
        " GROUP BY s.name"
    )
    met: set[int] = set()
    texts = iter(corpus.texts.items())
    for _ in range(STEPS):
        step = [(sha, position) for sha, (_, position) in islice(texts, WALK)]
        if not step:
            break
        connection.execute("DELETE FROM totals_walk")
        connection.executemany("INSERT INTO totals_walk VALUES (?, ?)", step)
        for name, first in connection.execute(query, (model,)):
            if name not in met:
                firsts[name] = first
                met.add(name)
        if met == names:
            break
    return met


def _first_meetings(
    connection: sqlite3.Connection, model: int, positions: dict[int, int], names: list[int], firsts: dict[int, int]
) -> None:
    """Where each spelling of ``names`` is first met in the corpus (into ``firsts``): the first
    position of the corpus's texts that have it (``positions``, by text id), times
    :data:`POSITION`, plus its order in that text. Its rows are read from the name index alone."""
    _tied(connection, names)
    query = "SELECT s.name, s.text, s.first FROM totals_tied v CROSS JOIN entity_summary s ON s.model = ? AND s.name = v.name"
    for name, text, first in connection.execute(query, (model,)):
        position = positions.get(text)
        if position is not None:
            met = position * POSITION + first
            if met < firsts.get(name, met + 1):
                firsts[name] = met
