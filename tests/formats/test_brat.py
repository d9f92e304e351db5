"""brat standoff: each T line's offsets give back its words from the .txt, and so the quote."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import ArticleRef, formats
from annotations.formats import Export
from tests.helpers import quoted

T_LINE = re.compile(r"^T(\d+)\t(\S+) ((?:\d+ \d+;?)+)\t(.*)$")


def make_export(text: str, specs: list[tuple[str, list[str], str]], article_id: str = "sub/000 one") -> Export:
    made = [quoted(text, phrase, tags, article_id=article_id, note=note) for phrase, tags, note in specs]
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
    assert sorted(path.name for path in folder.iterdir()) == [
        "annotation.conf",
        "sub_000_one.ann",
        "sub_000_one.txt",
        "visual.conf",
    ]
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


# -- type names, checked by brat's own rules --------------------------------------------------

#: brat's storage form of a type (server/src/projectconfig.py, normalize_to_storage_form), and
#: a letter first, so that no type is read as a separator line or a reserved word.
BRAT_STORAGE_FORM = re.compile(r"^[a-zA-Z0-9_-]*$")
BRAT_RESERVED = {"ANY", "ENTITY", "RELATION", "EVENT", "NONE", "REL-TYPE", "SEPARATOR"}


def brat_entities(config: str) -> list[str]:
    """The entity types of an annotation.conf, read as brat reads it: sections by ``[name]``,
    lines starting with ``#`` skipped, the first ``|``-separated term of a line is the type."""
    section, found = "general", []
    for line in config.split("\n"):
        header = re.match(r"^\s*\[(.*)\]\s*$", line)
        if header:
            section = header.group(1)
            continue
        if section != "entities" or not line.strip() or re.match(r"^\s*#", line):
            continue
        assert not re.match(r"^\s*-+\s*$", line), f"{line!r} is a separator to brat, not a type"
        match = re.match(r"^(\s*)(\S+)(?:\s+(.*))?$", line)
        assert match, line
        found.append(match.group(2).split("|")[0])
    return found


def assert_brat_accepts(folder: Path) -> dict[str, str]:
    """Every type legal to brat and declared; the types used, by the words of their T lines."""
    declared = brat_entities((folder / "annotation.conf").read_text(encoding="utf-8"))
    for kind in declared:
        assert BRAT_STORAGE_FORM.match(kind) and kind[0].isalpha() and kind.upper() not in BRAT_RESERVED, kind
    assert len({kind.casefold() for kind in declared}) == len(declared)
    used = {}
    for ann in folder.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                kind = line.split("\t")[1].split(" ")[0]
                assert kind in declared, kind
                used[line.split("\t")[0]] = kind
    return used


def test_tags_in_other_scripts_and_cases_get_legal_unique_types(tmp_path: Path):
    text = "مصدر: one source, in اردو, said Absent parties and absent parties."
    export = make_export(
        text,
        [("مصدر", ["مصدر"], ""), ("one source", ["اردو"], ""), ("Absent parties", ["Absent parties"], ""),
         ("absent parties", ["absent parties"], ""), ("said", ["1990s", "untagged", "---"], "")],
    )  # fmt: skip
    folder = formats.write("brat", export, tmp_path / "brat")
    used = assert_brat_accepts(folder)
    lines = {
        line.split("\t")[2]: line.split("\t")[1].split(" ")[0]
        for line in (folder / "sub_000_one.ann").read_text(encoding="utf-8").splitlines()
        if line.startswith("T")
    }
    assert lines["Absent parties"] == lines["absent parties"] == "Absent_parties"
    assert lines["مصدر"] != lines["one source"]  # two tags, two types
    assert "____" not in used.values()
    config = (folder / "annotation.conf").read_text(encoding="utf-8")
    for tag in ("مصدر", "اردو"):
        assert any(line.startswith("#") and line.endswith("\t" + tag) for line in config.splitlines()), tag
    visual = (folder / "visual.conf").read_text(encoding="utf-8")
    assert f"{lines['مصدر']} | مصدر" in visual


SCRIPTS = st.sampled_from(
    ["a", "B", "é", "ß", "İ", "ﬁ", "م", "ا", "ر", "中", "文", "0", "1", " ", "-", "_", "|", "!", "#", "😀", "\u200b"]
)


@settings(max_examples=40, deadline=None)
@given(tags=st.lists(st.text(SCRIPTS, min_size=1, max_size=8), min_size=1, max_size=8))
def test_any_tags_give_types_brat_accepts_one_per_tag(tmp_path_factory, tags: list[str]):
    from annotations.model import merge_tags, tag_key

    text = "word " * len(tags)
    specs = [("word " * (index + 1), [tag], "") for index, tag in enumerate(tags) if merge_tags([tag])]
    if not specs:
        return
    export = make_export(text, [(phrase.strip(), tags_, note) for phrase, tags_, note in specs])
    folder = formats.write("brat", export, tmp_path_factory.mktemp("brat"))
    used = assert_brat_accepts(folder)
    by_key: dict[str, set[str]] = {}
    for number, (_, tags_, _) in enumerate(specs, start=1):
        by_key.setdefault(tag_key(tags_[0]), set()).add(used[f"T{number}"])
    assert all(len(kinds) == 1 for kinds in by_key.values())  # equal but for case: one type
    assert len({next(iter(kinds)) for kinds in by_key.values()}) == len(by_key)  # two tags: two types
