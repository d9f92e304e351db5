"""Fetching feeds from a real loopback server: each kind of feed, and what is written and reported."""

from __future__ import annotations

import json
from pathlib import Path

from reader.feeds.ledger import FILE_NAME as LEDGER
from tests.feeds.helpers import articles, fetch, subscribe
from tests.feeds.samples import ATOM_TYPE, RSS_TYPE, atom, page, paragraphs_of, rss, rss1
from tests.feeds.server import Answer, FeedServer


def test_rss2_items_are_written_as_markdown_articles_from_their_full_pages(server: FeedServer, corpus: Path) -> None:
    links = [server.route(f"/story{n}", Answer(page(f"Story {n}"))) for n in (1, 2)]
    feed = server.route(
        "/rss",
        Answer(
            rss([(f"Story {n}", link, "a summary") for n, link in zip((1, 2), links, strict=True)]),
            content_type=RSS_TYPE,
        ),
    )
    subscribe(corpus, (feed, "Loopback"))

    [report] = fetch(corpus)

    assert (report.new, report.updated, report.failures, report.error) == (2, 0, [], "")
    read = articles(corpus)
    assert sorted(read) == ["loopback/2026-11-20-story-1.md", "loopback/2026-11-20-story-2.md"]
    title, text = read["loopback/2026-11-20-story-1.md"]
    assert title == "Story 1"
    assert paragraphs_of("Story 1")[0] in text and "a summary" not in text  # the page, not the feed's summary
    written = (corpus / "loopback/2026-11-20-story-1.md").read_text(encoding="utf-8")
    for field in ("title:", "date:", "source: Loopback News", f"url: {links[0]}", "feed: Loopback", "fetched:"):
        assert field in written
    assert all(seen.headers["user-agent"].startswith("reader/") for seen in server.requests)


def test_rss1_and_atom_feeds_are_read(server: FeedServer, corpus: Path) -> None:
    one = server.route("/rdf-story", Answer(page("From RDF")))
    two = server.route("/atom-story", Answer(page("From Atom")))
    rdf = server.route("/rdf", Answer(rss1([("From RDF", one, "rdf summary")]), content_type="application/rdf+xml"))
    feed = server.route("/atom", Answer(atom([("From Atom", two, "<p>atom content</p>")]), content_type=ATOM_TYPE))
    subscribe(corpus, (rdf, "RDF"), (feed, "Atom"))

    reports = fetch(corpus)

    assert [(report.name, report.new, report.error) for report in reports] == [("RDF", 1, ""), ("Atom", 1, "")]
    titles = {title for title, _ in articles(corpus).values()}
    assert titles == {"From RDF", "From Atom"}


def test_relative_links_resolve_against_the_feed_address(server: FeedServer, corpus: Path) -> None:
    server.route("/news/a/relative", Answer(page("Relative")))
    feed = server.route("/news/a/atom.xml", Answer(atom([("Relative", "relative", "x")]), content_type=ATOM_TYPE))
    subscribe(corpus, (feed, "rel"))

    [report] = fetch(corpus)

    assert report.new == 1 and not report.from_feed
    assert server.hits("/news/a/relative")
    [(_, text)] = articles(corpus).values()
    assert paragraphs_of("Relative")[1] in text


def test_a_malformed_feed_that_still_has_items_is_read_and_garbage_is_a_reason(
    server: FeedServer, corpus: Path
) -> None:
    link = server.route("/ok", Answer(page("Survivor")))
    broken = rss([("Survivor", link, "s")]).replace(b"</channel></rss>", b"<item><title>cut")
    feed = server.route("/broken", Answer(broken, content_type=RSS_TYPE))
    junk = server.route("/junk", Answer(b"\x00\x01 this is no feed <<<", content_type="application/xml"))
    subscribe(corpus, (feed, "broken"), (junk, "junk"))

    broken_report, junk_report = fetch(corpus)

    assert broken_report.new == 1
    assert junk_report.new == 0 and "not a feed" in junk_report.error
    assert list(articles(corpus)) == ["broken/2026-11-20-survivor.md"]


