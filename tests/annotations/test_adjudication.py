"""The adjudication file beside the store: written whole, read back, refused when not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.adjudication import (
    AdjudicationFileError,
    adjudication_path,
    change_adjudication,
    read_adjudication,
)


def test_changes_are_kept_and_read_back(tmp_path: Path):
    path = adjudication_path(tmp_path / "store" / "annotations.json")
    assert read_adjudication(path).agreed == "agreed" and not path.exists()
    key = ("final", "article-1", 3, 9, ("id-a", "id-b"))
    change_adjudication(path, agreed="final", dismiss=key)
    other = ("final", "article-2", 0, 4, ("id-c",))
    change_adjudication(path, dismiss=other)
    read = read_adjudication(path)
    assert read.agreed == "final" and read.dismissed == {key, other}
    change_adjudication(path, restore=key)
    assert read_adjudication(path).dismissed == {other}
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


@pytest.mark.parametrize(
    "text",
    ['{"agreed": "x"', '{"agreed": 3, "dismissed": []}', '{"agreed": "x", "dismissed": [{"agreed": "x"}]}', "[]"],
)
def test_a_file_that_is_not_one_is_refused_with_its_name(tmp_path: Path, text: str):
    path = tmp_path / "annotations.json.adjudication.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AdjudicationFileError, match="adjudication file"):
        read_adjudication(path)
    with pytest.raises(AdjudicationFileError):
        change_adjudication(path, agreed="y")
    assert path.read_text(encoding="utf-8") == text
