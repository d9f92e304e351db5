"""REFI-QDA import: the passages, codes and notes of a ``.qdpx`` project, or the codes of a ``.qdc``.

The file is checked whole before anything is returned, so that a file refused writes nothing: a
zip whose ``project.qde`` is well-formed XML, valid against the QDA-XML 1.0 schema, whose sources
are in it as UTF-8 text, whose selections lie inside their source's text and whose codings name
codes of its codebook. Any other file is a :class:`FormatError` that says what is wrong.

Positions count Unicode code points in the source text as stored (see
:mod:`annotations.formats.refi_offsets`); a leading byte-order mark is not counted. A source is
mapped to its article by the ``article id`` variable reader writes, else by its text, through a
:class:`CorpusLookup`. The codebook (descriptions, colours, memos) comes back in
:attr:`RefiImported.codes`; a passage's tags are the paths of its codes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Protocol

from lxml import etree

from annotations.codebook import SEPARATOR, Code, Memo, code_path
from annotations.coders import coder_of, default_coder
from annotations.formats.exchange import Imported
from annotations.formats.fields import FormatError
from annotations.formats.refi_offsets import SourceText, normalise_line_ends
from annotations.formats.refi_qda import CODEBOOK_NS, PROJECT_FILE, PROJECT_NS
from annotations.model import CONTEXT_CHARS, Annotation, ArticleRef, from_iso, merge_tags, utc_now

#: The largest member of a zip that is read (a bigger one is refused, not unpacked).
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_P = f"{{{PROJECT_NS}}}"


class CorpusLookup(Protocol):
    """Finds an imported source's article in the corpus: by id, or by its text."""

    def by_id(self, article_id: str) -> tuple[ArticleRef, str] | None:
        """The article ``article_id`` and its text, or None when the corpus has none."""

    def by_text(self, plain: str) -> tuple[ArticleRef, str] | None:
        """The article whose text (line ends made ``\\n``) is ``plain``, and its text; or None."""


@dataclass
class RefiImported(Imported):
    """What a REFI-QDA file held: passages (none for a ``.qdc``), and its codebook, kept for a
    codebook store (descriptions, colours and memos are not in the passages' tags)."""

    codes: list[Code] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


@cache
def schema(name: str) -> etree.XMLSchema:
    """The QDA-XML schema ``name`` shipped beside this module."""
    with resources.files("annotations.formats").joinpath("schemas", name).open("rb") as stream:
        return etree.XMLSchema(etree.parse(stream))


def kind_of(data: bytes, file_name: str = "") -> str | None:
    """``"qdpx"`` or ``"qdc"`` for a file that is (or says by its suffix it is) REFI-QDA, else None."""
    suffix = file_name.lower().rpartition(".")[2] if "." in file_name else ""
    if data.startswith(b"PK\x03\x04") or suffix == "qdpx":
        return "qdpx"
    if suffix == "qdc" or (
        data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and CODEBOOK_NS.encode() in data[:4096]
    ):
        return "qdc"
    return None


def parse(data: bytes, schema_name: str, what: str) -> etree._Element:
    """``data`` parsed as XML (no entities, DTDs or network) and checked against ``schema_name``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise FormatError(f"{what} is not valid XML ({error.msg})", line=error.lineno) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:
        # QDA-XML has no DTD; entities declared in one could reach out of the file or grow it.
        raise FormatError(f"{what} declares a DOCTYPE, which a REFI-QDA file does not have")
    checker = schema(schema_name)
    try:
        valid = checker.validate(root)
    except etree.Error as error:
        raise FormatError(f"{what} cannot be checked against the REFI-QDA schema ({error})") from None
    if not valid:
        first = checker.error_log[0]
        raise FormatError(f"{what} does not follow the REFI-QDA schema: {first.message}", line=first.line)
    return root


def load_qdc(data: bytes) -> RefiImported:
    """The codes of a ``.qdc`` codebook."""
    root = parse(data, "Codebook-mrt2019.xsd", "the codebook")
    imported = RefiImported()
    imported.codes = list(_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), f"{{{CODEBOOK_NS}}}", {}, {}))
    return imported


def load_qdpx(data: bytes, corpus: CorpusLookup | None = None) -> RefiImported:
    """The passages and codebook of a ``.qdpx`` project; ``corpus`` maps sources to articles."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError("not a REFI-QDA project: a .qdpx is a zip file, and this is not one") from None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        if PROJECT_FILE not in members:
            raise FormatError(f"the zip holds no {PROJECT_FILE}, so it is not a REFI-QDA project")
        root = parse(_member(archive, members[PROJECT_FILE]), "Project-mrt2019.xsd", PROJECT_FILE)
        return _Project(root, lambda path: _source_file(archive, members, path), corpus).read()


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise FormatError(f"{info.filename} is too large to import ({info.file_size} bytes)")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as error:
        raise FormatError(f"{info.filename} cannot be unpacked ({error})") from None


