"""Regenerate docs/screenshot.svg: the reference article with entities and one tagged passage.

Run with ``make screenshot``. It uses a throwaway store, so no real annotations are touched.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from annotations import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.corpus import load_corpus
from reader.nlp import EntityRecognizer
from reader.paths import sample_corpus_dir

OUTPUT = Path(__file__).with_name("screenshot.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder, AnnotationStore(Path(folder) / "store.json") as store:
        app = ReaderApp(load_corpus(sample_corpus_dir()), store, EntityRecognizer())
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.press("enter")
            while not (isinstance(app.screen, ArticleScreen) and app.screen.entities_ready):
                await pilot.pause(0.1)
            await pilot.press("slash", *"the message that", "enter", "v", *["w"] * 9, "t")
            await pilot.press(*"pivot westward", "enter")
            await pilot.press("slash", *"Missing were", "enter", "s", "t", *"absent parties", "enter")
            await pilot.press("slash", *"For a country long", "enter")
            await pilot.pause(0.5)
            app.save_screenshot(filename=OUTPUT.name, path=str(OUTPUT.parent))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    asyncio.run(main())
