"""The installed ``reader`` in tmux: q during the recognition of a long article ends the process
(issue 9.2); before, the screen went blank and the process ran on until the model was done."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from reader.nlp.cache import EntityCache
from tests.e2e.tmux_terminal import TmuxTerminal, terminal_env, tmux_available

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(not tmux_available(), reason="tmux is not installed (the README's test command installs it)"),
]

READER = shutil.which("reader", path=str(Path(sys.executable).parent))


def test_quitting_while_a_long_article_is_recognised_ends_the_process(tmp_path: Path, reference_text: str):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    title, date, *body = reference_text.rstrip("\n").split("\n")
    # About 600 KB, never seen before (so not cached): the model needs a long while for it.
    text = "\n".join([f"{title} {uuid.uuid4().hex[:8]}", date, *(body * 100)]) + "\n"
    (corpus / "000_long.txt").write_text(text, encoding="utf-8")
    environment = {**terminal_env(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if os.environ.get("PYTHONPATH"):  # the code under test, when it is not the installed one
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    term = TmuxTerminal([READER, str(corpus), "--db", str(tmp_path / "store.json")], environment)
    try:
        term.wait_for("Pakistan pitches itself")
        term.send("Enter")
        term.wait_for("ISLAMABAD: Pakistan on Saturday")
        term.wait_for("entities: ", timeout=60)  # the part on screen is done; the rest is being read
        assert "%" in term.screen()
        term.send("q")
        term.wait_for("EXITED 0")
        cached = EntityCache(tmp_path / "cache" / "reader" / "entities").count()
        assert cached == 0  # stopped half way: nothing for the long article was written
    finally:
        term.close()