def _source_file(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], path: str) -> str:
    """The text of ``internal://NAME``, from ``sources/`` or ``Sources/`` (tools use either)."""
    name = path.removeprefix("internal://").lstrip("/")
    found = next((members[f] for f in (f"sources/{name}", f"Sources/{name}", name) if f in members), None)
    if not path.startswith("internal://") or found is None:
        raise FormatError(f"the source file {path!r} is not in the project's zip")
    try:
        return _member(archive, found).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise FormatError(f"the source file {path!r} is not UTF-8 text (byte {error.start})") from None


def guid_of(element: etree._Element, attribute: str = "guid") -> str:
    """A GUID as compared here: the schema lets it have braces, either case and spaces around."""
    return element.get(attribute, "").strip().strip("{}").lower()


def _codes(holder: etree._Element | None, ns: str, guids: dict[str, str], notes: dict[str, Memo]) -> list[Code]:
    """The codes under ``holder``, depth first; ``guids`` is filled with each code's GUID -> path."""
    found: dict[str, Code] = {}

    def visit(element: etree._Element, parent: str | None) -> None:
        # A name with "/" from another tool is one code, not a path: it keeps a look-alike slash.
        name = code_path(element.get("name", "").replace(SEPARATOR, "\u2215"))
        if not name:
            raise FormatError(f"code {element.get('guid')} has no name")
        path = f"{parent}{SEPARATOR}{name}" if parent else name
        description = element.findtext(f"{ns}Description") or ""
        memos = tuple(
            notes[ref.get("targetGUID")] for ref in element.findall(f"{ns}NoteRef") if ref.get("targetGUID") in notes
        )
        colour = element.get("color", "").strip() or None
        if colour is not None and len(colour) == 4:  # #rgb: each digit doubled
            colour = "#" + "".join(digit * 2 for digit in colour[1:]).lower()
        try:
            code = Code(path, description, colour, memos)
        except ValueError as error:
            raise FormatError(f"code {element.get('guid')}: {error}") from None
        found.setdefault(code.key, code)
        guids[guid_of(element)] = found[code.key].path
        for child in element.findall(f"{ns}Code"):
            visit(child, code.path)

    for top in holder.findall(f"{ns}Code") if holder is not None else []:
        visit(top, None)
    return list(found.values())


