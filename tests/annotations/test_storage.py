"""AtomicJSONStorage on real files: whole-or-nothing writes, backups, transactions, damage.

Failures are injected with monkeypatch at each step of a write (temporary file, its fsync, the
backup link, the rename, the folder fsync) and as a full disk part way through writing.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotations import storage as storage_module
from annotations.storage import (
    TEMP_SUFFIX,
    AtomicJSONStorage,
    StoreDamaged,
    StoreWriteFailed,
    backup_path,
    parse_tables,
    remove_stray_temporaries,
)
from tests.helpers import spy

OLD = {"annotations": {"a": {"id": "a", "quote": "old"}}}
NEW = {"annotations": {"a": {"id": "a", "quote": "old"}, "b": {"id": "b", "quote": "new"}}}


def temporaries(path: Path) -> list[Path]:
    return list(path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    """A store file holding OLD, written once, so it has no backup yet."""
    path = tmp_path / "store.json"
    AtomicJSONStorage(path).write(OLD)
    return path


def test_written_data_reads_back_and_the_file_is_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "store.json"
    storage = AtomicJSONStorage(path)
    storage.write(NEW)
    assert storage.read() == NEW
    assert json.loads(path.read_text("utf-8")) == NEW
    assert temporaries(path) == []


def test_a_missing_file_is_an_empty_store_and_reading_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    assert AtomicJSONStorage(path).read() is None
    assert not path.exists()


def test_an_empty_file_is_a_new_store_without_a_backup_but_damage_with_one(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    path.write_bytes(b"")
    assert AtomicJSONStorage(path).read() is None
    backup_path(path).write_text(json.dumps(OLD))
    with pytest.raises(StoreDamaged, match="empty"):
        AtomicJSONStorage(path).read()


def test_each_write_keeps_the_version_it_replaces_as_the_backup(store_file: Path) -> None:
    old_bytes = store_file.read_bytes()
    storage = AtomicJSONStorage(store_file)
    storage.write(NEW)
    assert backup_path(store_file).read_bytes() == old_bytes
    newer = {"annotations": {}}
    storage.write(newer)
    assert json.loads(backup_path(store_file).read_bytes()) == NEW
    assert storage.read() == newer


def test_the_backup_survives_later_writes_unchanged(store_file: Path) -> None:
    # The backup is a hard link where possible: the store must never be rewritten in place.
    storage = AtomicJSONStorage(store_file)
    storage.write(NEW)
    backup_bytes = backup_path(store_file).read_bytes()
    storage.write({"annotations": {}})
    storage.write({"annotations": {}, "x": {}})
    assert backup_bytes != backup_path(store_file).read_bytes()
    assert json.loads(backup_path(store_file).read_bytes()) == {"annotations": {}}


def test_the_backup_is_copied_where_hard_links_are_not_allowed(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    old_bytes = store_file.read_bytes()
    monkeypatch.setattr(os, "link", no_links)
    AtomicJSONStorage(store_file).write(NEW)
    assert backup_path(store_file).read_bytes() == old_bytes
    assert os.stat(backup_path(store_file)).st_ino != os.stat(store_file).st_ino
    assert temporaries(store_file) == []


def test_a_document_that_cannot_be_serialised_raises_and_touches_no_file(store_file: Path) -> None:
    storage = AtomicJSONStorage(store_file)
    storage.write(NEW)
    before = store_file.read_bytes(), backup_path(store_file).read_bytes()
    with pytest.raises(TypeError):
        storage.write({"annotations": {"c": {"id": "c", "tags": {"a", "set"}}}})
    assert (store_file.read_bytes(), backup_path(store_file).read_bytes()) == before
    assert temporaries(store_file) == []


# -- failure injection -----------------------------------------------------------------------


def failing(error: OSError, when: Callable[..., bool] = lambda *_: True) -> Callable[..., Any]:
    """A stand-in that raises ``error`` when ``when(*args)``, else calls the real function."""

    def install(real: Callable[..., Any]) -> Callable[..., Any]:
        def stand_in(*args: Any, **kwargs: Any) -> Any:
            if when(*args):
                raise error
            return real(*args, **kwargs)

        return stand_in

    return install


def is_folder(fd: int, *_: Any) -> bool:
    return stat.S_ISDIR(os.fstat(fd).st_mode)


def is_file(fd: int, *_: Any) -> bool:
    return not is_folder(fd)


def is_the_store(source: Any, destination: Any) -> bool:
    return Path(destination).name == "store.json"


FAILURES = {
    "create temporary": ("open", failing(OSError(errno.EACCES, "Permission denied"))),
    "write temporary": ("write", failing(OSError(errno.EIO, "Input/output error"))),
    "fsync temporary": ("fsync", failing(OSError(errno.EIO, "Input/output error"), is_file)),
    "link backup": ("link", failing(OSError(errno.EIO, "Input/output error"))),
    "rename over store": ("replace", failing(OSError(errno.EBUSY, "Device or resource busy"), is_the_store)),
}


@pytest.mark.parametrize("step", list(FAILURES))
def test_a_failure_at_any_step_before_the_rename_leaves_the_old_store_and_no_temporary(
    store_file: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    storage = AtomicJSONStorage(store_file)
    storage.write(NEW)  # now there is a backup too, which must not change either
    before = store_file.read_bytes(), backup_path(store_file).read_bytes()
    name, install = FAILURES[step]
    with monkeypatch.context() as patch:
        patch.setattr(os, name, install(getattr(os, name)))
        with pytest.raises(StoreWriteFailed) as failure:
            storage.write({"annotations": {}})
    assert failure.value.replaced is False
    assert failure.value.path == store_file
    assert (store_file.read_bytes(), backup_path(store_file).read_bytes()) == before
    assert temporaries(store_file) == []
    assert storage.read() == NEW


def test_a_full_disk_part_way_through_leaves_the_old_store_and_no_temporary(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    calls = []

    def fill_up(fd: int, data: Any) -> int:
        calls.append(fd)
        if len(calls) == 1:  # the first chunk fits, half of it at least
            return real_write(fd, bytes(data[: max(1, len(data) // 2)]))
        raise OSError(errno.ENOSPC, "No space left on device")

    before = store_file.read_bytes()
    storage = AtomicJSONStorage(store_file)
    with monkeypatch.context() as patch:
        patch.setattr(os, "write", fill_up)
        with pytest.raises(StoreWriteFailed) as failure:
            storage.write({"annotations": {str(n): {"id": str(n), "quote": "x" * 100} for n in range(100)}})
    assert len(calls) == 2, "the partial write should have been retried, then failed"
    assert failure.value.error.errno == errno.ENOSPC
    assert store_file.read_bytes() == before
    assert temporaries(store_file) == []


def test_a_failed_folder_fsync_after_the_rename_reports_the_new_store_in_place(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicJSONStorage(store_file)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", failing(OSError(errno.EIO, "Input/output error"), is_folder)(os.fsync))
        with pytest.raises(StoreWriteFailed) as failure:
            storage.write(NEW)
    assert failure.value.replaced is True
    assert json.loads(store_file.read_bytes()) == NEW
    assert temporaries(store_file) == []


def test_short_writes_are_continued_until_everything_is_written(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:7])))
    big = {"annotations": {str(n): {"id": str(n), "quote": "é" * 50} for n in range(20)}}
    AtomicJSONStorage(store_file).write(big)
    monkeypatch.undo()
    assert json.loads(store_file.read_bytes()) == big


# -- transactions ----------------------------------------------------------------------------


def count_replacements(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Record every rename over ``path``."""
    real_replace = os.replace
    seen: list[str] = []

    def replace(source: Any, destination: Any) -> None:
        if Path(destination) == path:
            seen.append(str(source))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace)
    return seen


