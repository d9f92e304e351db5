"""brat standoff: each T line's offsets give back its words from the .txt, and so the quote."""

from __future__ import annotations

import re
from pathlib import Path

from annotations import Annotation, ArticleRef, formats
from annotations.formats import Export

T_LINE = re.compile(r"^T(\d+)\t(\S+) ((?:\d+ \d+;?)+)\t(.*)$")


def make_export(text: str, specs: list[tuple[str, list[str], str]], article_id: str = "sub/000 one") -> Export:
    made = []
    for phrase, tags, note in specs:
        start = text.index(phrase)
        made.append(Annotation.create(article_id=article_id, article_sha256="", text=text, start=start, end=start + len(phrase), tags=tags, note=note))
    return Export(made, {article_id: ArticleRef(article_id, "", None, "", "")}, {article_id: text})


def test_t_lines_give_back_each_quote_from_the_txt(tmp_path: Path, reference_text: str):
    text = reference_text.rstrip("\n")
    export = make_export(
        text,
        [
            ("pivoting westward", ["pivot westward"], "a note,\nover two lines"),
            ("no other South Asian state", ["absent parties", "Asia: south"], ""),
            ("very clear.\nThe conference`s theme", ["across paragraphs"], ""),
            ("Missing were Russia and China", [], ""),
        ],
    )
    folder = formats.write("brat", export, tmp_path / "brat")
    assert sorted(path.name for path in folder.iterdir()) == ["annotation.conf", "sub_000_one.ann", "sub_000_one.txt"]
    txt = (folder / "sub_000_one.txt").read_text(encoding="utf-8")
    assert txt == text
    lines = (folder / "sub_000_one.ann").read_text(encoding="utf-8").splitlines()
    t_lines = [T_LINE.match(line) for line in lines if line.startswith("T")]
    assert all(t_lines) and len(t_lines) == 5  # one per tag, and one for the untagged passage
    quotes = {annotation.quote for annotation in export.annotations}
    types = set()
    for match in t_lines:
        assert match is not None
        fragments = [tuple(map(int, piece.split())) for piece in match.group(3).split(";")]
        assert match.group(4) == " ".join(txt[start:end] for start, end in fragments)
        assert txt[fragments[0][0] : fragments[-1][1]] in quotes
        types.add(match.group(2))
    assert types == {"pivot_westward", "absent_parties", "Asia_south", "across_paragraphs", "untagged"}
    notes = [line for line in lines if line.startswith("#")]
    assert notes == ["#1\tAnnotatorNotes T1\ta note, over two lines"]
    config = (folder / "annotation.conf").read_text(encoding="utf-8")
    assert all(kind in config.split("[relations]")[0].split() for kind in types)
