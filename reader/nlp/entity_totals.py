"""Each model's entity totals over every text it summarised, kept as summaries are written, so
that a corpus's totals (:mod:`reader.nlp.corpus_totals`) need not add up every summary row.

Tables (:mod:`reader.nlp.cache_schema`, format 3): ``entity_totals`` holds, by model and spelling
(an ``entity_names`` id), the mentions in all its summarised texts; ``entity_key_totals``, by
model and entity (key, label), the texts that mention it in any spelling. :func:`add_text` and
:func:`remove_text` keep them equal to the sums of the ``entity_summary`` rows (called by
:func:`reader.nlp.entity_summary.write_summary`, in the transaction that writes the rows).
"""

from __future__ import annotations

import sqlite3

#: One text's rows, by model and text id (``?, ?``).
_ROWS = "FROM entity_summary s WHERE s.model = ? AND s.text = ?"
_KEYS = "FROM entity_summary s JOIN entity_names n ON n.id = s.name WHERE s.model = ? AND s.text = ?"


def _change(connection: sqlite3.Connection, model: int, text: int, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the rows of one text to or from the model's totals."""
    connection.execute(
        f"INSERT INTO entity_totals (model, name, count) SELECT s.model, s.name, ? * s.count {_ROWS}"
        " ON CONFLICT (model, name) DO UPDATE SET count = count + excluded.count",
        (sign, model, text),
    )
    connection.execute(
        f"INSERT INTO entity_key_totals (model, key, label, texts) SELECT DISTINCT s.model, n.key, n.label, ? {_KEYS}"
        " ON CONFLICT (model, key, label) DO UPDATE SET texts = texts + excluded.texts",
        (sign, model, text),
    )


def add_text(connection: sqlite3.Connection, model: int, text: int) -> None:
    """Count the summary rows just written for one text in the model's totals."""
    _change(connection, model, text, 1)


def remove_text(connection: sqlite3.Connection, model: int, text: int) -> None:
    """Take the summary rows of one text (about to be replaced) out of the model's totals; the
    spellings and entities no text mentions any more are removed."""
    if connection.execute(f"SELECT 1 {_ROWS} LIMIT 1", (model, text)).fetchone() is None:
        return  # a text summarised for the first time: nothing to take away
    _change(connection, model, text, -1)
    connection.execute(
        f"DELETE FROM entity_totals WHERE model = ? AND count = 0 AND name IN (SELECT s.name {_ROWS})",
        (model, model, text),
    )
    connection.execute(
        "DELETE FROM entity_key_totals WHERE model = ? AND texts = 0"
        f" AND (key, label) IN (SELECT n.key, n.label {_KEYS})",
        (model, model, text),
    )
