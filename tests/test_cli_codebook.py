"""``reader export -f codebook-csv`` and ``reader import codebook.csv`` through the installed
command: the CSV read back with the csv module (and pandas when installed), a round trip into an
empty store and back, bad rows refused with their line and nothing written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotations import AnnotationStore
from annotations.codebook import Code
from annotations.codebook_editing import CodebookEditor
from annotations.codebook_store import Codebook
from annotations.history import CORPUS, History
from tests.test_cli import run
from tests.test_cli_list_stats import tag_passages

PASSAGES = [
    ("pivoting westward", ["framing/pivot westward"]),
    ("no other South Asian state", ["absent parties", "framing/pivot westward"]),
    ("Missing were Russia and China", ["framing"]),
]
HEADER = ["code", "parent", "description", "colour", "count"]


@pytest.fixture
def store(tmp_path: Path, corpus_dir: Path) -> Path:
    path = tmp_path / "db.json"
    tag_passages(path, corpus_dir, PASSAGES)
    with AnnotationStore(path) as opened:
        editor = CodebookEditor(History(opened))
        editor.describe("framing", 'how the story is told, "quoted", and\na second line')
        editor.set_colour("framing/pivot westward", "#7aa2f7")
        editor.create("@mentions", "a formula-looking name")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames == HEADER
        return list(reader)


def test_export_writes_one_row_per_code_with_parent_description_colour_count(tmp_path: Path, store: Path):
    target = tmp_path / "codebook.csv"
    done = run("export", "--db", str(store), "-f", "codebook-csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert f"Wrote 4 codes to {target}" in done.stderr
    rows = read_csv(target)
    assert [(r["code"], r["parent"], r["colour"], r["count"]) for r in rows] == [
        ("'@mentions", "", "", "0"),  # a spreadsheet would run @mentions as a formula
        ("absent parties", "", "", "1"),
        ("framing", "", "", "1"),
        ("framing/pivot westward", "framing", "#7aa2f7", "2"),
    ]
    assert rows[2]["description"] == 'how the story is told, "quoted", and\na second line'
    stdout = run("export", "--db", str(store), "-f", "codebook-csv")
    assert list(csv.DictReader(io.StringIO(stdout.stdout))) == rows


def test_pandas_reads_the_export(tmp_path: Path, store: Path):
    import pandas

    target = tmp_path / "codebook.csv"
    assert run("export", "--db", str(store), "-f", "codebook-csv", "-o", str(target)).returncode == 0
    frame = pandas.read_csv(target, keep_default_na=False)
    assert list(frame.columns) == HEADER
    assert frame.set_index("code")["count"].to_dict()["framing/pivot westward"] == 2


def test_round_trip_into_an_empty_store_and_back_is_identical(tmp_path: Path, store: Path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run("export", "--db", str(store), "-f", "codebook-csv", "-o", str(first)).returncode == 0
    empty = tmp_path / "empty.json"
    imported = run("import", str(first), "--db", str(empty))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 4 codes" in imported.stderr and "4 created" in imported.stderr
    with AnnotationStore(empty) as copy:
        assert Codebook(copy).get("@mentions") == Code("@mentions", "a formula-looking name")
    assert run("export", "--db", str(empty), "-f", "codebook-csv", "-o", str(second)).returncode == 0
    without_counts = [{**row, "count": ""} for row in read_csv(first)]
    assert [{**row, "count": ""} for row in read_csv(second)] == without_counts
    again = run("import", str(first), "--db", str(store), "-f", "codebook-csv")  # into the store it came from
    assert again.returncode == 0 and "0 created, 0 changed, 4 unchanged" in again.stderr


def test_import_updates_codes_and_is_undone_as_one(tmp_path: Path, store: Path):
    source = tmp_path / "taguette.csv"
    source.write_text("code,description\nframing,rewritten\nnew/child,made here\n", encoding="utf-8")
    done = run("import", str(source), "--db", str(store))
    assert done.returncode == 0, done.stderr
    assert "1 created, 1 changed" in done.stderr  # new/child (its parent new follows from its path), framing
    with AnnotationStore(store) as opened:
        book = Codebook(opened)
        assert book.get("framing").description == "rewritten"
        assert book.get("framing/pivot westward").colour == "#7aa2f7"  # no colour column: kept
        assert History(opened).undo(CORPUS).label == "import of taguette.csv"
        assert book.get("framing").description.startswith("how the story is told")
        assert book.get("new/child") is None


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("code,colour\nfine,\nbad,red\n", 3, "not of the form #rrggbb"),
        ("code,parent\na/b,c\n", 2, "not under the parent"),
        ("code,description\nx,one\n,two\n", 3, "no code"),
        ("code\nsame\nSAME\n", 3, "given twice"),
        ("code,description\nx,one,extra\n", 2, "more cells"),
        ('code,description\nok,"multi\nline"\n,two\n', 4, "no code"),  # lines as in the file, not rows
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_written(
    tmp_path: Path, store: Path, content: str, line: int, reason: str
):
    source = tmp_path / "codebook.csv"
    source.write_text(content, encoding="utf-8")
    book_file = Codebook(AnnotationStore(store)).path
    before = book_file.read_bytes()
    done = run("import", str(source), "--db", str(store), "-f", "codebook-csv")
    assert done.returncode == 1
    assert f"line {line}" in done.stderr and reason in done.stderr and "Nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr
    assert book_file.read_bytes() == before


def test_a_damaged_codebook_is_reported_not_exported_empty(tmp_path: Path, store: Path):
    Codebook(AnnotationStore(store)).path.write_text("{broken", encoding="utf-8")
    done = run("export", "--db", str(store), "-f", "codebook-csv", "-o", str(tmp_path / "out.csv"))
    assert done.returncode == 1 and "codebook file" in done.stderr and "damaged" in done.stderr
    assert not (tmp_path / "out.csv").exists()
    refused = run("export", "--db", str(store), "-f", "codebook-csv", "--tag", "framing")
    assert refused.returncode == 2 and "--tag" in refused.stderr
