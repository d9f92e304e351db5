"""The per-article entity summary: which entities a text mentions and how often, as rows of the
entity cache's database (table ``entity_summary``), so the library's entity filter and
``reader stats --corpus`` answer with an indexed query instead of decoding every article's
cached entities.

The rows are made with :class:`reader.nlp.entity_index.EntityIndex` (the one counting policy:
the same keys, the same spellings), one row a (text, entity key, spelling) with the count and the
order the spelling was first met in the text (to name an entity as the index does). A text whose
rows are written is marked in ``entity_summarised`` with :data:`VERSION`; rows of another version
are stale and are written anew the next time the text's entities are read.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.nlp.entity_index import EntityIndex, EntityKey
from reader.nlp.model import Entity

#: The summary's version: raise it when the rows are made differently (the key policy changes),
#: so every text's rows are made again on first use.
VERSION = 1

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS entity_summary (
        model TEXT NOT NULL, text_hash TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
        spelling TEXT NOT NULL, count INTEGER NOT NULL, first INTEGER NOT NULL,
        PRIMARY KEY (model, text_hash, key, label, spelling)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS entity_summary_key ON entity_summary (model, key, label)",
    """CREATE TABLE IF NOT EXISTS entity_summarised (
        model TEXT NOT NULL, text_hash TEXT NOT NULL, version INTEGER NOT NULL,
        PRIMARY KEY (model, text_hash)
    ) WITHOUT ROWID""",
)

#: One summary row: entity key words, label, spelling, count, order of first meeting.
Row = tuple[str, str, str, int, int]


def summary_rows(text: str, entities: Iterable[Entity]) -> list[Row]:
    """The summary rows of one text's entities, counted by :class:`EntityIndex`."""
    index = EntityIndex()
    index.add("", text, entities)
    return [
        (indexed.key[0], indexed.key[1], spelling, count, first)
        for indexed in index.entities.values()
        for first, (spelling, count) in enumerate(indexed.spellings.items())
    ]


def write_summary(connection: sqlite3.Connection, model: str, key: str, rows: Sequence[Row]) -> None:
    """Replace the summary of text ``key`` (call inside the transaction that writes its entry)."""
    connection.execute("DELETE FROM entity_summary WHERE model = ? AND text_hash = ?", (model, key))
    connection.executemany(
        "INSERT INTO entity_summary (model, text_hash, key, label, spelling, count, first) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(model, key, *row) for row in rows],
    )
    connection.execute(
        "INSERT OR REPLACE INTO entity_summarised (model, text_hash, version) VALUES (?, ?, ?)", (model, key, VERSION)
    )


def is_summarised(connection: sqlite3.Connection, model: str, key: str) -> bool:
    row = connection.execute(
        "SELECT version FROM entity_summarised WHERE model = ? AND text_hash = ?", (model, key)
    ).fetchone()
    return row is not None and row[0] == VERSION


def _load_wanted(connection: sqlite3.Connection, shas: Sequence[str]) -> None:
    """The text hashes a query is about, in a temporary table ``wanted`` (hash, how many articles
    have that text, the order of the first of them)."""
    connection.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wanted (text_hash TEXT PRIMARY KEY, weight INTEGER, ord INTEGER)"
    )
    weights: dict[str, list[int]] = {}
    for order, sha in enumerate(shas):
        weights.setdefault(sha, [0, order])[0] += 1
    connection.execute("BEGIN")  # one transaction: a row at a time would be one each
    try:
        connection.execute("DELETE FROM wanted")
        connection.executemany("INSERT INTO wanted VALUES (?, ?, ?)", [(sha, w, o) for sha, (w, o) in weights.items()])
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def summarised_among(connection: sqlite3.Connection, model: str, shas: Sequence[str]) -> set[str]:
    """Which of ``shas`` have their summary (of this version) written."""
    _load_wanted(connection, shas)
    query = (
        "SELECT s.text_hash FROM entity_summarised s JOIN wanted w ON w.text_hash = s.text_hash"
        " WHERE s.model = ? AND s.version = ?"
    )
    return {row[0] for row in connection.execute(query, (model, VERSION))}


def cached_among(connection: sqlite3.Connection, model: str, shas: Sequence[str]) -> set[str]:
    """Which of ``shas`` have an entry in the cache (summarised or not)."""
    _load_wanted(connection, shas)
    query = "SELECT e.text_hash FROM entities e JOIN wanted w ON w.text_hash = e.text_hash WHERE e.model = ?"
    return {row[0] for row in connection.execute(query, (model,))}


def mentioning(connection: sqlite3.Connection, model: str, key: str, label: str | None) -> set[str]:
    """The text hashes whose summary has entity ``key`` (folded words), with ``label`` (any case) if given."""
    query = "SELECT DISTINCT text_hash FROM entity_summary WHERE model = ? AND key = ?"
    parameters: tuple[str, ...] = (model, key)
    if label is not None:
        query, parameters = query + " AND upper(label) = ?", (*parameters, label.upper())
    return {row[0] for row in connection.execute(query, parameters)}


@dataclass
class EntityTotal:
    """One entity over a set of articles, as :class:`~reader.nlp.entity_index.IndexedEntity` counts it."""

    key: EntityKey
    name: str
    total: int
    articles: int

    @property
    def label(self) -> str:
        return self.key[1]


def totals(connection: sqlite3.Connection, model: str, shas: Sequence[str]) -> list[EntityTotal]:
    """Each entity of the articles whose texts are ``shas`` (one an article, in the order the
    articles are counted; a text of two articles counts twice), most mentioned first then by name
    and label, as :meth:`EntityIndex.most_mentioned` orders them."""
    _load_wanted(connection, shas)
    return totals_over(connection, model, "wanted")


def totals_over(connection: sqlite3.Connection, model: str, table: str) -> list[EntityTotal]:
    """:func:`totals` of the texts listed in ``table`` (a table of this module's own naming, never
    the user's: columns text_hash, weight as articles with that text, ord as the first one's order)."""
    spellings: dict[EntityKey, list[tuple[int, int, str]]] = defaultdict(list)
    query = (
        "SELECT s.key, s.label, s.spelling, sum(s.count * w.weight), min(w.ord * 1000000 + s.first)"
        f" FROM entity_summary s JOIN {table} w ON w.text_hash = s.text_hash WHERE s.model = ?"
        " GROUP BY s.key, s.label, s.spelling"
    )
    for key, label, spelling, count, first in connection.execute(query, (model,)):
        spellings[(key, label)].append((-int(count), int(first), spelling))
    query = (
        "SELECT key, label, sum(weight) FROM (SELECT DISTINCT s.key, s.label, s.text_hash, w.weight"
        f" FROM entity_summary s JOIN {table} w ON w.text_hash = s.text_hash WHERE s.model = ?) GROUP BY key, label"
    )
    articles = {(key, label): int(count) for key, label, count in connection.execute(query, (model,))}
    found = [
        EntityTotal(key, min(forms)[2], -sum(form[0] for form in forms), articles[key])
        for key, forms in spellings.items()
    ]
    return sorted(found, key=lambda e: (-e.total, e.name.casefold(), e.label))
