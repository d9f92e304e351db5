"""Helpers for Pilot tests: wait for a condition without fixed sleeps, open the article, read the notices."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from textual.pilot import Pilot
from textual.screen import Screen

from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.entity_index import EntityIndexScreen
from reader.app.widgets.entity_panel import EntityPanel

S = TypeVar("S", bound=Screen)


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    waited = 0.0
    while not condition():
        if waited >= timeout:
            raise AssertionError(f"condition not met after {timeout} s")
        await pilot.pause(0.05)
        waited += 0.05


async def open_article(pilot: Pilot, app: ReaderApp, find: str | None = None) -> ArticleScreen:
    """Open the selected article and wait for its entities; then, with ``find``, search for it (``/``)."""
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen))
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    await wait_until(pilot, lambda: screen.entities_ready)
    if find:
        await pilot.press("slash", *find, "enter")
    return screen


def messages(app: ReaderApp) -> list[str]:
    """The text of every notice the app has shown, oldest first."""
    return [str(notice.message) for notice in app.notices]


async def open_screen(pilot: Pilot, app: ReaderApp, key: str, kind: type[S]) -> S:
    """Press ``key`` and return the screen it opened, checked to be a ``kind``."""
    await pilot.press(key)
    screen = app.screen
    assert isinstance(screen, kind)
    return screen


async def open_entity_index(pilot: Pilot, app: ReaderApp) -> EntityIndexScreen:
    """The entity index (I), once it has counted the corpus (every article recognised)."""
    screen = await open_screen(pilot, app, "I", EntityIndexScreen)
    await wait_until(pilot, lambda: screen.complete)
    return screen


async def entity_articles_shown(pilot: Pilot, screen: EntityIndexScreen) -> None:
    """Wait until the entity index shows the current entity's articles (asked in a worker)."""
    await wait_until(pilot, lambda: screen.current is not None and screen.articles_for == screen.current.key)


async def open_entity_panel(pilot: Pilot, screen: ArticleScreen) -> EntityPanel:
    """The article's entity panel (E), checked shown and focused."""
    await pilot.press("E")
    panel = screen.query_one(EntityPanel)
    assert panel.display and panel.has_focus
    return panel


def gold_corpus(folder: Path) -> Path:
    """A corpus in ``folder``: the reference article, the three gold articles and a second copy
    of one of them (an entity's articles then differ from its texts)."""
    from tests.conftest import REFERENCE, ROOT

    gold = ROOT / "tests" / "data" / "gold" / "corpus"
    folder.mkdir(parents=True)
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    for file in sorted(gold.glob("*.txt")):
        shutil.copy(file, folder / file.name)
    shutil.copy(gold / "a01_drought.txt", folder / "a01_copy.txt")
    return folder