class _Project:
    """Reads one ``project.qde`` (already valid against the schema) into a :class:`RefiImported`."""

    def __init__(self, root: etree._Element, read_file: Callable[[str], str], corpus: CorpusLookup | None) -> None:
        self.root = root
        self.read_file = read_file
        self.corpus = corpus
        self.result = RefiImported()
        self.variables = {guid_of(v): v.get("name", "") for v in root.iter(f"{_P}Variable")}
        self.notes = {guid_of(note): note for note in root.iter(f"{_P}Note")}

    def read(self) -> RefiImported:
        self.result.users = [user.get("name") or user.get("guid", "") for user in self.root.iter(f"{_P}User")]
        #: Each named user's coder name by GUID: who made the selections that name them.
        self.coders = {
            guid_of(user): coder_of(user.get("name")) for user in self.root.iter(f"{_P}User") if user.get("name")
        }
        memos = {guid: Memo(self.note_text(note), self.when(note) or utc_now()) for guid, note in self.notes.items()}
        self.code_paths: dict[str, str] = {}
        self.result.codes = _codes(self.root.find(f"{_P}CodeBook/{_P}Codes"), _P, self.code_paths, memos)
        for source in self.root.iter(f"{_P}TextSource"):
            if source.getparent() is not None and source.getparent().tag == f"{_P}Sources":
                self.source(source)
        sources = self.root.find(f"{_P}Sources")
        self.result.ignored += sum(1 for s in sources if s.tag != f"{_P}TextSource") if sources is not None else 0
        return self.result

    def note_text(self, note: etree._Element) -> str:
        content = note.findtext(f"{_P}PlainTextContent")
        if content is None and note.get("plainTextPath"):
            content = self.read_file(note.get("plainTextPath", ""))
        return content or ""

    @staticmethod
    def when(element: etree._Element, attribute: str = "creationDateTime") -> datetime | None:
        value = element.get(attribute)
        try:
            return from_iso(value) if value else None
        except ValueError:
            return None

    def coder(self, selection: etree._Element) -> str:
        """Who made a selection: its ``creatingUser`` (else its first coding's) named by the file's
        ``Users``; a user the file does not name is the default coder (the importing session's)."""
        holders = [selection, *selection.findall(f"{_P}Coding")]
        user = next((guid_of(holder, "creatingUser") for holder in holders if holder.get("creatingUser")), "")
        return self.coders.get(user) or default_coder()

    def source(self, element: etree._Element) -> None:
        name = element.get("name") or element.get("guid", "")
        text = element.findtext(f"{_P}PlainTextContent")
        if text is None:
            if not element.get("plainTextPath"):
                raise FormatError(f"text source {name!r} has neither a text nor a plainTextPath")
            text = self.read_file(element.get("plainTextPath", ""))
        values = {}
        for value in element.findall(f"{_P}VariableValue"):
            variable = self.variables.get(guid_of(value.find(f"{_P}VariableRef"), "targetGUID"))
            if variable:
                values[variable] = next((child.text or "" for child in value if child.tag != f"{_P}VariableRef"), "")
        ref, article_text = self.article(name, text, values)
        self.result.articles[ref.id] = ref
        for selection in element.findall(f"{_P}PlainTextSelection"):
            self.passage(selection, ref, text, article_text)
        self.result.ignored += len(element.findall(f"{_P}Coding"))

    def article(self, name: str, text: str, values: dict[str, str]) -> tuple[ArticleRef, str]:
        """The article a source is (from the corpus when it has it) and that article's text."""
        article_id = values.get("article id")
        found = None
        if self.corpus is not None:
            found = self.corpus.by_id(article_id) if article_id else self.corpus.by_text(normalise_line_ends(text))
        if found is not None:
            return found
        if article_id:
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            return ArticleRef(article_id, name, values.get("date"), values.get("path", ""), sha), text
        if self.corpus is None:
            raise FormatError(
                f"text source {name!r} does not name a reader article; its article can be found by its text in "
                "the corpus",
                needs_pages=True,
            )
        raise FormatError(f"no article of the corpus has the text of source {name!r}")

    def passage(self, element: etree._Element, ref: ArticleRef, text: str, article_text: str) -> None:
        where = f"selection {element.get('guid')}"
        start, end = int(element.get("startPosition", "0")), int(element.get("endPosition", "0"))
        if not 0 <= start < end <= len(text):
            raise FormatError(
                f"{where}: positions {start}..{end} are not a passage of a text of {len(text)} characters"
            )
        if article_text != text:
            if normalise_line_ends(article_text) == normalise_line_ends(text):
                source, article = SourceText(text), SourceText(article_text)
                start, end = article.from_refi(source.to_refi(start)), article.from_refi(source.to_refi(end))
            else:
                article_text = text  # the corpus's text differs: the caller re-anchors by the words
        tags = []
        for coding in element.findall(f"{_P}Coding"):
            target = guid_of(coding.find(f"{_P}CodeRef"), "targetGUID")
            if target not in self.code_paths:
                raise FormatError(f"{where}: its coding names no code of the codebook ({target})")
            tags.append(self.code_paths[target])
        notes = [element.findtext(f"{_P}Description") or ""]
        for ref_element in element.findall(f"{_P}NoteRef"):
            note = self.notes.get(guid_of(ref_element, "targetGUID"))
            notes.append(self.note_text(note) if note is not None else "")
        created = self.when(element) or utc_now()
        # The hash of the text the offsets point into (the corpus's when it holds the same words).
        sha = hashlib.sha256(article_text.encode("utf-8")).hexdigest()
        annotation = Annotation(
            id=guid_of(element).replace("-", ""),
            article_id=ref.id,
            article_sha256=sha,
            start=start,
            end=end,
            quote=article_text[start:end],
            prefix=article_text[max(0, start - CONTEXT_CHARS) : start],
            suffix=article_text[end : end + CONTEXT_CHARS],
            tags=merge_tags(tags),
            note="\n\n".join(note for note in notes if note),
            created=created,
            updated=self.when(element, "modifiedDateTime") or created,
            coder=self.coder(element),
        )
        self.result.add(annotation, field=where)
