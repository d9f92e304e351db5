"""A REFI-QDA project exported from the app at 80x24 is the one ``reader export`` writes: the
store's codebook (with its descriptions), the session's coder as the project's user, each
passage's coder as its user, and the article's date, source and url as variables."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from annotations import Annotation, AnnotationStore
from annotations.codebook_editing import CodebookEditor
from annotations.formats import refi_import, refi_qda
from annotations.history import History
from reader.app.app import ReaderApp
from reader.app.dialogs.export_dialog import ExportDialog
from reader.config import Settings
from reader.corpus import load_corpus
from tests.app.helpers import wait_until
from tests.formats.test_refi_qda import unzip

NS = {"q": refi_qda.PROJECT_NS}
WIRE = {
    "title": "Ports reopen",
    "date": "2025-01-02",
    "text": "The ports reopened on Monday after a week of storms.",
    "url": "https://example.com/ports?a=1&b=2",
    "source": "Wire [red]desk[/red]",
}


async def test_qdpx_from_the_app_has_the_codebook_the_coder_and_the_article_details(
    corpus_dir: Path, store_path: Path, recognizer, tmp_path: Path
):
    (corpus_dir / "wire.json").write_text(json.dumps(WIRE), encoding="utf-8")
    article = load_corpus(corpus_dir, use_index=False).get("wire.json")
    assert article is not None
    start = article.text.index("ports reopened")
    with AnnotationStore(store_path) as store:
        made = Annotation.create(
            article_id=article.id, article_sha256=article.sha256, text=article.text, start=start,
            end=start + len("ports reopened"), tags=["events/reopening"], coder="bo",
        )  # fmt: skip
        store.add(made, article.ref())
        CodebookEditor(History(store)).describe("events", "Things that happen to the ports")
    destination = tmp_path / "out" / "project.qdpx"
    store = AnnotationStore(store_path)
    try:
        app = ReaderApp(load_corpus(corpus_dir), store, recognizer, settings=Settings(coder="ada"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("X")
            dialog = app.screen
            assert isinstance(dialog, ExportDialog)
            button = next(b for b in dialog.query_one("#export-format").query("RadioButton") if b.name == "qdpx")
            button.value = True
            await pilot.pause()
            assert dialog.fmt == "qdpx"
            dialog.query_one("#export-path").value = str(destination)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: any(str(destination) in str(n.message) for n in app.notices))
    finally:
        store.close()
    root = etree.fromstring(unzip(destination.read_bytes())["project.qde"])
    refi_import.schema("Project-mrt2019.xsd").assertValid(root)
    users = {user.get("name"): user.get("guid") for user in root.iterfind(".//q:User", NS)}
    assert users == {"ada": refi_qda.user_guid("ada"), "bo": refi_qda.user_guid("bo")}
    assert root.get("creatingUserGUID") == users["ada"]
    (selection,) = root.iterfind(".//q:PlainTextSelection", NS)
    assert selection.get("creatingUser") == users["bo"]
    (events,) = root.iterfind(".//q:Codes/q:Code", NS)
    assert (events.get("name"), events.findtext("q:Description", namespaces=NS)) == (
        "events",
        "Things that happen to the ports",
    )
    values = {v.findtext("q:TextValue", namespaces=NS) for v in root.iterfind(".//q:VariableValue", NS)}
    assert {"wire.json", "2025-01-02", WIRE["url"], WIRE["source"]} <= values
