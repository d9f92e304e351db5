"""Widths in terminal cells: CJK and emoji lines stay inside their columns and panels."""

from __future__ import annotations

import itertools

import regex
from rich.cells import cell_len

from annotations import Annotation
from reader.app.widgets.annotation_panel import describe
from reader.app.widgets.article_view import wrap
from reader.cells import fit, pad
from reader.cli.shared import table

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
THUMB = "\U0001f44d\U0001f3fd"


def boundaries(text: str) -> set[int]:
    return {match.start() for match in regex.finditer(r"\X", text, flags=regex.DOTALL)} | {len(text)}


def test_fit_and_pad_count_cells_not_characters():
    chinese = "巴基斯坦表示它是地区和平的关键参与者"
    assert cell_len(fit(chinese, 10)) <= 10 and fit(chinese, 10).endswith("\u2026")
    assert fit(f"ab{FAMILY}cd", 5) == f"ab{FAMILY}\u2026"
    assert fit(f"ab{FAMILY}cd", 4) == "ab\u2026"  # the family is not halved
    assert fit("short", 10) == "short"
    assert cell_len(pad("中文", 6)) == 6


def test_cli_table_columns_line_up_under_chinese_titles():
    out = table(["ID", "TITLE", "DATE"], [["中文标题", "巴基斯坦", "2025"], ["plain", "Pakistan", "2024"]])
    lines = out.splitlines()
    columns = {cell_len(line[: line.index("202") if "202" in line else line.index("DATE")]) for line in lines}
    assert len(columns) == 1, out


def test_panel_entry_of_a_chinese_quote_is_cut_in_cells():
    text = "巴基斯坦表示它是地区和平的关键参与者，中国和美国都同意了这一点。" * 3
    annotation = Annotation.create(
        article_id="a", article_sha256="s", text=text, start=0, end=len(text), tags=["t"], note=text
    )
    entry = describe(annotation, width=40)
    for line in entry.plain.splitlines():
        assert cell_len(line) <= 42, line  # 40 and the quotation marks


def test_wrapped_lines_of_emoji_and_cjk_never_cut_a_character_nor_overflow():
    paragraph = ("abcdef" + FAMILY + "中文" + THUMB * 3 + "\u00e9e\u0301") * 12
    for width in range(8, 30):
        lines = [line for line in wrap(paragraph, width) if not line.is_gap]
        cuts = boundaries(paragraph)
        for line in lines:
            assert line.start in cuts and line.end in cuts, (width, line)
            assert cell_len(paragraph[line.start : line.end]) <= width


def test_a_chinese_paragraph_without_spaces_fills_each_line_and_never_overflows():
    paragraph = "巴基斯坦表示，它是ab地区和平的关键参与者c" * 40
    for width in range(8, 30):
        lines = [line for line in wrap(paragraph, width) if not line.is_gap]
        assert lines[0].start == 0 and lines[-1].end == len(paragraph)
        for line, following in itertools.pairwise(lines):
            assert line.end == following.start
            assert cell_len(paragraph[line.start : line.end]) <= width
            assert cell_len(paragraph[line.start : line.end + 1]) > width  # the next character did not fit
