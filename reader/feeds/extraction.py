"""HTML to an article's paragraphs: a whole page through trafilatura (as the corpus reads
``.html`` files), a feed's HTML content or summary through lxml."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.corpus.decoding import Unreadable, decode
from reader.corpus.formats.common import one_line, text_paragraphs
from reader.corpus.formats.html import declared_encoding

_BLOCKS = frozenset(
    "p div br li h1 h2 h3 h4 h5 h6 blockquote pre tr table ul ol section article header footer figure dd dt".split()
)


@dataclass(frozen=True)
class PageText:
    """What a page holds as an article: its title, date, site name and paragraphs."""

    title: str = ""
    date: str | None = None
    site: str = ""
    paragraphs: list[str] = field(default_factory=list)


def page_text(body: bytes, charset: str | None, url: str) -> PageText:
    """The article in a page's HTML; no paragraphs when trafilatura finds none (or it is not text)."""
    import trafilatura

    try:
        text = decode(body, charset or declared_encoding(body)).text
    except (Unreadable, LookupError):
        return PageText()
    document = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None:
        return PageText()
    paragraphs = text_paragraphs(getattr(document, "text", None) or "")
    title = one_line(getattr(document, "title", None) or "")
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    site = one_line(getattr(document, "sitename", None) or getattr(document, "hostname", None) or "")
    return PageText(title, getattr(document, "date", None), site, paragraphs)


def fragment_paragraphs(html: str) -> list[str]:
    """The text of an HTML fragment (a feed's content), one paragraph a block; plain text as is."""
    if "<" not in html:
        return text_paragraphs(html.replace("&nbsp;", " "))
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return text_paragraphs(html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
        elif not isinstance(element.tag, str):  # comments and processing instructions
            element.text = ""
    return [one_line(line) for line in text_paragraphs(root.text_content()) if one_line(line)]


def feed_links(body: bytes, charset: str | None, url: str) -> list[str]:
    """The feeds a web page announces (``<link rel="alternate" type="application/rss+xml" href>``),
    as absolute URLs, in page order: what to follow when the address given was the site's page."""
    from urllib.parse import urljoin

    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(decode(body, charset or declared_encoding(body)).text)
    except (Unreadable, LookupError, ParserError, ValueError):
        return []
    found: list[str] = []
    for link in root.iter("link"):
        kind = (link.get("type") or "").lower()
        if "alternate" in (link.get("rel") or "").lower().split() and ("rss" in kind or "atom" in kind):
            href = (link.get("href") or "").strip()
            if href and urljoin(url, href) not in found:
                found.append(urljoin(url, href))
    return found
