"""CSV for spreadsheets: read back with the csv module, every awkward cell survives."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export
from annotations.formats.csv_format import COLUMNS
from annotations.model import to_iso

TEXT = 'Title, with a comma\n2025-07-27\nHe said "no", then left.\nNew paragraph; -5% and =SUM(A1) here.'


def test_awkward_cells_read_back_with_the_csv_module(tmp_path: Path):
    ref = ArticleRef("a1", 'Title, with a comma "quoted"', "2025-07-27", "", "")
    made = []
    for phrase, tags, note in (
        ('He said "no", then left.\nNew', ["quotes, commas", "two"], 'note with "quotes",\ncommas\r\nand lines'),
        ("=SUM(A1)", ["formula"], "@mention"),
        ("-5%", [], ""),
    ):
        start = TEXT.index(phrase)
        made.append(
            Annotation.create(
                article_id="a1",
                article_sha256="",
                text=TEXT,
                start=start,
                end=start + len(phrase),
                tags=tags,
                note=note,
            )
        )
    path = formats.write("csv", Export(made, {"a1": ref}), tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets read UTF-8 by its byte order mark
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(COLUMNS)
    by_id = {row["id"]: row for row in rows}
    first, formula, minus = (by_id[annotation.id] for annotation in made)
    assert first["quote"] == made[0].quote and first["note"] == made[0].note
    assert first["tags"] == "quotes, commas; two" and first["title"] == ref.title
    assert (int(first["start"]), int(first["end"])) == (made[0].start, made[0].end)
    assert first["created"] == to_iso(made[0].created) and first["date"] == "2025-07-27"
    # Cells a spreadsheet would run as formulas are kept as text with a leading apostrophe.
    assert formula["quote"] == "'=SUM(A1)" and formula["note"] == "'@mention" and minus["quote"] == "'-5%"
    assert minus["tags"] == "" and minus["note"] == ""


def test_rendering_for_stdout_has_no_byte_order_mark():
    text = formats.render("csv", Export([]))
    assert text == ",".join(COLUMNS) + "\r\n"
    assert list(csv.reader(io.StringIO(text))) == [list(COLUMNS)]


@pytest.mark.parametrize(
    "cell",
    [
        " =1+1",
        '\n=HYPERLINK("http://x")',
        "\t=1",
        "  \r\n@SUM(A1)",
        "\uff1dSUM(A1)",
        "\uff0b1",
        "\uff0d1",
        "\uff20A1",
        " \uff1d1",
    ],
)
def test_a_formula_behind_space_or_in_fullwidth_signs_is_neutralised(cell: str):
    from annotations.formats.csv_format import inert_cell

    assert inert_cell(cell) == "'" + cell
    assert inert_cell("plain words = fine") == "plain words = fine"
