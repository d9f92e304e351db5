"""The app while another process holds the store's lock (a `reader import` suspended with Ctrl-Z):
the library and an article open and show their annotations; a tag says it waits for the other
process, the screen stays usable, and the tag is saved when the other process lets go. And an
undo history that is damaged is set aside with a notice, and the app starts."""

from __future__ import annotations

import json
from pathlib import Path

from annotations.history import history_path
from reader.app.screens.article import ArticleScreen
from tests.annotations.test_lock_free_reads import hold_lock
from tests.app.helpers import messages, open_article, wait_until


async def test_reading_works_and_a_tag_waits_while_another_process_holds_the_lock(
    make_app, tag_phrase, store_path: Path
):
    tag_phrase("pivoting westward", "pivot westward")
    holder = hold_lock(store_path)
    try:
        app = make_app()  # the store is opened while the lock is held
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_article(pilot, app, find="a linchpin")
            assert isinstance(screen, ArticleScreen) and len(screen.view.annotations) == 1
            await pilot.press("s", "1")  # select the sentence, apply tag 1
            await wait_until(pilot, lambda: any("Waiting for another reader process" in m for m in messages(app)))
            # The UI is not frozen: keys still move the caret while the tag waits.
            caret = screen.view.caret
            await pilot.press("w")
            assert screen.view.caret != caret
            assert len(screen.view.annotations) == 1  # the lock is still held: not written yet

            assert holder.stdin is not None
            holder.stdin.close()  # the other process lets go
            await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
            assert any(m.startswith("Tagged pivot westward") for m in messages(app))
            assert not any("busy" in m for m in messages(app))
            assert sorted(len(a.tags) for a in app.store.all()) == [1, 1]
    finally:
        if holder.stdin is not None and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=30)


async def test_a_damaged_undo_history_is_set_aside_with_a_notice_and_the_app_starts(make_app, store_path: Path):
    file = history_path(store_path)
    file.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "label": "tag passage",
        "pairs": [
            [
                None,
                {
                    "id": "x",
                    "article_id": "a",
                    "article_sha256": "",
                    "start": 1e999,
                    "end": 2,
                    "quote": "q",
                    "created": "99999-01-01T00:00:00Z",
                    "updated": "99999-01-01T00:00:00Z",
                },
            ]
        ],
    }
    file.write_text(json.dumps({"a": {"undo": [entry], "redo": []}}).replace("Infinity", "1e999"), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: any(str(file) in m for m in messages(app)))
        notice = next(m for m in messages(app) if str(file) in m)
        assert "damaged" in notice and ".damaged-" in notice and "\n" not in notice
    assert len(list(file.parent.glob(file.name + ".damaged-*"))) == 1


async def test_an_undo_history_that_cannot_be_written_is_reported_and_the_tag_saved(make_app, tag_phrase, monkeypatch):
    import errno

    from annotations import history as history_module

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    tag_phrase("pivoting westward", "pivot westward")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app, find="a linchpin")
        monkeypatch.setattr(history_module, "replace_text", full)
        await pilot.press("s", "1")
        await wait_until(pilot, lambda: any("Could not write the undo history" in m for m in messages(app)))
        notice = next(m for m in messages(app) if "Could not write the undo history" in m)
        assert str(app.history.path) in notice and "No space left on device" in notice
        await wait_until(pilot, lambda: len(screen.view.annotations) == 2)
        assert len(app.store.all()) == 2  # the tag itself is saved
