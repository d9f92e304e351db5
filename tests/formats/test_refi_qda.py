"""REFI-QDA: every qdpx and qdc export is valid against the QDA-XML schemas, offsets survive
astral characters, combining marks and CRLF texts, and export -> import -> export is identical."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotations import Annotation, ArticleRef
from annotations.codebook import Code, Memo, code_path
from annotations.formats import Export, FormatError, refi_import, refi_qda
from annotations.formats.refi_offsets import OffsetUnit, SourceText
from annotations.model import tag_key
from tests.formats.strategies import sha256

EMOJI_TEXT = "Grin 😀 then 👩🏽‍🚀 flew\r\nto 北京市 and São Paulo; cafe\u0301 n\u0303o\r\nEnd 𝒳."
CJK_TEXT = "中文的新闻：北京和上海。\n第二段 🀄 麻将。"
COMBINING_TEXT = "Zalgo z\u0335\u0321a\u0336l\u0334g\u0337o and e\u0301e\u0301\rlone CR line"


def validate(document: bytes, schema_name: str) -> etree._Element:
    root = etree.fromstring(document)
    refi_import.schema(schema_name).assertValid(root)
    return root


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def passage(text: str, words: str, tags: list[str], note: str = "", article_id: str = "a1") -> Annotation:
    start = text.index(words)
    return Annotation.create(
        article_id=article_id, article_sha256=sha256(text), text=text, start=start, end=start + len(words),
        tags=tags, note=note,
    )  # fmt: skip


class Texts:
    """A corpus as the import looks it up: the exported texts, by id and by text."""

    def __init__(self, export: Export) -> None:
        self.export = export

    def by_id(self, article_id: str) -> tuple[ArticleRef, str] | None:
        text = self.export.texts.get(article_id)
        return (self.export.article(article_id), text) if text is not None else None

    def by_text(self, plain: str) -> tuple[ArticleRef, str] | None:
        for article_id, text in self.export.texts.items():
            if SourceText(text).plain == plain:
                return self.by_id(article_id)
        return None


# --- offsets -------------------------------------------------------------------------------------


def test_crlf_shifts_every_later_offset_back_by_one_per_line_end():
    source = SourceText("ab\r\ncd\r\nef")
    assert source.plain == "ab\ncd\nef"
    # Hand count: "c" is at 4 in the text and 3 in the source; "e" at 8 and 6.
    assert [source.to_refi(offset) for offset in (0, 2, 4, 8, 10)] == [0, 2, 3, 6, 8]
    assert [source.from_refi(position) for position in (0, 2, 3, 6, 8)] == [0, 2, 4, 8, 10]


def test_positions_count_code_points_so_an_emoji_is_one_and_utf16_counts_it_two():
    source = SourceText("a😀b\r\n中c")
    assert source.span(2, 3) == (2, 3)  # "b": the emoji before it counts one
    assert source.to_refi(6, OffsetUnit.UTF16) == 6  # "c": emoji 2 units, CRLF one line end
    assert source.from_refi(6, OffsetUnit.UTF16) == 6
    with pytest.raises(ValueError, match="inside a character"):
        source.from_refi(2, OffsetUnit.UTF16)  # between the emoji's two surrogates
    with pytest.raises(ValueError, match="outside"):
        source.from_refi(len(source.plain) + 1)


def inside_line_end(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1 : offset + 1] == "\r\n"


@given(
    st.lists(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(["\r\n", "\r", "😀"]), max_size=60).map(
        "".join
    ),
    st.data(),
)
@settings(max_examples=200, deadline=None)
def test_offset_conversion_is_undone_exactly_and_keeps_the_words(text: str, data: st.DataObject):
    source = SourceText(text)
    start, end = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=2)))
    if not (inside_line_end(text, start) or inside_line_end(text, end)):
        for unit in OffsetUnit:
            assert source.from_refi(source.to_refi(start, unit), unit) == start
        refi_start, refi_end = source.span(start, end)
        assert source.plain[refi_start:refi_end] == text[start:end].replace("\r\n", "\n").replace("\r", "\n")


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [EMOJI_TEXT, CJK_TEXT, COMBINING_TEXT], ids=["emoji-crlf", "cjk", "combining-cr"])
def test_every_project_validates_and_each_selection_holds_its_words(text: str):
    words = ["👩🏽‍🚀 flew", "São Paulo", "cafe\u0301", "𝒳", "北京", "🀄 麻将", "a\u0336l\u0334g", "e\u0301\rlone"]
    passages = [passage(text, w, ["framing/pivot westward", "人物"], note=f"on {w}") for w in words if w in text]
    export = Export(passages, {"a1": ArticleRef("a1", "Title", "2025-01-02", "/c/a.txt", sha256(text))}, {"a1": text})
    files = unzip(refi_qda.render_qdpx(export, coder="ada", details={"a1": {"url": "https://x.org/?a=1&b=2"}}))
    root = validate(files["project.qde"], "Project-mrt2019.xsd")
    ns = {"q": refi_qda.PROJECT_NS}
    (source,) = root.iterfind(".//q:TextSource", ns)
    stored = files[f"sources/{source.get('guid')}.txt"]
    assert b"\r" not in stored and not stored.startswith(b"\xef\xbb\xbf")
    plain = stored.decode("utf-8")
    selections = source.findall("q:PlainTextSelection", ns)
    assert len(selections) == len(passages) > 0
    by_guid = {refi_qda.passage_guid(p.id): p for p in passages}
    for selection in selections:
        expected = by_guid[selection.get("guid")].quote.replace("\r\n", "\n").replace("\r", "\n")
        assert plain[int(selection.get("startPosition")) : int(selection.get("endPosition"))] == expected
        assert len(selection.findall("q:Coding", ns)) == 2
    assert [u.get("name") for u in root.iterfind(".//q:User", ns)] == ["ada", passages[0].coder]
    values = {v.findtext("q:TextValue", namespaces=ns) for v in source.iterfind("q:VariableValue", ns)}
    assert values == {"a1", "2025-01-02", "/c/a.txt", "https://x.org/?a=1&b=2"}


def test_the_codebook_nests_codes_with_colour_description_and_memos_as_notes():
    text = "One two three four."
    passages = [passage(text, "two", ["framing/pivot westward"]), passage(text, "four", ["absent"])]
    export = Export(passages, {}, {"a1": text})
    memo = Memo("first memo", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    codes = [Code("framing", "how the story is framed", "#AA3300", (memo,)), Code("unused/child", "made before use")]
    root = validate(unzip(refi_qda.render_qdpx(export, codes))["project.qde"], "Project-mrt2019.xsd")
    ns = {"q": refi_qda.PROJECT_NS}
    top = {code.get("name"): code for code in root.find("q:CodeBook/q:Codes", ns)}
    assert list(top) == ["absent", "framing", "unused"]
    assert top["framing"].get("color") == "#AA3300"
    assert top["framing"].findtext("q:Description", namespaces=ns) == "how the story is framed"
    assert [child.get("name") for child in top["framing"].findall("q:Code", ns)] == ["pivot westward"]
    (note_ref,) = top["framing"].findall("q:NoteRef", ns)
    (note,) = [n for n in root.iterfind(".//q:Note", ns) if n.get("guid") == note_ref.get("targetGUID")]
    assert note.findtext("q:PlainTextContent", namespaces=ns) == "first memo"
    qdc = validate(refi_qda.render_qdc(export, codes).encode("utf-8"), "Codebook-mrt2019.xsd")
    assert [code.get("name") for code in qdc.iter(f"{{{refi_qda.CODEBOOK_NS}}}Code")] == [
        "absent", "framing", "pivot westward", "unused", "child",
    ]  # fmt: skip
    assert refi_import.load_qdc(refi_qda.render_qdc(export, codes).encode()).codes == refi_qda.complete_codebook(
        [replace(codes[0], memos=()), codes[1]], passages
    )


def test_a_codebook_of_no_codes_is_refused_rather_than_written_invalid():
    with pytest.raises(refi_qda.NothingToExport):
        refi_qda.render_qdc(Export([]))
    validate(unzip(refi_qda.render_qdpx(Export([])))["project.qde"], "Project-mrt2019.xsd")


def test_the_same_annotations_give_the_same_bytes_and_guids_do_not_depend_on_the_time():
    text = "Stable ids make stable files."
    export = Export([passage(text, "stable files", ["a/b"])], {}, {"a1": text})
    later = replace(export, exported=export.exported + timedelta(days=3))
    assert refi_qda.render_qdpx(export) == refi_qda.render_qdpx(later)


HOSTILE = [
    "[red]alarm[/red]",
    "<b>bold</b> & &amp; &lt;",
    "]]> <![CDATA[x]]>",
    "\"quotes\" and 'single'",
    "back\\slash \\x1b[31m \\u0000",
    "{braces} %s %(name)s $HOME `cmd`",
    "\u202eright-to-left\u202c zero\u200bwidth",
]


def test_hostile_names_descriptions_and_notes_survive_exactly():
    text = "A passage for each hostile name, in order: " + " ".join(f"w{n}" for n in range(len(HOSTILE)))
    passages = [
        passage(text, f"w{n}", [f"{name}/{name} child"], note=f"note {name}\r\nsecond line\ttab")
        for n, name in enumerate(HOSTILE)
    ]
    codes = [Code(name, description=f"about {name}\n{name}") for name in HOSTILE]
    export = Export(passages, {"a1": ArticleRef("a1", HOSTILE[1], None, HOSTILE[2], "")}, {"a1": text})
    data = refi_qda.render_qdpx(export, codes, coder=HOSTILE[0])
    validate(unzip(data)["project.qde"], "Project-mrt2019.xsd")
    imported = refi_import.load_qdpx(data, Texts(export))
    assert sorted((a.id, a.tags, a.note) for a in imported.annotations) == sorted(
        (a.id, a.tags, a.note) for a in passages
    )
    assert {code.path: code.description for code in imported.codes if code.description} == {
        code.path: code.description for code in codes
    }
    assert imported.users == [HOSTILE[0], passages[0].coder]


def test_characters_xml_cannot_hold_are_written_as_replacement_characters():
    text = "An escape in a note."
    export = Export([passage(text, "escape", ["x"], note="red \x1b[31m bell \x07 end")], {}, {"a1": text})
    (annotation,) = refi_import.load_qdpx(refi_qda.render_qdpx(export), Texts(export)).annotations
    assert annotation.note == "red \ufffd[31m bell \ufffd end"


# --- import --------------------------------------------------------------------------------------


def test_crlf_emoji_passages_come_back_at_the_corpus_offsets():
    passages = [passage(EMOJI_TEXT, words, ["t"]) for words in ("👩🏽‍🚀 flew", "cafe\u0301", "𝒳", "to 北京市")]
    export = Export(passages, {}, {"a1": EMOJI_TEXT})
    data = refi_qda.render_qdpx(export)
    back = {a.id: a for a in refi_import.load_qdpx(data, Texts(export)).annotations}
    for original in passages:
        assert (back[original.id].start, back[original.id].end) == (original.start, original.end)
        assert back[original.id].quote == original.quote and back[original.id].article_sha256 == sha256(EMOJI_TEXT)
    # Without the corpus, the passages point into the source's own \n text.
    alone = {a.id: a for a in refi_import.load_qdpx(data).annotations}
    assert alone[passages[1].id].quote == "cafe\u0301" and alone[passages[1].id].start == passages[1].start - 1


def without_article_ids(data: bytes) -> bytes:
    files = unzip(data)
    root = etree.fromstring(files["project.qde"])
    for value in list(root.iter(f"{{{refi_qda.PROJECT_NS}}}VariableValue")):
        value.getparent().remove(value)
    files["project.qde"] = etree.tostring(root)
    return rezip(files)


def rezip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_source_without_reader_ids_is_found_by_its_text_or_refused_without_a_corpus():
    export = Export(
        [passage(CJK_TEXT, "北京", ["place"])], {"a1": ArticleRef("a1", "t", None, "", "")}, {"a1": CJK_TEXT}
    )
    data = without_article_ids(refi_qda.render_qdpx(export))
    (found,) = refi_import.load_qdpx(data, Texts(export)).annotations
    assert found.article_id == "a1" and found.quote == "北京"
    with pytest.raises(FormatError, match="does not name a reader article") as refused:
        refi_import.load_qdpx(data)
    assert refused.value.needs_pages
    with pytest.raises(FormatError, match="no article of the corpus"):
        refi_import.load_qdpx(data, Texts(Export([], {}, {"other": "other words"})))


def broken(change) -> bytes:
    text = "Some words to code."
    files = unzip(refi_qda.render_qdpx(Export([passage(text, "words", ["w"], note="n")], {}, {"a1": text})))
    change(files)
    return rezip(files)


def edit_qde(pattern: str, replacement: str):
    def change(files: dict[str, bytes]) -> None:
        files["project.qde"] = re.sub(pattern.encode(), replacement.encode(), files["project.qde"], count=1)

    return change


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a zip at all", "is not one"),
        (rezip({"other.xml": b"<x/>"}), "holds no project.qde"),
        (broken(edit_qde("</Project>", "")), "not valid XML"),
        (broken(edit_qde(r' isCodable="true"', "")), "does not follow the REFI-QDA schema"),
        (broken(edit_qde(r"<Users>", "<Bogus/><Users>")), "does not follow the REFI-QDA schema"),
        (broken(edit_qde(r'endPosition="\d+"', 'endPosition="999"')), "not a passage of a text of 19 characters"),
        (broken(edit_qde(r'startPosition="\d+"', 'startPosition="-1"')), "not a passage"),
        (broken(edit_qde(r'<CodeRef targetGUID="[^"]+"', '<CodeRef targetGUID="00000000-0000-0000-0000-000000000000"')),
         "names no code of the codebook"),
        (broken(lambda files: files.pop(next(n for n in files if n.startswith("sources/")))), "is not in the project's zip"),
        (broken(lambda files: files.update({n: b"\xff\xfe" for n in files if n.startswith("sources/")})), "not UTF-8"),
        (broken(edit_qde(r"<Users>", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Users>')), "not valid XML"),
        (broken(edit_qde(r"<Project ", '<!DOCTYPE Project [<!ENTITY e SYSTEM "file:///etc/hostname">]><Project ')),
         "declares a DOCTYPE"),
        (broken(edit_qde(r"<PlainTextContent>n", '<PlainTextContent>&e;')), "not valid XML"),
    ],
    ids=["not-zip", "no-qde", "bad-xml", "missing-attr", "unknown-element", "past-end", "negative",
         "unknown-code", "missing-source", "not-utf8", "doctype-inside", "external-entity", "undeclared-entity"],
)  # fmt: skip
def test_a_file_reader_cannot_take_is_refused_with_the_reason(data: bytes, reason: str):
    with pytest.raises(FormatError, match=re.escape(reason)):
        refi_import.load_qdpx(data)


# --- round trips ---------------------------------------------------------------------------------

#: Pieces of text XML 1.0 holds, astral characters and grapheme clusters included (what survives a REFI file exactly).
XML_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
) | st.sampled_from(["\n", "\t", "😀", "𝒳", "👩🏽‍🚀", "\U0002a6a5", "e\u0301"])


def xml_text(
    min_size: int = 0, max_size: int = 20, extra: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[str]:
    pieces = XML_CHARACTERS | extra if extra is not None else XML_CHARACTERS
    return st.lists(pieces, min_size=min_size, max_size=max_size).map("".join)


NAMES = xml_text(1, 8).filter(lambda name: refi_qda.code_of(name) is not None)
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join).filter(lambda path: refi_qda.code_of(path) is not None)
TIMES = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000)
)
CODES = st.builds(
    Code,
    PATHS,
    xml_text(),
    st.none() | st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True),
    st.lists(st.builds(Memo, xml_text(1), TIMES), max_size=2).map(tuple),
)


@st.composite
def projects(draw: st.DrawFn) -> tuple[Export, list[Code]]:
    """Random articles (CRLF and astral characters in their texts), passages and a codebook."""
    codes = draw(st.lists(CODES, max_size=5))
    texts, passages = {}, []
    for article_id in draw(st.lists(xml_text(1, 6), min_size=1, max_size=2, unique=True)):
        text = draw(xml_text(1, 80, st.sampled_from(["\r\n", "\r"])))
        texts[article_id] = text
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(text) - 1))
            made = Annotation.create(
                article_id=article_id, article_sha256=sha256(text), text=text, start=start,
                end=draw(st.integers(start + 1, len(text))),
                tags=draw(st.lists(PATHS | st.sampled_from([c.path for c in codes] or ["x"]), max_size=3)),
                note=draw(xml_text(0, 30, st.just("\r"))),
            )  # fmt: skip
            created = draw(TIMES)
            passages.append(
                replace(made, created=created, updated=created + timedelta(seconds=draw(st.integers(0, 9))))
            )
    refs = {article_id: ArticleRef(article_id, "", None, "", sha256(text)) for article_id, text in texts.items()}
    return Export(passages, refs, texts), codes


def records(annotations: list[Annotation]) -> list[tuple]:
    """What must come back of each passage; its tags as the codes they name (``a//b/`` is ``a/b``)."""
    return sorted(
        (a.id, a.article_id, a.start, a.end, a.quote, a.note, a.created, a.updated, codes_named(a.tags))
        for a in annotations
    )


def codes_named(tags: list[str]) -> list[str]:
    return sorted({tag_key(code_path(tag)) for tag in tags if code_path(tag)})


@given(projects())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_codebooks_and_passages_round_trip_through_qdpx(project: tuple[Export, list[Code]]):
    export, codes = project
    data = refi_qda.render_qdpx(export, codes, coder="ada")
    validate(unzip(data)["project.qde"], "Project-mrt2019.xsd")
    imported = refi_import.load_qdpx(data, Texts(export))
    assert records(imported.annotations) == records(export.annotations)
    assert imported.codes == refi_qda.complete_codebook(codes, export.annotations)
    again = refi_qda.render_qdpx(Export(imported.annotations, imported.articles, export.texts), imported.codes, "ada")
    assert unzip(again)["project.qde"] == unzip(data)["project.qde"]


FUZZ_BASE = unzip(
    refi_qda.render_qdpx(
        Export([passage(EMOJI_TEXT, "São Paulo", ["a/b", "c"], note="n")], {}, {"a1": EMOJI_TEXT}),
        [Code("a", "d", "#123456", (Memo("m"),))],
    )
)


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_a_damaged_project_is_read_or_refused_never_a_crash(data: st.DataObject):
    files = dict(FUZZ_BASE)
    name = data.draw(st.sampled_from(sorted(files)))
    content = bytearray(files[name])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(content) - 1))
        content[at : at + data.draw(st.integers(0, 3))] = data.draw(st.binary(max_size=3))
    files[name] = bytes(content)
    try:
        imported = refi_import.load_qdpx(rezip(files))
    except FormatError:
        return
    imported.check_storable()  # what was read is whole: the store could take it


def test_guids_in_braces_and_upper_case_as_some_tools_write_them_are_the_same_guids():
    text = "Upper-case GUIDs from another tool."
    original = passage(text, "another tool", ["a/b"], note="kept")
    files = unzip(refi_qda.render_qdpx(Export([original], {}, {"a1": text})))
    upper = re.sub(
        rb'(guid|GUID|User)="([0-9a-f-]{36})"', lambda m: m[1] + b'="{' + m[2].upper() + b'}"', files["project.qde"]
    )
    assert upper != files["project.qde"]
    (annotation,) = refi_import.load_qdpx(rezip({**files, "project.qde": upper})).annotations
    assert (annotation.id, annotation.tags, annotation.note) == (original.id, ["a/b"], "kept")
