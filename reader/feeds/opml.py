"""OPML, the list of feeds that newsboat and other readers import and export.

Reading: an OPML file comes from elsewhere, so it is parsed with defusedxml, which refuses entity
expansion bombs and external entities; every ``<outline>`` with an ``xmlUrl`` (nested in folders
or not) is a feed. Writing: OPML 2.0 with one ``<outline type="rss">`` a feed, ``text`` and
``title`` its name and ``htmlUrl`` left out (reader does not know it). Written with the standard
library's ElementTree, which escapes every attribute.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from reader.feeds.subscriptions import Feed


class OpmlError(ValueError):
    """The file is not OPML that can be read; the message says why."""


@dataclass(frozen=True)
class Outline:
    """A feed as an OPML file names it."""

    url: str
    title: str


def read_opml(raw: bytes) -> list[Outline]:
    """The feeds of an OPML document, in document order, each URL once."""
    try:
        root = SafeElementTree.fromstring(raw)
    except DefusedXmlException:
        raise OpmlError("it uses XML entities or a DTD, which are refused for safety") from None
    except ElementTree.ParseError as error:
        raise OpmlError(f"it is not well-formed XML ({error})") from None
    if _local(root.tag) != "opml":
        raise OpmlError(f"its root element is <{_local(root.tag)}>, not <opml>")
    outlines: list[Outline] = []
    seen: set[str] = set()
    for element in root.iter():
        if _local(element.tag) != "outline":
            continue
        url = (element.get("xmlUrl") or element.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = element.get("title") or element.get("text") or ""
        outlines.append(Outline(url, " ".join(title.split())))
    return outlines


def write_opml(feeds: list[Feed], title: str = "reader feeds") -> str:
    """The feeds as an OPML 2.0 document (UTF-8 text, with its XML declaration)."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        name = _xml_text(feed.name)
        ElementTree.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=_xml_text(feed.url))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return "".join(
        character
        for character in text
        if character in "\t\n\r"
        or ("\x20" <= character <= "\ud7ff")
        or ("\ue000" <= character <= "\ufffd")
        or character > "\uffff"
    )


def _local(tag: object) -> str:
    """A tag without its XML namespace."""
    return str(tag).rsplit("}", 1)[-1]
