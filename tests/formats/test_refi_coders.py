"""Coders in REFI-QDA projects: each coder is a ``User`` whose GUID comes from its name, each
passage's selection, codings and note are its coder's, and an import gives each passage back to
the coder its user names (a user the file does not name: the importing session's coder)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from lxml import etree

from annotations import AnnotationStore, ArticleRef
from annotations.coders import defaulting_to
from annotations.formats import Export, refi_import, refi_qda
from tests.formats.strategies import sha256
from tests.formats.test_refi_qda import Texts, passage, rezip, unzip, validate
from tests.test_cli import run
from tests.test_cli_coders import code, config_home

NS = {"q": refi_qda.PROJECT_NS}
TEXT = "Ada read the first line.\r\nBo read the second line, and a note on it."


def two_coders() -> Export:
    """Passages of ada and bo (one of bo's with a note) in one article."""
    passages = [
        replace(passage(TEXT, "first line", ["framing/first"]), coder="ada"),
        replace(passage(TEXT, "second line", ["framing/second", "other"], note="bo's note"), coder="bo"),
        replace(passage(TEXT, "a note", ["other"]), coder="bo"),
    ]
    return Export(passages, {"a1": ArticleRef("a1", "Two", None, "", sha256(TEXT))}, {"a1": TEXT})


def test_each_coder_is_a_user_and_creates_their_own_selections_codings_and_notes():
    export = two_coders()
    root = validate(unzip(refi_qda.render_qdpx(export, coder="exporter"))["project.qde"], "Project-mrt2019.xsd")
    users = {user.get("name"): user.get("guid") for user in root.iterfind(".//q:User", NS)}
    assert list(users) == ["exporter", "ada", "bo"]
    assert users == {name: refi_qda.user_guid(name) for name in users}
    assert root.get("creatingUserGUID") == users["exporter"]
    assert root.find(".//q:TextSource", NS).get("creatingUser") == users["exporter"]
    by_guid = {refi_qda.passage_guid(annotation.id): annotation.coder for annotation in export.annotations}
    selections = root.findall(".//q:PlainTextSelection", NS)
    assert len(selections) == 3
    for selection in selections:
        coder = users[by_guid[selection.get("guid")]]
        assert selection.get("creatingUser") == selection.get("modifyingUser") == coder
        assert {coding.get("creatingUser") for coding in selection.findall("q:Coding", NS)} == {coder}
    (note,) = root.iterfind(".//q:Notes/q:Note", NS)
    assert note.get("creatingUser") == users["bo"]


def test_an_import_gives_each_passage_back_to_its_coder_and_exports_the_same_project():
    export = two_coders()
    data = refi_qda.render_qdpx(export, coder="exporter")
    with defaulting_to("importer"):
        imported = refi_import.load_qdpx(data, Texts(export))
    assert sorted((a.id, a.coder) for a in imported.annotations) == sorted((a.id, a.coder) for a in export.annotations)
    again = refi_qda.render_qdpx(
        Export(imported.annotations, imported.articles, export.texts), imported.codes, "exporter"
    )
    assert unzip(again)["project.qde"] == unzip(data)["project.qde"]


def test_a_selection_whose_user_the_file_does_not_name_is_the_importing_coders():
    export = two_coders()
    files = unzip(refi_qda.render_qdpx(export, coder="exporter"))
    bo = refi_qda.user_guid("bo").encode()
    # Another tool's file: bo is not among its users, and a control character hides in ada's name.
    qde = re.sub(rb"<User [^>]*" + bo + rb"[^>]*/>", b"", files["project.qde"]).replace(
        b'name="ada"', b'name="a&#155;da"'
    )
    validate(qde, "Project-mrt2019.xsd")
    with defaulting_to("importer"):
        imported = refi_import.load_qdpx(rezip({**files, "project.qde": qde}), Texts(export))
    assert sorted(a.coder for a in imported.annotations) == ["a da", "importer", "importer"]


def test_cli_round_trip_of_two_coders_into_an_empty_store(tmp_path: Path, corpus_dir: Path):
    store, copy = tmp_path / "db.json", tmp_path / "copy.json"
    first, second = tmp_path / "first.qdpx", tmp_path / "second.qdpx"
    code(store, corpus_dir, "ada", [("pivoting westward", ["framing/pivot"])])
    code(store, corpus_dir, "bo", [("pivoting westward", ["westward"]), ("no other South Asian state", ["absent"])])
    env = config_home(tmp_path, "exporter")
    for db, output in ((store, first), (copy, second)):
        if db == copy:
            result = run("import", str(first), "--db", str(copy), "--coder", "importer", env=env)
            assert result.returncode == 0, result.stderr
        result = run("export", "--db", str(db), "-f", "qdpx", "--corpus", str(corpus_dir), "-o", str(output), env=env)
        assert result.returncode == 0, result.stderr
    with AnnotationStore(store) as original, AnnotationStore(copy) as imported:
        expected = sorted((a.id, a.start, a.end, a.coder) for a in original.all())
        assert sorted((a.id, a.start, a.end, a.coder) for a in imported.all()) == expected
    assert {coder for *_, coder in expected} == {"ada", "bo"}
    project = unzip(first.read_bytes())["project.qde"]
    refi_import.schema("Project-mrt2019.xsd").assertValid(etree.fromstring(project))
    assert [user.get("name") for user in etree.fromstring(project).iterfind(".//q:User", NS)] == [
        "exporter",
        "ada",
        "bo",
    ]
    assert unzip(second.read_bytes())["project.qde"] == project
