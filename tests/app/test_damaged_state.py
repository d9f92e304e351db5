"""The app starts over damaged cache and state files: each is set aside, and a notice names it."""

from __future__ import annotations

import gc
from pathlib import Path

from reader.app.screens.library import LibraryScreen
from reader.corpus.catalog import CATALOG_NAME as INDEX_NAME
from reader.paths import corpus_index_dir, reading_state_path


async def test_the_app_starts_with_a_damaged_reading_state_and_index(make_app, corpus_dir: Path) -> None:
    from reader.corpus import load_corpus

    load_corpus(corpus_dir)  # writes the catalog
    gc.collect()  # and closes it, as between two runs
    index = corpus_index_dir(corpus_dir) / INDEX_NAME
    index.write_bytes(b"\xff" * 10)
    state = reading_state_path()
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"[" * 50_000)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and len(app.screen.shown) == 1
        messages = [str(n.message) for n in app.notices]
        assert any(str(index) in m and "set aside" in m for m in messages), messages
        assert any(str(state) in m and "set aside" in m for m in messages), messages
    assert (state.parent / "reading.json.damaged").is_file() and (index.parent / (INDEX_NAME + ".damaged")).is_file()