def test_a_transaction_writes_once_at_the_end_and_sees_its_own_changes(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicJSONStorage(store_file)
    replacements = count_replacements(monkeypatch, store_file)
    with storage.transaction():
        tables = storage.read()
        assert tables == OLD
        tables["annotations"]["b"] = {"id": "b"}
        storage.write(tables)
        assert replacements == []
        assert json.loads(store_file.read_bytes()) == OLD  # not yet on disk
        again = storage.read()
        assert again == tables and again is not tables
        again["articles"] = {}
        storage.write(again)
    assert len(replacements) == 1
    assert storage.read() == {"annotations": {"a": OLD["annotations"]["a"], "b": {"id": "b"}}, "articles": {}}


def test_a_transaction_that_raises_writes_nothing(store_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store_file.read_bytes()
    storage = AtomicJSONStorage(store_file)
    replacements = count_replacements(monkeypatch, store_file)
    with pytest.raises(KeyError):
        with storage.transaction():
            storage.write(NEW)
            raise KeyError("changed my mind")
    assert replacements == []
    assert store_file.read_bytes() == before
    assert storage.read() == OLD  # and the storage is usable again, outside any transaction


def test_a_transaction_that_only_reads_writes_nothing(store_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = AtomicJSONStorage(store_file)
    replacements = count_replacements(monkeypatch, store_file)
    with storage.transaction():
        assert storage.read() == OLD
    assert replacements == []
    assert not backup_path(store_file).exists()


def test_transactions_do_not_nest(store_file: Path) -> None:
    storage = AtomicJSONStorage(store_file)
    with storage.transaction():
        with pytest.raises(RuntimeError):
            with storage.transaction():
                pass


def test_an_unserialisable_write_in_a_transaction_raises_at_once_and_writes_nothing(store_file: Path) -> None:
    before = store_file.read_bytes()
    storage = AtomicJSONStorage(store_file)
    with pytest.raises(TypeError):
        with storage.transaction():
            storage.write({"annotations": {"x": {"tags": {1, 2}}}})
    assert store_file.read_bytes() == before


# -- damage and strays -----------------------------------------------------------------------

DAMAGE = {
    "truncated": (b'{"annotations":{"a":{"id":"a","quo', "not valid JSON"),
    "invalid JSON": (b"{annotations: nope}", "not valid JSON"),
    "not UTF-8": (b'{"a":{"b":{"c":"\xff\xfe"}}}', "not valid JSON"),
    "a list": (b'[{"id": "a"}]', "list"),
    "a table that is a list": (b'{"annotations": [1, 2]}', "table 'annotations'"),
    "a document that is a number": (b'{"annotations": {"a": 5}}', "document 'a'"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_file_is_reported_with_its_path_and_left_as_it_is(tmp_path: Path, case: str) -> None:
    raw, reason = DAMAGE[case]
    path = tmp_path / "store.json"
    path.write_bytes(raw)
    storage = AtomicJSONStorage(path)
    with pytest.raises(StoreDamaged) as damage:
        storage.read()
    assert damage.value.path == path
    assert reason in damage.value.reason
    with pytest.raises(StoreDamaged):
        with storage.transaction():
            storage.read()
    assert path.read_bytes() == raw
    with pytest.raises(StoreDamaged):
        parse_tables(path, raw)


def test_stray_temporaries_of_this_store_are_removed_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    strays = [tmp_path / f".store.json.{tag}{TEMP_SUFFIX}" for tag in ("0123abcd", "x")]
    keep = [
        tmp_path / f".other.json.0123abcd{TEMP_SUFFIX}",
        tmp_path / "store.json.bak",
        tmp_path / "store.json.lock",
        tmp_path / f"store.json.0123{TEMP_SUFFIX}",
    ]
    for file in strays + keep:
        file.write_text("{}")
    removed = remove_stray_temporaries(path)
    assert sorted(removed) == sorted(strays)
    assert not any(file.exists() for file in strays)
    assert all(file.exists() for file in keep)


def test_temporaries_are_created_beside_the_store_with_the_stray_pattern(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames = spy(monkeypatch, os, "replace")
    AtomicJSONStorage(store_file).write(NEW)
    names = [Path(source) for source, _ in renames]
    assert names and all(name.parent == store_file.parent for name in names)
    assert all(name.name.startswith(".store.json.") and name.name.endswith(TEMP_SUFFIX) for name in names)
    assert storage_module.temporary_path(store_file) != storage_module.temporary_path(store_file)


def test_a_failed_backup_switch_after_the_rename_keeps_the_new_store_and_the_old_backup(
    store_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage = AtomicJSONStorage(store_file)
    storage.write(NEW)
    old_backup = backup_path(store_file).read_bytes()
    is_backup = lambda source, destination: Path(destination) == backup_path(store_file)  # noqa: E731
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", failing(OSError(errno.EIO, "Input/output error"), is_backup)(os.replace))
        with pytest.raises(StoreWriteFailed) as failure:
            storage.write({"annotations": {}})
    assert failure.value.replaced is True
    assert storage.read() == {"annotations": {}}
    assert backup_path(store_file).read_bytes() == old_backup
    assert temporaries(store_file) == []


# -- scratch folders, commit hooks, appends (what the per-article layout builds on) -------------


def test_temporaries_can_live_in_a_scratch_folder_and_are_cleaned_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    path = tmp_path / "articles" / "budget.json"
    storage = AtomicJSONStorage(path, scratch=scratch)
    storage.write(OLD)
    renames = spy(monkeypatch, os, "replace")
    storage.write(NEW)
    monkeypatch.undo()
    sources = [Path(source) for source, _ in renames]
    assert sources and all(source.parent == scratch for source in sources)
    assert backup_path(path).exists() and storage.read() == NEW
    assert list(scratch.iterdir()) == [] and temporaries(path) == []
    stray = scratch / f".budget.json.0badc0de{TEMP_SUFFIX}"
    stray.write_text("{")
    keep = scratch / "notes.txt"
    keep.write_text("not ours")
    assert storage_module.remove_temporaries_in(scratch) == [stray]
    assert keep.exists()
    assert storage_module.remove_temporaries_in(tmp_path / "missing") == []


def test_on_commit_sees_the_new_bytes_before_they_replace_the_file_and_can_cancel(store_file: Path) -> None:
    storage = AtomicJSONStorage(store_file)
    seen: list[tuple[bytes, bytes]] = []
    with storage.transaction(on_commit=lambda payload: seen.append((payload, store_file.read_bytes()))):
        storage.write(NEW)
    assert json.loads(seen[0][0]) == NEW and json.loads(seen[0][1]) == OLD  # called while the file was old

    def refuse(payload: bytes) -> None:
        raise KeyError("no")

    before = store_file.read_bytes()
    with pytest.raises(KeyError):
        with storage.transaction(on_commit=refuse):
            storage.write({"annotations": {}})
    assert store_file.read_bytes() == before and temporaries(store_file) == []
    called: list[bytes] = []
    with storage.transaction(on_commit=called.append):
        storage.read()
        assert not storage.changed
    assert called == []  # nothing written, nothing to journal


def test_append_durably_adds_at_the_end_and_reports_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "index.log"
    with pytest.raises(StoreWriteFailed):
        storage_module.append_durably(log, b"x\n")  # the file must exist: appends never create
    log.write_bytes(b"one\n")
    storage_module.append_durably(log, b"two\n")
    assert log.read_bytes() == b"one\ntwo\n"
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", failing(OSError(errno.EIO, "Input/output error"))(os.fsync))
        with pytest.raises(StoreWriteFailed) as failure:
            storage_module.append_durably(log, b"three\n")
    assert failure.value.replaced is False and failure.value.path == log


def test_write_new_file_leaves_nothing_when_it_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "new.json"
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", failing(OSError(errno.EIO, "Input/output error"))(os.fsync))
        with pytest.raises(OSError):
            storage_module.write_new_file(target, b"{}")
    assert not target.exists()
    storage_module.write_new_file(target, b"{}")
    with pytest.raises(FileExistsError):
        storage_module.write_new_file(target, b"[]")
    assert target.read_bytes() == b"{}"
