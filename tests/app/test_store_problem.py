"""A damaged store: reader says which file and where the backup is, and writes nothing until the
user chooses to open the backup or start a new store elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import Annotation, AnnotationStore, StoreError
from reader.app.store_problem import StoreProblemApp


def damaged_store_with_backup(tmp_path: Path) -> tuple[Path, Annotation]:
    path = tmp_path / "annotations.json"
    text = "Pakistan is pivoting westward, said the statement."
    first = Annotation.create(article_id="a", article_sha256="s", text=text, start=0, end=8, tags=["gpe"])
    with AnnotationStore(path) as store:
        store.add(first)
        store.add(Annotation.create(article_id="a", article_sha256="s", text=text, start=12, end=29, tags=["pivot"]))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # the store the user named, truncated as by a crash
    return path, first


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")}


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


async def test_a_damaged_article_file_is_reported_in_the_app_and_left_unchanged(make_app, tag_phrase, store_path):
    from annotations.layout import shard_path

    from reader.app.screens.article import ArticleScreen
    from tests.app.helpers import wait_until

    tag_phrase("pivoting westward", "pivot westward")
    shard = shard_path(store_path, "000_ff5b33da8fd122af")
    shard.write_bytes(shard.read_bytes()[:40])
    damaged = shard.read_bytes()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
        await wait_until(pilot, lambda: any("damaged" in str(n.message) for n in app._notifications))
        message = next(str(n.message) for n in app._notifications if "damaged" in str(n.message))
        assert shard.name in message
        await pilot.press("s", "t", *"more", "enter")  # writing to it is refused the same way
        assert app.is_running and app.screen.view.annotations == []
    assert shard.read_bytes() == damaged
