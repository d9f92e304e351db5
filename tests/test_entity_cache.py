"""The entity cache as one SQLite file: entries of the former one-file-per-text layout moved in
when read, a damaged database set aside, shared between instances (processes), never an error."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from reader.nlp.cache import DATABASE, EntityCache
from reader.nlp.model import Entity

TEXT = "Ishaq Dar met Marco Rubio in Washington."
FOUND = [Entity(0, 9, "PERSON"), Entity(14, 25, "PERSON"), Entity(29, 39, "GPE")]


def old_layout_file(folder: Path, text: str, model: str) -> Path:
    """Where the former cache (before the database) wrote an entry: ``MODEL/ab/HASH.json``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    model_key = "".join(c if c.isalnum() or c in "._-@" else "_" for c in model)
    return folder / model_key / digest[:2] / f"{digest}.json"


def test_an_entry_of_the_former_layout_is_read_and_moved_into_the_database(tmp_path: Path):
    model = "en_core_web_sm@3.8.0+rules-abc"
    old = old_layout_file(tmp_path, TEXT, model)
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps([entity.to_record() for entity in FOUND]), encoding="utf-8")

    cache = EntityCache(tmp_path)
    assert cache.get(TEXT, model) == FOUND
    assert not old.exists() and not old.parent.exists()  # the file and its emptied folders are gone
    assert cache.count(model) == 1
    assert EntityCache(tmp_path).get(TEXT, model) == FOUND  # now from the database
    assert cache.get(TEXT, "other@1") is None


def test_a_damaged_file_of_the_former_layout_is_a_miss(tmp_path: Path):
    old = old_layout_file(tmp_path, TEXT, "m@1")
    old.parent.mkdir(parents=True)
    old.write_text("{broken", encoding="utf-8")
    assert EntityCache(tmp_path).get(TEXT, "m@1") is None


def test_a_read_creates_nothing_and_a_write_makes_one_file(tmp_path: Path):
    folder = tmp_path / "entities"
    cache = EntityCache(folder)
    assert cache.get(TEXT, "m@1") is None and cache.count() == 0
    assert not folder.exists()
    for number in range(50):
        cache.put(f"{TEXT} {number}", "m@1", FOUND)
    assert cache.count() == 50 and cache.get(f"{TEXT} 7", "m@1") == FOUND
    assert sorted(path.name for path in folder.iterdir() if not path.name.endswith(("-wal", "-shm"))) == [DATABASE]


def test_two_instances_share_the_entries_and_threads_can_write_at_once(tmp_path: Path):
    writer, reader = EntityCache(tmp_path), EntityCache(tmp_path)
    writer.put(TEXT, "m@1", FOUND)
    assert reader.get(TEXT, "m@1") == FOUND

    def write(start: int) -> None:
        for number in range(start, start + 25):
            writer.put(f"text {number}", "m@1", [Entity(0, 4, "ORG")])

    threads = [threading.Thread(target=write, args=(start,)) for start in (0, 25, 50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reader.count("m@1") == 76


def test_a_damaged_database_is_set_aside_and_started_anew(tmp_path: Path):
    (tmp_path / DATABASE).write_bytes(b"this is not a database" * 100)
    cache = EntityCache(tmp_path)
    assert cache.get(TEXT, "m@1") is None
    assert (tmp_path / (DATABASE + ".damaged")).is_file()
    cache.put(TEXT, "m@1", FOUND)
    assert EntityCache(tmp_path).get(TEXT, "m@1") == FOUND


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path: Path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = EntityCache(blocked / "entities")
    cache.put(TEXT, "m@1", FOUND)  # no error
    assert cache.get(TEXT, "m@1") is None and cache.count() == 0
