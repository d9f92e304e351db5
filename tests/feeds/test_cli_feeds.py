"""``reader feeds``, ``reader fetch`` and ``reader add`` as a user runs them: messages, exit codes, files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from reader.cli import main
from reader.feeds.subscriptions import FILE_NAME, LOCK_NAME, feeds_lock
from tests.feeds.helpers import articles
from tests.feeds.samples import RSS_TYPE, page, rss
from tests.feeds.server import Answer, FeedServer


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_add_list_fetch_and_remove_a_feed(server: FeedServer, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = server.route("/story", Answer(page("Story")))
    feed = server.route(
        "/rss", Answer(rss([("Story", link, "s"), ("Gone", server.url("/gone"), "kept")]), content_type=RSS_TYPE)
    )

    code, _, err = run(capsys, "feeds", "add", feed, "--corpus", str(corpus), "--name", "Loop")
    assert code == 0 and "nothing is fetched until you run `reader fetch`" in err
    assert server.requests == []  # adding a feed never touches the network

    code, out, err = run(capsys, "fetch", "--corpus", str(corpus))
    assert code == 0
    assert "Loop: 2 new, 0 updated, 1 from the feed's text" in err
    assert "note: Loop: Gone: the server answered 404 Not Found; the feed's text was kept" in err
    assert err.rstrip().endswith("reader: 2 new, 0 updated, 0 feeds failed, 0 items failed.")
    assert "Traceback" not in err and out == ""
    written = corpus / "loop" / "2026-11-20-story.md"
    assert stat.S_IMODE(written.stat().st_mode) & 0o044  # readable as any new file, per the umask

    code, out, _ = run(capsys, "feeds", "list", "--corpus", str(corpus), "--json")
    [listed] = json.loads(out)["feeds"]
    assert (listed["name"], listed["articles"], listed["title"]) == ("Loop", 2, "Loopback News")

    code, _, err = run(capsys, "feeds", "remove", "loop", "--corpus", str(corpus))
    assert code == 0 and "its articles stay" in err
    assert json.loads((corpus / FILE_NAME).read_text(encoding="utf-8"))["feeds"] == []
    assert len(articles(corpus)) == 2


def test_a_failed_feed_exits_1_with_its_reason(
    server: FeedServer, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "feeds", "add", server.route("/403", Answer(status=403)), "--corpus", str(corpus), "--name", "No")

    code, _, err = run(capsys, "fetch", "--corpus", str(corpus), "--feed", "No")

    assert code == 1
    assert "reader: failed: No: the server answered 403 Forbidden" in err
    assert "1 feed failed" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["feeds", "add", "file:///etc/passwd"], "is not an http(s) address"),
        (["feeds", "remove", "nothing"], "No feed named 'nothing'"),
        (["fetch"], "follows no feed yet"),
        (["fetch", "--feed", "x"], "No feed named 'x'"),
        (["add", "javascript:alert(1)"], "Nothing was fetched"),
    ],
)
def test_wrong_requests_say_why_and_write_nothing(
    corpus: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv, "--corpus", str(corpus))
    assert code == 1 and message in err and "Traceback" not in err
    assert sorted(path.name for path in corpus.iterdir()) in ([], [LOCK_NAME])


def test_without_a_corpus_nothing_is_written_into_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "feeds", "add", "http://127.0.0.1:9/feed")
    assert code == 1 and "--corpus DIR" in err


def test_a_second_fetch_while_one_runs_is_refused(
    server: FeedServer, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "feeds", "add", server.url("/rss"), "--corpus", str(corpus))
    with feeds_lock(corpus):
        code, _, err = run(capsys, "fetch", "--corpus", str(corpus))
    assert code == 1 and "another reader process is fetching" in err
    assert server.requests == []


def test_add_fetches_single_pages_and_updates_them_in_place(
    server: FeedServer, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = server.route("/one", Answer(page("One page")))
    empty = server.route("/empty", Answer(b"<html><body></body></html>"))

    code, _, err = run(capsys, "add", one, empty, "--corpus", str(corpus))
    assert code == 1
    assert "pages: 1 new" in err and "failed: pages: " in err and "no article text was found in the page" in err
    assert list(articles(corpus)) == ["pages/2026-11-20-one-page.md"]

    server.route("/one", Answer(page("One page", ["It was rewritten entirely, with a new paragraph of some length."])))
    code, _, err = run(capsys, "add", one, "--corpus", str(corpus))
    assert code == 0 and "pages: 0 new, 1 updated" in err
    [(article_id, (_, text))] = articles(corpus).items()
    assert article_id == "pages/2026-11-20-one-page.md" and "rewritten entirely" in text


def test_opml_round_trip_into_an_empty_corpus(
    server: FeedServer, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for url, name in [(server.url("/a"), "Alpha & <Omega>"), ("https://example.org/feed?x=1&y=2", 'Ex "quoted"')]:
        run(capsys, "feeds", "add", url, "--corpus", str(corpus), "--name", name)
    exported = tmp_path / "feeds.opml"
    assert run(capsys, "feeds", "export", "--corpus", str(corpus), "-o", str(exported))[0] == 0
    other = tmp_path / "other"
    other.mkdir()

    code, _, err = run(capsys, "feeds", "import", str(exported), "--corpus", str(other))
    assert code == 0 and "2 feeds added" in err
    run(capsys, "feeds", "import", str(exported), "--corpus", str(other))  # again: nothing doubled

    def listed(folder: Path) -> list[tuple[str, str]]:
        out = run(capsys, "feeds", "list", "--corpus", str(folder), "--json")[1]
        return [(feed["name"], feed["url"]) for feed in json.loads(out)["feeds"]]

    assert listed(other) == listed(corpus)


def test_opml_from_newsboat_with_folders_and_hostile_opml(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = tmp_path / "newsboat.opml"
    nested.write_text(
        '<?xml version="1.0"?><opml version="1.0"><head><title>newsboat</title></head><body>'
        '<outline text="World"><outline type="rss" xmlUrl="https://a.example/rss" text="A"/>'
        '<outline type="rss" xmlUrl="ftp://b.example/rss" text="B"/></outline>'
        '<outline type="rss" xmlUrl="https://c.example/atom" title="C"/></body></opml>',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "feeds", "import", str(nested), "--corpus", str(corpus))
    assert code == 0 and "2 feeds added" in err and "1 skipped" in err and "ftp://b.example/rss" in err

    bomb = tmp_path / "bomb.opml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        '<opml><body><outline xmlUrl="https://x/&lol2;"/></body></opml>',
        encoding="utf-8",
    )
    for bad, reason in [(bomb, "refused for safety"), (tmp_path / "missing.opml", "cannot be read")]:
        before = (corpus / FILE_NAME).read_bytes()
        code, _, err = run(capsys, "feeds", "import", str(bad), "--corpus", str(corpus))
        assert code == 1 and reason in err and (corpus / FILE_NAME).read_bytes() == before
