"""Feeds and pages the tests serve, built from a few parts so each test says what differs."""

from __future__ import annotations

from xml.sax.saxutils import escape

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def paragraphs_of(title: str, count: int = 4) -> list[str]:
    return [
        f"{title}: paragraph {number} tells the story at length, with enough words in it that an extractor "
        f"takes it for the body of an article and not for a menu, a caption or a footer line."
        for number in range(1, count + 1)
    ]


def page(title: str, paragraphs: list[str] | None = None, *, date: str = "2026-11-20") -> bytes:
    """A news page with navigation around one article, as trafilatura meets them."""
    body = "".join(
        f"<p>{escape(text)}</p>" for text in (paragraphs if paragraphs is not None else paragraphs_of(title))
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><meta property='og:site_name' content='Loopback News'>"
        f"<meta name='date' content='{date}'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Loopback News</footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str]], *, title: str = "Loopback News", encoding: str = "utf-8") -> bytes:
    """RSS 2.0 with (title, link, description) items, guids the links."""
    entries = "".join(
        f"<item><title>{escape(name)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate><description>{escape(text)}</description></item>"
        for name, link, text in items
    )
    document = (
        f"<?xml version='1.0' encoding='{encoding}'?><rss version='2.0'><channel><title>{escape(title)}</title>"
        f"<link>http://example.invalid/</link><description>test</description>{entries}</channel></rss>"
    )
    return document.encode(encoding)


def rss1(items: list[tuple[str, str, str]]) -> bytes:
    """RSS 1.0 (RDF) with (title, link, description) items."""
    entries = "".join(
        f"<item rdf:about='{escape(link)}'><title>{escape(name)}</title><link>{escape(link)}</link>"
        f"<description>{escape(text)}</description><dc:date>2026-11-19T08:00:00Z</dc:date></item>"
        for name, link, text in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        "<channel rdf:about='http://example.invalid/'><title>RDF News</title><link>http://example.invalid/</link>"
        f"<description>test</description></channel>{entries}</rdf:RDF>"
    ).encode()


def atom(items: list[tuple[str, str, str]], *, base: str = "") -> bytes:
    """Atom 1.0 with (title, href, content) entries; ``base`` sets xml:base on the feed."""
    entries = "".join(
        f"<entry><title>{escape(name)}</title><link href='{escape(link)}'/><id>urn:test:{index}</id>"
        f"<updated>2026-11-18T09:00:00Z</updated><content type='html'>{escape(text)}</content></entry>"
        for index, (name, link, text) in enumerate(items)
    )
    base_attribute = f" xml:base='{escape(base)}'" if base else ""
    return (
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'{base_attribute}>"
        f"<title>Atom News</title><id>urn:test</id><updated>2026-11-18T09:00:00Z</updated>{entries}</feed>"
    ).encode()
