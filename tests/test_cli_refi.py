"""``reader export -f qdpx|qdc`` and ``reader import`` of REFI-QDA files, through the installed
command: the round trip is identical, a zip never goes to stdout, a bad file writes nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annotations import AnnotationStore
from annotations.codebook_editing import CodebookEditor
from annotations.codebook_store import Codebook
from annotations.formats import refi_import, refi_qda
from annotations.history import History
from tests.formats.test_refi_qda import rezip, unzip, without_article_ids
from tests.test_cli import run
from tests.test_cli_list_stats import tag_passages

PASSAGES = [
    ("pivoting westward", ["framing/pivot westward"]),
    ("no other South Asian state", ["absent parties", "framing/South Asia"]),
    ("Missing were Russia and China", []),
]


@pytest.fixture
def store(tmp_path: Path, corpus_dir: Path) -> Path:
    path = tmp_path / "db.json"
    tag_passages(path, corpus_dir, PASSAGES)
    return path


def export(store: Path, corpus: Path, output: Path, fmt: str = "qdpx") -> None:
    written = run("export", "--db", str(store), "-f", fmt, "--corpus", str(corpus), "-o", str(output))
    assert written.returncode == 0, written.stderr


def records(path: Path) -> list[dict]:
    with AnnotationStore(path) as opened:
        return sorted((annotation.to_record() for annotation in opened.all()), key=lambda record: record["id"])


def test_export_import_into_an_empty_store_and_export_again_is_identical(tmp_path: Path, store: Path, corpus_dir: Path):
    first, second, copy = tmp_path / "first.qdpx", tmp_path / "second.qdpx", tmp_path / "copy.json"
    export(store, corpus_dir, first)
    refi_import.schema("Project-mrt2019.xsd").assertValid(etree.fromstring(unzip(first.read_bytes())["project.qde"]))
    imported = run("import", str(first), "--db", str(copy))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 3 annotations" in imported.stderr and "codebook of 4 codes" in imported.stderr
    assert records(copy) == records(store)
    export(copy, corpus_dir, second)
    assert unzip(second.read_bytes())["project.qde"] == unzip(first.read_bytes())["project.qde"]
    assert second.read_bytes() == first.read_bytes()


def test_a_zip_is_not_written_to_stdout(store: Path, corpus_dir: Path):
    refused = run("export", "--db", str(store), "-f", "qdpx", "--corpus", str(corpus_dir))
    assert refused.returncode == 2 and refused.stdout == ""
    assert "not written to stdout: give the file with -o" in refused.stderr


def test_the_codebook_alone_validates_and_its_import_writes_nothing(tmp_path: Path, store: Path, corpus_dir: Path):
    shown = run("export", "--db", str(store), "-f", "qdc")
    assert shown.returncode == 0, shown.stderr
    root = etree.fromstring(shown.stdout.encode("utf-8"))
    refi_import.schema("Codebook-mrt2019.xsd").assertValid(root)
    names = [code.get("name") for code in root.iter(f"{{{refi_qda.CODEBOOK_NS}}}Code")]
    assert names == ["absent parties", "framing", "pivot westward", "South Asia"]
    codebook = tmp_path / "codebook.qdc"
    export(store, corpus_dir, codebook, "qdc")
    fresh = tmp_path / "fresh.json"
    imported = run("import", str(codebook), "--db", str(fresh))
    assert imported.returncode == 0, imported.stderr
    assert "codebook of 4 codes: 0 described" in imported.stderr
    assert not fresh.exists()  # codes with nothing to describe them are only tags: nothing to keep


def test_descriptions_and_colours_travel_through_qdc_and_qdpx_into_the_codebook(
    tmp_path: Path, store: Path, corpus_dir: Path
):
    with AnnotationStore(store) as opened:
        editor = CodebookEditor(History(opened))
        editor.describe("framing", "How the article frames Pakistan's place")
        editor.set_colour("framing", "#3366cc")
        editor.create("unused yet", "made before any passage has it")
    for fmt in ("qdc", "qdpx"):
        exported, fresh = tmp_path / f"book.{fmt}", tmp_path / f"fresh-{fmt}.json"
        export(store, corpus_dir, exported, fmt)
        imported = run("import", str(exported), "--db", str(fresh))
        assert imported.returncode == 0, imported.stderr
        assert "2 described codes added to the codebook" in imported.stderr
        with AnnotationStore(fresh) as opened:
            kept = Codebook(opened).defined()
        framing = next(code for code in kept.values() if code.path == "framing")
        assert (framing.description, framing.colour) == ("How the article frames Pakistan's place", "#3366cc")
        assert any(code.path == "unused yet" for code in kept.values())


def test_a_project_without_reader_ids_is_placed_by_its_text_in_the_corpus(
    tmp_path: Path, store: Path, corpus_dir: Path
):
    exported = tmp_path / "p.qdpx"
    export(store, corpus_dir, exported)
    foreign = tmp_path / "foreign.qdpx"
    foreign.write_bytes(without_article_ids(exported.read_bytes()))
    alone = run("import", str(foreign), "--db", str(tmp_path / "alone.json"))
    assert alone.returncode == 1 and "does not name a reader article" in alone.stderr
    assert "--corpus DIR" in alone.stderr and not (tmp_path / "alone.json").exists()
    placed = run("import", str(foreign), "--db", str(tmp_path / "placed.json"), "--corpus", str(corpus_dir))
    assert placed.returncode == 0, placed.stderr
    assert "3 exact" in placed.stderr
    assert records(tmp_path / "placed.json") == records(store)


def out_of_range(data: bytes) -> bytes:
    files = unzip(data)
    files["project.qde"] = files["project.qde"].replace(b'endPosition="', b'endPosition="9999', 1)
    return rezip(files)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda data: b"PK\x03\x04 truncated", "is not one"),
        (lambda data: data.replace(b"project.qde", b"project.xml"), "holds no project.qde"),
        (out_of_range, "not a passage of a text"),
    ],
    ids=["broken-zip", "no-project", "offsets-out-of-range"],
)
def test_a_file_reader_cannot_take_is_refused_and_nothing_is_written(
    tmp_path: Path, store: Path, corpus_dir: Path, change, reason: str
):
    exported = tmp_path / "p.qdpx"
    export(store, corpus_dir, exported)
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(change(exported.read_bytes()))
    target = tmp_path / "target.json"
    refused = run("import", str(bad), "--db", str(target))
    assert refused.returncode == 1 and reason in refused.stderr and "Nothing was imported" in refused.stderr
    assert "Traceback" not in refused.stderr and not target.exists()


def test_the_zip_holds_the_project_and_one_lf_text_per_article(tmp_path: Path, store: Path, corpus_dir: Path):
    exported = tmp_path / "p.qdpx"
    export(store, corpus_dir, exported)
    with zipfile.ZipFile(io.BytesIO(exported.read_bytes())) as archive:
        names = archive.namelist()
    assert names[0] == "project.qde" and len(names) == 2 and names[1].startswith("sources/")
