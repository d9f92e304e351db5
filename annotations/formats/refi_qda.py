"""REFI-QDA export: a project (``.qdpx``) and a codebook (``.qdc``) that NVivo, ATLAS.ti, MAXQDA
and QualCoder read, valid against the QDA-XML 1.0 schemas (``schemas/Project-mrt2019.xsd``,
``schemas/Codebook-mrt2019.xsd``).

A ``.qdpx`` is a zip of ``project.qde`` (the XML) and ``sources/<guid>.txt``, one per annotated
article: its text as UTF-8 (no byte-order mark) with ``\\n`` line ends. Each passage is a
``PlainTextSelection`` with one ``Coding`` per tag (a tag is its code's path, ``parent/child``,
written as nested ``Code`` elements), its note a ``Note`` it points to with a ``NoteRef``; a
code's memos are ``Note``\\ s its ``Code`` points to. The article's id, date, path, source and url
are ``VariableValue``\\ s of its ``TextSource``. Each coder of the passages is a ``User`` (its GUID
from its name), the ``creatingUser`` of that coder's selections, codings and notes; the user who
exports is the project's.

Offsets: ``startPosition`` and ``endPosition`` count **Unicode code points** in the ``\\n``-only
source text (see :mod:`annotations.formats.refi_offsets`, which does the one conversion).

Every GUID is derived from a stable id (uuid5 of the article id, the code's key, the passage's
id; a passage id that is already a UUID is used as it is), and nothing in the file depends on
the time of export, so exporting the same annotations twice gives the same bytes, and a project
imported and exported again gives the same ``project.qde``. Text that XML 1.0 cannot hold (C0
control characters other than tab and line ends) is written as U+FFFD.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from lxml import etree

from annotations.codebook import Code, ancestors_of, code_path
from annotations.formats.exchange import Export
from annotations.formats.refi_offsets import SourceText
from annotations.model import Annotation, tag_key, to_iso

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "reader"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
#: The namespace of reader's uuid5 GUIDs (fixed forever: GUIDs must not change between versions).
GUID_NAMESPACE = uuid.UUID("5b0c1f3e-8d7a-5e44-9a61-2f0f3c9d7e21")
#: The variables reader writes on each text source, in this order: (name, key in the details).
VARIABLES = (("article id", "id"), ("date", "date"), ("path", "path"), ("source", "source"), ("url", "url"))
#: The user a project names when no coder is given.
DEFAULT_USER = "reader"
#: A zip entry's time, fixed so that the same project gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_UUID_HEX = re.compile(r"[0-9a-f]{32}")
#: How much of a passage's words its selection's name shows.
NAME_CHARS = 80


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold made U+FFFD (everything else kept exactly)."""
    return _NOT_XML.sub("\ufffd", text)


