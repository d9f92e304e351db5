"""An export file gets the permissions the user's umask gives new files, as other tools' files do
(it is the user's document), not the private mode of the temporary file it is written through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export

TEXT = "Pakistan pitched itself as a key player."


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.parametrize("name", ["json", "w3c", "csv", "jsonl"])
def test_an_export_file_has_the_mode_the_umask_gives(tmp_path: Path, name: str, umask: int, mode: int):
    made = Annotation.create(article_id="a", article_sha256="", text=TEXT, start=0, end=8, tags=["country"])
    export = Export([made], {"a": ArticleRef("a", "", None, "", "")}, {"a": TEXT})
    old = os.umask(umask)
    try:
        written = formats.write(name, export, tmp_path / f"out.{name}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == mode
