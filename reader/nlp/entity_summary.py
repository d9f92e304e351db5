"""The per-article entity summary: which entities a text mentions and how often, as rows of the
entity cache's database (table ``entity_summary``), so the library's entity filter and
``reader stats --corpus`` answer with an indexed query instead of decoding every article's
cached entities.

The rows are made with :class:`reader.nlp.entity_index.EntityIndex` (the one counting policy:
the same keys, the same spellings), one row a (text, entity key, spelling) with the count and the
order the spelling was first met in the text (to name an entity as the index does). A text whose
rows are written is marked in ``entity_summarised`` with :data:`VERSION`; rows of another version
are stale and are written anew the next time the text's entities are read. Model names, text
hashes and (key, label, spelling) are kept once each and referred to by id
(:mod:`reader.nlp.cache_schema`); each model's totals over all its texts are kept as rows are
written (:mod:`reader.nlp.entity_totals`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.nlp import cache_schema, entity_totals
from reader.nlp.entity_index import EntityIndex, EntityKey
from reader.nlp.model import Entity

#: The summary's version: raise it when the rows are made differently (the key policy changes),
#: so every text's rows are made again on first use.
VERSION = 1

#: The cache's tables, the summary's among them (also made by a private overview).
SCHEMA = cache_schema.TABLES

#: The id of the model a query is about (NULL, matching nothing, if it has none yet).
MODEL = "(SELECT id FROM models WHERE name = ?)"

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
    model_id, text_id = cache_schema.ids(connection, model, key)
    entity_totals.remove_text(connection, model_id, text_id)
    connection.execute("DELETE FROM entity_summary WHERE model = ? AND text = ?", (model_id, text_id))
    names = [(words, label, spelling) for words, label, spelling, _, _ in rows]
    connection.executemany("INSERT OR IGNORE INTO entity_names (key, label, spelling) VALUES (?, ?, ?)", names)
    connection.executemany(
        "INSERT INTO entity_summary (model, text, name, count, first) SELECT ?, ?, id, ?, ? FROM entity_names"
        " WHERE key = ? AND label = ? AND spelling = ?",
        [(model_id, text_id, count, first, words, label, spelling) for words, label, spelling, count, first in rows],
    )
    entity_totals.add_text(connection, model_id, text_id)
    connection.execute(
        "INSERT OR REPLACE INTO entity_summarised (model, text, version) VALUES (?, ?, ?)", (model_id, text_id, VERSION)
    )


def is_summarised(connection: sqlite3.Connection, model: str, key: str) -> bool:
    query = (
        "SELECT s.version FROM entity_summarised s JOIN texts t ON t.id = s.text"
        f" WHERE s.model = {MODEL} AND t.hash = ?"
    )
    row = connection.execute(query, (model, key)).fetchone()
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
        "SELECT t.hash FROM wanted w JOIN texts t ON t.hash = w.text_hash"
        f" JOIN entity_summarised s ON s.model = {MODEL} AND s.text = t.id WHERE s.version = ?"
    )
    return {row[0] for row in connection.execute(query, (model, VERSION))}


def cached_among(connection: sqlite3.Connection, model: str, shas: Sequence[str]) -> set[str]:
    """Which of ``shas`` have an entry in the cache (summarised or not)."""
    _load_wanted(connection, shas)
    query = (
        "SELECT t.hash FROM wanted w JOIN texts t ON t.hash = w.text_hash"
        f" JOIN entities e ON e.model = {MODEL} AND e.text = t.id"
    )
    return {row[0] for row in connection.execute(query, (model,))}


#: The texts whose summary has an entity of folded words ``key`` (model, key). CROSS JOIN: the
#: entity's names first, then their rows by the name index (else SQLite walks every row of the model).
MENTIONING = (
    "SELECT DISTINCT t.hash FROM entity_names n CROSS JOIN entity_summary s ON s.model = "
    f"{MODEL} AND s.name = n.id JOIN texts t ON t.id = s.text WHERE n.key = ?"
)


def mentioning(connection: sqlite3.Connection, model: str, key: str, label: str | None) -> set[str]:
    """The text hashes whose summary has entity ``key`` (folded words), with ``label`` (any case) if given."""
    query = MENTIONING
    parameters: tuple[str, ...] = (model, key)
    if label is not None:
        query, parameters = query + " AND upper(n.label) = ?", (*parameters, label.upper())
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
    connection.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wanted_texts (text INTEGER PRIMARY KEY, weight INTEGER, ord INTEGER)"
    )
    connection.execute("DELETE FROM wanted_texts")
    connection.execute(
        "INSERT INTO wanted_texts SELECT t.id, w.weight, w.ord FROM wanted w JOIN texts t ON t.hash = w.text_hash"
    )
    return totals_over(connection, model, "wanted_texts")


def totals_over(connection: sqlite3.Connection, model: str, table: str) -> list[EntityTotal]:
    """:func:`totals` of the texts listed in ``table`` (a temporary table of this package's own
    naming, never the user's: columns text as the text's id, weight as the articles with that
    text, ord as the first one's order).

    One pass over the summary rows, by integer ids: each spelling's mentions, first meeting and
    articles (a text has a spelling once); only the entities written more than one way have their
    articles counted again, with each text once."""
    row = connection.execute("SELECT id FROM models WHERE name = ?", (model,)).fetchone()
    if row is None:
        return []
    query = (
        "SELECT n.key, n.label, n.spelling, c.count, c.first, c.articles FROM (SELECT s.name AS name,"
        " sum(s.count * w.weight) AS count, min(w.ord * 1000000 + s.first) AS first, sum(w.weight) AS articles"
        f" FROM entity_summary s JOIN {table} w ON w.text = s.text WHERE s.model = ? GROUP BY s.name) c"
        " JOIN entity_names n ON n.id = c.name"
    )
    spellings: dict[EntityKey, list[tuple[int, int, str]]] = defaultdict(list)
    articles: dict[EntityKey, int] = {}
    for key, label, spelling, count, first, among in connection.execute(query, (row[0],)):
        spellings[(key, label)].append((-int(count), int(first), spelling))
        articles[(key, label)] = int(among)
    several = [(key, label) for (key, label), forms in spellings.items() if len(forms) > 1]
    if several:
        fill_temp_table(connection, "several", "key TEXT, label TEXT, PRIMARY KEY (key, label)", several)
        query = (
            "SELECT key, label, sum(weight) FROM (SELECT DISTINCT n.key AS key, n.label AS label, s.text AS text,"
            " w.weight AS weight FROM several v JOIN entity_names n ON n.key = v.key AND n.label = v.label"
            f" JOIN entity_summary s ON s.model = ? AND s.name = n.id JOIN {table} w ON w.text = s.text)"
            " GROUP BY key, label"
        )
        articles.update(((key, label), int(count)) for key, label, count in connection.execute(query, (row[0],)))
    found = [
        EntityTotal(key, min(forms)[2], -sum(form[0] for form in forms), articles[key])
        for key, forms in spellings.items()
    ]
    return sorted(found, key=lambda e: (-e.total, e.name.casefold(), e.label))


def fill_temp_table(
    connection: sqlite3.Connection, name: str, columns: str, rows: Iterable[tuple[object, ...]]
) -> None:
    """The temporary table ``name`` (made with ``columns`` the first time) holding ``rows`` and
    nothing else: what a query joins a set of keys with. A row met twice is kept once."""
    connection.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")
    connection.execute(f"DELETE FROM {name}")
    rows = list(rows)
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT OR IGNORE INTO {name} VALUES ({marks})", rows)
