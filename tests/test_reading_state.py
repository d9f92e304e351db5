"""The reading state: read articles and where the reader stopped, kept across runs."""

from __future__ import annotations

import json
from pathlib import Path

from reader.paths import reading_state_path
from reader.reading_state import ReadingState


def test_read_and_caret_survive_a_restart(tmp_path: Path):
    path = tmp_path / "state" / "reading.json"
    state = ReadingState(path)
    assert not state.is_read("a") and state.caret("a") == 0
    state.opened("a")
    assert path.is_file() and ReadingState(path).is_read("a")  # opening is written at once
    state.stopped_at("a", 1234)
    assert ReadingState(path).caret("a") == 0  # a caret move alone is not written...
    assert state.save()
    again = ReadingState(path)  # ...until saved
    assert again.is_read("a") and again.caret("a") == 1234 and again.read_ids() == {"a"}
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "reader-reading-state" and document["articles"]["a"]["read"].endswith("Z")
    assert [p.name for p in path.parent.iterdir()] == ["reading.json"]  # no temporary left behind


def test_forget_marks_unread(tmp_path: Path):
    state = ReadingState(tmp_path / "reading.json")
    state.opened("a")
    state.forget("a")
    assert not ReadingState(tmp_path / "reading.json").is_read("a")


def test_a_damaged_file_is_set_aside_not_overwritten(tmp_path: Path):
    path = tmp_path / "reading.json"
    path.write_text("{ not json", encoding="utf-8")
    state = ReadingState(path)
    assert state.read_ids() == set()
    assert (tmp_path / "reading.json.damaged").read_text(encoding="utf-8") == "{ not json"
    state.opened("b")
    assert ReadingState(path).is_read("b")


def test_nonsense_carets_read_as_the_start(tmp_path: Path):
    path = tmp_path / "reading.json"
    path.write_text(
        json.dumps(
            {
                "format": "reader-reading-state",
                "version": 1,
                "articles": {"a": {"caret": -5}, "b": {"caret": "x"}, "c": 3},
            }
        )
    )
    state = ReadingState(path)
    assert state.caret("a") == 0 and state.caret("b") == 0 and not state.is_read("c")


def test_unwritable_state_does_not_raise(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    state = ReadingState(blocker / "reading.json")
    state.opened("a")
    assert state.is_read("a") and state.save() is False


def test_state_lives_in_the_user_state_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert reading_state_path() == tmp_path / "reader" / "reading.json"


def test_a_file_that_is_not_utf8_or_nested_too_deep_is_set_aside_with_a_notice(tmp_path: Path):
    from reader.disposable import take_notices

    take_notices()
    for damage in (b'{"format": "reader-reading-state", "articles": {"\xff\xfe": {}}}', b"[" * 100_000):
        path = tmp_path / "reading.json"
        path.write_bytes(damage)
        state = ReadingState(path)
        assert state.read_ids() == set()
        assert (tmp_path / "reading.json.damaged").read_bytes() == damage and not path.exists()
        assert state.notice is not None and str(path) in state.notice and "set aside" in state.notice
        [notice] = take_notices()
        assert notice == state.notice and "\n" not in notice
        state.opened("b")
        assert ReadingState(path).is_read("b")
        path.unlink()
