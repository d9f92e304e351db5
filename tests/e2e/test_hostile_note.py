"""A note imported with escape sequences in it, opened in the note editor in a real terminal:
the terminal's title and clipboard stay as they were, and the note is saved back intact."""

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
NOTE = "imported \x1b]2;OWNED-TITLE\x07 and \x1b]52;c;T1dORUQ=\x07 then \x1b[2J cleared"


def test_note_editor_shows_escape_sequences_inert_and_keeps_title_and_clipboard(
    tmp_path: Path, corpus_dir: Path, recognizer
):
    from annotations import Annotation, AnnotationStore
    from reader.corpus import load_corpus

    store = tmp_path / "store.json"
    article = load_corpus(corpus_dir).articles[0]
    annotation = Annotation.create(
        article_id=article.id, article_sha256=article.sha256, text=article.text, start=0, end=8, tags=["t"], note=NOTE
    )
    with AnnotationStore(store) as opened:
        opened.add(annotation, article.ref())
    term = TmuxTerminal([READER, str(corpus_dir), "--db", str(store)], terminal_env(tmp_path))
    try:
        term.wait_for("Pakistan pitches itself as key player")
        title = term.pane_title()
        term.send("Enter")
        term.wait_for("ISLAMABAD: Pakistan on Saturday pitched itself")
        term.send("c")
        screen = term.wait_for("ctrl+s saves")
        assert "\u241b]2;OWNED-TITLE\u2407" in screen and "\u241b]52;c;T1dORUQ=\u2407" in screen
        assert "ISLAMABAD" in screen  # the screen was not cleared by ESC [2J
        term.send("C-s")
        term.wait_for("ISLAMABAD: Pakistan on Saturday pitched itself")
        assert term.pane_title() == title and "OWNED" not in term.pane_title()
        assert term.paste_buffers() == ""
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
    with AnnotationStore(store) as reopened:
        assert reopened.get(annotation.id).note == NOTE
