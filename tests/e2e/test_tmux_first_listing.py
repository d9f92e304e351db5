"""The installed ``reader`` in tmux on a corpus never listed before: a progress bar while every
file is read (before, the terminal stayed blank until the app painted: half a minute at 100,000
files), Ctrl-C stops it with a message and no traceback, and the next start lists it whole."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.e2e.tmux_terminal import TmuxTerminal, terminal_env, tmux_available

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(not tmux_available(), reason="tmux is not installed (the README's test command installs it)"),
]

READER = shutil.which("reader", path=str(Path(sys.executable).parent))
#: Enough files that reading them takes a few seconds on a loaded 2-core machine.
FILES = 12_000


def test_a_first_listing_shows_its_progress_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for number in range(FILES):
        folder = corpus / f"{number // 1000:02d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"{number:05d}.txt").write_text(
            f"Harbour news {number}\n2025-01-01\nDock workers.\n", encoding="utf-8"
        )
    command = [READER, str(corpus), "--db", str(tmp_path / "store.json")]
    term = TmuxTerminal(command, terminal_env(tmp_path), width=80, height=24)
    try:
        screen = term.wait_for("Listing corpus (Ctrl-C stops)")
        assert f"/{FILES}" in screen and "?" not in screen  # files read of those to read
        term.send("C-c")
        screen = term.wait_for("EXITED 1")
        assert "listing stopped; nothing was kept" in screen and "Traceback" not in screen
    finally:
        term.close()
    term = TmuxTerminal(command, terminal_env(tmp_path), width=80, height=24)
    try:
        term.wait_for("Listing corpus (Ctrl-C stops)")
        term.wait_for(f"{FILES:,} of {FILES:,} articles", timeout=120)  # the library, every file listed
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