def guid(*parts: str) -> str:
    """A GUID that is always the same for the same ``parts``."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def passage_guid(annotation_id: str) -> str:
    """The GUID of a passage: its id when that is a UUID (reader's are), else one derived from it.
    An import takes the GUID's hex digits as the id, so exporting it again gives the same GUID."""
    if _UUID_HEX.fullmatch(annotation_id):
        return str(uuid.UUID(hex=annotation_id))
    return guid("passage", annotation_id)


def code_guid(code: Code) -> str:
    return guid("code", code.key)


def source_guid(article_id: str) -> str:
    return guid("article", article_id)


def user_guid(name: str) -> str:
    return guid("user", name)


class NothingToExport(ValueError):
    """An export that would hold nothing the format can say (a codebook of no codes)."""


def code_of(tag: str) -> Code | None:
    """The code a tag names, or None for a tag with no name in it (such as ``/``)."""
    return Code(tag) if code_path(tag) else None


def codes_in_use(annotations: Iterable[Annotation]) -> list[Code]:
    """The codes the annotations' tags name (first spelling met), for a codebook that keeps no more."""
    found: dict[str, Code] = {}
    for annotation in annotations:
        for code in filter(None, map(code_of, annotation.tags)):
            found.setdefault(code.key, code)
    return list(found.values())


def complete_codebook(codes: Sequence[Code], annotations: Iterable[Annotation] = ()) -> list[Code]:
    """``codes``, with a code for every tag used and for every parent named in a path, each once
    (by key, the first given kept), sorted by path: what a file's ``CodeBook`` lists."""
    found: dict[str, Code] = {}
    for code in [*codes, *codes_in_use(annotations)]:
        found.setdefault(code.key, code)
    for code in list(found.values()):
        for parent in ancestors_of(code.path):
            found.setdefault(Code(parent).key, Code(parent))
    ordered = sorted(found.values(), key=lambda code: [tag_key(part) for part in code.path.split("/")])
    # A child is written under its parent as the parent is spelled ("A/b" under the code "a" is
    # "a/b"), so that the paths an import reads back are the paths listed here.
    spelled: dict[str, Code] = {}
    for code in ordered:
        above = code.parent
        if above is not None:
            code = code.moved_to(f"{spelled[tag_key(above)].path}/{code.name}")
        spelled[code.key] = code
    return list(spelled.values())


def _children(codes: Sequence[Code]) -> dict[str | None, list[Code]]:
    """The codes by their parent's key (None for top-level codes), each list in path order."""
    tree: dict[str | None, list[Code]] = {}
    for code in codes:
        parent = code.parent
        tree.setdefault(tag_key(parent) if parent is not None else None, []).append(code)
    return tree


class _Writer:
    """Builds the elements of one document in namespace ``ns``, collecting its notes."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.notes: list[etree._Element] = []

    def element(
        self, parent: etree._Element | None, tag: str, text: str | None = None, **attributes: str | None
    ) -> etree._Element:
        """A new element ``tag`` (in ``parent`` if given), its text and attributes made XML-safe."""
        name = f"{{{self.ns}}}{tag}"
        values = {key: xml_text(value) for key, value in attributes.items() if value is not None}
        made = (
            etree.Element(name, values, nsmap={None: self.ns})
            if parent is None
            else etree.SubElement(parent, name, values)
        )
        if text is not None:
            made.text = xml_text(text)
        return made

    def note(
        self, parent: etree._Element, note_guid: str, text: str, name: str, when: datetime | None, user: str | None
    ) -> None:
        """A ``Note`` holding ``text``, and a ``NoteRef`` to it in ``parent``."""
        note = self.element(None, "Note", guid=note_guid, name=name, creatingUser=user)
        if when is not None:
            note.set("creationDateTime", to_iso(when))
        self.element(note, "PlainTextContent", text)
        self.notes.append(note)
        self.element(parent, "NoteRef", targetGUID=note_guid)

    def codes(self, parent: etree._Element, codes: Sequence[Code], *, memos: bool, user: str | None = None) -> None:
        """The ``Codes`` element: the hierarchy as nested ``Code`` elements (memos as notes if ``memos``)."""
        tree = _children(codes)
        holder = self.element(parent, "Codes")

        def add(into: etree._Element, code: Code) -> None:
            element = self.element(
                into, "Code", guid=code_guid(code), name=code.name, isCodable="true", color=code.colour
            )
            if code.description:
                self.element(element, "Description", code.description)
            if memos:
                for number, memo in enumerate(code.memos, 1):
                    name = f"memo {number} on {code.path}"
                    self.note(element, guid("memo", code.key, str(number)), memo.text, name, memo.created, user)
            for child in tree.get(code.key, []):
                add(element, child)

        for top in tree.get(None, []):
            add(holder, top)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_qdc(export: Export, codes: Sequence[Code] = ()) -> str:
    """The codebook alone (``.qdc``): ``codes`` and the codes of the export's tags."""
    writer = _Writer(CODEBOOK_NS)
    root = writer.element(None, "CodeBook", origin=ORIGIN)
    everything = complete_codebook(codes, export.annotations)
    if not everything:
        raise NothingToExport("there are no codes to write: a REFI-QDA codebook must hold at least one")
    writer.codes(root, everything, memos=False)
    return serialise(root).decode("utf-8")


def project(
    export: Export,
    codes: Sequence[Code] = (),
    coder: str | None = None,
    details: Mapping[str, Mapping[str, str | None]] | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The ``project.qde`` of an export, and the texts of its sources by file name.

    ``export`` holds the passages, their articles and the articles' texts (their offsets point
    into these texts). ``codes`` is the codebook (descriptions, colours, memos); codes of tags it
    lacks are added. ``coder`` names the user who exports: the project's, its sources' and the
    codes' memos' creator; each passage (its selection, codings and note) is its own coder's, and
    every coder is a ``User``. ``details`` adds variables (``source``, ``url``) by article id.
    """
    writer = _Writer(PROJECT_NS)
    user_name = coder or DEFAULT_USER
    user = user_guid(user_name)
    root = writer.element(None, "Project", name="reader export", origin=ORIGIN, creatingUserGUID=user)
    users = writer.element(root, "Users")
    for name in users_of(user_name, export.annotations):
        writer.element(users, "User", guid=user_guid(name), name=name)
    everything = complete_codebook(codes, export.annotations)
    by_key = {code.key: code for code in everything}
    if everything:
        writer.codes(writer.element(root, "CodeBook"), everything, memos=True, user=user)
    groups = export.by_article()
    values = {article_id: _variables(export, article_id, details or {}) for article_id in groups}
    used = [name for name, _ in VARIABLES if any(name in found for found in values.values())]
    if used:
        variables = writer.element(root, "Variables")
        for name in used:
            writer.element(variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable="Text")
    files: dict[str, str] = {}
    if groups:
        sources = writer.element(root, "Sources")
        for article_id, passages in groups.items():
            source = SourceText(export.text(article_id))
            identity = source_guid(article_id)
            files[f"{identity}.txt"] = source.plain
            element = writer.element(
                sources,
                "TextSource",
                guid=identity,
                name=export.article(article_id).title or article_id,
                plainTextPath=f"internal://{identity}.txt",
                creatingUser=user,
            )
            for annotation in passages:
                _selection(writer, element, annotation, source, by_key)
            for name in used:
                if name in values[article_id]:
                    value = writer.element(element, "VariableValue")
                    writer.element(value, "VariableRef", targetGUID=guid("variable", name))
                    writer.element(value, "TextValue", values[article_id][name])
    if writer.notes:
        writer.element(root, "Notes").extend(writer.notes)
    return serialise(root), files


def users_of(exporter: str, annotations: Iterable[Annotation]) -> list[str]:
    """The project's users: the exporting user first, then the passages' coders by name, each once."""
    return list(dict.fromkeys([exporter, *sorted({annotation.coder for annotation in annotations})]))


def _variables(export: Export, article_id: str, details: Mapping[str, Mapping[str, str | None]]) -> dict[str, str]:
    ref = export.article(article_id)
    known: dict[str, str | None] = {"id": article_id, "date": ref.date, "path": ref.path, **details.get(article_id, {})}
    return {name: str(known[key]) for name, key in VARIABLES if known.get(key)}


def _selection(
    writer: _Writer,
    parent: etree._Element,
    annotation: Annotation,
    source: SourceText,
    codes: Mapping[str, Code],
) -> None:
    """A passage as a ``PlainTextSelection`` in ``parent``: its codings and note, all its coder's."""
    user = user_guid(annotation.coder)
    start, end = source.span(annotation.start, annotation.end)
    words = source.plain[start:end]
    identity = passage_guid(annotation.id)
    element = writer.element(
        parent,
        "PlainTextSelection",
        guid=identity,
        name=words if len(words) <= NAME_CHARS else words[: NAME_CHARS - 1] + "…",
        startPosition=str(start),
        endPosition=str(end),
        creatingUser=user,
        creationDateTime=to_iso(annotation.created),
        modifyingUser=user,
        modifiedDateTime=to_iso(annotation.updated),
    )
    for code in filter(None, map(code_of, annotation.tags)):
        coding = writer.element(
            element,
            "Coding",
            guid=guid("coding", identity, code.key),
            creatingUser=user,
            creationDateTime=to_iso(annotation.created),
        )
        writer.element(coding, "CodeRef", targetGUID=code_guid(codes[code.key]))
    if annotation.note:
        name = f"note on {words[:NAME_CHARS]}"
        writer.note(element, guid("note", identity), annotation.note, name, annotation.updated, user)


def render_qdpx(
    export: Export,
    codes: Sequence[Code] = (),
    coder: str | None = None,
    details: Mapping[str, Mapping[str, str | None]] | None = None,
) -> bytes:
    """The ``.qdpx`` zip of :func:`project`: ``project.qde`` and ``sources/<guid>.txt``."""
    document, files = project(export, codes, coder, details)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(PROJECT_FILE, _ZIP_TIME), document, zipfile.ZIP_DEFLATED)
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(f"{SOURCES_FOLDER}/{name}", _ZIP_TIME)
            archive.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
