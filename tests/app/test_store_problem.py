"""A damaged store: reader says which file and where the backup is, and writes nothing until the
user chooses to open the backup or start a new store elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore, StoreError
from reader.app.store_problem import StoreProblemApp


def coded_store(tmp_path: Path) -> tuple[Path, Annotation]:
    """A store at ``tmp_path`` with two passages of one article (written twice, so backups exist); the first."""
    path = tmp_path / "annotations.json"
    text = "Pakistan is pivoting westward, said the statement."
    first = Annotation.create(article_id="a", article_sha256="s", text=text, start=0, end=8, tags=["gpe"])
    with AnnotationStore(path) as store:
        store.add(first)
        store.add(Annotation.create(article_id="a", article_sha256="s", text=text, start=12, end=29, tags=["pivot"]))
    return path, first


def damaged_store_with_backup(tmp_path: Path) -> tuple[Path, Annotation]:
    path, first = coded_store(tmp_path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # the store the user named, truncated as by a crash
    return path, first


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".lock")
    }


def open_error(path: Path) -> StoreError:
    with pytest.raises(StoreError) as caught:
        AnnotationStore(path)
    return caught.value


async def test_quit_writes_nothing(tmp_path: Path):
    path, _ = damaged_store_with_backup(tmp_path)
    error = open_error(path)
    assert error.backup is not None and str(error.backup) in str(error)
    before = snapshot(tmp_path)
    app = StoreProblemApp(error, path)
    async with app.run_test() as pilot:
        shown = str(app.query_one("#problem-message").render())
        assert "damaged" in shown
        await pilot.press("q")
    assert app.return_value is None
    assert snapshot(tmp_path) == before


async def test_open_the_backup_sets_the_damaged_file_aside_unchanged(tmp_path: Path):
    path, first = damaged_store_with_backup(tmp_path)
    before = snapshot(tmp_path)
    app = StoreProblemApp(open_error(path), path)
    async with app.run_test() as pilot:
        await pilot.press("b")
    store = app.return_value
    assert store is not None
    with store:
        assert store.get(first.id) == first  # the last good version
    after = snapshot(tmp_path)
    damaged = {name: data for name, data in before.items() if data not in after.values() or name not in after}
    set_aside = [name for name in after if ".damaged-" in name]
    assert set_aside, "the damaged file was set aside"
    assert all(data in after.values() for data in damaged.values())  # its bytes kept, unchanged


async def test_new_store_elsewhere_leaves_the_damaged_one_alone(tmp_path: Path):
    path, _ = damaged_store_with_backup(tmp_path)
    before = snapshot(tmp_path)
    new_path = tmp_path / "elsewhere" / "fresh.json"
    app = StoreProblemApp(open_error(path), path)
    async with app.run_test() as pilot:
        await pilot.press("n", "ctrl+a", "ctrl+k", *str(new_path), "enter")
    store = app.return_value
    assert store is not None and store.all() == []
    store.close()
    after = snapshot(tmp_path)
    assert {name: data for name, data in after.items() if name in before} == before


async def test_a_damaged_article_file_in_the_app_gets_the_recovery_dialog_not_a_toast(make_app, tag_phrase, store_path):
    """Issue 9.3: the same choices as a damaged top file: which file, its backup, nothing written
    until chosen; every later try meets the dialog again (not a toast each time); b restores."""
    from annotations.layout import shard_path
    from reader.app.dialogs.damaged_store import DamagedStoreDialog
    from reader.app.screens.article import ArticleScreen
    from tests.app.helpers import wait_until

    first = tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "absent")
    shard = shard_path(store_path, "000_ff5b33da8fd122af")
    shard.write_bytes(shard.read_bytes()[:40])
    damaged = shard.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DamagedStoreDialog))
        shown = str(app.screen.query_one("#damaged-message").render())
        assert shard.name in shown and "damaged" in shown
        assert str(shard) + ".bak" in str(app.screen.query_one("#damaged-choices").render())
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        assert shard.read_bytes() == damaged
        await pilot.press("s", "t", *"more", "enter")  # writing to it meets the same dialog
        await wait_until(pilot, lambda: isinstance(app.screen, DamagedStoreDialog))
        assert not any("damaged" in str(n.message) for n in app.notices)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await wait_until(pilot, lambda: [a.id for a in app.screen.view.annotations] == [first.id])
    set_aside = list(shard.parent.glob(shard.name + ".damaged-*"))
    assert len(set_aside) == 1 and set_aside[0].read_bytes() == damaged


@pytest.mark.parametrize("trouble", ["damaged", "missing"])
async def test_a_damaged_or_missing_article_file_found_on_start_gets_the_same_choices(tmp_path: Path, trouble: str):
    """AnnotationStore.check (one stat an article file) finds a damaged or missing article file
    without reading them all, and the dialog of a damaged top file restores it."""
    from annotations.layout import shard_path

    path, first = coded_store(tmp_path)
    shard = shard_path(path, "a")
    if trouble == "damaged":
        shard.write_bytes(shard.read_bytes()[:-5])
    else:
        shard.unlink()
    with AnnotationStore(path) as store, pytest.raises(StoreError) as caught:
        store.check()
    assert caught.value.damaged == shard and caught.value.backup is not None
    app = StoreProblemApp(caught.value, path)
    async with app.run_test() as pilot:
        await pilot.press("b")
    restored = app.return_value
    assert restored is not None
    with restored:
        assert restored.all() == [first]


async def test_a_backup_that_fails_too_is_said_and_nothing_is_written(tmp_path: Path):
    """The shared body (StoreDamageReport.try_backup) keeps the screen open and says why."""
    path, _ = damaged_store_with_backup(tmp_path)
    error = open_error(path)
    assert error.backup is not None
    error.backup.write_bytes(b"{not json")
    before = snapshot(tmp_path)
    app = StoreProblemApp(error, path)
    async with app.run_test() as pilot:
        await pilot.press("b")
        assert "could not be used either" in str(app.query_one("#problem-message").render())
        await pilot.press("q")
    assert app.return_value is None
    assert snapshot(tmp_path) == before
