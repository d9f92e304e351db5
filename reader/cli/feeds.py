"""``reader feeds add|list|remove|import|export``: the feeds a corpus follows.

Kept in ``<corpus>/.reader-feeds.json`` (see :mod:`reader.feeds.subscriptions`). Nothing here
touches the network: ``reader fetch`` does, when asked.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.cli.shared import EXIT_OK, UserError, add_corpus_option, out, say, table, user_settings
from reader.feeds.subscriptions import CorpusBusy, SubscriptionError, Subscriptions, feeds_lock, load_subscriptions

#: The largest OPML file read (a list of a few thousand feeds is far smaller).
MAX_OPML = 5 * 1024 * 1024


def parser() -> argparse.ArgumentParser:
    """The parser of ``reader feeds`` and its actions."""
    parser = argparse.ArgumentParser(
        prog="reader feeds",
        description="The feeds a corpus follows (kept in CORPUS/.reader-feeds.json). Nothing is fetched "
        "until `reader fetch`.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="follow a feed (RSS or Atom) by its URL")
    add.add_argument("url", metavar="URL", help="the feed's address (http or https)")
    add.add_argument("--name", default=None, help="a short name (default: the site's host); also its subfolder")
    add_corpus_option(add, "that the feed's articles go into (default: the corpus in your settings)")
    listing = actions.add_parser("list", help="the feeds, with their article counts and last fetch")
    add_corpus_option(listing, "whose feeds to list")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    remove = actions.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("feed", metavar="NAME|URL", help="the feed's name or URL")
    add_corpus_option(remove, "whose feed to remove")
    importing = actions.add_parser("import", help="follow every feed of an OPML file")
    importing.add_argument("file", type=Path, metavar="FILE.opml", help="an OPML file (newsboat, Feedly, ...)")
    add_corpus_option(importing, "that the feeds go into")
    export = actions.add_parser("export", help="the feeds as OPML, to stdout (or -o FILE)")
    add_corpus_option(export, "whose feeds to export")
    export.add_argument("-o", "--output", type=Path, default=None, metavar="FILE", help="write to FILE instead")
    return parser


def feeds_corpus(given: Path | None) -> Path:
    """The corpus folder feeds belong to: ``--corpus``, else the settings' corpus. Never the
    bundled sample (it lives inside the installed package)."""
    chosen = given or user_settings().corpus
    if chosen is None:
        raise UserError("Say which corpus the feeds belong to: --corpus DIR (or set corpus in `reader config edit`).")
    folder = Path(os.path.abspath(chosen.expanduser()))
    if not folder.is_dir():
        raise UserError(f"The corpus folder {folder} does not exist; create it first (mkdir -p {folder}).")
    return folder


@contextmanager
def changing(corpus: Path) -> Iterator[Subscriptions]:
    """The subscriptions, locked for a change and saved after it."""
    try:
        with feeds_lock(corpus, wait=5.0):
            subscriptions = load_subscriptions(corpus)
            yield subscriptions
            subscriptions.save()
    except (SubscriptionError, CorpusBusy) as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"The feeds of {corpus} cannot be saved: {error.strerror or error}.") from None


def reading(corpus: Path) -> Subscriptions:
    """The subscriptions, for reading only; their problem as a UserError."""
    try:
        return load_subscriptions(corpus)
    except SubscriptionError as error:
        raise UserError(str(error)) from None


def run(arguments: argparse.Namespace) -> int:
    """Do the action asked for."""
    corpus = feeds_corpus(arguments.corpus)
    action = arguments.action
    if action == "add":
        with changing(corpus) as subscriptions:
            feed = subscriptions.add(arguments.url, arguments.name)
        say(f"reader: following {feed.name} ({feed.url}); its articles go into {corpus / feed.folder}.")
        say("reader: nothing is fetched until you run `reader fetch`.")
    elif action == "remove":
        with changing(corpus) as subscriptions:
            feed = subscriptions.remove(arguments.feed)
        say(f"reader: no longer following {feed.name}; its articles stay in {corpus / feed.folder}.")
    elif action == "list":
        list_feeds(corpus, arguments.json)
    elif action == "import":
        import_opml(corpus, arguments.file)
    else:
        from reader.feeds.opml import write_opml

        document = write_opml(reading(corpus).feeds, title=f"reader feeds of {corpus.name}")
        if arguments.output is None:
            out(document)
        else:
            from annotations.atomic_file import replace_text

            try:
                replace_text(arguments.output, [document])
            except OSError as error:
                raise UserError(f"{arguments.output} cannot be written: {error.strerror or error}.") from None
            say(f"reader: wrote {len(reading(corpus).feeds)} feeds to {arguments.output}.")
    return EXIT_OK


def list_feeds(corpus: Path, as_json: bool) -> None:
    """The feeds as a table (or JSON) with their article counts and last results."""
    from reader.feeds.ledger import load_ledger

    feeds = reading(corpus).feeds
    ledger = load_ledger(corpus)
    rows = [
        {
            "name": feed.name,
            "url": feed.url,
            "folder": feed.folder,
            "title": feed.title,
            "articles": ledger.count(feed.name),
            "last_fetch": feed.last_fetch or None,
            "last_result": feed.last_result or None,
        }
        for feed in feeds
    ]
    if as_json:
        out(json.dumps({"feeds": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        say(f"reader: {corpus} follows no feed yet; add one with `reader feeds add URL --corpus {corpus}`.")
        return
    headers = ("name", "articles", "last fetch", "result", "url")
    cells = [
        (row["name"], row["articles"], row["last_fetch"] or "never", row["last_result"] or "", row["url"])
        for row in rows
    ]
    out(table(headers, cells))


def import_opml(corpus: Path, file: Path) -> None:
    """Follow every feed of an OPML file; a file that cannot be read adds nothing."""
    from reader.feeds.opml import OpmlError, read_opml

    try:
        with file.open("rb") as stream:
            raw = stream.read(MAX_OPML + 1)
    except OSError as error:
        raise UserError(f"{file} cannot be read: {error.strerror or error}.") from None
    if len(raw) > MAX_OPML:
        raise UserError(f"{file} is larger than {MAX_OPML // 1024 // 1024} MB; that is not a list of feeds.")
    try:
        outlines = read_opml(raw)
    except OpmlError as error:
        raise UserError(f"{file} cannot be imported: {error}. Nothing was added.") from None
    added = present = 0
    refused: list[str] = []
    with changing(corpus) as subscriptions:
        for outline in outlines:
            if any(feed.url == outline.url.strip() for feed in subscriptions.feeds):
                present += 1
                continue
            try:
                subscriptions.add(outline.url, None, outline.title)
            except SubscriptionError as error:
                refused.append(str(error))
            else:
                added += 1
    for reason in refused:
        say(f"reader: skipped: {reason}")
    say(f"reader: {added} feeds added from {file}, {present} already followed, {len(refused)} skipped.")
