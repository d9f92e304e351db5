"""The entity cache's tables (format 3) and the move of an older database into them.

Format 1 repeated the model's name and the text's hash (a 64-character hex string) on every row,
of the entries and of the summary alike, and every entity's words and label on each summary row
(with a second copy in the summary's index): about 21 kB an article. Format 2 keeps each model
name, text hash and (entity key, label, spelling) once, in ``models``, ``texts`` and
``entity_names``, and the entries and summary rows refer to them by integer ids.

Format 3 adds each model's totals over every summarised text (:mod:`reader.nlp.entity_totals`):
each spelling's mentions and each entity's texts, kept as summaries are written, so the entity
index lists a corpus's entities without aggregating every summary row. A format-2 database gets
them, made from its summary rows by SQL, the first time a process opens it.

The format is the database's ``user_version``. A format-1 database (version 0 with the older
columns) is migrated in place, in one transaction, by SQL alone (no entry is decoded, so its
summaries are kept), the first time a process opens it, then vacuumed to give the space back. A
database of a newer format than this reader knows is not touched (:class:`NewerCache`).
"""

from __future__ import annotations

import sqlite3

#: The format this reader writes (the database's ``user_version``).
FORMAT = 3

TABLES = (
    "CREATE TABLE IF NOT EXISTS models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE)",
    """CREATE TABLE IF NOT EXISTS entities (
        model INTEGER NOT NULL, text INTEGER NOT NULL, records TEXT NOT NULL, PRIMARY KEY (model, text)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS entity_names (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL, label TEXT NOT NULL, spelling TEXT NOT NULL,
        UNIQUE (key, label, spelling)
    )""",
    """CREATE TABLE IF NOT EXISTS entity_summary (
        model INTEGER NOT NULL, text INTEGER NOT NULL, name INTEGER NOT NULL, count INTEGER NOT NULL,
        first INTEGER NOT NULL, PRIMARY KEY (model, text, name)
    ) WITHOUT ROWID""",
    # covering: the counts of a name are read from the index alone, in name order
    "CREATE INDEX IF NOT EXISTS entity_summary_name ON entity_summary (model, name, count, first)",
    """CREATE TABLE IF NOT EXISTS entity_summarised (
        model INTEGER NOT NULL, text INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (model, text)
    ) WITHOUT ROWID""",
    # format 3: the sums of the summary rows of every text, by model (reader.nlp.entity_totals)
    """CREATE TABLE IF NOT EXISTS entity_totals (
        model INTEGER NOT NULL, name INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (model, name)
    ) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS entity_key_totals (
        model INTEGER NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, texts INTEGER NOT NULL,
        PRIMARY KEY (model, key, label)
    ) WITHOUT ROWID""",
)

#: The totals made anew from the summary rows (a format-2 database's, moved to format 3).
TOTALS = (
    "DELETE FROM entity_totals",
    "DELETE FROM entity_key_totals",
    "INSERT INTO entity_totals SELECT model, name, sum(count) FROM entity_summary GROUP BY model, name",
    """INSERT INTO entity_key_totals SELECT s.model, n.key, n.label, count(DISTINCT s.text)
        FROM entity_summary s JOIN entity_names n ON n.id = s.name GROUP BY s.model, n.key, n.label""",
)

#: Format 1's tables, renamed aside while their rows are moved.
OLD_TABLES = ("entities", "entity_summary", "entity_summarised")

MIGRATION = (
    "DROP INDEX IF EXISTS entity_summary_key",
    *(f"ALTER TABLE {table} RENAME TO old_{table}" for table in OLD_TABLES),
    *TABLES,
    "INSERT OR IGNORE INTO models (name) SELECT model FROM old_entities UNION SELECT model FROM old_entity_summarised",
    "INSERT OR IGNORE INTO texts (hash) SELECT text_hash FROM old_entities UNION SELECT text_hash FROM old_entity_summarised",
    "INSERT OR IGNORE INTO entity_names (key, label, spelling) SELECT DISTINCT key, label, spelling FROM old_entity_summary",
    """INSERT OR REPLACE INTO entities SELECT m.id, t.id, o.records FROM old_entities o
        JOIN models m ON m.name = o.model JOIN texts t ON t.hash = o.text_hash""",
    """INSERT OR REPLACE INTO entity_summary SELECT m.id, t.id, n.id, sum(o.count), min(o.first)
        FROM old_entity_summary o JOIN models m ON m.name = o.model JOIN texts t ON t.hash = o.text_hash
        JOIN entity_names n ON n.key = o.key AND n.label = o.label AND n.spelling = o.spelling
        GROUP BY m.id, t.id, n.id""",
    """INSERT OR REPLACE INTO entity_summarised SELECT m.id, t.id, o.version FROM old_entity_summarised o
        JOIN models m ON m.name = o.model JOIN texts t ON t.hash = o.text_hash""",
    *(f"DROP TABLE old_{table}" for table in OLD_TABLES),
)


class NewerCache(sqlite3.Error):
    """The database is of a newer format than this reader's: left as it is, and not used."""


def prepare(connection: sqlite3.Connection) -> bool:
    """Make the tables of :data:`FORMAT`, migrating a format-1 database first and summing the
    totals of an older one (in one transaction; another process that opens it at the same time
    waits, then finds it done).
    Returns whether a migration was made. Raises :class:`NewerCache` for a newer format."""
    if _format(connection) == FORMAT:
        return False
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = _format(connection)
        migrate = found == 0 and _has_column(connection, "entities", "text_hash")
        if found > FORMAT:
            raise NewerCache(f"the entity cache is of format {found}, newer than this reader's {FORMAT}")
        for statement in MIGRATION if migrate else TABLES:
            connection.execute(statement)
        if found < FORMAT:  # a fresh database has no rows to sum: this costs nothing then
            for statement in TOTALS:
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {FORMAT}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    if migrate:
        try:
            connection.execute("VACUUM")  # give back the space of the old rows
        except sqlite3.OperationalError:
            pass  # another connection is reading: the space is reused by later writes instead
    return migrate


def _format(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _has_column(connection: sqlite3.Connection, table: str, column: str) -> bool:
    query = "SELECT 1 FROM pragma_table_info(?) WHERE name = ?"
    return connection.execute(query, (table, column)).fetchone() is not None


def ids(connection: sqlite3.Connection, model: str, text_hash: str) -> tuple[int, int]:
    """The ids of a model name and a text hash, made when new (call inside a write transaction)."""
    connection.execute("INSERT OR IGNORE INTO models (name) VALUES (?)", (model,))
    connection.execute("INSERT OR IGNORE INTO texts (hash) VALUES (?)", (text_hash,))
    model_id = connection.execute("SELECT id FROM models WHERE name = ?", (model,)).fetchone()[0]
    text_id = connection.execute("SELECT id FROM texts WHERE hash = ?", (text_hash,)).fetchone()[0]
    return int(model_id), int(text_id)


def model_id(connection: sqlite3.Connection, model: str) -> int | None:
    """The id of a model name, None if nothing was ever cached for it."""
    row = connection.execute("SELECT id FROM models WHERE name = ?", (model,)).fetchone()
    return None if row is None else int(row[0])
