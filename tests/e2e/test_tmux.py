"""The installed ``reader`` command in a real terminal under tmux: keys in, screen out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.tmux_terminal import TmuxTerminal, terminal_env, tmux_available

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(not tmux_available(), reason="tmux is not installed (the README's test command installs it)"),
]

READER = shutil.which("reader", path=str(Path(sys.executable).parent))


@pytest.fixture
def terminal(tmp_path: Path, corpus_dir: Path, recognizer):
    # The session's recognizer fixture has filled the entity cache that the terminal shares.
    store = tmp_path / "store.json"
    term = TmuxTerminal([READER, str(corpus_dir), "--db", str(store)], terminal_env(tmp_path))
    yield term, store
    term.close()


def test_open_article_read_text_tag_and_export(terminal, reference_text: str):
    term, store = terminal
    listing = term.wait_for("Pakistan pitches itself as key player")
    assert "2025-07-27" in listing
    term.send("Enter")
    term.wait_for("ISLAMABAD: Pakistan on Saturday pitched itself")
    screen = term.wait_for("[reaffirmed] Pakistan`s steadfast commitment")
    assert "Pakistan pitches itself as key player in regional peace dynamics" in screen
    term.wait_for(" GPE ")  # the legend shows once entities are in

    term.send("/", literal=True)
    term.wait_for("find in article")
    term.send("the message that", literal=True)
    term.send("Enter")
    term.wait_for(f" {reference_text.index('the message that') + 1}/")  # the caret position in the status line
    term.send("v")
    for _ in range(9):
        term.send("w")
    term.send("t")
    dialog = term.wait_for("Enter saves")
    assert "Tag \u201cthe message that Pakistan is pivoting westward" in dialog
    term.send("pivot westward", literal=True)
    term.send("Enter")
    term.wait_for("Tagged pivot westward")
    term.send("q")
    term.wait_for("EXITED 0")

    exported = subprocess.run([READER, "export", "--db", str(store)], capture_output=True, text=True, timeout=60)
    [record] = json.loads(exported.stdout)["annotations"]
    assert record["quote"] == "the message that Pakistan is pivoting westward was very clear"
    text = reference_text.rstrip("\n")
    assert text[record["start"] : record["end"]] == record["quote"]
