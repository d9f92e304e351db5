"""Running a fetch in a test: a quick policy, and the corpus's articles read back as reader reads them."""

from __future__ import annotations

from pathlib import Path

from reader.corpus import load_corpus
from reader.feeds.fetch import Fetcher, Policy
from reader.feeds.harvest import FeedReport, Harvest
from reader.feeds.ledger import load_ledger
from reader.feeds.subscriptions import load_subscriptions

#: Short waits so a slow server or a retry costs the test a fraction of a second.
QUICK = Policy(timeout=0.5, deadline=5.0, max_bytes=200_000, max_redirects=5, retries=2, backoff=0.01, per_host=4)


def subscribe(corpus: Path, *feeds: tuple[str, str]) -> None:
    """Add (url, name) feeds to the corpus's subscriptions."""
    subscriptions = load_subscriptions(corpus)
    for url, name in feeds:
        subscriptions.add(url, name)
    subscriptions.save()


def fetch(corpus: Path, policy: Policy = QUICK) -> list[FeedReport]:
    subscriptions = load_subscriptions(corpus)
    with Fetcher(policy) as fetcher:
        harvest = Harvest(corpus, subscriptions, load_ledger(corpus), fetcher)
        return harvest.fetch_feeds(subscriptions.feeds)


def articles(corpus: Path) -> dict[str, tuple[str, str]]:
    """Every article of the corpus as reader loads it: id -> (title, text); no problems allowed."""
    loaded = load_corpus(corpus)
    assert not loaded.problems, loaded.problems
    return {article.id: (article.title, article.text) for article in loaded.articles}