def test_a_windows_1252_feed_keeps_its_accents(server: FeedServer, corpus: Path) -> None:
    body = rss([("Café “déjà vu” – €5", "", "Un résumé très complet, déjà là – pour 5 €.")], encoding="windows-1252")
    feed = server.route("/1252", Answer(body, content_type="application/rss+xml"))
    subscribe(corpus, (feed, "cp"))

    [report] = fetch(corpus)

    assert report.new == 1 and report.from_feed == 1  # no link: the feed's own text
    [(title, text)] = articles(corpus).values()
    assert title == "Café “déjà vu” – €5"
    assert "Un résumé très complet, déjà là – pour 5 €." in text


def test_an_item_whose_page_is_gone_keeps_the_feeds_text_and_says_so(server: FeedServer, corpus: Path) -> None:
    gone = server.url("/gone")  # no route: 404
    feed = server.route(
        "/rss", Answer(rss([("Gone", gone, "<p>What the feed says.</p><p>And more.</p>")]), content_type=RSS_TYPE)
    )
    subscribe(corpus, (feed, "f"))

    [report] = fetch(corpus)

    assert (report.new, report.from_feed) == (1, 1)
    assert any("404" in reason for reason in report.notes)
    [(_, text)] = articles(corpus).values()
    assert text.split("\n")[2:] == ["What the feed says.", "And more."]
    assert len(server.hits("/gone")) == 1  # a 4xx is not retried


def test_a_second_fetch_sends_the_validators_and_a_304_writes_nothing(server: FeedServer, corpus: Path) -> None:
    link = server.route("/s", Answer(page("Once")))
    feed = server.route("/rss", Answer(rss([("Once", link, "x")]), content_type=RSS_TYPE, etag='"v1"'))
    subscribe(corpus, (feed, "f"))
    fetch(corpus)
    before = {path: path.stat().st_mtime_ns for path in corpus.rglob("*.md")}

    [report] = fetch(corpus)

    assert report.not_modified and report.new == 0 and not report.failed
    assert server.hits("/rss")[-1].headers.get("if-none-match") == '"v1"'
    assert {path: path.stat().st_mtime_ns for path in corpus.rglob("*.md")} == before
    assert len(server.hits("/s")) == 1


def test_gzip_bodies_are_read(server: FeedServer, corpus: Path) -> None:
    link = server.route("/z", Answer(page("Zipped"), gzip=True))
    feed = server.route("/rss", Answer(rss([("Zipped", link, "x")]), content_type=RSS_TYPE, gzip=True))
    subscribe(corpus, (feed, "z"))

    [report] = fetch(corpus)

    assert report.new == 1 and not report.from_feed
    assert "gzip" in server.hits("/rss")[0].headers["accept-encoding"]


def test_the_same_story_in_two_feeds_is_written_once(server: FeedServer, corpus: Path) -> None:
    shared = server.route("/shared", Answer(page("Shared")))
    copy = server.route("/copy", Answer(page("Shared")))  # the same text at another address
    one = server.route("/one", Answer(rss([("Shared", shared, "x")]), content_type=RSS_TYPE))
    two = server.route(
        "/two", Answer(rss([("Shared", shared, "x"), ("Shared again", copy, "x")]), content_type=RSS_TYPE)
    )
    subscribe(corpus, (one, "one"), (two, "two"))

    reports = fetch(corpus)

    assert sum(report.new for report in reports) == 1
    assert sum(report.duplicates for report in reports) == 2
    assert len(articles(corpus)) == 1
    ledger = json.loads((corpus / LEDGER).read_text(encoding="utf-8"))
    assert len(ledger["records"]) == 1


def test_no_more_than_four_requests_at_once_reach_a_host(server: FeedServer, corpus: Path) -> None:
    links = [server.route(f"/p{n}", Answer(page(f"Page {n}"), delay=0.1)) for n in range(12)]
    feeds = [
        server.route(
            f"/feed{index}",
            Answer(rss([(f"Page {n}", links[n], "x") for n in range(index, 12, 3)]), content_type=RSS_TYPE),
        )
        for index in range(3)
    ]
    subscribe(corpus, *[(feed, f"feed {index}") for index, feed in enumerate(feeds)])

    reports = fetch(corpus)

    assert sum(report.new for report in reports) == 12
    assert 2 <= server.most_active <= 4  # concurrent, and polite
