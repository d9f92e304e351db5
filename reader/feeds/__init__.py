"""News that comes in by itself: feed subscriptions, fetching and OPML, kept per corpus.

Everything here writes ordinary corpus files (``.md`` with front matter) into the corpus folder,
so the rest of reader needs to know nothing about feeds. One idea a module:

* :mod:`subscriptions`  the feeds a corpus follows (``.reader-feeds.json`` in its folder)
* :mod:`ledger`         what was fetched already (``.reader-fetched.json``): no duplicates
* :mod:`opml`           OPML in (defusedxml) and out
* :mod:`http`           polite, capped, retried HTTP over httpx
* :mod:`parsing`        a feed's bytes to items (feedparser)
* :mod:`extraction`     a page's HTML, or a feed's HTML content, to paragraphs
* :mod:`writing`        an article as a ``.md`` file with a safe name
* :mod:`harvest`        the whole run: feeds, then their new pages, concurrently

Nothing here runs unless the user asks (a command or a key): opening a corpus never fetches.
"""
