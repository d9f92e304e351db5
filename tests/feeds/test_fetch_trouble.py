"""Servers that misbehave and items that attack: each failure is a reason, nothing is lost, no traceback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from annotations import Annotation
from annotations.anchoring import AnchorStatus, anchor
from reader.corpus.article import text_sha256
from reader.feeds.articles import Job, fetch_article
from reader.feeds.fetch import PAGE_TYPES, Fetcher, FetchFailed, is_local
from reader.feeds.harvest import FeedReport, Harvest, Progress
from reader.feeds.ledger import FILE_NAME as LEDGER
from reader.feeds.ledger import load_ledger
from reader.feeds.parsing import Item
from reader.feeds.subscriptions import load_subscriptions
from reader.safe_text import inert
from tests.feeds.helpers import QUICK, articles, fetch, subscribe
from tests.feeds.samples import RSS_TYPE, page, paragraphs_of, rss
from tests.feeds.server import Answer, FeedServer


def test_a_slow_server_times_out_with_retries_and_the_other_feeds_still_come(server: FeedServer, corpus: Path) -> None:
    slow = server.route("/slow", Answer(rss([]), content_type=RSS_TYPE, delay=2.0))
    link = server.route("/fine", Answer(page("Fine")))
    fine = server.route("/rss", Answer(rss([("Fine", link, "x")]), content_type=RSS_TYPE))
    subscribe(corpus, (slow, "slow"), (fine, "fine"))

    slow_report, fine_report = fetch(corpus)

    assert "no answer within 0.5 s" in slow_report.error and "tried 3 times" in slow_report.error
    assert len(server.hits("/slow")) == 3
    assert fine_report.new == 1


def test_a_redirect_loop_is_reported_as_one(server: FeedServer, corpus: Path) -> None:
    server.route("/a", Answer(status=302, headers={"Location": "/b"}))
    server.route("/b", Answer(status=301, headers={"Location": server.url("/a")}))
    subscribe(corpus, (server.url("/a"), "loop"))

    [report] = fetch(corpus)

    assert "redirects in a loop" in report.error
    assert len(server.requests) == 2


def test_too_many_redirects_and_a_redirect_away_from_http_are_refused(server: FeedServer) -> None:
    for number in range(10):
        server.route(f"/r{number}", Answer(status=307, headers={"Location": f"/r{number + 1}"}))
    server.route("/file", Answer(status=302, headers={"Location": "file:///etc/passwd"}))
    with Fetcher(QUICK) as fetcher:
        with pytest.raises(FetchFailed, match="more than 5 redirects"):
            fetcher.get(server.url("/r0"), PAGE_TYPES)
        with pytest.raises(FetchFailed, match="not an http"):
            fetcher.get(server.url("/file"), PAGE_TYPES)
        with pytest.raises(FetchFailed, match="not an http"):
            fetcher.get("ftp://127.0.0.1/x", PAGE_TYPES)


def test_a_500_then_a_200_is_retried_and_a_4xx_is_not(server: FeedServer, corpus: Path) -> None:
    link = server.route("/story", Answer(status=503), Answer(page("Second try")))
    feed = server.route("/rss", Answer(status=500), Answer(rss([("Second try", link, "x")]), content_type=RSS_TYPE))
    forbidden = server.route("/403", Answer(b"no", status=403))
    subscribe(corpus, (feed, "retry"), (forbidden, "forbidden"))

    retry, refused = fetch(corpus)

    assert (retry.new, retry.from_feed, retry.error) == (1, 0, "")
    assert len(server.hits("/rss")) == 2 and len(server.hits("/story")) == 2
    assert "403" in refused.error and len(server.hits("/403")) == 1


def test_an_oversized_body_is_cut_off_and_reported(server: FeedServer, corpus: Path) -> None:
    huge = b"<html><body>" + b"<p>word </p>" * 40_000 + b"</body></html>"  # 480 KB, the cap is 200 KB
    link = server.route("/huge", Answer(huge))
    streamed = server.route("/huge-streamed", Answer(huge, gzip=True))  # small on the wire, large unpacked
    feed = server.route(
        "/rss", Answer(rss([("Huge", link, "the summary"), ("Bomb", streamed, "other")]), content_type=RSS_TYPE)
    )
    subscribe(corpus, (feed, "f"))

    [report] = fetch(corpus)

    assert report.new == 2 and report.from_feed == 2
    assert all("larger than" in reason for reason in report.notes)
    with Fetcher(QUICK) as fetcher, pytest.raises(FetchFailed, match="larger than"):
        fetcher.get(streamed, PAGE_TYPES)


def test_a_page_of_the_wrong_type_is_not_read(server: FeedServer, corpus: Path) -> None:
    link = server.route("/picture", Answer(b"\x89PNG\r\n", content_type="image/png"))
    feed = server.route("/rss", Answer(rss([("Picture", link, "caption")]), content_type=RSS_TYPE))
    html_feed = server.route("/html", Answer(page("A page"), content_type="text/html"))
    subscribe(corpus, (feed, "f"), (html_feed, "not a feed"))

    report, not_feed = fetch(corpus)

    assert report.notes == ["Picture: it is image/png, not a web page; the feed's text was kept"]
    assert not_feed.error == "it is text/html, not a feed (a web page that names no feed)"


def test_a_web_page_given_as_a_feed_points_to_the_feed_it_announces(server: FeedServer, corpus: Path) -> None:
    site = server.route(
        "/site",
        Answer(b"<html><head><link rel='alternate' type='application/atom+xml' href='/site/atom.xml'></head></html>"),
    )
    subscribe(corpus, (site, "site"))

    [report] = fetch(corpus)

    assert report.error == f"it is text/html, not a feed (a web page; its feed: `reader feeds add {site}/atom.xml`)"


def test_hostile_titles_make_safe_file_names_and_inert_text(server: FeedServer, corpus: Path) -> None:
    hostile = [
        "../../../etc/passwd",
        "\x1b]2;owned\x07\x1b[31m[red]Red[/red] <script>alert(1)</script>",
        "..",
        "/absolute/path",
        "C:\\windows\\system32",
        "",
    ]
    items = [(title, "", f"Body {index} of a hostile item.") for index, title in enumerate(hostile)]
    feed = server.route("/rss", Answer(rss(items), content_type=RSS_TYPE))
    subscribe(corpus, (feed, "../../x"))

    [report] = fetch(corpus)

    assert report.new == len(hostile)
    written = sorted(path.relative_to(corpus).as_posix() for path in corpus.rglob("*.md"))
    assert all(path.startswith("x/") and path.count("/") == 1 for path in written), written
    assert not any(part.startswith(".") for path in written for part in path.split("/"))
    assert not (corpus.parent / "etc").exists()
    read = articles(corpus)
    assert {text.split("\n")[2] for _, text in read.values()} == {f"Body {n} of a hostile item." for n in range(6)}
    shown = inert("\x1b]2;owned\x07\x1b[31m[red]Red[/red] <script>alert(1)</script>")  # as the corpus shows titles
    assert shown in {title for title, _ in read.values()} and "\x1b" not in shown


def test_a_changed_page_is_updated_in_place_keeping_its_id(server: FeedServer, corpus: Path) -> None:
    link = server.route("/story", Answer(page("Story")))
    server.route("/rss", Answer(rss([("Story", link, "first")]), content_type=RSS_TYPE))
    subscribe(corpus, (server.url("/rss"), "f"))
    fetch(corpus)
    [(first_id, (_, text_before_change))] = articles(corpus).items()

    changed = [*paragraphs_of("Story")[:2], "A correction was added to this story after it was published, at length."]
    server.route("/story", Answer(page("Story", changed)))
    server.route("/rss", Answer(rss([("Story", link, "first, corrected")]), content_type=RSS_TYPE))
    [report] = fetch(corpus)

    assert (report.new, report.updated) == (0, 1)
    [(article_id, (_, text))] = articles(corpus).items()
    assert article_id == first_id and "A correction was added" in text

    quote = paragraphs_of("Story")[1]  # annotated before the change, still there after it
    annotation = Annotation.create(
        article_id=first_id,
        article_sha256=text_sha256(text_before_change),
        text=text_before_change,
        start=text_before_change.index(quote),
        end=text_before_change.index(quote) + len(quote),
        tags=["kept"],
    )
    found = anchor(annotation, text, text_sha256(text))
    assert found.status in (AnchorStatus.EXACT, AnchorStatus.MOVED) and text[found.start : found.end] == quote

    [again] = fetch(corpus)  # the feed says nothing changed: the page is not asked for again
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert len(server.hits("/story")) == 2


def test_a_page_gone_after_it_was_fetched_leaves_the_full_article_as_it_was(server: FeedServer, corpus: Path) -> None:
    link = server.route("/story", Answer(page("Full")))
    server.route("/rss", Answer(rss([("Full", link, "short summary")]), content_type=RSS_TYPE))
    subscribe(corpus, (server.url("/rss"), "f"))
    fetch(corpus)
    before = articles(corpus)

    server.route("/story", Answer(b"gone", status=410))
    server.route("/rss", Answer(rss([("Full", link, "short summary, edited")]), content_type=RSS_TYPE))
    [report] = fetch(corpus)

    assert (report.new, report.updated, report.unchanged) == (0, 0, 1)
    assert report.notes == ["Full: the server answered 410 Gone; the article is kept as it was"]
    assert articles(corpus) == before


def test_items_with_neither_link_nor_guid_are_known_again_by_their_words(server: FeedServer, corpus: Path) -> None:
    body = rss([("Bare", "", "Only words.")]).replace(b"<link></link><guid></guid>", b"")
    subscribe(corpus, (server.route("/rss", Answer(body, content_type=RSS_TYPE)), "f"))
    fetch(corpus)

    [again] = fetch(corpus)

    assert (again.new, again.unchanged, again.duplicates) == (0, 1, 0) and len(articles(corpus)) == 1


def test_an_article_written_before_the_ledger_was_lost_is_not_written_twice(server: FeedServer, corpus: Path) -> None:
    link = server.route("/story", Answer(page("Kept")))
    subscribe(corpus, (server.route("/rss", Answer(rss([("Kept", link, "x")]), content_type=RSS_TYPE)), "f"))
    fetch(corpus)
    (corpus / LEDGER).unlink()

    [report] = fetch(corpus)

    assert report.failures == [] and len(list(corpus.rglob("*.md"))) == 1


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8080/x", True),
        ("http://localhost/x", True),
        ("http://192.168.1.1/admin", True),
        ("http://[::1]/x", True),
        ("http://169.254.169.254/latest/meta-data", True),
        ("http://printer.local/", True),
        ("https://news.example.org/story", False),
        ("http://93.184.216.34/", False),
    ],
)
def test_what_counts_as_this_machine_or_the_local_network(url: str, local: bool) -> None:
    assert is_local(url) is local


def test_a_feed_from_outside_cannot_send_reader_into_the_local_network(server: FeedServer) -> None:
    item = Item(guid="g", url=server.url("/router"), title="Lure", published=None, paragraphs=["The feed's words."])
    with Fetcher(QUICK) as fetcher:
        outcome = fetch_article(Job("outside", "outside", item, local_ok=False), fetcher)
    assert server.requests == []
    assert outcome.article is not None and outcome.article.paragraphs == ["The feed's words."]
    assert "local network" in outcome.note

    def public_server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": server.url("/router")})

    with Fetcher(QUICK, transport=httpx.MockTransport(public_server)) as fetcher:
        with pytest.raises(FetchFailed, match="redirects into this machine or the local network"):
            fetcher.get("https://news.example.org/story", PAGE_TYPES)
    assert server.requests == []


def test_a_stopped_fetch_keeps_what_it_wrote_and_the_next_one_does_the_rest(server: FeedServer, corpus: Path) -> None:
    links = [server.route(f"/s{n}", Answer(page(f"Story {n}"))) for n in range(12)]
    server.route(
        "/rss", Answer(rss([(f"Story {n}", link, "x") for n, link in enumerate(links)]), content_type=RSS_TYPE)
    )
    subscribe(corpus, (server.url("/rss"), "f"))

    class StopAfterTwo(Progress):
        def article_done(self, report: FeedReport, path: str | None) -> None:
            if report.new == 2:
                harvest.stop.set()

    subscriptions = load_subscriptions(corpus)
    with Fetcher(replace(QUICK, per_host=1)) as fetcher:
        harvest = Harvest(corpus, subscriptions, load_ledger(corpus), fetcher, StopAfterTwo(), workers=1)
        [stopped] = harvest.fetch_feeds(subscriptions.feeds)
    written = len(list(corpus.rglob("*.md")))
    assert 2 <= written < 12 and len(load_ledger(corpus).records) == written

    [rest] = fetch(corpus)
    assert stopped.new + rest.new == 12 and len(articles(corpus)) == 12
