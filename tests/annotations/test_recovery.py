"""Missing, cut and torn store files: the store notices what the rest of it says should be there,
says so, and recovers or refuses; it never reports a partial store as complete. Also: reads that
work on a full disk and on a read-only store, and a journal that stays small."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from annotations import AnnotationStore, StoreError, layout
from annotations.storage import backup_path
from tests.annotations.test_store_index import annotation, assert_agrees_with_the_files, journal_lines, ref


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.json"


def three_articles(path: Path, per_article: int = 3, *, interleaved: bool = False) -> list:
    """Three articles with ``per_article`` annotations each, added one at a time (so each article
    file has a backup holding all but its last annotation): article by article, or in turns."""
    order = [(article_id, n) for article_id in ("a", "b", "c") for n in range(per_article)]
    if interleaved:
        order.sort(key=lambda pair: pair[1])
    with AnnotationStore(path) as store:
        added = [store.add(annotation(a, n, n + 5, tags=[f"t{n}"]), ref(a)) for a, n in order]
    return sorted(added, key=lambda a: (a.article_id, a.start, a.end))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


# -- a missing article file ---------------------------------------------------------------------


def test_a_missing_article_file_is_refused_like_a_damaged_one_and_never_started_again_empty(path: Path) -> None:
    three_articles(path)
    lost = layout.shard_path(path, "b")
    lost.unlink()
    backup_before = backup_path(lost).read_bytes()
    with AnnotationStore(path) as store:
        for read in (store.all, lambda: store.for_article("b"), lambda: store.check()):
            with pytest.raises(StoreError) as refusal:
                read()
            assert str(lost) in str(refusal.value) and "missing" in str(refusal.value)
            assert refusal.value.damaged == lost and refusal.value.backup == backup_path(lost)
        for _ in range(3):  # tagging in that article again and again never makes a new, smaller file
            with pytest.raises(StoreError, match="missing"):
                store.add(annotation("b", 30, 40))
        assert store.counts_by_article() == {"a": 3, "b": 3, "c": 3}
    assert not lost.exists() and backup_path(lost).read_bytes() == backup_before
    with AnnotationStore.restore_backup(path) as restored:
        assert restored.counts_by_article() == {"a": 3, "b": 2, "c": 3}  # the last good version
        assert_agrees_with_the_files(restored, path)


def test_a_missing_article_file_is_found_by_its_backup_when_the_journal_is_lost_too(path: Path) -> None:
    three_articles(path)
    lost = layout.shard_path(path, "c")
    lost.unlink()
    layout.journal_path(path).unlink()
    with AnnotationStore(path) as store:
        with pytest.raises(StoreError, match="missing") as refusal:
            store.all()
        assert refusal.value.backup == backup_path(lost)
        assert any("rebuilt" in notice for notice in store.notices)
    with AnnotationStore.restore_backup(path) as restored:
        assert restored.counts_by_article() == {"a": 3, "b": 3, "c": 2}


def test_a_missing_article_file_without_a_backup_is_refused_and_says_how_to_go_on(path: Path) -> None:
    with AnnotationStore(path) as store:
        store.add(annotation("a"), ref("a"))  # a first version: no backup of it yet
        kept = store.add(annotation("b"), ref("b"))
    layout.shard_path(path, "a").unlink()
    with AnnotationStore(path) as store, pytest.raises(StoreError, match="no backup") as refusal:
        store.all()
    assert refusal.value.backup is None and str(layout.journal_path(path)) in str(refusal.value)
    layout.journal_path(path).rename(path.with_name("journal aside"))  # as the message says
    with AnnotationStore(path) as store:
        assert store.all() == [kept]


# -- a journal that lost lines ------------------------------------------------------------------


@pytest.mark.parametrize("cut", ["at a line boundary", "mid-line", "after every article's first line"])
def test_a_journal_cut_short_is_corrected_from_the_article_files(path: Path, cut: str) -> None:
    later_lines = cut == "after every article's first line"
    added = three_articles(path, per_article=4, interleaved=later_lines)
    raw = layout.journal_path(path).read_bytes()
    lines = raw.splitlines(keepends=True)
    kept = b"".join(lines[:6])  # the header, a's four lines and b's first (in turns: a, b, c, a, b)
    if cut == "mid-line":
        kept += lines[6][:30]
    layout.journal_path(path).write_bytes(kept)
    before = snapshot(path.parent)
    with AnnotationStore(path, read_only=True) as reader:
        assert sum(reader.counts_by_article().values()) == len(added)
        assert sorted(count for _, count in reader.tag_counts()) == [3, 3, 3, 3]
        assert len(reader.all()) == len(added)
        assert any("did not account for" in notice for notice in reader.notices)
    assert snapshot(path.parent) == before  # read-only: corrected in memory only
    with AnnotationStore(path) as store:
        store.check()  # what the app does on start: a thorough look (the index's load takes a quick one)
        assert sum(store.counts_by_article().values()) == len(added)
        assert_agrees_with_the_files(store, path)
    assert len(journal_lines(path)) == 1 + 3  # rewritten: one line an article
    with AnnotationStore(path) as again:
        assert again.notices == []


def test_the_lost_top_file_is_said_and_the_folder_still_read(path: Path) -> None:
    added = three_articles(path)
    path.unlink()
    with AnnotationStore(path, read_only=True) as reader:
        assert len(reader.all()) == len(added)
        assert any("was missing" in notice for notice in reader.notices)
    assert not path.exists()
    with AnnotationStore(path) as store:
        assert len(store.all()) == len(added) and store.notices
    assert path.exists()


def test_read_only_opening_of_nothing_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    from annotations.store import StoreMissing

    with pytest.raises(StoreMissing, match="no annotation store"):
        AnnotationStore(tmp_path / "none.json", read_only=True)
    assert list(tmp_path.iterdir()) == []


# -- a full disk --------------------------------------------------------------------------------


@contextmanager
def full_disk(monkeypatch: pytest.MonkeyPatch, journal_allowances: list[int | None]) -> Iterator[None]:
    """``os.write`` as on a full disk: new files get nothing; the journal's next appends get the
    bytes listed in ``journal_allowances`` (``None``: all of them), then nothing."""
    real_write = os.write
    allowances = list(journal_allowances)

    def write(fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(layout.JOURNAL) and allowances:
            allowed = allowances.pop(0)
            if allowed is None or allowed > 0:
                return real_write(fd, bytes(data[: allowed if allowed is not None else len(data)]))
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", write)
        yield


def test_a_torn_journal_line_left_by_a_full_disk_does_not_break_reads_and_the_next_write_repairs_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore(path) as store:
        kept = store.add(annotation(tags=["kept"]), ref("budget"))
        # The change's journal line fits, its article file does not, and the correction of the
        # journal is cut off part way: the journal ends in a claim and a torn line.
        with full_disk(monkeypatch, [None, 10]):
            with pytest.raises(StoreError, match="not saved"):
                store.add(annotation(tags=["lost"]))
    assert not layout.journal_path(path).read_bytes().endswith(b"\n")
    with full_disk(monkeypatch, []):  # still full: every read works, and gives the truth
        with AnnotationStore(path) as reader:
            assert reader.counts_by_article() == {"budget": 1}
            assert reader.all() == [kept] and reader.tag_counts() == [("kept", 1)]
            assert reader.passages_with_tag("lost") == []
    with AnnotationStore(path) as writer:  # space again: the next write repairs the journal
        writer.add(annotation("another", tags=["new"]))
        assert_agrees_with_the_files(writer, path)
    assert layout.journal_path(path).read_bytes().endswith(b"\n")
    assert all(json.loads(line) for line in journal_lines(path))


# -- a read-only store --------------------------------------------------------------------------


@contextmanager
def read_only_filesystem(monkeypatch: pytest.MonkeyPatch, root: Path) -> Iterator[list[str]]:
    """Every attempt to change anything under ``root`` fails as on a read-only filesystem (EROFS).

    Tests run as root, for whom ``chmod -w`` changes nothing; so the file operations themselves
    refuse: opening for writing or creating (which taking the lock file does too), making folders,
    renaming, replacing, linking and removing. Yields the attempts, which must stay empty.
    """
    attempts: list[str] = []
    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def under(target: Any) -> bool:
        return str(Path(os.fsdecode(target)).absolute()).startswith(str(root))

    def refuse(name: str, target: Any) -> None:
        attempts.append(f"{name} {target}")
        raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(target))

    def open_(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & writing and under(file):
            refuse("open", file)
        return real_open(file, flags, *args, **kwargs)

    def refusing(name: str, real: Any) -> Any:
        def changed(target: Any, *args: Any, **kwargs: Any) -> Any:
            if under(target):
                refuse(name, target)
            return real(target, *args, **kwargs)

        return changed

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", open_)
        for name in ("mkdir", "rename", "replace", "link", "unlink", "rmdir"):
            patch.setattr(os, name, refusing(name, getattr(os, name)))
        yield attempts


@pytest.mark.parametrize("trouble", ["none", "journal lost", "journal torn after a claim"])
def test_a_read_only_store_is_read_without_a_write_or_a_lock(
    path: Path, monkeypatch: pytest.MonkeyPatch, trouble: str
) -> None:
    added = three_articles(path)
    if trouble == "journal lost":
        layout.journal_path(path).unlink()
    elif trouble == "journal torn after a claim":
        claim = json.loads(journal_lines(path)[-1])
        claim["h"], claim["ann"] = "0" * 32, claim["ann"] + [["ghost", ["ghost"]]]
        with layout.journal_path(path).open("ab") as journal:
            journal.write(json.dumps(claim).encode() + b'\n{"a":"c","h')
    before = snapshot(path.parent)
    with read_only_filesystem(monkeypatch, path.parent) as attempts:
        with AnnotationStore(path, read_only=True) as store:
            assert store.all() == added
            assert store.counts_by_article() == {"a": 3, "b": 3, "c": 3}
            assert store.passages_with_tag("ghost") == []
        assert attempts == []
    assert snapshot(path.parent) == before


# -- compaction ---------------------------------------------------------------------------------


def test_the_journal_of_one_article_with_many_annotations_stays_a_small_multiple_of_its_live_size(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2,000 annotations in one article once made a 94.5 MB journal: every line repeats the
    article's whole list, and compaction counted lines, not bytes."""
    from annotations import following

    monkeypatch.setattr(following, "COMPACT_BYTES", 4 * 1024)
    with AnnotationStore(path) as store:
        for n in range(150):
            store.add(annotation("big", n % 80, n % 80 + 5, tags=[f"tag {n % 7}"]))
        live = sum(len(summary.line()) for summary in store._current_index(locked=False).summaries())
        assert layout.journal_path(path).stat().st_size <= 2 * live + 4 * 1024 + live + 200
        assert_agrees_with_the_files(store, path)
