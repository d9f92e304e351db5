"""Fetching 50 feeds x 20 items from a loopback server: concurrent (at most 4 requests at once to
the host) against sequential (one request at a time), measured in the same run.

    python -m bench fetch

A ThreadingHTTPServer on 127.0.0.1 serves 50 RSS feeds of 20 items each and every item's page (a
news page of 6 paragraphs, about 4 KB), each answer after a fixed delay standing in for the
network's round trip (``LATENCY``). Each run writes into a fresh corpus folder through the real
:class:`reader.feeds.harvest.Harvest`: feeds parsed with feedparser, pages extracted with
trafilatura, articles written as ``.md`` files, the ledger kept. Reported: wall time of each run,
the ratio (target: at least 3x), the most requests the server saw at once (at most 4), articles
written, and the peak resident memory after each run (flat: the concurrent run adds little).
Nothing fails on time.
"""

from __future__ import annotations

import resource
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from bench.common import print_table, scratch_home

FEEDS = 50
ITEMS = 20
LATENCY = 0.03
PER_HOST = 4
RATIO_TARGET = 3.0


def _page(feed: int, item: int) -> bytes:
    """Item ``item`` of feed ``feed`` as a news page."""
    title = f"Story {item} of feed {feed}"
    paragraphs = "".join(
        f"<p>{escape(title)}, paragraph {n}: the council met again on Tuesday to weigh the proposal, and its members "
        f"spoke at length about the budget, the schools and the roads that the plan would change.</p>"
        for n in range(6)
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Loopback</footer></body></html>"
    ).encode()


def _feed(base: str, feed: int) -> bytes:
    """Feed ``feed`` as RSS 2.0 with its items' links on the server."""
    items = "".join(
        f"<item><title>Story {item} of feed {feed}</title><link>{base}/page/{feed}/{item}</link>"
        f"<guid>{base}/page/{feed}/{item}</guid><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate>"
        f"<description>Summary {item}</description></item>"
        for item in range(ITEMS)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed {feed}</title>"
        f"<link>{base}/</link><description>bench</description>{items}</channel></rss>"
    ).encode()


class _Server:
    """The loopback server, counting the requests it serves at once."""

    def __init__(self) -> None:
        self.active = self.most = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

            def do_GET(self) -> None:  # noqa: N802
                with owner.lock:
                    owner.active += 1
                    owner.most = max(owner.most, owner.active)
                try:
                    time.sleep(LATENCY)
                    parts = self.path.strip("/").split("/")
                    if parts[0] == "feed":
                        body, kind = _feed(owner.base, int(parts[1])), "application/rss+xml"
                    else:
                        body, kind = _page(int(parts[1]), int(parts[2])), "text/html; charset=utf-8"
                    self.send_response(200)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with owner.lock:
                        owner.active -= 1

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        """Shut the server down."""
        self.httpd.shutdown()
        self.httpd.server_close()


def _run(server: _Server, corpus: Path, per_host: int, workers: int) -> tuple[float, int, int]:
    """One fetch of every feed into a fresh corpus: (seconds, articles written, most requests at once)."""
    from reader.feeds.fetch import Fetcher, Policy
    from reader.feeds.harvest import Harvest
    from reader.feeds.ledger import load_ledger
    from reader.feeds.subscriptions import load_subscriptions

    corpus.mkdir()
    subscriptions = load_subscriptions(corpus)
    for feed in range(FEEDS):
        subscriptions.add(f"{server.base}/feed/{feed}", f"feed {feed}")
    subscriptions.save()
    server.most = 0
    started = time.perf_counter()
    with Fetcher(Policy(per_host=per_host)) as fetcher:
        harvest = Harvest(corpus, load_subscriptions(corpus), load_ledger(corpus), fetcher, workers=workers)
        reports = harvest.fetch_feeds(harvest.subscriptions.feeds)
    elapsed = time.perf_counter() - started
    return elapsed, sum(report.new for report in reports), server.most


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run both fetches and print the table and the ratio."""
    import trafilatura  # noqa: F401  imported before timing, for both runs

    server = _Server()
    rows = []
    try:
        with scratch_home("reader-bench-fetch-"), tempfile.TemporaryDirectory() as folder:
            sequential, written_one, most_one = _run(server, Path(folder) / "sequential", 1, 1)
            memory_one = _peak_mb()
            concurrent, written_two, most_two = _run(server, Path(folder) / "concurrent", PER_HOST, 8)
            memory_two = _peak_mb()
    finally:
        server.stop()
    rows.append(("sequential", f"{sequential:.1f} s", written_one, most_one, f"{memory_one:.0f} MB"))
    rows.append((f"<= {PER_HOST} per host", f"{concurrent:.1f} s", written_two, most_two, f"{memory_two:.0f} MB"))
    print(f"{FEEDS} feeds x {ITEMS} items, {LATENCY * 1000:.0f} ms a response")
    print_table(("run", "time", "articles", "most at once", "peak memory"), rows)
    ratio = sequential / concurrent if concurrent else float("inf")
    verdict = "meets" if ratio >= RATIO_TARGET else "misses"
    print(f"ratio {ratio:.1f}x ({verdict} the {RATIO_TARGET:g}x target); memory grew {memory_two - memory_one:.0f} MB")


if __name__ == "__main__":
    main()
