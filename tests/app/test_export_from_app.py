"""Exporting from the app: the annotations in view, in a chosen format, and where they went."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from reader.app.dialogs.export_dialog import ExportDialog
from reader.app.screens.article import ArticleScreen
from tests.app.helpers import wait_until


async def test_export_this_article_as_json_says_where_it_went(make_app, tag_phrase, tmp_path: Path, corpus_dir):
    tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "absent parties")
    other = corpus_dir / "other.txt"
    other.write_text("Another story\n2025-08-01\nChina and India met.\n", encoding="utf-8")
    app = make_app()
    destination = tmp_path / "out" / "article.json"
    async with app.run_test(size=(120, 40)) as pilot:
        # Tag something in the other article too, so "this article" has something to leave out.
        app.open_article(app.corpus.get("other"))
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.article.id == "other")
        await pilot.press("s", "t", *"other story", "enter", "escape")
        app.open_article(app.corpus.get("000_ff5b33da8fd122af"))
        await wait_until(pilot, lambda: isinstance(app.screen, ArticleScreen) and app.screen.article.id != "other")
        await pilot.press("X")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert [s.kind for s in dialog.scopes] == ["all", "article"]
        assert dialog.scope.kind == "article"  # the article in view is offered first
        path = dialog.query_one("#export-path")
        path.value = str(destination)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: destination.exists())
        await wait_until(pilot, lambda: any(str(destination) in str(n.message) for n in app.notices))
    document = json.loads(destination.read_text(encoding="utf-8"))
    assert sorted(a["quote"] for a in document["annotations"]) == ["no other South Asian state", "pivoting westward"]
    assert [a["id"] for a in document["articles"]] == ["000_ff5b33da8fd122af"]


async def test_export_a_tag_as_csv_from_the_tags_screen(make_app, tag_phrase, tmp_path: Path):
    tag_phrase("pivoting westward", "pivot westward")
    tag_phrase("no other South Asian state", "absent parties")
    tag_phrase("Missing were Russia and China", "absent parties")
    app = make_app()
    destination = tmp_path / "absent.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("T", "X")
        dialog = app.screen
        assert dialog.scope.kind == "tag" and dialog.scope.value == "absent parties"
        formats_offered = dialog.query_one("#export-format")
        csv_button = next(b for b in formats_offered.query("RadioButton") if b.name == "csv")
        csv_button.value = True
        await pilot.pause()
        assert dialog.query_one("#export-path").value.endswith(".csv")
        dialog.query_one("#export-path").value = str(destination)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: destination.exists())
    rows = list(csv.DictReader(destination.read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(row["quote"] for row in rows) == ["Missing were Russia and China", "no other South Asian state"]


async def test_unwritable_destination_is_reported_not_raised(make_app, tag_phrase, tmp_path: Path):
    tag_phrase("pivoting westward", "pivot westward")
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("X")
        app.screen.query_one("#export-path").value = str(blocker / "inside.json")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("Export failed" in str(n.message) for n in app.notices))
        assert app.is_running
