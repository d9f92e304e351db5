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


def test_open_article_read_it_tag_three_passages_and_export(terminal, reference_text: str):
    term, store = terminal
    listing = term.wait_for("Pakistan pitches itself as key player")
    assert "2025-07-27" in listing
    term.send("Enter")
    term.wait_for("ISLAMABAD: Pakistan on Saturday pitched itself")
    screen = term.wait_for("[reaffirmed] Pakistan`s steadfast commitment")
    assert "Pakistan pitches itself as key player in regional peace dynamics" in screen
    term.wait_for(" GPE ")  # the legend shows once entities are in

    def find(words: str) -> None:
        term.send("/", literal=True)
        term.wait_for("Find in article")
        term.send(words, literal=True)
        term.send("Enter")
        term.wait_for(f" {reference_text.index(words) + 1}/")  # the caret position in the status line

    # 1: select word by word, name a new tag in the dialog.
    find("the message that")
    term.send("v", *["w"] * 9, "t")
    dialog = term.wait_for("Enter saves")
    assert "Tag \u201cthe message that Pakistan is pivoting westward" in dialog
    term.send("pivot westward", literal=True)
    term.send("Enter")
    term.wait_for("Tagged pivot westward")
    # 2: another new tag.
    find("no other South Asian state")
    term.send("v", *["w"] * 4, "t")
    term.wait_for("Enter saves")
    term.send("absent parties", literal=True)
    term.send("Enter")
    term.wait_for("2  absent parties")  # the tag bar offers it on the next free number
    # 3: select the sentence, apply tag 2 of the tag bar.
    find("Pakistan is making its case")
    term.send("s", "2", "q")
    term.wait_for("EXITED 0")

    exported = subprocess.run([READER, "export", "--db", str(store)], capture_output=True, text=True, timeout=60)
    records = json.loads(exported.stdout)["annotations"]
    text = reference_text.rstrip("\n")
    assert sorted((r["quote"], tuple(r["tags"])) for r in records) == sorted(
        [
            ("the message that Pakistan is pivoting westward was very clear", ("pivot westward",)),
            ("no other South Asian state", ("absent parties",)),
            (
                "Pakistan is making its case not just as a partner, but as a linchpin in the next phase of "
                "regional counterterrorism architecture.",
                ("absent parties",),
            ),
        ]
    )
    for record in records:
        assert text[record["start"] : record["end"]] == record["quote"]


def test_damaged_store_asks_first_then_opens_the_backup(tmp_path: Path, corpus_dir: Path, recognizer):
    from annotations import Annotation, AnnotationStore

    store = tmp_path / "store.json"
    text = "Pakistan is pivoting westward."
    with AnnotationStore(store) as opened:
        for start, end in ((0, 8), (12, 29)):
            opened.add(
                Annotation.create(article_id="x", article_sha256="s", text=text, start=start, end=end, tags=["t"])
            )
    whole = store.read_bytes()
    store.write_bytes(whole[: len(whole) // 2])
    damaged = store.read_bytes()
    term = TmuxTerminal([READER, str(corpus_dir), "--db", str(store)], terminal_env(tmp_path))
    try:
        screen = term.wait_for("The annotation store cannot be opened")
        assert "open the last good backup" in screen and "damaged" in screen
        assert store.read_bytes() == damaged  # nothing written before the choice
        term.send("b")
        term.wait_for("Pakistan pitches itself as key player")  # the library, on the restored store
        term.send("q")
        term.wait_for("EXITED 0")
    finally:
        term.close()
    with AnnotationStore(store) as restored:
        assert len(restored.all()) >= 1
    assert any(damaged == p.read_bytes() for p in tmp_path.glob("store.json.damaged-*"))
